"""The HTML briefing and note in a real browser: Debian's headless Chromium, network blocked.
They render without console errors, nothing overflows an 800-pixel-wide window (on screen or
in print), and every meeting and quote (with its source and offsets) is on the page. The checks
are shown to catch a page that loads something from elsewhere or is too wide."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.render.html import briefings_html
from summarizer.schemas import Briefing

from . import browser
from .conftest import ROOT, SEED, run_cli

pytestmark = pytest.mark.skipif(
    not browser.available() and not os.environ.get("CI"),
    reason="Debian's chromium and chromium-driver (and selenium) are not installed "
    "(.ci/run installs them)",
)

WEEK = [SEED, *sorted((ROOT / "tests" / "data" / "notes").glob("written-for-tests-*.txt"))]
WEEK_FIXTURES = ROOT / "tests" / "fixtures" / "notes-week"

Quote = tuple[str, int, int]


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    assert browser.available(), "CI must have /usr/bin/chromium, /usr/bin/chromedriver, selenium"
    started = browser.start()
    yield started
    started.quit()


def _render(tmp_path: Path, command: str, *args: str) -> tuple[Path, Any]:
    page, data = tmp_path / f"{command}.html", tmp_path / f"{command}.json"
    assert run_cli(command, *args, "-f", "html", "-o", str(page)).exit_code == 0
    assert run_cli(command, *args, "-f", "json", "-o", str(data)).exit_code == 0
    return page, json.loads(data.read_text("utf-8"))


def _load(driver: Any, page: Path) -> list[Any]:
    """Open the page; the console's SEVERE entries it caused."""
    driver.get_log("browser")  # drop what came before
    driver.get(page.resolve().as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _width(driver: Any, media: str = "screen") -> int:
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    try:
        width: int = driver.execute_script("return document.documentElement.scrollWidth")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    return width


def _quotes(driver: Any) -> set[Quote]:
    found = driver.execute_script(
        "return [...document.querySelectorAll('blockquote.quote')].map("
        "q => [q.dataset.source, q.dataset.start, q.dataset.end])"
    )
    return {(s, int(a), int(b)) for s, a, b in found if a}


def _meetings(driver: Any) -> list[str]:
    found: list[str] = driver.execute_script(
        "return [...document.querySelectorAll('[data-meeting]')].map(m => m.dataset.meeting)"
    )
    return found


def _verified(source: str, items: Any) -> set[Quote]:
    return {(source, e["start"], e["end"]) for i in items for e in i["evidence"] if e["verified"]}


def test_the_seed_briefing_renders_whole_in_chromium(driver: Any, tmp_path: Path) -> None:
    page, briefing = _render(tmp_path, "summarize", str(SEED))
    assert _load(driver, page) == []
    assert _width(driver) <= 800 and _width(driver, "print") <= 800
    source = briefing["source"]["path"]
    summary = briefing["summary"]
    claims = [c for p in briefing["parties"] for c in p["claims"]]
    expected = _verified(
        source, [*summary["lede_sentences"], *summary["key_points"], *claims, *briefing["meetings"]]
    )
    assert expected and _quotes(driver) == expected
    assert _meetings(driver) == [m["id"] for m in briefing["meetings"]]
    assert driver.title == summary["headline"]


def test_a_note_with_disagreements_renders_whole_in_chromium(driver: Any, tmp_path: Path) -> None:
    page, note = _render(tmp_path, "note", *map(str, WEEK), "--fixtures", str(WEEK_FIXTURES))
    assert _load(driver, page) == []
    assert _width(driver) <= 800 and _width(driver, "print") <= 800
    expected: set[Quote] = set()
    for meeting in note["timeline"]:
        for report in meeting["reports"]:
            expected |= _verified(report["source"], [report])
    for party in note["parties"]:
        for position in party["positions"]:
            expected |= _verified(position["source"], [position])
    assert expected and _quotes(driver) == expected
    assert _meetings(driver) == [m["uid"] for m in note["timeline"]]
    assert any(m["disagreements"] for m in note["timeline"])  # the case worth looking at
    flagged = driver.execute_script(
        "return document.querySelectorAll('[data-disagreement=\"date\"]').length"
    )
    assert flagged == sum(
        d["field"] == "date" for m in note["timeline"] for d in m["disagreements"]
    )
    assert driver.title == note["title"]


def test_long_unbroken_text_wraps_inside_the_page(driver: Any, tmp_path: Path) -> None:
    """Paths, URLs and names with no place to break stay inside 800 pixels, several
    briefings on one page."""
    data = json.loads(run_cli("summarize", str(SEED)).stdout)
    long = "https://example.org/" + "a-very-long-slug-" * 30
    data["summary"]["headline"] = long
    data["source"]["path"] = "/data/" + "x" * 300 + ".txt"
    data["source"]["title"] = long
    data["parties"][0]["name"] = "P" * 200
    data["parties"][0]["claims"][0]["evidence"][0]["quote"] = f"See {long} for more."
    meeting = data["meetings"][0]
    meeting["name"] = "M" * 200
    meeting["place"] = {"city": "C" * 200, "country": None, "venue": long, "inferred": False}
    meeting["participants"] = [{"name": "N" * 200, "role": "R" * 200, "side": None}]
    meeting["date"]["text"] = "D" * 200
    seed = Briefing.model_validate_json(run_cli("summarize", str(SEED)).stdout)
    page = tmp_path / "long.html"
    page.write_text(briefings_html([seed, Briefing.model_validate(data)]), "utf-8")
    assert _load(driver, page) == []
    assert _width(driver) <= 800 and _width(driver, "print") <= 800
    assert driver.execute_script("return document.querySelectorAll('article').length") == 2


def test_the_checks_catch_an_outside_request_and_an_overflow(driver: Any, tmp_path: Path) -> None:
    page, _ = _render(tmp_path, "summarize", str(SEED))
    html = page.read_text("utf-8")
    fetching = tmp_path / "fetching.html"
    fetching.write_text(
        html.replace("</main>", '<img src="https://example.org/x.png" alt=""></main>'), "utf-8"
    )
    assert _load(driver, fetching) != []
    wide = tmp_path / "wide.html"
    wide.write_text(html.replace("</main>", '<div style="width:1200px">x</div></main>'), "utf-8")
    _load(driver, wide)
    assert _width(driver) > 800
