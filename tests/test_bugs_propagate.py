"""Only the model's, the endpoint's and the network's faults become one-line errors; a bug of
ours propagates with its traceback, even from inside the checks instructor runs."""

from __future__ import annotations

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
