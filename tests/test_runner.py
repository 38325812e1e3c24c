"""The library runner: many articles under one policy, with no CLI in the way.

Each test goes through the real stack: the openai SDK over HTTP to a scripted server on
127.0.0.1, or replay from the project's fixtures.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from summarizer.articles import Article, article_from_bytes, read_article
from summarizer.config import resolve_settings
from summarizer.errors import (
    BriefingValidationError,
    FixtureMiss,
    InputError,
    ModelError,
    TokenBudgetExhausted,
    UsageError,
)
from summarizer.runner import abrief_articles, brief_articles, read_articles

from .conftest import SEED, WIKINEWS, live_cli, seed_answer
from .openai_server import FakeOpenAI, Received, Reply, chat_completion


class Recorder:
    """A reporter that keeps what the run said."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.lines: list[str] = []

    def starting(self, label: str) -> None:
        self.started.append(label)

    def say(self, text: str) -> None:
        self.lines.append(text)


def _seed(label: str) -> Article:
    """The seed article under another label, so a run can hold it several times."""
    return article_from_bytes(SEED.read_bytes(), label=label, path=label)


def _broken_unless_seed(received: Received) -> Reply:
    if "Stoltenberg" in received.body.decode("utf-8"):
        return Reply(body=chat_completion(arguments=seed_answer(), usage=(100, 50)))
    return Reply(body=chat_completion(arguments="{broken", usage=(10, 5)))


def test_one_failure_is_reported_and_the_others_are_kept() -> None:
    articles = [_seed("a"), read_article(str(WIKINEWS[0])), _seed("c")]
    report = Recorder()
    with FakeOpenAI(_broken_unless_seed) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        result = brief_articles(articles, settings, reporter=report)
    assert [b.source.path for b in result.briefings] == ["a", "c"]
    assert result.written == result.briefings
    assert [f.label for f in result.failures] == [str(WIKINEWS[0])]
    assert isinstance(result.failures[0].error, BriefingValidationError)
    assert result.exit_code == 1 and result.not_briefed == []
    assert result.closing_line() == "1 of 3 article(s) not briefed; the others were written"
    assert report.started == ["a", str(WIKINEWS[0]), "c"]
    assert any(line.startswith(f"summarizer: error: {WIKINEWS[0]}: ") for line in report.lines)
    # Two good answers of 150 tokens and three failed attempts of 15, all counted.
    assert result.answers == 5
    assert result.usage.total_tokens == 2 * 150 + 3 * 15


def test_strict_keeps_nothing_to_write_when_one_article_fails() -> None:
    articles = [_seed("a"), read_article(str(WIKINEWS[0]))]
    with FakeOpenAI(_broken_unless_seed) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live", strict=True)
        result = brief_articles(articles, settings)
    assert len(result.briefings) == 1 and result.written == []
    assert (
        result.closing_line() == "1 of 2 article(s) not briefed; with --strict nothing was written"
    )


def test_the_token_budget_stops_the_run_and_lists_what_was_not_briefed() -> None:
    report = Recorder()
    reply = Reply(body=chat_completion(arguments=seed_answer(), usage=(100, 50)))
    with FakeOpenAI([reply]) as server:
        settings = resolve_settings(
            base_url=server.base_url, fixture_mode="live", max_tokens_per_run=150
        )
        result = brief_articles([_seed("a"), _seed("b"), _seed("c")], settings, reporter=report)
        assert len(server.received) == 1  # no call after the budget was spent
    assert [b.source.path for b in result.briefings] == ["a"]
    assert result.not_briefed == ["b", "c"]
    assert [type(f.error) for f in result.failures] == [TokenBudgetExhausted]
    assert result.exit_code == 1
    assert report.started == ["a", "b"]
    assert report.lines[-1] == "summarizer: not briefed: b, c"


def test_the_exit_status_is_the_worst_failure() -> None:
    # Replay from the project's fixtures: the seed is there, an edited seed is a miss (2).
    edited = article_from_bytes(SEED.read_bytes() + b"\nOne more line.\n", label="edited")
    report = Recorder()
    result = brief_articles([read_article(str(SEED)), edited], resolve_settings(), reporter=report)
    assert [type(f.error) for f in result.failures] == [FixtureMiss]
    assert result.exit_code == 2
    assert result.briefings[0].provenance.origin == "authored"
    assert any("replayed an authored fixture" in line for line in report.lines)


def test_a_single_article_failure_is_left_to_the_caller_to_report() -> None:
    report = Recorder()
    with FakeOpenAI([Reply(status=400, body={"error": {"message": "bad model"}})]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        result = brief_articles([_seed("a")], settings, reporter=report)
    assert isinstance(result.sole_error, ModelError)
    assert result.sole_error is result.failures[0].error
    assert report.lines == []  # the CLI says it last, after --usage, as a one-article run
    assert result.closing_line() is None and result.as_list is False


def test_a_single_article_failure_is_the_last_line_after_usage() -> None:
    with FakeOpenAI([Reply(status=400, body={"error": {"message": "bad model"}})]) as server:
        result = live_cli(server, str(SEED), "--usage")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("summarizer: usage: ")
    assert lines[-1].startswith("summarizer: error: the model endpoint")
    assert len(lines) == 2


def test_inputs_are_checked_before_any_call(tmp_path: Path) -> None:
    big = article_from_bytes(b"The council met. " * 3000, label="big")
    with FakeOpenAI(_broken_unless_seed) as server:
        settings = resolve_settings(
            base_url=server.base_url, fixture_mode="live", context_tokens=12_000
        )
        with pytest.raises(InputError, match="over the model's context"):
            brief_articles([_seed("a"), big], settings)
        assert server.received == []
    with pytest.raises(InputError):
        read_articles([str(SEED), str(tmp_path / "missing.txt")])
    with pytest.raises(UsageError, match="only once"):
        read_articles(["-", "-"])


def test_the_async_runner_overlaps_calls_and_keeps_the_input_order() -> None:
    # Each reply waits until three requests are in flight at once (or a few seconds pass):
    # calls made one after another would show at most one in flight.
    reply = Reply(body=chat_completion(arguments=seed_answer(), usage=(100, 50)), gather=3)
    with FakeOpenAI([reply]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        articles = [_seed(name) for name in "abc"]
        result = asyncio.run(abrief_articles(articles, settings, jobs=3))
        assert server.max_in_flight == 3
    assert [b.source.path for b in result.briefings] == ["a", "b", "c"]
    assert result.answers == 3 and result.usage.total_tokens == 450


def test_the_async_runner_keeps_to_its_number_of_jobs() -> None:
    # Each answer takes a moment, long enough for four calls to overlap if they were allowed.
    reply = Reply(body=chat_completion(arguments=seed_answer(), usage=(100, 50)), delay=0.1)
    with FakeOpenAI([reply]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        articles = [_seed(name) for name in "abcd"]
        result = asyncio.run(abrief_articles(articles, settings, jobs=2))
        assert server.max_in_flight == 2  # never more than two at once, four articles
    assert [b.source.path for b in result.briefings] == ["a", "b", "c", "d"]


def test_the_async_runner_applies_the_same_policy() -> None:
    with FakeOpenAI(_broken_unless_seed) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        articles = [_seed("a"), read_article(str(WIKINEWS[0])), _seed("c")]
        result = asyncio.run(abrief_articles(articles, settings, jobs=2))
    assert [b.source.path for b in result.briefings] == ["a", "c"]
    assert [f.label for f in result.failures] == [str(WIKINEWS[0])]
    assert result.exit_code == 1
    with pytest.raises(UsageError):
        asyncio.run(abrief_articles(articles, settings, jobs=0))


def test_the_earlier_async_functions_still_brief_an_article() -> None:
    from summarizer import asummarize, async_client
    from summarizer.prompts import load_prompts

    prompts = load_prompts()
    with FakeOpenAI([Reply(body=chat_completion(arguments=seed_answer()))]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")

        async def run() -> list[str]:
            client = async_client(settings, prompts)
            try:
                briefing = await asummarize(read_article(str(SEED)), client, prompts)
            finally:
                await client.aclose()
            return [m.date.value for m in briefing.meetings if m.date and m.date.value]

        values = asyncio.run(run())
    assert "2022-01-12" in values  # "two days later" than the talks, computed by code
