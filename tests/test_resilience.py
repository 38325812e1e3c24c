"""Faults, bad answers, bad input and cost, against a scripted OpenAI-compatible server on
127.0.0.1, through the real openai SDK."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from summarizer.articles import article_from_bytes
from summarizer.config import resolve_settings
from summarizer.model.client import BriefingClient
from summarizer.output import atomic_write_text
from summarizer.pipeline import make_describer, prepare, request_draft
from summarizer.prompts import load_prompts

from .conftest import ROOT, SEED, WIKINEWS, console_args, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

ARTICLE = SEED.read_text(encoding="utf-8")


def good(usage: tuple[int, int] = (1000, 500)) -> Reply:
    return Reply(body=chat_completion(arguments=seed_answer(), usage=usage))


def _client(base_url: str, sleeps: list[float], **options) -> BriefingClient:
    settings = resolve_settings(base_url=base_url, fixture_mode="live", **options)
    prompts = load_prompts()
    return BriefingClient(
        settings, describe=make_describer(prompts, "tools"), extra_meta={}, sleep=sleeps.append
    )


def _ask(client: BriefingClient):
    article = article_from_bytes(ARTICLE.encode(), label="seed")
    return request_draft(client, prepare(article, load_prompts()))


def _cli_fails(server: FakeOpenAI, tmp_path: Path, *extra: str):
    out = tmp_path / "briefing.json"
    result = live_cli(
        server,
        str(SEED),
        "-o",
        str(out),
        "--usage",
        *extra,
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    return result


# ----------------------------------------------------------------------------- transport faults


def test_dropped_connection_is_retried() -> None:
    sleeps: list[float] = []
    with FakeOpenAI([Reply(drop=True), good()]) as server, _client(server.base_url, sleeps) as c:
        answer = _ask(c)
        assert len(server.received) == 2
    assert len(sleeps) == 1 and answer.attempts == 1


def test_dropped_connection_every_time_fails_cleanly(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(drop=True)]) as server:
        result = _cli_fails(server, tmp_path, "--max-retries", "0")
    assert "connection to the model endpoint" in result.stderr


def test_stalled_response_times_out_and_is_retried() -> None:
    sleeps: list[float] = []
    replies = [Reply(delay=2.0, body=chat_completion(arguments=seed_answer())), good()]
    with FakeOpenAI(replies) as server, _client(server.base_url, sleeps, timeout=0.3) as c:
        started = time.monotonic()
        answer = _ask(c)
        assert len(server.received) == 2
    assert time.monotonic() - started < 2.0
    assert len(sleeps) == 1
    assert answer.trace.usage_totals()["total_tokens"] == 1500  # the stalled answer never came


def test_stalled_response_every_time_fails_with_the_timeout(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(delay=2.0, body={})]) as server:
        result = _cli_fails(server, tmp_path, "--timeout", "0.3", "--max-retries", "0")
    assert "did not answer within 0.3s" in result.stderr


@pytest.mark.parametrize("status", [408, 409, 500, 502, 503, 504])
def test_retryable_statuses_recover(status: int) -> None:
    sleeps: list[float] = []
    fault = Reply(status=status, body={"error": {"message": "x"}})
    with FakeOpenAI([fault, good()]) as server, _client(server.base_url, sleeps) as c:
        answer = _ask(c)
        assert len(server.received) == 2
        # The same request again: a transport fault is never turned into re-ask text.
        assert server.received[0].body == server.received[1].body
    assert answer.attempts == 1 and len(sleeps) == 1


def test_client_errors_are_not_retried(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(status=401, body={"error": {"message": "bad key"}})]) as server:
        result = _cli_fails(server, tmp_path)
        assert len(server.received) == 1
    assert "HTTP 401" in result.stderr and "OPENAI_API_KEY" in result.stderr


# ----------------------------------------------------------------------------- bad answers


def test_invalid_json_is_reasked_and_its_tokens_counted() -> None:
    broken = Reply(body=chat_completion(arguments='{"summary": {"headline": ', usage=(900, 20)))
    with FakeOpenAI([broken, good()]) as server:
        result = live_cli(server, str(SEED))
        assert result.exit_code == 0, result.output
        assert len(server.received) == 2
    usage = json.loads(result.stdout)["provenance"]["usage"]
    assert usage == {"prompt_tokens": 1900, "completion_tokens": 520, "total_tokens": 2420}


def test_invalid_json_every_time_fails_after_the_reask_budget(tmp_path: Path) -> None:
    broken = Reply(body=chat_completion(arguments="{not json", usage=(100, 10)))
    with FakeOpenAI([broken]) as server:
        result = _cli_fails(server, tmp_path, "--max-reasks", "2")
        assert len(server.received) == 3
    assert "failed validation after 3 attempt(s)" in result.stderr
    assert "prompt 300 + completion 30 = 330 tokens" in result.stderr


def test_missing_tool_call_is_reasked() -> None:
    chatty = Reply(body=chat_completion(content="NATO and Russia met. That is all."))
    with FakeOpenAI([chatty, good()]) as server:
        result = live_cli(server, str(SEED))
        assert len(server.received) == 2
    assert result.exit_code == 0, result.output


def test_cut_off_answer_fails_with_its_reason_and_tokens(tmp_path: Path) -> None:
    cut = Reply(
        body=chat_completion(
            arguments='{"summary": {"head', finish_reason="length", usage=(50, 4000)
        )
    )
    with FakeOpenAI([cut]) as server:
        result = _cli_fails(server, tmp_path)
    assert "cut off" in result.stderr
    assert "= 4050 tokens" in result.stderr


def test_refusal_fails_with_the_models_words(tmp_path: Path) -> None:
    body = chat_completion(content=None, usage=(70, 9))
    body["choices"][0]["message"]["refusal"] = "I can't help with that."
    with FakeOpenAI([Reply(body=body)]) as server:
        result = _cli_fails(server, tmp_path)
    assert "refused to answer: I can't help with that." in result.stderr


def test_empty_choice_list_fails_cleanly(tmp_path: Path) -> None:
    body = chat_completion(content="x")
    body["choices"] = []
    with FakeOpenAI([Reply(body=body)]) as server:
        result = _cli_fails(server, tmp_path)
    assert "no choices" in result.stderr


# ----------------------------------------------------------------------------- cost


def test_usage_summary_equals_the_sum_the_server_returned(tmp_path: Path) -> None:
    again = tmp_path / "same-article.txt"
    again.write_bytes(SEED.read_bytes())
    broken = Reply(body=chat_completion(arguments="{", usage=(111, 22)))
    replies = [broken, good((1000, 500)), good((800, 300))]
    with FakeOpenAI(replies) as server:
        result = run_cli(
            "summarize",
            str(SEED),
            str(again),
            "--base-url",
            server.base_url,
            "--fixture-mode",
            "live",
            "--usage",
        )
        assert len(server.received) == len(replies)
        served = replies
    assert result.exit_code == 0, result.output
    prompt = sum(r.body["usage"]["prompt_tokens"] for r in served)
    completion = sum(r.body["usage"]["completion_tokens"] for r in served)
    assert f"prompt {prompt} + completion {completion} = {prompt + completion} tokens" in (
        result.stderr
    )
    assert "3 model answer(s)" in result.stderr


def test_token_budget_stops_the_run_cleanly(tmp_path: Path) -> None:
    with FakeOpenAI([good((1000, 500))]) as server:
        result = run_cli(
            "summarize",
            str(SEED),
            str(WIKINEWS[0]),
            "--base-url",
            server.base_url,
            "--fixture-mode",
            "live",
            "--max-tokens-per-run",
            "1200",
        )
        assert len(server.received) == 1
    assert result.exit_code == 1
    assert "token budget is spent (1,500 of 1,200 tokens)" in result.stderr
    assert f"not briefed: {WIKINEWS[0]}" in result.stderr
    (briefed,) = json.loads(result.stdout)  # several inputs: a JSON array of what was briefed
    assert briefed["provenance"]["usage"]["total_tokens"] == 1500


# ----------------------------------------------------------------------------- bad input


def test_undecodable_bytes_are_exit_2_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "broken-utf16.txt"
    target.write_bytes(b"\xff\xfeA\x00B")  # a UTF-16 mark, then half a character
    result = run_cli("summarize", str(target))
    assert result.exit_code == 2
    assert "cannot decode" in result.stderr and str(target) in result.stderr


def test_utf16_with_a_mark_is_read() -> None:
    from summarizer.articles import decode_text

    assert decode_text("Grüße".encode("utf-16"), label="x")[0] == "Grüße"


def test_article_over_the_context_is_exit_2_naming_the_limit() -> None:
    result = run_cli("summarize", str(SEED), "--context-tokens", "4000")
    assert result.exit_code == 2
    assert "over the model's context of 4,000 tokens" in result.stderr
    assert str(SEED) in result.stderr


# ----------------------------------------------------------------------------- atomic output


def test_failure_during_the_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "briefing.json"
    atomic_write_text(target, "previous\n")

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        atomic_write_text(target, "new content that never lands\n" * 1000)
    assert target.read_text() == "previous\n"
    assert [p.name for p in target.parent.iterdir()] == ["briefing.json"]


def test_killed_run_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    out = tmp_path / "briefing.json"
    out.write_text("previous\n", encoding="utf-8")
    env = {**os.environ, "SUMMARIZER_CONFIG_DIR": str(tmp_path)}
    with FakeOpenAI([Reply(delay=5.0, body={})]) as server:
        proc = subprocess.Popen(
            console_args(server, str(SEED), "-o", str(out)),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while not server.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.received, "the run never reached the model"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".briefing")] == []


def test_retries_are_reported_on_stderr_by_the_console_script(tmp_path: Path) -> None:
    limited = Reply(status=429, body={"error": {"message": "slow"}}, headers={"Retry-After": "0"})
    env = {**os.environ, "SUMMARIZER_CONFIG_DIR": str(tmp_path)}
    with FakeOpenAI([limited, good()]) as server:
        result = subprocess.run(
            console_args(server, str(SEED)),
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert "summarizer: retrying after HTTP 429 in 0.0s (attempt 2 of 5)" in result.stderr
    assert json.loads(result.stdout)["provenance"]["attempts"] == 1
