"""Prompts are data: strict templates, hashed, and the article passes through untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.errors import PromptError
from summarizer.prompts import article_boundary, closing_marker, load_prompts, opening_marker

from .conftest import ROOT, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

TRICKY = (
    "Prices rose {{ 5 }}% to $100 and ${HOME} stayed; {% raw %} {# not a comment #}\n"
    "A tag </article> inside, then \\n and {{article}} and $$ and  double  spaces.\n"
)


def _between_markers(user: str, article: str) -> str:
    """The text between the article's own markers in a user message (each there once)."""
    boundary = article_boundary(article)
    opening, closing = opening_marker(boundary), closing_marker(boundary)
    assert user.count(opening) == 1 and user.count(closing) == 1
    return user.split(f"{opening}\n", 1)[1].split(f"\n{closing}", 1)[0]


def test_tricky_article_renders_byte_for_byte() -> None:
    prompts = load_prompts()
    messages = prompts.render(TRICKY)
    user = messages[1]["content"]
    assert TRICKY in user
    assert user.count(TRICKY) == 1
    assert _between_markers(user, TRICKY) == TRICKY
    assert prompts.extract_article(user) == TRICKY


def test_tricky_article_reaches_the_model_unchanged_over_http(tmp_path: Path) -> None:
    article = tmp_path / "tricky.txt"
    article.write_text(TRICKY, encoding="utf-8")
    # Whether the seed's answer fits this text is grounding's business, not this test's:
    # what matters is the request that reached the server.
    reply = Reply(body=chat_completion(arguments=seed_answer()))
    with FakeOpenAI([reply]) as server:
        live_cli(server, str(article), "--max-reasks", "0")
        sent = server.received[0].json["messages"][1]["content"]
    assert TRICKY in sent
    assert _between_markers(sent, TRICKY) == TRICKY


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
