"""The HTML briefing and note in a real browser: Debian's headless Chromium, network blocked.
They render without console errors, nothing overflows an 800-pixel-wide window, and every
meeting and quote (with its source and offsets) is on the page."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from . import browser
from .conftest import SEED, WIKINEWS, run_cli

pytestmark = pytest.mark.skipif(
    not browser.available() and not os.environ.get("CI"),
    reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
)


@pytest.fixture(scope="module")
def driver() -> Any:
    assert browser.available(), "CI must have /usr/bin/chromium and /usr/bin/chromedriver"
    started = browser.start()
    yield started
    started.quit()


def _render(tmp_path: Path, command: str, fmt: str, *paths: Path) -> tuple[Path, Any]:
    page, data = tmp_path / f"{command}.html", tmp_path / f"{command}.json"
    args = [str(p) for p in paths]
    assert run_cli(command, *args, "-f", "html", "-o", str(page)).exit_code == 0
    assert run_cli(command, *args, "-f", "json", "-o", str(data)).exit_code == 0
    return page, json.loads(data.read_text("utf-8"))


def _load(driver: Any, page: Path) -> None:
    driver.get_log("browser")  # drop what came before
    driver.get(page.resolve().as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def _checks(driver: Any) -> tuple[list[Any], int, set[tuple[str, int, int]], int]:
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    width = driver.execute_script("return document.documentElement.scrollWidth")
    quotes = driver.execute_script(
        "return [...document.querySelectorAll('[data-start]')].map("
        "q => [q.dataset.source, q.dataset.start, q.dataset.end])"
    )
    meetings = driver.execute_script("return document.querySelectorAll('[data-meeting]').length")
    found = {(s, int(a), int(b)) for s, a, b in quotes if a}
    return severe, width, found, meetings


def test_the_seed_briefing_renders_whole_in_chromium(driver: Any, tmp_path: Path) -> None:
    page, briefing = _render(tmp_path, "summarize", "html", SEED)
    _load(driver, page)
    severe, width, quotes, meetings = _checks(driver)
    assert severe == []
    assert width <= 800
    source = briefing["source"]["path"]
    expected = {
        (source, e["start"], e["end"])
        for item in [
            *briefing["summary"]["lede_sentences"],
            *briefing["summary"]["key_points"],
            *(c for p in briefing["parties"] for c in p["claims"]),
            *briefing["meetings"],
        ]
        for e in item["evidence"]
        if e["verified"]
    }
    assert quotes == expected and expected
    assert meetings == len(briefing["meetings"])
    assert driver.title == briefing["summary"]["headline"]


def test_a_note_renders_whole_in_chromium(driver: Any, tmp_path: Path) -> None:
    page, note = _render(tmp_path, "note", "html", SEED, WIKINEWS[0])
    _load(driver, page)
    severe, width, quotes, meetings = _checks(driver)
    assert severe == [] and width <= 800
    expected = {
        (r["source"], e["start"], e["end"])
        for m in note["timeline"]
        for r in m["reports"]
        for e in r["evidence"]
        if e["verified"]
    } | {
        (p["source"], e["start"], e["end"])
        for party in note["parties"]
        for p in party["positions"]
        for e in p["evidence"]
        if e["verified"]
    }
    assert quotes == expected and expected
    assert meetings == len(note["timeline"])
