"""HTML output without a browser: self-contained, accessible, escaped, every quote sourced
(tests/test_browser.py loads the same pages in Chromium)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from summarizer.notes.merge import build_note
from summarizer.render.html import briefings_html, note_html
from summarizer.schemas import Briefing

from .conftest import ROOT, SEED, WIKINEWS, run_cli

WEEK = [SEED, *sorted((ROOT / "tests" / "data" / "notes").glob("written-for-tests-*.txt"))]
WEEK_FIXTURES = ROOT / "tests" / "fixtures" / "notes-week"


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text, as a browser would parse it."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, attribute: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if attribute in a]


def _seed() -> tuple[str, dict[str, Any]]:
    data = run_cli("summarize", str(SEED))
    page = run_cli("summarize", str(SEED), "-f", "html")
    assert data.exit_code == 0 and page.exit_code == 0
    return page.stdout, json.loads(data.stdout)


def _week_note(*args: str) -> tuple[str, dict[str, Any]]:
    common = [*map(str, WEEK), "--fixtures", str(WEEK_FIXTURES), *args]
    data, page = run_cli("note", *common), run_cli("note", *common, "-f", "html")
    assert data.exit_code == 0 and page.exit_code == 0, page.output
    return page.stdout, json.loads(data.stdout)


def _quotes(page: str) -> set[tuple[str | None, str | None, str | None]]:
    return {
        (q["data-source"], q["data-start"], q["data-end"]) for q in _Tags(page).having("data-start")
    }


def test_the_page_is_self_contained_and_accessible() -> None:
    page, _ = _seed()
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert '<meta charset="utf-8">' in page and 'name="viewport"' in page
    (csp,) = [a for t, a in _Tags(page).tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in (csp["content"] or "")
    for tag, attrs in _Tags(page).tags:
        assert tag not in ("script", "link", "iframe", "object", "embed", "img"), tag
        for name in ("src", "href", "action"):
            assert not re.match(r"\s*(?:[a-z]+:|//)", attrs.get(name) or "", re.I), (tag, attrs)
    assert "url(" not in page and "@import" not in page and "@font-face" not in page
    assert '<th scope="col">' in page and '<th scope="row">' in page and "<caption>" in page
    assert "@media print" in page
    assert "written by hand" in page and "not the output of a model" in page  # authored notice


def test_every_quote_and_meeting_carries_its_source_and_offsets() -> None:
    page, briefing = _seed()
    source = briefing["source"]["path"]
    summary = briefing["summary"]
    items = [
        *summary["lede_sentences"],
        *summary["key_points"],
        *(c for p in briefing["parties"] for c in p["claims"]),
        *briefing["meetings"],
    ]
    expected = {(source, str(e["start"]), str(e["end"])) for i in items for e in i["evidence"]}
    assert expected and _quotes(page) == expected
    for start, end in {(a, b) for _, a, b in expected}:
        assert f"chars {start}–{end}" in page
    meetings = [a["data-meeting"] for a in _Tags(page).having("data-meeting")]
    assert meetings == [m["id"] for m in briefing["meetings"]]
    for meeting in briefing["meetings"]:
        assert meeting["date"]["derivation"] in page


def test_text_from_the_model_is_escaped() -> None:
    _, briefing = _seed()
    briefing["summary"]["headline"] = "<script>alert(1)</script>"
    briefing["parties"][0]["name"] = "</h3><style>body{display:none}</style>"
    briefing["parties"][0]["claims"][0]["evidence"][0]["quote"] = '"><img src=x onerror=alert(1)>'
    briefing["meetings"][0]["name"] = "<a href='https://example.org'>x</a>"
    page = briefings_html([Briefing.model_validate(briefing)])
    tags = [t for t, _ in _Tags(page).tags]
    assert "script" not in tags and "img" not in tags and tags.count("style") == 1
    assert not any("onerror" in a for _, a in _Tags(page).tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;script&gt;" in page


def test_an_unfound_quote_and_a_dropped_item_are_shown() -> None:
    _, briefing = _seed()
    claim = briefing["parties"][0]["claims"][0]
    claim["evidence"] = [{"quote": "words not in the text", "verified": False}]
    briefing["provenance"]["validation"]["issues"] = [
        {"item": "meetings[9]", "problem": "quote not found"}
    ]
    page = briefings_html([Briefing.model_validate(briefing)])
    assert "words not in the text" in page and "not found in the article" in page
    assert "meetings[9]: quote not found" in page


def test_several_briefings_make_one_page_with_an_article_each() -> None:
    done = run_cli("summarize", str(SEED), str(WIKINEWS[0]), "-f", "html")
    assert done.exit_code == 0
    tags = _Tags(done.stdout).tags
    assert [t for t, _ in tags].count("html") == 1
    assert [t for t, _ in tags].count("article") == 2
    ids = [a["id"] for _, a in tags if "id" in a]
    assert len(ids) == len(set(ids))  # footnote anchors of one article do not clash with another


def test_a_note_page_shows_every_report_position_and_flag() -> None:
    page, note = _week_note()
    expected = {
        (r["source"], str(e["start"]), str(e["end"]))
        for m in note["timeline"]
        for r in m["reports"]
        for e in r["evidence"]
    } | {
        (p["source"], str(e["start"]), str(e["end"]))
        for party in note["parties"]
        for p in party["positions"]
        for e in p["evidence"]
    }
    assert expected and _quotes(page) == expected
    tags = _Tags(page)
    assert [a["data-meeting"] for a in tags.having("data-meeting")] == [
        m["uid"] for m in note["timeline"]
    ]
    fields = [a["data-disagreement"] for a in tags.having("data-disagreement")]
    assert fields == [d["field"] for m in note["timeline"] for d in m["disagreements"]]
    assert "date" in fields
    for meeting in note["timeline"]:
        for flag in meeting["flags"]:
            assert f"⚠ {flag}" in "".join(tags.text)
    osce = next(m for m in note["timeline"] if "OSCE" in m["name"])
    steps = [(h["status"], h["source"], h["published"]) for h in osce["status_history"]]
    assert len(steps) == 2
    assert "Status history: " + " → ".join(f"{s} ({src}, {d})" for s, src, d in steps) in page
    assert {s["id"] for s in note["sources"]} <= {a["id"] for a in tags.having("id")}
    assert "Authored fixtures" in page and "not the output of a model" in page


def test_a_note_title_is_escaped_and_an_empty_note_says_so() -> None:
    page, _ = _week_note("--title", "<script>alert(1)</script>")
    assert "<script>" not in page and "<title>&lt;script&gt;alert(1)" in page
    _, briefing = _seed()
    briefing["meetings"] = []
    briefing["parties"] = briefing["parties"][:1]
    briefing["parties"][0]["claims"] = []
    note = build_note([Briefing.model_validate(briefing)])
    empty = note_html(note)
    assert "No source reports a meeting." in empty
    assert "No source states a position of its own" in empty
    assert "data-meeting" not in empty and "data-start" not in empty
