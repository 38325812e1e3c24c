"""Prompts are data: strict templates, hashed, and the article passes through untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.errors import PromptError
from summarizer.prompts import load_prompts

from .conftest import ROOT, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

TRICKY = (
    "Prices rose {{ 5 }}% to $100 and ${HOME} stayed; {% raw %} {# not a comment #}\n"
    "A tag </article> inside, then \\n and {{article}} and $$ and  double  spaces.\n"
)


def test_tricky_article_renders_byte_for_byte() -> None:
    messages = load_prompts().render(TRICKY)
    user = messages[1]["content"]
    assert TRICKY in user
    assert user.count(TRICKY) == 1


def test_tricky_article_reaches_the_model_unchanged_over_http(tmp_path: Path) -> None:
    article = tmp_path / "tricky.txt"
    article.write_text(TRICKY, encoding="utf-8")
    reply = Reply(body=chat_completion(arguments=seed_answer()))
    with FakeOpenAI([reply]) as server:
        result = live_cli(server, str(article))
        assert result.exit_code == 0, result.output
        sent = server.received[0].json["messages"][1]["content"]
    assert TRICKY in sent


def test_missing_variable_is_an_error_not_an_empty_string(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "briefing.system.j2").write_text("Hello {{ undefined_name }}", encoding="utf-8")
    (folder / "briefing.user.j2").write_text("{{ article }}", encoding="utf-8")
    with pytest.raises(PromptError):
        load_prompts(folder).render("text")


def test_template_hash_follows_the_bytes_and_lands_in_briefing_and_fixture(tmp_path: Path) -> None:
    prompts = load_prompts()
    folder = tmp_path / "prompts"
    folder.mkdir()
    for name in ("briefing.system.j2", "briefing.user.j2"):
        (folder / name).write_bytes((ROOT / "prompts" / name).read_bytes())
    assert load_prompts(folder).hash == prompts.hash
    (folder / "briefing.user.j2").write_text("changed {{ article }}", encoding="utf-8")
    assert load_prompts(folder).hash != prompts.hash

    result = run_cli("summarize", str(ROOT / "seeds" / "000_7309d1c88b1de532.txt"))
    assert json.loads(result.stdout)["provenance"]["template_hash"] == prompts.hash
    stored = [json.loads(p.read_text("utf-8")) for p in (ROOT / "fixtures").glob("*.json")]
    assert stored and all(f["meta"]["template_hash"] == prompts.hash for f in stored)
