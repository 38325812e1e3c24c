"""Record, replay, missing and live modes, through the real openai SDK over HTTP to a server
the test starts on 127.0.0.1. Nothing patches the SDK."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, SEED, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

SECRET = "sk-test-DO-NOT-LEAK-1234567890"


def _answer_reply() -> Reply:
    return Reply(body=chat_completion(arguments=seed_answer(), usage=(1200, 800)))


def _without_origin(briefing: dict) -> dict:
    provenance = dict(briefing["provenance"])
    provenance.pop("origin")
    provenance.pop("fixtures")
    return {**briefing, "provenance": provenance}


def test_record_then_replay_identically_and_no_secret_reaches_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "fx"
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with FakeOpenAI([_answer_reply()]) as server:
        recorded = run_cli(
            "summarize",
            str(SEED),
            "--base-url",
            server.base_url,
            "--model",
            "test-model",
            "--fixture-mode",
            "record",
            "--fixtures",
            str(store),
        )
        assert recorded.exit_code == 0, recorded.output
        assert len(server.received) == 1
        assert server.received[0].headers["authorization"] == f"Bearer {SECRET}"
    files = list(store.glob("*.json"))
    assert len(files) == 1
    raw = files[0].read_text(encoding="utf-8")
    for forbidden in (SECRET, "Bearer", "authorization", "Authorization", "127.0.0.1"):
        assert forbidden not in raw
    stored = json.loads(raw)
    assert stored["meta"]["origin"] == "recorded"
    assert stored["meta"]["model"] == "test-model"
    assert stored["request"]["path"] == "chat/completions"
    assert stored["request"]["body"] == server.received[0].json

    live_briefing = json.loads(recorded.stdout)
    assert live_briefing["provenance"]["origin"] == "live"
    assert live_briefing["provenance"]["answered_by"] == ["test-model"]
    assert live_briefing["provenance"]["usage"]["total_tokens"] == 2000

    # Replay: no key, no base URL, no server. Same briefing, now marked as recorded.
    monkeypatch.delenv("OPENAI_API_KEY")
    replayed = run_cli("summarize", str(SEED), "--model", "test-model", "--fixtures", str(store))
    assert replayed.exit_code == 0, replayed.output
    replay_briefing = json.loads(replayed.stdout)
    assert replay_briefing["provenance"]["origin"] == "recorded"
    assert _without_origin(replay_briefing) == _without_origin(live_briefing)


def test_missing_mode_records_once_then_replays(tmp_path: Path) -> None:
    store = tmp_path / "fx"
    with FakeOpenAI([_answer_reply()]) as server:
        args = ("summarize", str(SEED), "--base-url", server.base_url, "--fixtures", str(store))
        first = run_cli(*args)  # base URL + --fixtures: the default mode is missing
        second = run_cli(*args)
        assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
        assert len(server.received) == 1
    assert json.loads(first.stdout)["provenance"]["origin"] == "live"
    assert json.loads(second.stdout)["provenance"]["origin"] == "recorded"


def test_live_mode_calls_every_time_and_stores_nothing(tmp_path: Path) -> None:
    store = tmp_path / "fx"
    with FakeOpenAI([_answer_reply()]) as server:
        for _ in range(2):
            result = live_cli(
                server,
                str(SEED),
                "--fixtures",
                str(store),
            )
            assert result.exit_code == 0, result.output
        assert len(server.received) == 2
    assert not store.exists() or not list(store.glob("*.json"))


def test_live_call_with_no_endpoint_is_a_usage_error() -> None:
    result = run_cli("summarize", str(SEED), "--fixture-mode", "live")
    assert result.exit_code == 2
    assert "needs a model endpoint" in result.stderr
    assert "OPENAI_API_KEY" in result.stderr
    assert "Traceback" not in result.output


def test_replay_miss_names_the_closest_fixture_and_the_changed_article(tmp_path: Path) -> None:
    edited = tmp_path / "edited.txt"
    edited.write_text(SEED.read_text(encoding="utf-8") + " One more sentence.", encoding="utf-8")
    result = run_cli("summarize", str(edited))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "no stored answer" in line
    authored = next(p for p in FIXTURES.glob("*.json") if "7309d1c8" in p.read_text("utf-8"))
    assert authored.name in line
    assert "article text" in line
    assert "model" not in line.split("differs in:")[1]
    assert "--fixture-mode record" in line


def test_replay_miss_names_a_changed_model_and_template(tmp_path: Path) -> None:
    result = run_cli("summarize", str(SEED), "--model", "another-model")
    assert result.exit_code == 2
    differs = result.stderr.split("differs in:")[1]
    assert "model (gpt-4o-mini stored, another-model now)" in differs
    assert "article" not in differs

    prompts = tmp_path / "prompts"
    shutil.copytree(FIXTURES.parent / "prompts", prompts)
    with (prompts / "briefing.system.j2").open("a", encoding="utf-8") as handle:
        handle.write("- Be brief.\n")
    from summarizer.config import resolve_settings
    from summarizer.errors import FixtureMiss
    from summarizer.pipeline import Summarizer
    from summarizer.prompts import load_prompts

    with (
        Summarizer(resolve_settings(), prompts=load_prompts(prompts)) as summarizer,
        pytest.raises(FixtureMiss) as caught,
    ):
        summarizer.summarize_path(str(SEED))
    assert caught.value.differences == ["template"]


def test_replay_miss_in_an_empty_folder_says_so(tmp_path: Path) -> None:
    result = run_cli("summarize", str(SEED), "--fixtures", str(tmp_path))
    assert result.exit_code == 2
    assert "holds no fixtures" in result.stderr


def test_replay_miss_names_a_changed_mode() -> None:
    result = run_cli("summarize", str(SEED), "--mode", "json_schema")
    assert result.exit_code == 2
    differs = result.stderr.split("differs in:")[1]
    assert "instructor mode (tools stored, json_schema now)" in differs
    assert "article" not in differs and "model (" not in differs
