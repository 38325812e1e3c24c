"""Only the model's, the endpoint's and the network's faults become one-line errors; a bug of
ours propagates with its traceback, even from inside the checks instructor runs."""

from __future__ import annotations

import json
import traceback

import pytest

import summarizer.grounding.check as check
import summarizer.model.fixtures as fixtures
from summarizer.articles import read_article
from summarizer.config import resolve_settings
from summarizer.errors import BriefingValidationError
from summarizer.pipeline import Summarizer

from .conftest import SEED, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion


def _broken_check(*args: object, **kwargs: object) -> list[check.GroundingFailure]:
    raise KeyError("no such party")


def test_a_key_error_inside_the_grounding_check_propagates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(check, "check_draft", _broken_check)
    reply = Reply(body=chat_completion(arguments=seed_answer()))
    with FakeOpenAI([reply]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        with Summarizer(settings) as summarizer, pytest.raises(KeyError) as caught:
            summarizer.summarize(read_article(str(SEED)))
        assert len(server.received) == 1  # a bug is not re-asked either
    frames = traceback.extract_tb(caught.value.__traceback__)
    assert frames[-1].name == "_broken_check"


def test_the_cli_lets_the_bug_through_instead_of_blaming_the_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(check, "check_draft", _broken_check)
    with pytest.raises(KeyError):
        run_cli("summarize", str(SEED))  # replayed from the project's fixtures


def test_a_bug_in_the_fixture_transport_is_not_called_a_connection_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_load(self: fixtures.FixtureStore, key: str) -> None:
        raise KeyError(key)

    monkeypatch.setattr(fixtures.FixtureStore, "load", broken_load)
    with pytest.raises(KeyError):
        run_cli("summarize", str(SEED))


def test_a_real_validation_failure_is_still_the_models() -> None:
    reply = Reply(body=chat_completion(arguments="{not json", usage=(10, 5)))
    with FakeOpenAI([reply]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live", max_reasks=1)
        with Summarizer(settings) as summarizer, pytest.raises(BriefingValidationError):
            summarizer.summarize(read_article(str(SEED)))
        assert len(server.received) == 2


def test_a_value_error_inside_the_check_is_not_taken_for_the_answers_fault(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pydantic turns a ValueError in a validator into a validation error, which instructor
    # would send back to the model as something to fix.
    def broken(*args: object, **kwargs: object) -> list[check.GroundingFailure]:
        raise ValueError("bad index")

    monkeypatch.setattr(check, "check_draft", broken)
    reply = Reply(body=chat_completion(arguments=seed_answer()))
    with FakeOpenAI([reply]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        with (
            Summarizer(settings) as summarizer,
            pytest.raises(check.GroundingCheckCrashed) as caught,
        ):
            summarizer.summarize(read_article(str(SEED)))
        assert len(server.received) == 1  # not re-asked
    assert isinstance(caught.value.__cause__, ValueError)


def test_a_key_that_is_not_ascii_is_a_one_line_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # httpx refuses the header below summarizer's transports: the setting's fault, not ours.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-abc\u00a0")
    with FakeOpenAI([Reply(body=chat_completion(arguments=seed_answer()))]) as server:
        result = run_cli(
            "summarize", str(SEED), "--base-url", server.base_url, "--fixture-mode", "live"
        )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith("summarizer: error: ")
    assert "sk-abc" not in result.stderr


def test_usage_the_endpoint_garbles_is_not_counted_and_does_not_crash() -> None:
    answer = chat_completion(arguments=seed_answer())
    answer["usage"] = {"prompt_tokens": "n/a", "completion_tokens": 5, "total_tokens": 5}
    with FakeOpenAI([Reply(body=answer)]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        with Summarizer(settings) as summarizer:
            briefing = summarizer.summarize(read_article(str(SEED)))
    assert briefing.provenance.usage.total_tokens == 0
    assert len(briefing.meetings) > 0


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
def test_the_grounded_draft_asks_exactly_what_the_plain_draft_asks(mode: str) -> None:
    # Fixture keys hash the request: attaching the grounding check must not change it.
    from summarizer.errors import ModelError
    from summarizer.model.client import BriefingClient
    from summarizer.pipeline import make_describer
    from summarizer.prompts import load_prompts
    from summarizer.schemas import BriefingDraft

    prompts = load_prompts()
    messages = prompts.render(SEED.read_text(encoding="utf-8"))
    with FakeOpenAI([Reply(body=chat_completion(content="no answer"))]) as server:
        settings = resolve_settings(
            base_url=server.base_url, fixture_mode="live", mode=mode, max_reasks=0
        )
        options = {"describe": make_describer(prompts, mode), "extra_meta": {}}
        with BriefingClient(settings, **options) as client:
            for response_model in (BriefingDraft, check.GroundedDraft):
                with pytest.raises(ModelError):
                    client.ask(messages, response_model)
        plain, grounded = (received.json for received in server.received)
    assert grounded == plain
    assert "GroundedDraft" not in json.dumps(grounded)
