"""--dry-run: every input read and checked as a real run checks it, what would be sent printed,
and no model call; and the output path, really tried before the first paid call."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest

from summarizer.config import resolve_settings
from summarizer.dryrun import plan_articles
from summarizer.errors import OutputError
from summarizer.output import check_destination
from summarizer.prompts import load_prompts
from summarizer.runner import read_articles

from .conftest import SEED, WIKINEWS, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion


def _seed_server() -> FakeOpenAI:
    return FakeOpenAI([Reply(body=chat_completion(arguments=seed_answer()))])


def _plan(*args: str) -> dict:
    result = run_cli("summarize", *args, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    plan: dict = json.loads(result.stdout)
    return plan


def test_a_dry_run_needs_no_endpoint_and_shows_source_size_estimate_and_request() -> None:
    plan = _plan(str(SEED), "--fixture-mode", "live")  # live, and no endpoint configured
    assert set(plan) == {"source", "article", "estimate", "request"}
    text = SEED.read_text(encoding="utf-8")
    assert plan["article"] == {
        "characters": len(text),
        "encoding": "utf-8",
        "normalized": [],
        "estimated_tokens": len(text) // 4 + 1,
        "extracted_text": None,  # a text file: nothing was extracted
    }
    estimate = plan["estimate"]
    assert estimate["total_tokens"] == (
        estimate["messages_tokens"] + estimate["schema_tokens"] + estimate["answer_reserve_tokens"]
    )
    assert estimate["answer_reserve_tokens"] == 4096
    assert estimate["context_tokens"] == 128_000
    request = plan["request"]
    assert (request["model"], request["mode"], request["endpoint"]) == (
        "gpt-4o-mini",
        "tools",
        None,
    )
    assert request["fixture_mode"] == "live"
    assert request["messages"] == load_prompts().render(text)


def test_the_source_block_is_the_one_a_briefing_carries() -> None:
    plan = _plan(str(SEED))
    with _seed_server() as server:
        briefed = live_cli(server, str(SEED))
    assert briefed.exit_code == 0, briefed.output
    source = json.loads(briefed.stdout)["source"]
    source.pop("offsets_in", None)  # no offsets in a plan
    assert plan["source"] == {**source, "publisher": None}  # the publisher is the model's
    assert plan["source"]["published_basis"] == "inferred"
    assert "Monday" in plan["source"]["published_note"]
    given = _plan(str(SEED), "--published", "2022-01-11")["source"]
    assert (given["published"], given["published_basis"], given["published_note"]) == (
        "2022-01-11",
        "given",
        None,
    )


def test_a_dry_run_sends_nothing_even_to_a_configured_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from summarizer.model import client

    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("a dry run built a model client")

    monkeypatch.setattr(client.BriefingClient, "__init__", no_client)
    monkeypatch.setattr(client.AsyncBriefingClient, "__init__", no_client)
    with _seed_server() as server:
        result = live_cli(server, str(SEED), str(WIKINEWS[0]), "--dry-run", "--model", "m-1")
        assert server.received == []
    assert result.exit_code == 0, result.output
    plans = json.loads(result.stdout)
    assert [p["source"]["path"] for p in plans] == [str(SEED), str(WIKINEWS[0])]
    assert {p["request"]["endpoint"] for p in plans} == {server.base_url}
    assert {p["request"]["model"] for p in plans} == {"m-1"}


def test_the_plan_shows_the_request_a_real_run_sends() -> None:
    plan = _plan(str(SEED), "--mode", "json_schema", "--model", "m-2")
    answer = Reply(body=chat_completion(content=json.dumps(seed_answer())))
    with FakeOpenAI([answer]) as server:
        result = live_cli(server, str(SEED), "--mode", "json_schema", "--model", "m-2")
        sent = server.received[0].json
    assert result.exit_code == 0, result.output
    assert (sent["model"], sent["messages"][: len(plan["request"]["messages"])]) == (
        plan["request"]["model"],
        plan["request"]["messages"],
    )
    assert plan["request"]["mode"] == "json_schema"


def test_the_estimate_is_the_one_the_context_check_holds_against_the_window() -> None:
    total = _plan(str(SEED))["estimate"]["total_tokens"]
    assert _plan(str(SEED), "--context-tokens", str(total))["estimate"]["context_tokens"] == total
    over = run_cli("summarize", str(SEED), "--dry-run", "--context-tokens", str(total - 1))
    assert over.exit_code == 2
    assert over.stdout == ""
    assert "over the model's context" in over.stderr
    with _seed_server() as server:
        fits = live_cli(server, str(SEED), "--context-tokens", str(total))
        refused = live_cli(server, str(SEED), "--context-tokens", str(total - 1))
        assert len(server.received) == 1  # the request that fit, and no other
    assert fits.exit_code == 0, fits.output
    assert refused.exit_code == 2
    assert "over the model's context" in refused.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["missing.txt"], "missing.txt: no such file"),
        (["SEED", "-o", "TMP"], "is a directory"),
        (["SEED", "-o", "/proc/x.json"], "cannot create a file in /proc"),
        (["SEED", "--published", "soon"], "is not a date"),
        (["SEED", "SEED2", "-", "-"], "stdin (-) can be read only once"),
    ],
)
def test_bad_input_in_a_dry_run_is_exit_2_and_one_line(
    args: list[str], expected: str, tmp_path: Path
) -> None:
    names = {"SEED": str(SEED), "SEED2": str(WIKINEWS[0]), "TMP": str(tmp_path)}
    result = run_cli("summarize", *(names.get(a, a) for a in args), "--dry-run")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_dry_run_checks_the_output_path_but_makes_and_writes_nothing(tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = tmp_path / "new" / "folder" / "briefing.json"
    plan = _plan(str(SEED), "-o", str(out))
    assert plan["source"]["path"] == str(SEED)
    assert list(tmp_path.iterdir()) == []
    existing = tmp_path / "briefing.json"
    existing.write_text("old", encoding="utf-8")
    _plan(str(SEED), "-o", str(existing))
    assert existing.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.json"]  # no probe left behind
    blocked = run_cli("summarize", str(SEED), "--dry-run", "-o", str(existing / "x.json"))
    assert blocked.exit_code == 2
    assert "cannot create its folder" in blocked.stderr


def test_markdown_dry_run_is_a_short_note_per_article() -> None:
    result = run_cli("summarize", str(SEED), str(WIKINEWS[0]), "--dry-run", "-f", "markdown")
    assert result.exit_code == 0, result.output
    notes = result.stdout.split("\n---\n")
    assert len(notes) == 2
    assert notes[0].startswith(f"# Dry run: {SEED}")
    assert "of 128,000 context tokens" in notes[0]
    assert "replayed from fixtures" in notes[0]
    assert "Brief the following article" not in result.stdout  # the text is JSON's


def test_a_dry_run_reads_stdin_and_says_what_reading_normalised() -> None:
    windows = SEED.read_bytes().replace(b"\n", b"\r\n")
    result = run_cli("summarize", "-", "--dry-run", input=windows)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["source"]["path"] is None
    assert plan["source"]["title"].startswith("Stoltenberg")
    assert plan["article"]["normalized"] == ["CRLF line endings to LF"]
    assert plan["source"]["sha256"] == _plan(str(SEED))["source"]["sha256"]


def test_the_library_plans_without_a_client() -> None:
    articles = read_articles([str(SEED), str(WIKINEWS[0])])
    plans = plan_articles(articles, resolve_settings(model="m-3"))
    assert [p.source.path for p in plans] == [str(SEED), str(WIKINEWS[0])]
    assert plans[1].source.published_basis == "article"  # a Wikinews dateline
    assert plans[0].request.model == "m-3"
    assert plans[0].request.messages == load_prompts().render(articles[0].text)


# ----------------------------------------------------- the output path, before any paid call


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_an_output_in_proc_is_refused_before_any_call() -> None:
    with _seed_server() as server:
        result = live_cli(server, str(SEED), "-o", "/proc/x.json")
        assert server.received == []
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "-o /proc/x.json: cannot create a file in /proc" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_folder_that_takes_no_new_file_is_refused_before_any_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only file system (which root cannot write either), as the probe meets it.
    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(OutputError, match="Read-only file system"):
        check_destination(tmp_path / "out.json")
    with _seed_server() as server:
        result = live_cli(server, str(SEED), "-o", str(tmp_path / "out.json"))
        assert server.received == []
    assert result.exit_code == 2
    assert "cannot create a file in" in result.stderr


def test_the_probe_leaves_only_the_result_behind(tmp_path: Path) -> None:
    out = tmp_path / "made" / "briefing.json"
    with _seed_server() as server:
        result = live_cli(server, str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.parent.iterdir()] == ["briefing.json"]
    assert json.loads(out.read_text(encoding="utf-8"))["source"]["path"] == str(SEED)
