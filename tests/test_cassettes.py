"""Faithful cassettes: a request's answers are stored in order and replayed once each, in
order, through the openai SDK's real HTTP path against a server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from summarizer.errors import FixtureMiss
from summarizer.model.fixtures import (
    AsyncFixtureTransport,
    ExchangeTrace,
    FixtureRecorder,
    FixtureStore,
    FixtureTransport,
    current_trace,
)

from .conftest import FIXTURES, SEED, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

QUESTION = {"model": "test-model", "messages": [{"role": "user", "content": "Same question"}]}


def _answer(text: str, usage: tuple[int, int]) -> Reply:
    return Reply(body=chat_completion(content=text, usage=usage))


def _sdk(recorder: FixtureRecorder, base_url: str) -> openai.OpenAI:
    transport = FixtureTransport(recorder, httpx.HTTPTransport())
    return openai.OpenAI(
        api_key="sk-test",
        base_url=base_url,
        max_retries=2,
        http_client=httpx.Client(transport=transport),
    )


def _recorder(mode: str, folder: Path, base_url: str) -> FixtureRecorder:
    return FixtureRecorder(
        mode=mode,  # type: ignore[arg-type]
        store=FixtureStore(folder),
        base_path=httpx.URL(base_url).path,
    )


@pytest.fixture
def briefing_trace() -> Iterator[ExchangeTrace]:
    """One briefing's trace, as the model client sets it for each article."""
    trace = ExchangeTrace()
    token = current_trace.set(trace)
    yield trace
    current_trace.reset(token)


def _ask_twice(client: openai.OpenAI) -> list[str | None]:
    return [client.chat.completions.create(**QUESTION).choices[0].message.content for _ in range(2)]


def test_a_repeated_request_stores_both_answers_and_replays_them_in_order(
    tmp_path: Path, briefing_trace: ExchangeTrace
) -> None:
    replies = [_answer("first", (10, 1)), _answer("second", (20, 2))]
    with FakeOpenAI(replies) as server:
        client = _sdk(_recorder("record", tmp_path, server.base_url), server.base_url)
        assert _ask_twice(client) == ["first", "second"]
    (stored,) = FixtureStore(tmp_path)
    assert [answer.body["usage"]["total_tokens"] for answer in stored.responses] == [11, 22]
    assert json.loads(stored.path.read_text("utf-8"))["format"] == 2

    # Replay in a new briefing, with the server gone: each answer once, in order.
    token = current_trace.set(ExchangeTrace())
    try:
        replay = _sdk(_recorder("replay", tmp_path, server.base_url), server.base_url)
        assert _ask_twice(replay) == ["first", "second"]
        trace = current_trace.get()
        assert trace is not None and trace.total_tokens == 33
        # A third asking is more than the recording holds: a miss that says so, not a guess.
        with pytest.raises(openai.APIConnectionError) as caught:
            replay.with_options(max_retries=0).chat.completions.create(**QUESTION)
    finally:
        current_trace.reset(token)
    miss = caught.value.__cause__
    assert isinstance(miss, FixtureMiss)
    assert "asked 3 times" in str(miss) and "holds 2 answers" in str(miss)


def test_missing_mode_sends_a_repeat_to_the_model_and_adds_its_answer(
    tmp_path: Path, briefing_trace: ExchangeTrace
) -> None:
    with FakeOpenAI([_answer("stored", (5, 5))]) as server:
        client = _sdk(_recorder("record", tmp_path, server.base_url), server.base_url)
        client.chat.completions.create(**QUESTION)
    briefing_trace.played.clear()
    # A fault first (not stored, not counted), then the new answer.
    replies = [Reply(status=500, body={"error": {"message": "busy"}}), _answer("fresh", (7, 7))]
    with FakeOpenAI(replies) as server:
        client = _sdk(_recorder("missing", tmp_path, server.base_url), server.base_url)
        assert _ask_twice(client) == ["stored", "fresh"]
        assert len(server.received) == 2  # the 500 and its retry; the first came from the file
    (stored,) = FixtureStore(tmp_path)
    assert [a.body["choices"][0]["message"]["content"] for a in stored.responses] == [
        "stored",
        "fresh",
    ]


def test_record_mode_replaces_what_an_earlier_run_stored(
    tmp_path: Path, briefing_trace: ExchangeTrace
) -> None:
    with FakeOpenAI([_answer("old one", (1, 1)), _answer("old two", (1, 1))]) as server:
        _ask_twice(_sdk(_recorder("record", tmp_path, server.base_url), server.base_url))
    briefing_trace.played.clear()
    with FakeOpenAI([_answer("new", (1, 1))]) as server:
        client = _sdk(_recorder("record", tmp_path, server.base_url), server.base_url)
        client.chat.completions.create(**QUESTION)
    (stored,) = FixtureStore(tmp_path)
    assert [a.body["choices"][0]["message"]["content"] for a in stored.responses] == ["new"]


def test_the_async_transport_plays_answers_in_order_too(tmp_path: Path) -> None:
    with FakeOpenAI([_answer("one", (1, 1)), _answer("two", (1, 1))]) as server:
        token = current_trace.set(ExchangeTrace())
        try:
            _ask_twice(_sdk(_recorder("record", tmp_path, server.base_url), server.base_url))
        finally:
            current_trace.reset(token)
        recorder = _recorder("replay", tmp_path, server.base_url)
        client = openai.AsyncOpenAI(
            api_key="sk-test",
            base_url=server.base_url,
            http_client=httpx.AsyncClient(transport=AsyncFixtureTransport(recorder)),
        )

        async def replay() -> list[str | None]:
            current_trace.set(ExchangeTrace())  # the task's own context: one briefing
            return [
                (await client.chat.completions.create(**QUESTION)).choices[0].message.content
                for _ in range(2)
            ]

        got = asyncio.run(replay())
        assert len(server.received) == 2  # only the recording reached the server
    assert got == ["one", "two"]


def _wrong(answer: dict[str, Any]) -> dict[str, Any]:
    wrong = copy.deepcopy(answer)
    wrong["parties"][0]["claims"][0]["quotes"] = ["NATO will surrender Ukraine tomorrow"]
    return wrong


def test_a_run_whose_model_repeated_a_wrong_answer_replays_identically(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    replies = [
        Reply(body=chat_completion(arguments=_wrong(seed_answer()), usage=(1000, 300))),
        Reply(body=chat_completion(arguments=_wrong(seed_answer()), usage=(1400, 300))),
        Reply(body=chat_completion(arguments=seed_answer(), usage=(1800, 350))),
    ]
    with FakeOpenAI(replies) as server:
        recorded = run_cli(
            "summarize", str(SEED), "--base-url", server.base_url,
            "--fixture-mode", "record", "--fixtures", str(cassettes),
        )  # fmt: skip
        assert recorded.exit_code == 0, recorded.output
        assert len(server.received) == 3
    replayed = run_cli("summarize", str(SEED), "--fixtures", str(cassettes))
    assert replayed.exit_code == 0, replayed.output
    live, again = json.loads(recorded.stdout), json.loads(replayed.stdout)
    assert live["provenance"]["origin"] == "live"
    assert again["provenance"]["origin"] == "recorded"
    assert again["provenance"]["attempts"] == 3
    assert again["provenance"]["usage"]["total_tokens"] == 5150
    assert again["provenance"]["validation"]["rounds"] == live["provenance"]["validation"]["rounds"]
    # Everything else, to the last field, is the same briefing.
    live["provenance"].pop("origin")
    again["provenance"].pop("origin")
    assert again == live


def test_format_one_files_replay_and_migrate_keeps_their_answer(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    for path in FIXTURES.glob("*.json"):
        document = json.loads(path.read_text("utf-8"))
        document.pop("format")
        document["response"] = document.pop("responses")[0]
        (folder / path.name).write_text(json.dumps(document), "utf-8")
    before = run_cli("summarize", str(SEED), "--fixtures", str(folder))
    assert before.exit_code == 0, before.output
    rewritten = FixtureStore(folder).migrate()
    assert len(rewritten) == len(list(FIXTURES.glob("*.json")))
    assert FixtureStore(folder).migrate() == []  # nothing left to migrate
    after = run_cli("summarize", str(SEED), "--fixtures", str(folder))
    assert json.loads(after.stdout) == json.loads(before.stdout)
    shutil.rmtree(folder)
