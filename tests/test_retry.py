"""Transport faults are retried once, in one layer, against a scripted server on 127.0.0.1."""

from __future__ import annotations

from summarizer.articles import read_article
from summarizer.config import resolve_settings
from summarizer.errors import ModelError
from summarizer.model.client import BriefingClient
from summarizer.pipeline import Drafted, make_describer, prepare, request_draft
from summarizer.prompts import load_prompts

from .conftest import SEED, live_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion


def _client(base_url: str, sleeps: list[float], max_retries: int = 3) -> BriefingClient:
    settings = resolve_settings(base_url=base_url, fixture_mode="live", max_retries=max_retries)
    prompts = load_prompts()
    return BriefingClient(
        settings,
        describe=make_describer(prompts, settings.mode),
        extra_meta={},
        sleep=sleeps.append,
    )


def _ask(client: BriefingClient) -> Drafted:
    return request_draft(client, prepare(read_article(str(SEED)), load_prompts()))


def test_429_honours_retry_after_then_recovers() -> None:
    ok = Reply(body=chat_completion(arguments=seed_answer(), usage=(10, 5)))
    limited = Reply(
        status=429, body={"error": {"message": "slow down"}}, headers={"Retry-After": "7"}
    )
    sleeps: list[float] = []
    with FakeOpenAI([limited, ok]) as server, _client(server.base_url, sleeps) as client:
        answer = _ask(client)
        assert len(server.received) == 2
    assert sleeps == [7.0]
    assert answer.attempts == 1  # one model answer; the 429 was a transport fault
    assert answer.trace.usages == [
        {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    ]


def test_5xx_backs_off_and_the_sdk_does_not_retry_on_its_own() -> None:
    ok = Reply(body=chat_completion(arguments=seed_answer()))
    sleeps: list[float] = []
    faults = [Reply(status=s, body={"error": {"message": "x"}}) for s in (500, 502, 503)]
    with FakeOpenAI([*faults, ok]) as server, _client(server.base_url, sleeps) as client:
        _ask(client)
        assert len(server.received) == 4
    assert len(sleeps) == 3
    assert all(0 < s <= 30 for s in sleeps)


def test_exhausted_retries_fail_with_one_line_and_exit_1(tmp_path) -> None:
    down = Reply(
        status=503, body={"error": {"message": "overloaded"}}, headers={"Retry-After": "0"}
    )
    out = tmp_path / "b.json"
    with FakeOpenAI([down]) as server:
        result = live_cli(
            server,
            str(SEED),
            "--max-retries",
            "2",
            "-o",
            str(out),
        )
        assert len(server.received) == 3
    assert result.exit_code == 1
    assert "HTTP 503" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_unreachable_endpoint_is_a_clear_error() -> None:
    sleeps: list[float] = []
    with _client("http://127.0.0.1:9/v1", sleeps, max_retries=1) as client:
        try:
            _ask(client)
        except ModelError as error:
            assert "connection to the model endpoint" in str(error)
        else:
            raise AssertionError("expected ModelError")
    assert len(sleeps) == 1
