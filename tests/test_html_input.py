"""Saved web pages as articles: main text and title through trafilatura, the publication date
from the page's metadata (never from its running text); navigation, scripts and comments
never reach the model; a URL is refused with the command that saves the page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, SEED, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

PAGES = ROOT / "tests" / "data" / "html"
PAGE = PAGES / "written-for-tests-dw-seed.html"
JSONLD_PAGE = PAGES / "written-for-tests-wikinews-jsonld.html"
DATELINE_PAGE = PAGES / "written-for-tests-dateline-only.html"
NO_DATE_PAGE = PAGES / "written-for-tests-no-date.html"
NOISE = (
    "TRACKING SCRIPT",
    "COOKIE BANNER",
    "NAVIGATION MENU",
    "SIDEBAR",
    "READER COMMENT",
    "FOOTER TEXT",
)


def _plan(*args: str, input: bytes | None = None) -> dict[str, Any]:
    done = run_cli("summarize", *args, "--dry-run", input=input)
    assert done.exit_code == 0, done.output
    plan: dict[str, Any] = json.loads(done.stdout)
    return plan


def _sent(plan: dict[str, Any]) -> str:
    return json.dumps(plan["request"]["messages"], ensure_ascii=False)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n")]


def test_the_pages_say_they_were_written_for_tests() -> None:
    pages = sorted(PAGES.glob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        assert page.name.startswith("written-for-tests-")
        assert "WRITTEN FOR TESTS" in page.read_text("utf-8")


def test_dry_run_shows_the_extracted_text_and_the_metadata_date() -> None:
    plan = _plan(str(PAGE))
    source = plan["source"]
    assert source["published"] == "2022-01-10" and source["published_basis"] == "metadata"
    assert source["extracted_from"] == "html"
    assert (
        source["title"] == "Stoltenberg: NATO Will Not Give up the Prospect of Ukraine’s Membership"
    )
    text = plan["article"]["extracted_text"]
    # The title, a blank line, then the article's five paragraphs, each as the page has it.
    paragraphs = _paragraphs(text)
    assert paragraphs[0] == source["title"] and len(paragraphs) == 6
    assert paragraphs[1].startswith("The head of NATO stressed Kiev’s right to defense")
    assert paragraphs[-1].endswith("from the admitting Ukraine into its membership. DW")
    assert source["characters"] == len(text) == plan["article"]["characters"]
    sent = _sent(plan)
    assert "On Monday, US and Russian representatives Wendy Sherman" in sent
    for noise in NOISE:
        assert noise not in text and noise not in sent, noise


def test_markdown_dry_run_says_extracted_from_html_and_shows_the_text_begin() -> None:
    shown = run_cli("summarize", str(PAGE), "--dry-run", "-f", "markdown").stdout
    assert "Extracted from HTML" in shown and "2022-01-10 (metadata)" in shown
    assert "> Stoltenberg: NATO Will Not Give up" in shown
    assert "> The head of NATO stressed Kiev’s right to defense" in shown
    for noise in NOISE:
        assert noise not in shown


def test_a_date_in_json_ld_is_the_pages_own_not_a_related_storys_or_an_update() -> None:
    plan = _plan(str(JSONLD_PAGE))
    source = plan["source"]
    # 2009-05-03 is its dateModified; 2009-04-03 a related story's; 2009-05-02 a comment's.
    assert (source["published"], source["published_basis"]) == ("2009-05-01", "metadata")
    assert source["title"] == "Chrysler files for bankruptcy, Fiat Group SpA to run company"
    seed = (ROOT / "seeds/wikinews/2009-05-01-chrysler-files-for-bankruptcy.txt").read_text()
    body = " ".join(_paragraphs(plan["article"]["extracted_text"])[1:])
    assert body == " ".join(seed.split("\n\n", 2)[2].split())  # the seed after its dateline
    for noise in NOISE:
        assert noise not in _sent(plan), noise


def test_a_date_in_the_running_text_is_not_metadata_the_dateline_is_read() -> None:
    source = _plan(str(DATELINE_PAGE))["source"]
    # The text mentions 2021-12-17; the page's metadata has no date; its dateline says 10 Jan.
    assert (source["published"], source["published_basis"]) == ("2022-01-10", "article")


def test_a_time_element_in_the_body_is_metadata(tmp_path: Path) -> None:
    page = tmp_path / "with-time.html"
    byline = (
        '<p class="byline">By A. Reporter, <time datetime="2022-01-09T18:30:00Z">Sunday</time></p>'
    )
    page.write_text(NO_DATE_PAGE.read_text("utf-8").replace("<article>", "<article>" + byline))
    source = _plan(str(page))["source"]
    assert (source["published"], source["published_basis"]) == ("2022-01-09", "metadata")


def test_given_date_beats_metadata_and_no_metadata_falls_back_to_inference() -> None:
    given = _plan(str(PAGE), "--published", "2022-01-11")["source"]
    assert (given["published"], given["published_basis"]) == ("2022-01-11", "given")
    plain = _plan(str(NO_DATE_PAGE))["source"]
    # No date in the markup and no dateline: "Monday, January 10" was a Monday in 2022.
    assert (plain["published"], plain["published_basis"]) == ("2022-01-10", "inferred")
    assert "Monday" in plain["published_note"]


def test_a_briefing_of_a_page_counts_offsets_in_the_extracted_text() -> None:
    with FakeOpenAI([Reply(body=chat_completion(arguments=seed_answer()))]) as server:
        done = live_cli(server, str(PAGE))
        sent = server.received[0].body.decode("utf-8")
    assert done.exit_code == 0, done.output
    for noise in NOISE:
        assert noise not in sent
    briefing = json.loads(done.stdout)
    source = briefing["source"]
    assert source["extracted_from"] == "html"
    assert (source["published"], source["published_basis"]) == ("2022-01-10", "metadata")
    assert "extracted from the HTML page" in source["offsets_in"]
    assert briefing["provenance"]["schema_version"] == "2.1"
    text = _plan(str(PAGE))["article"]["extracted_text"]
    assert source["characters"] == len(text)
    evidence = [e for p in briefing["parties"] for c in p["claims"] for e in c["evidence"]]
    assert evidence and all(e["verified"] for e in evidence)
    for e in evidence:
        assert " ".join(text[e["start"] : e["end"]].split()) == " ".join(e["quote"].split())
    # The seed's text starts with a breadcrumb line the page does not have: offsets moved.
    seed = SEED.read_text("utf-8")
    assert any(seed.find(e["quote"]) not in (-1, e["start"]) for e in evidence)


def test_html_on_stdin_is_read_as_a_page() -> None:
    done = run_cli("summarize", "-", "--dry-run", input=PAGE.read_bytes())
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["source"]["extracted_from"] == "html"


def test_a_page_is_known_by_its_start_after_a_bom_a_prolog_and_comments(tmp_path: Path) -> None:
    prolog = '\ufeff\n  <?xml version="1.0" encoding="utf-8"?>\n<!-- saved 2022-01-10 -->\n'
    page = JSONLD_PAGE.read_text("utf-8").replace("<!DOCTYPE html>", prolog + "<html", 1)
    page = page.replace('<html lang="en">', "", 1)  # the <html already opened above
    for plan in (
        _plan("-", input=page.encode("utf-8")),
        _plan(str(_write(tmp_path / "saved-page.txt", page))),
    ):
        assert plan["source"]["extracted_from"] == "html"
        assert plan["source"]["published"] == "2009-05-01"
        assert "<" not in plan["article"]["extracted_text"]


def test_a_text_file_is_not_taken_for_a_page() -> None:
    plan = _plan(str(SEED))
    assert plan["source"]["extracted_from"] is None
    assert plan["article"]["extracted_text"] is None


def test_a_saved_page_larger_than_any_article_is_still_read(tmp_path: Path) -> None:
    bulk = "<script>var inlined = '" + "x" * 1_500_000 + "';</script>"
    page = _write(
        tmp_path / "big.html", PAGE.read_text("utf-8").replace("</head>", bulk + "</head>")
    )
    assert page.stat().st_size > 1_000_000
    plan = _plan(str(page))
    assert plan["source"]["published_basis"] == "metadata"
    assert "xxxxxxxx" not in plan["article"]["extracted_text"]
    # The same bytes as plain text are far more than a news article.
    text = _write(tmp_path / "big.txt", "word " * 300_000)
    done = run_cli("summarize", str(text), "--dry-run")
    assert done.exit_code == 2 and "far more than a news article" in done.stderr


def test_a_page_without_an_article_is_a_clear_error() -> None:
    empty = run_cli("summarize", str(PAGES / "written-for-tests-empty-page.html"), "--dry-run")
    assert empty.exit_code == 2
    assert "no article text found in this HTML page" in empty.stderr
    assert len(empty.stderr.strip().splitlines()) == 1


def test_a_url_is_refused_with_the_command_that_saves_the_page() -> None:
    for url in ("https://www.dw.com/en/some-article/a-123", "www.dw.com/en/some-article"):
        done = run_cli("summarize", url)
        assert done.exit_code == 2
        assert "reads files, not URLs" in done.stderr
        assert f"curl -L -o page.html {url}" in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    local = run_cli("summarize", "file:///tmp/saved%20page.html")
    assert local.exit_code == 2 and "'/tmp/saved page.html'" in local.stderr


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import htmldate.utils
    import trafilatura.downloads

    def no_fetch(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"fetched {args}")

    monkeypatch.setattr(htmldate.utils, "fetch_url", no_fetch)
    monkeypatch.setattr(trafilatura.downloads, "fetch_url", no_fetch)
    link = _write(tmp_path / "link.html", "https://news.example.org/story")
    done = run_cli("summarize", str(link), "--dry-run")
    assert done.exit_code == 2 and "no article text found" in done.stderr
    assert _plan(str(PAGE))["source"]["published"] == "2022-01-10"


def test_reading_a_text_article_does_not_import_the_html_libraries() -> None:
    code = (
        "import sys\n"
        "from summarizer.articles import read_article\n"
        f"read_article({str(SEED)!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('trafilatura', 'htmldate', 'lxml', 'justext')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path
