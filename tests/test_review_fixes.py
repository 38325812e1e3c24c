"""Edge cases found in review: partial batch failures, output paths, secrets in URLs,
settings that are not numbers, fixture folders that cannot be written, concurrent budgets."""

from __future__ import annotations

import asyncio
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.articles import read_article
from summarizer.config import resolve_settings
from summarizer.errors import TokenBudgetExhausted, UsageError
from summarizer.pipeline import AsyncSummarizer
from summarizer.prompts import load_prompts

from .conftest import SEED, WIKINEWS, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Received, Reply, chat_completion


def _by_article(received: Received) -> Reply:
    """A good answer for the seed; a broken one for anything else."""
    if "Stoltenberg" in received.body.decode("utf-8"):
        return Reply(body=chat_completion(arguments=seed_answer(), usage=(100, 50)))
    return Reply(body=chat_completion(arguments="{broken", usage=(10, 5)))


def test_one_failed_article_does_not_lose_the_others(tmp_path: Path) -> None:
    out = tmp_path / "briefings.json"
    with FakeOpenAI(_by_article) as server:
        result = live_cli(server, str(WIKINEWS[0]), str(SEED), "-o", str(out), "--usage")
    assert result.exit_code == 1
    assert f"error: {WIKINEWS[0]}: the model's answer failed validation" in result.stderr
    assert "1 of 2 article(s) not briefed" in result.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [b["source"]["path"] for b in written] == [str(SEED)]
    assert "4 model answer(s)" in result.stderr  # three failed attempts, then the seed


def test_an_article_over_the_context_fails_before_any_call(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("The council met. " * 3000, encoding="utf-8")
    with FakeOpenAI(_by_article) as server:
        result = live_cli(server, str(SEED), str(big), "--context-tokens", "12000")
        assert server.received == []
    assert result.exit_code == 2
    assert "over the model's context" in result.stderr


def test_output_to_a_directory_is_refused_up_front(tmp_path: Path) -> None:
    with FakeOpenAI(_by_article) as server:
        result = live_cli(server, str(SEED), "-o", str(tmp_path))
        assert server.received == []
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_dash_output_means_stdout() -> None:
    result = run_cli("summarize", str(SEED), "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["meetings"]
    assert not Path("-").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_line_not_a_traceback() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "summarizer", "summarize", str(SEED)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 2
    assert "cannot write to standard output" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_output_file_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "shared.json"
    out.write_text("{}", encoding="utf-8")
    out.chmod(0o644)
    assert run_cli("summarize", str(SEED), "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_credentials_in_the_base_url_are_not_printed() -> None:
    url = "http://alice:s3cr3tpw@127.0.0.1:9/v1?api_key=sk-LEAK"
    result = run_cli(
        "summarize", str(SEED), "--base-url", url, "--fixture-mode", "live", "--max-retries", "0"
    )
    assert result.exit_code == 1
    assert "127.0.0.1:9/v1" in result.stderr
    assert "s3cr3tpw" not in result.output and "sk-LEAK" not in result.output


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_timeouts_that_are_not_positive_numbers_are_usage_errors(value: str) -> None:
    result = run_cli("summarize", str(SEED), "--timeout", value)
    assert result.exit_code == 2
    assert "timeout" in result.stderr


@pytest.mark.parametrize("line", ["fixtures = 5", "base_url = 5", 'timeout = "fast"'])
def test_config_values_of_the_wrong_type_are_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    (tmp_path / "config.toml").write_text(line + "\n", encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_CONFIG_DIR", str(tmp_path))
    with pytest.raises(UsageError, match="must be"):
        resolve_settings()


def _record(server: FakeOpenAI, fixtures: Path, *args: str):
    return run_cli(
        "summarize",
        str(SEED),
        "--base-url",
        server.base_url,
        "--fixture-mode",
        "record",
        "--fixtures",
        str(fixtures),
        *args,
    )


def test_a_fixture_that_cannot_be_saved_is_reported_as_such(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with FakeOpenAI(_by_article) as server:
        result = _record(server, a_file / "inside", "--usage")
    assert result.exit_code == 2
    assert "could not be saved" in result.stderr
    assert "connection" not in result.stderr
    assert "1 model answer(s)" in result.stderr  # the paid call is counted


def test_a_fixture_folder_that_is_a_file_is_refused_before_any_call(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with FakeOpenAI(_by_article) as server:
        result = _record(server, a_file)
        assert server.received == []
    assert result.exit_code == 2
    assert "not a folder" in result.stderr


def test_strict_with_several_articles_writes_nothing_when_one_fails(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    with FakeOpenAI(_by_article) as server:
        result = live_cli(
            server, str(SEED), str(WIKINEWS[0]), "--strict", "--max-reasks", "0", "-o", str(out)
        )
    assert result.exit_code == 1
    assert not out.exists()
    assert "1 of 2 article(s) not briefed; with --strict nothing was written" in result.stderr


def test_an_unwritable_output_is_refused_before_any_call(tmp_path: Path) -> None:
    a_file = tmp_path / "afile"
    a_file.write_text("x", encoding="utf-8")
    with FakeOpenAI(_by_article) as server:
        result = live_cli(server, str(SEED), "-o", str(a_file / "out.json"))
        assert server.received == []
    assert result.exit_code == 2
    assert "cannot create its folder" in result.stderr


def test_no_endpoint_is_refused_once_before_any_article() -> None:
    result = run_cli("summarize", str(SEED), str(WIKINEWS[0]), "--fixture-mode", "live")
    assert result.exit_code == 2
    assert result.stderr.count("needs a model endpoint") == 1


def test_the_token_budget_holds_across_concurrent_articles() -> None:
    stuck = seed_answer()
    stuck["parties"][0]["claims"][0]["quotes"] = ["NATO will never give up, he said loudly"]
    # Answers are held until four calls have been in flight at once (one per article).
    reply = Reply(body=chat_completion(arguments=stuck, usage=(100, 50)), gather=4)
    with FakeOpenAI([reply]) as server:
        settings = resolve_settings(
            base_url=server.base_url, fixture_mode="live", max_tokens_per_run=400
        )
        prompts = load_prompts()
        article = read_article(str(SEED))

        async def run() -> list[object]:
            async with AsyncSummarizer(settings, prompts=prompts) as summarizer:
                return await asyncio.gather(
                    *(summarizer.summarize(article) for _ in range(4)),
                    return_exceptions=True,
                )

        results = asyncio.run(run())
        calls = len(server.received)
        assert server.max_in_flight == 4
    # Each call is checked against the spending of all four articles so far: at most one
    # call per article can be under way when the 400 tokens run out (150 tokens a call).
    # Without a shared count, each article would re-ask twice: 12 calls.
    assert 4 <= calls <= (400 // 150 + 1) + 3
    assert all(isinstance(r, TokenBudgetExhausted) for r in results)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_input_is_refused_without_reading_it_all() -> None:
    result = run_cli("summarize", "/dev/zero")
    assert result.exit_code == 2
    assert "far more than a news article" in result.stderr


def test_fixtures_pointing_at_a_file_says_so(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "fixtures.json"
    not_a_folder.write_text("{}", encoding="utf-8")
    result = run_cli("summarize", str(SEED), "--fixtures", str(not_a_folder))
    assert result.exit_code == 2
    assert "that is not a folder" in result.stderr


def test_recording_into_the_installed_package_is_refused() -> None:
    import summarizer.config as config
    from summarizer.config import Settings
    from summarizer.pipeline import Summarizer

    packaged = Path(config.__file__).resolve().parent / "fixtures"
    settings = Settings(fixture_mode="record", fixtures_dir=packaged, api_key="sk-x")
    with pytest.raises(UsageError, match="installed package"):
        Summarizer(settings).preflight([read_article(str(SEED))])
    # A source checkout's own fixtures/ folder is fine to record into.
    checkout = Settings(fixture_mode="record", fixtures_dir=Path("fixtures"), api_key="sk-x")
    Summarizer(checkout).preflight([read_article(str(SEED))])
