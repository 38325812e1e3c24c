"""Saved web pages as articles: main text and title through trafilatura, the publication date
from the page's metadata; navigation, scripts and comments never reach the model."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import ROOT, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

PAGES = ROOT / "tests" / "data" / "html"
PAGE = PAGES / "written-for-tests-dw-seed.html"
NOISE = (
    "TRACKING SCRIPT",
    "COOKIE BANNER",
    "NAVIGATION MENU",
    "SIDEBAR",
    "READER COMMENT",
    "FOOTER TEXT",
)


def _plan(*args: str) -> dict:
    done = run_cli("summarize", *args, "--dry-run")
    assert done.exit_code == 0, done.output
    plan: dict = json.loads(done.stdout)
    return plan


def test_the_pages_say_they_were_written_for_tests() -> None:
    for page in PAGES.glob("*.html"):
        assert page.name.startswith("written-for-tests-")
        assert "WRITTEN FOR TESTS" in page.read_text("utf-8")


def test_dry_run_shows_the_extracted_text_and_the_metadata_date() -> None:
    plan = _plan(str(PAGE))
    source = plan["source"]
    assert source["published"] == "2022-01-10" and source["published_basis"] == "metadata"
    assert source["extracted_from"] == "html"
    assert source["title"].startswith("Stoltenberg: NATO Will Not Give up")
    text = plan["article"]["extracted_text"]
    assert "On Monday, US and Russian representatives Wendy Sherman" in text
    sent = json.dumps(plan["request"]["messages"], ensure_ascii=False)
    assert "legally binding security guarantees" in sent
    for noise in NOISE:
        assert noise not in sent, noise
    shown = run_cli("summarize", str(PAGE), "--dry-run", "-f", "markdown").stdout
    assert "Extracted from HTML" in shown and "2022-01-10 (metadata)" in shown


def test_given_date_beats_metadata_and_no_metadata_falls_back() -> None:
    assert _plan(str(PAGE), "--published", "2022-01-11")["source"]["published_basis"] == "given"
    plain = _plan(str(PAGES / "written-for-tests-no-date.html"))["source"]
    assert plain["published_basis"] in ("inferred", "article", "unknown")
    assert plain["published_basis"] != "metadata"


def test_a_briefing_of_a_page_counts_offsets_in_the_extracted_text(tmp_path: Path) -> None:
    with FakeOpenAI([Reply(body=chat_completion(arguments=seed_answer()))]) as server:
        done = live_cli(server, str(PAGE))
        sent = server.received[0].body.decode("utf-8")
    assert done.exit_code == 0, done.output
    for noise in NOISE:
        assert noise not in sent
    briefing = json.loads(done.stdout)
    assert briefing["source"]["extracted_from"] == "html"
    assert "extracted from the HTML page" in briefing["source"]["offsets_in"]
    text = _plan(str(PAGE))["article"]["extracted_text"]
    evidence = [e for p in briefing["parties"] for c in p["claims"] for e in c["evidence"]]
    assert evidence and all(e["verified"] for e in evidence)
    for e in evidence:
        assert " ".join(text[e["start"] : e["end"]].split()) == " ".join(e["quote"].split())


def test_html_on_stdin_is_read_as_a_page() -> None:
    done = run_cli("summarize", "-", "--dry-run", input=PAGE.read_bytes())
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["source"]["extracted_from"] == "html"


def test_a_page_without_an_article_and_a_url_are_clear_errors() -> None:
    empty = run_cli("summarize", str(PAGES / "written-for-tests-empty-page.html"), "--dry-run")
    assert empty.exit_code == 2 and "no article text found" in empty.stderr
    url = run_cli("summarize", "https://www.dw.com/en/some-article/a-123")
    assert url.exit_code == 2
    assert "reads files, not URLs" in url.stderr and "curl -L -o page.html" in url.stderr
    assert "Traceback" not in url.stderr
