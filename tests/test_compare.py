"""Briefings compared field by field: lists matched by identity, volatile fields ignored, and
``summarizer diff`` on files."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import UsageError
from summarizer.regress.compare import (
    MISSING,
    Change,
    compare_briefings,
    compare_files,
    format_change,
    load_briefings,
)

from .conftest import SEED

Briefing = dict[str, Any]


@pytest.fixture(scope="module")
def briefing_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seed article briefed once, offline from the project's fixtures, by the CLI."""
    folder = tmp_path_factory.mktemp("briefing")
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith(("SUMMARIZER_", "OPENAI_")):
                patch.delenv(name)
        (folder / "config").mkdir()
        patch.setenv("SUMMARIZER_CONFIG_DIR", str(folder / "config"))
        out = folder / "briefing.json"
        result = CliRunner().invoke(app, ["summarize", str(SEED), "-o", str(out)])
        assert result.exit_code == 0, result.output
    yield out


@pytest.fixture
def base(briefing_file: Path) -> Briefing:
    data: Briefing = json.loads(briefing_file.read_text("utf-8"))
    return data


def _meeting(briefing: Briefing, name: str) -> dict[str, Any]:
    return next(m for m in briefing["meetings"] if m["name"] == name)


def _party(briefing: Briefing, name: str) -> dict[str, Any]:
    return next(p for p in briefing["parties"] if p["name"] == name)


def test_the_seed_briefing_has_what_these_tests_mutate(base: Briefing) -> None:
    assert len(base["meetings"]) >= 4
    assert len(base["parties"]) >= 3
    assert _meeting(base, "NATO-Russia Council meeting")["status"] == "scheduled"
    assert compare_briefings(base, copy.deepcopy(base)).same


def test_reordered_lists_and_renumbered_meetings_are_the_same(base: Briefing) -> None:
    new = copy.deepcopy(base)
    new["meetings"].reverse()
    new["parties"].reverse()
    for party in new["parties"]:
        party["claims"].reverse()
        party["aliases"].reverse()
        for claim in party["claims"]:
            claim["evidence"].reverse()
    new["summary"]["key_points"].reverse()
    # The model numbers its meetings as it likes; a relative_to follows the numbering.
    renumber = {m["id"]: f"m{10 + n}" for n, m in enumerate(new["meetings"])}
    for meeting in new["meetings"]:
        meeting["id"] = renumber[meeting["id"]]
        date = meeting["date"]
        if date and date["relative_to"] in renumber:
            date["relative_to"] = renumber[date["relative_to"]]
    assert any(m["date"]["relative_to"] in renumber.values() for m in new["meetings"])

    comparison = compare_briefings(base, new)

    assert comparison.same, comparison.changes


def test_a_relative_to_pointing_at_another_meeting_is_a_change(base: Briefing) -> None:
    new = copy.deepcopy(base)
    referring = next(m for m in new["meetings"] if (m["date"] or {}).get("relative_to") == "m1")
    other = next(m["id"] for m in new["meetings"] if m["id"] not in ("m1", referring["id"]))
    referring["date"]["relative_to"] = other

    (change,) = compare_briefings(base, new).changes

    assert change.path.endswith(".date.relative_to")
    assert change.old.startswith("meetings[") and change.new.startswith("meetings[")
    assert change.old != change.new


def test_a_changed_meeting_status_is_one_change_naming_the_meeting(base: Briefing) -> None:
    new = copy.deepcopy(base)
    new["meetings"].reverse()
    _meeting(new, "NATO-Russia Council meeting")["status"] = "held"

    changes = compare_briefings(base, new).changes

    assert changes == (
        Change('meetings["NATO-Russia Council meeting" 2022-01-12].status', "scheduled", "held"),
    )
    assert changes[0].kind == "changed"


def test_a_changed_meeting_date_is_a_date_change_not_a_new_meeting(base: Briefing) -> None:
    new = copy.deepcopy(base)
    _meeting(new, "NATO-Russia Council meeting")["date"]["value"] = "2022-01-13"

    changes = compare_briefings(base, new).changes

    assert [(c.path, c.old, c.new) for c in changes] == [
        (
            'meetings["NATO-Russia Council meeting" 2022-01-12].date.value',
            "2022-01-12",
            "2022-01-13",
        )
    ]


def test_two_meetings_on_one_day_in_one_city_are_not_taken_for_each_other(
    base: Briefing,
) -> None:
    old = copy.deepcopy(base)
    first = _meeting(old, "NATO-Russia Council meeting")
    # In the new briefing another meeting takes its place: same day, same city.
    second = copy.deepcopy(first)
    second.update(
        name="Stoltenberg press conference",
        kind="press conference",
        forum=None,
        participants=[{"name": "Jens Stoltenberg", "role": None, "side": "NATO"}],
    )
    new = copy.deepcopy(old)
    new["meetings"] = [second if m["name"] == first["name"] else m for m in new["meetings"]]

    changes = compare_briefings(old, new).changes

    assert sorted((c.kind, c.path) for c in changes) == [
        ("added", 'meetings["Stoltenberg press conference" 2022-01-12]'),
        ("removed", 'meetings["NATO-Russia Council meeting" 2022-01-12]'),
    ]
    removed = next(c for c in changes if c.kind == "removed")
    assert removed.old == first and removed.new is MISSING


def test_both_meetings_of_one_day_pair_with_their_own_when_both_are_there(
    base: Briefing,
) -> None:
    old = copy.deepcopy(base)
    council = _meeting(old, "NATO-Russia Council meeting")
    talk = copy.deepcopy(council)
    talk.update(id="m9", name="Stoltenberg press conference", forum=None)
    old["meetings"].append(talk)
    new = copy.deepcopy(old)
    new["meetings"].reverse()
    _meeting(new, "Stoltenberg press conference")["status"] = "held"

    changes = compare_briefings(old, new).changes

    assert [c.path for c in changes] == [
        'meetings["Stoltenberg press conference" 2022-01-12].status'
    ]


def test_ignored_fields_do_not_count(base: Briefing) -> None:
    new = copy.deepcopy(base)
    provenance = new["provenance"]
    provenance.update(
        summarizer_version="9.9.9",
        template_hash="0000000000000000",
        origin="live",
        fixtures=["another"],
        answered_by=["gpt-4o-mini-2024-07-18"],
        schema_version="9.0",
    )
    provenance["validation"]["rounds"] = []
    provenance["validation"]["reask_tokens"] = 999
    new["source"]["path"] = "elsewhere/article.txt"

    assert compare_briefings(base, new).same


def test_validation_counts_are_compared(base: Briefing) -> None:
    new = copy.deepcopy(base)
    new["provenance"]["validation"]["dropped"] += 1
    new["provenance"]["validation"]["issues"].append(
        {"item": "parties[0].claims[2]", "problem": "quote not found in the article"}
    )

    changes = compare_briefings(base, new).changes

    assert {(c.path, c.kind) for c in changes} == {
        ("provenance.validation.dropped", "changed"),
        ('provenance.validation.issues["quote not found in the article"]', "added"),
    }


def test_issues_that_only_moved_index_are_the_same(base: Briefing) -> None:
    old = copy.deepcopy(base)
    old["provenance"]["validation"]["issues"] = [
        {"item": "parties[0].claims[2]", "problem": "quote not found"}
    ]
    new = copy.deepcopy(old)
    new["provenance"]["validation"]["issues"][0]["item"] = "parties[3].claims[0]"

    assert compare_briefings(old, new).same


def test_usage_and_attempts_are_reported_apart_never_as_changes(base: Briefing) -> None:
    new = copy.deepcopy(base)
    new["provenance"]["usage"] = {
        "prompt_tokens": 1000,
        "completion_tokens": 350,
        "total_tokens": 1350,
    }
    new["provenance"]["attempts"] = 2
    new["provenance"]["validation"]["attempts"] = 2

    comparison = compare_briefings(base, new)

    assert comparison.same
    assert comparison.usage["total_tokens"] == (base["provenance"]["usage"]["total_tokens"], 1350)
    assert comparison.usage["attempts"] == (base["provenance"]["attempts"], 2)


def test_an_added_and_a_removed_party(base: Briefing) -> None:
    new = copy.deepcopy(base)
    removed = _party(new, "United States")
    new["parties"].remove(removed)
    added = {"name": "OSCE", "aliases": [], "speakers": [], "claims": []}
    new["parties"].append(added)

    changes = compare_briefings(base, new).changes

    assert {(c.kind, c.path) for c in changes} == {
        ("removed", 'parties["United States"]'),
        ("added", 'parties["OSCE"]'),
    }
    by_kind = {c.kind: c for c in changes}
    assert by_kind["removed"].old == removed and by_kind["added"].new == added


def test_a_party_renamed_to_one_of_its_aliases_is_the_same_party(base: Briefing) -> None:
    new = copy.deepcopy(base)
    _party(new, "Russia")["name"] = "Russian Federation"

    changes = compare_briefings(base, new).changes

    assert [(c.path, c.old, c.new) for c in changes] == [
        ('parties["Russia"].name', "Russia", "Russian Federation")
    ]


def test_a_claim_is_named_by_its_quote_offsets(base: Briefing) -> None:
    new = copy.deepcopy(base)
    claim = _party(new, "Russia")["claims"][0]
    claim["act"] = "appeal" if claim["act"] != "appeal" else "demand"
    start, end = claim["evidence"][0]["start"], claim["evidence"][0]["end"]

    (change,) = compare_briefings(base, new).changes

    assert change.path == f'parties["Russia"].claims[quote@{start}-{end}].act'


def test_format_change_quotes_strings_and_cuts_long_values() -> None:
    assert format_change(Change("a.b", "x", "y")) == 'a.b: "x" -> "y"'
    assert format_change(Change("a.n", 1, None)) == "a.n: 1 -> null"
    long_line = format_change(Change("a.t", "w" * 300, "z" * 300), width=80)
    assert "…" in long_line and len(long_line) <= 80
    assert format_change(Change("p", MISSING, {"k": 1})) == 'added: p = {"k": 1}'
    assert format_change(Change("p", [1], MISSING)) == "removed: p = [1]"
    assert repr(MISSING) == "MISSING"


def test_load_briefings_reads_one_or_an_array(briefing_file: Path, tmp_path: Path) -> None:
    one = load_briefings(briefing_file)
    array = tmp_path / "two.json"
    array.write_text(json.dumps([one[0], one[0]]), encoding="utf-8")

    assert len(one) == 1 and len(load_briefings(array)) == 2


@pytest.mark.parametrize("content", ['{"summary": {}}', "not json at all", "[1, 2]", '"a string"'])
def test_load_briefings_refuses_what_is_not_a_briefing(tmp_path: Path, content: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        load_briefings(path)
    assert raised.value.exit_code == 2
    assert "\n" not in raised.value.hint_line() and str(path) in raised.value.message


def test_compare_files_pairs_by_source_and_reports_one_sided_briefings(base: Briefing) -> None:
    other = copy.deepcopy(base)
    other["source"].update(sha256="f" * 64, path="other.txt", title="Another article")
    changed = copy.deepcopy(base)
    changed["summary"]["headline"] = "A new headline"

    results = compare_files([other, base], [changed])

    assert [(label, [c.path for c in comparison.changes]) for label, comparison in results] == [
        (base["source"]["title"], ["summary.headline"]),
        ("Another article", ["briefing[Another article]"]),
    ]
    assert results[1][1].changes[0].kind == "removed"


# --------------------------------------------------------------------------- summarizer diff


def _diff(*args: str) -> Any:
    return CliRunner().invoke(app, ["diff", *args])


def _write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_diff_exits_0_and_says_no_differences_for_the_same(
    base: Briefing, briefing_file: Path, tmp_path: Path
) -> None:
    new = copy.deepcopy(base)
    new["meetings"].reverse()
    new["provenance"]["usage"]["total_tokens"] += 150

    result = _diff(str(briefing_file), _write(tmp_path, "new.json", new))

    assert result.exit_code == 0, result.output
    assert "no differences" in result.stderr
    assert "(not counted as changes)" in result.stdout


def test_diff_exits_1_and_prints_each_change(
    base: Briefing, briefing_file: Path, tmp_path: Path
) -> None:
    new = copy.deepcopy(base)
    _meeting(new, "NATO-Russia Council meeting")["status"] = "held"
    new["provenance"]["attempts"] = base["provenance"]["attempts"] + 1

    result = _diff(str(briefing_file), _write(tmp_path, "new.json", new))

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == base["source"]["title"]
    assert lines[1].strip() == (
        'meetings["NATO-Russia Council meeting" 2022-01-12].status: "scheduled" -> "held"'
    )
    attempts = base["provenance"]["attempts"]
    assert f"attempts {attempts} -> {attempts + 1} (not counted as changes)" in lines[2]
    assert len(lines) == 3


def test_diff_json_prints_the_changes_as_a_parsable_array(
    base: Briefing, briefing_file: Path, tmp_path: Path
) -> None:
    new = copy.deepcopy(base)
    new["parties"] = [p for p in new["parties"] if p["name"] != "United States"]

    result = _diff(str(briefing_file), _write(tmp_path, "new.json", new), "--json")

    assert result.exit_code == 1
    (change,) = json.loads(result.stdout)
    assert change["path"] == 'parties["United States"]'
    assert change["kind"] == "removed"
    assert change["old"]["name"] == "United States" and change["new"] is None


def test_diff_exits_2_for_a_missing_file(briefing_file: Path, tmp_path: Path) -> None:
    result = _diff(str(briefing_file), str(tmp_path / "absent.json"))

    assert result.exit_code == 2
    assert "absent.json" in result.stderr and result.stdout == ""


def test_diff_exits_2_for_json_that_is_not_a_briefing(briefing_file: Path, tmp_path: Path) -> None:
    result = _diff(_write(tmp_path, "config.json", {"model": "x"}), str(briefing_file))

    assert result.exit_code == 2
    assert "not a briefing" in result.stderr


def test_diff_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["diff", "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout and "summarizer diff " in result.stdout


def test_an_empty_field_a_newer_schema_added_is_not_a_change() -> None:
    from summarizer.regress.compare import compare_briefings

    old = {"source": {"title": "t"}, "summary": {}, "parties": [], "meetings": []}
    new = {
        "source": {"title": "t", "extracted_from": None},
        "summary": {},
        "parties": [],
        "meetings": [],
    }
    assert compare_briefings(old, new).same
    filled = {
        "source": {"title": "t", "extracted_from": "html"},
        "summary": {},
        "parties": [],
        "meetings": [],
    }
    (change,) = compare_briefings(old, filled).changes
    assert change.path == "source.extracted_from" and change.kind == "added"
