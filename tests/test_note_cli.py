"""`summarizer note` through the CLI: the seed's week of talks as three outlets report it (the
DW seed and two short articles written for tests, with planted disagreements), replayed
offline from authored answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from .conftest import ROOT, SEED, run_cli

WEEK = ROOT / "tests" / "fixtures" / "notes-week"
WRITTEN = sorted((ROOT / "tests" / "data" / "notes").glob("written-for-tests-*.txt"))


def _note(*args: str) -> Any:
    return run_cli("note", str(SEED), *map(str, WRITTEN), "--fixtures", str(WEEK), *args)


@pytest.fixture(scope="module")
def note() -> dict[str, Any]:
    done = _note()
    assert done.exit_code == 0, done.output
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def _meeting(note: dict[str, Any], word: str) -> dict[str, Any]:
    (found,) = [m for m in note["timeline"] if word in m["name"]]
    return found


def test_the_articles_written_for_tests_say_so() -> None:
    assert len(WRITTEN) == 2
    for path in WRITTEN:
        assert "WRITTEN FOR TESTS" in path.read_text("utf-8")


def test_each_meeting_appears_once_with_all_its_sources(note: dict[str, Any]) -> None:
    assert [s["published"] for s in note["sources"]] == ["2022-01-10", "2022-01-11", "2022-01-12"]
    assert note["as_of"] == "2022-01-12"
    by_name = {m["name"]: m["sources"] for m in note["timeline"]}
    assert len(by_name) == len(note["timeline"])  # no meeting twice
    assert _meeting(note, "NATO-Russia")["sources"] == ["s1", "s2", "s3"]
    assert _meeting(note, "OSCE")["sources"] == ["s1", "s2", "s3"]
    assert _meeting(note, "bilateral")["sources"] == ["s1", "s2"]
    assert _meeting(note, "preliminary")["sources"] == ["s1", "s3"]
    # The near miss: another meeting on the same day in the same city stays apart.
    assert _meeting(note, "EU foreign ministers")["sources"] == ["s2"]
    assert _meeting(note, "Stefanishyna")["sources"] == ["s1"]


def test_each_planted_disagreement_is_flagged(note: dict[str, Any]) -> None:
    osce = _meeting(note, "OSCE")
    (date,) = [d for d in osce["disagreements"] if d["field"] == "date"]
    assert {v["value"]: v["sources"] for v in date["values"]} == {
        "2022-01-14": ["s1"],
        "2022-01-13": ["s2"],
    }
    assert osce["status"] == "postponed"  # the latest report's
    assert [h["status"] for h in osce["status_history"]] == ["scheduled", "postponed"]
    council = _meeting(note, "NATO-Russia")
    assert council["status"] == "held"
    assert any("status moved: scheduled (s1) → held (s3)" in f for f in council["flags"])
    talks = _meeting(note, "bilateral")
    assert any("under_way (s1) → held (s2)" in f for f in talks["flags"])
    prelim = _meeting(note, "preliminary")
    assert prelim["place"]["city"] == "Geneva" and not prelim["place"]["inferred"]
    assert any("named by s3 only" in f for f in prelim["flags"])


def test_the_note_validates_against_its_published_schema(note: dict[str, Any]) -> None:
    schema = json.loads(run_cli("schema", "--note").stdout)
    jsonschema.validate(note, schema)
    assert run_cli("schema", "--note", "--draft").exit_code == 2


def test_every_format_is_written(tmp_path: Path) -> None:
    for fmt in ("markdown", "html", "ics", "json"):
        out = tmp_path / f"note.{fmt}"
        done = _note("-f", fmt, "-o", str(out))
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 0
    markdown = (tmp_path / "note.markdown").read_text("utf-8")
    assert "⚠ sources disagree on the date" in markdown
    assert "Authored fixtures" in markdown


def test_previous_note_raises_sequence_for_what_moved(tmp_path: Path) -> None:
    first = tmp_path / "monday.json"
    done = run_cli("note", str(SEED), "--fixtures", str(WEEK), "-o", str(first))
    assert done.exit_code == 0, done.output
    later = _note("--previous", str(first))
    assert later.exit_code == 0, later.output
    moved = {m["name"]: m["sequence"] for m in json.loads(later.stdout)["timeline"]}
    assert moved["NATO-Russia Council meeting"] == 1  # scheduled → held
    assert moved["OSCE Permanent Council consultations"] == 1  # date and status
    assert moved["Stoltenberg-Stefanishyna talks"] == 0
    bad = _note("--previous", str(tmp_path / "nowhere.json"))
    assert bad.exit_code == 2 and "no such file" in bad.stderr


def test_a_bad_input_fails_before_any_call(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    done = _note(str(empty))
    assert done.exit_code == 2 and "empty" in done.stderr
    assert done.stdout == ""


AUTOMAKERS = sorted((ROOT / "seeds" / "wikinews").glob("200[89]-*.txt"))


def test_the_automakers_note_follows_each_party_over_several_dates() -> None:
    assert len(AUTOMAKERS) == 8
    done = run_cli("note", *map(str, AUTOMAKERS))
    assert done.exit_code == 0, done.output
    note = json.loads(done.stdout)
    assert [s["published"] for s in note["sources"]] == sorted(
        s["published"] for s in note["sources"]
    )
    parties = {p["name"]: p for p in note["parties"]}
    for name in (
        "General Motors",
        "Chrysler",
        "United States government",
        "United Auto Workers",
        "Canada",
    ):
        dates = {pos["published"] for pos in parties[name]["positions"]}
        assert len(dates) >= 2, (name, dates)
    for name in ("Fiat", "Ford Motor Company"):  # quoted on one or two dates only
        assert parties[name]["positions"], name
    sources = {s["id"] for s in note["sources"]}
    for party in note["parties"]:
        for pos in party["positions"]:
            assert pos["source"] in sources
            assert pos["evidence"] and all(e["verified"] for e in pos["evidence"])
    government = parties["United States government"]
    assert {"the White House", "The Obama administration"} <= set(government["aliases"])
    (filing,) = [m for m in note["timeline"] if "Chapter 11" in m["name"]]
    assert len(filing["sources"]) == 2  # one filing, as two articles report it


def test_a_note_dry_run_plans_each_article_without_a_call() -> None:
    done = run_cli(
        "note", *map(str, AUTOMAKERS[:2]), "--dry-run", "--base-url", "http://127.0.0.1:9"
    )
    assert done.exit_code == 0, done.output
    plans = json.loads(done.stdout)
    assert [p["source"]["published"] for p in plans] == ["2008-12-12", "2008-12-13"]
