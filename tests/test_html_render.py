"""HTML output without a browser: self-contained, accessible, escaped, every quote sourced."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from summarizer.render.html import briefings_html
from summarizer.schemas import Briefing

from .conftest import SEED, WIKINEWS, run_cli


def _seed(tmp_path: Path) -> tuple[str, dict[str, Any]]:
    out = tmp_path / "seed.json"
    assert run_cli("summarize", str(SEED), "-o", str(out)).exit_code == 0
    page = run_cli("summarize", str(SEED), "-f", "html")
    assert page.exit_code == 0
    return page.stdout, json.loads(out.read_text("utf-8"))


def test_the_page_is_self_contained_and_accessible(tmp_path: Path) -> None:
    page, _ = _seed(tmp_path)
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<script" not in page
    assert '<th scope="col">' in page and "<caption>" in page
    assert "@media print" in page
    assert "written by hand" in page  # the authored notice


def test_every_quote_carries_its_source_and_offsets(tmp_path: Path) -> None:
    page, briefing = _seed(tmp_path)
    for claim in (c for p in briefing["parties"] for c in p["claims"]):
        for e in claim["evidence"]:
            assert f'data-start="{e["start"]}" data-end="{e["end"]}"' in page
            assert f"chars {e['start']}–{e['end']}" in page
    assert page.count("data-meeting=") == len(briefing["meetings"])


def test_text_from_the_model_is_escaped(tmp_path: Path) -> None:
    _, briefing = _seed(tmp_path)
    briefing["summary"]["headline"] = "<script>alert(1)</script>"
    briefing["parties"][0]["claims"][0]["evidence"][0]["quote"] = '"><img src=x onerror=alert(1)>'
    page = briefings_html([Briefing.model_validate(briefing)])
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_note_page_shows_every_report_quote(tmp_path: Path) -> None:
    data = tmp_path / "note.json"
    assert run_cli("note", str(SEED), str(WIKINEWS[0]), "-o", str(data)).exit_code == 0
    page = run_cli("note", str(SEED), str(WIKINEWS[0]), "-f", "html").stdout
    note = json.loads(data.read_text("utf-8"))
    for meeting in note["timeline"]:
        for report in meeting["reports"]:
            for e in report["evidence"]:
                assert (
                    f'data-source="{report["source"]}" data-start="{e["start"]}" '
                    f'data-end="{e["end"]}"'
                ) in page
    assert page.count("data-meeting=") == len(note["timeline"])
