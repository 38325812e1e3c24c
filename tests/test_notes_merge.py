"""The merge rules of a note, on briefings: the seed's own (replayed offline through the CLI)
and copies of it edited the way another outlet's report of the same week would differ."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.notes.merge import build_note, date_relation, forum_relation, same_meeting
from summarizer.notes.model import Note, NoteMeeting, meeting_uid
from summarizer.schemas import Briefing, Place

from .conftest import SEED, run_cli


@pytest.fixture(scope="module")
def seed_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("seed") / "seed.json"
    done = run_cli("summarize", str(SEED), "-o", str(out))
    assert done.exit_code == 0, done.output
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def _briefing(data: dict[str, Any]) -> Briefing:
    return Briefing.model_validate(data)


def _other_outlet(
    seed: dict[str, Any], *, day: str = "2022-01-11", tag: str = "b"
) -> dict[str, Any]:
    """The seed as if another outlet had published it a day later: another text hash."""
    other = json.loads(json.dumps(seed))
    other["source"]["sha256"] = tag * 64
    other["source"]["published"] = day
    other["source"]["path"] = f"other-{tag}.txt"
    return other


def _meeting(data: dict[str, Any], word: str) -> dict[str, Any]:
    (found,) = [m for m in data["meetings"] if word in m["name"]]
    return found


def _by_name(note: Note, word: str) -> list[NoteMeeting]:
    return [m for m in note.timeline if word in m.name]


def test_one_source_gives_one_meeting_each(seed_data: dict[str, Any]) -> None:
    note = build_note([_briefing(seed_data)])
    assert len(note.timeline) == len(seed_data["meetings"])
    assert all(m.sources == ["s1"] and not m.flags for m in note.timeline)
    assert [m.date_value for m in note.timeline] == sorted(
        m.date_value or "" for m in note.timeline
    )


def test_the_same_meetings_from_two_outlets_appear_once_with_both_sources(
    seed_data: dict[str, Any],
) -> None:
    note = build_note([_briefing(seed_data), _briefing(_other_outlet(seed_data))])
    assert len(note.timeline) == len(seed_data["meetings"])
    assert all(m.sources == ["s1", "s2"] for m in note.timeline)
    assert all(len(m.reports) == 2 for m in note.timeline)


def test_a_status_that_moved_is_history_and_the_latest_report_sets_it(
    seed_data: dict[str, Any],
) -> None:
    later = _other_outlet(seed_data, day="2022-01-12")
    _meeting(later, "NATO-Russia")["status"] = "held"
    note = build_note([_briefing(later), _briefing(seed_data)])  # order given does not matter
    (council,) = _by_name(note, "NATO-Russia")
    assert council.status == "held"
    assert [(h.status, h.source) for h in council.status_history] == [
        ("scheduled", "s1"),
        ("held", "s2"),
    ]
    assert any("status moved" in flag for flag in council.flags)


def test_another_date_for_the_osce_meeting_is_one_meeting_with_a_flagged_disagreement(
    seed_data: dict[str, Any],
) -> None:
    other = _other_outlet(seed_data)
    _meeting(other, "OSCE")["date"]["value"] = "2022-01-13"
    note = build_note([_briefing(seed_data), _briefing(other)])
    (osce,) = _by_name(note, "OSCE")
    assert osce.sources == ["s1", "s2"]
    (disagreement,) = osce.disagreements
    assert disagreement.field == "date"
    assert {(v.value, tuple(v.sources)) for v in disagreement.values} == {
        ("2022-01-14", ("s1",)),
        ("2022-01-13", ("s2",)),
    }
    assert osce.date_value == "2022-01-13"  # the latest report's, with the other kept
    assert any("disagree on the date" in flag for flag in osce.flags)


def test_two_different_meetings_on_one_day_in_one_city_stay_apart(
    seed_data: dict[str, Any],
) -> None:
    other = _other_outlet(seed_data)
    talks = _meeting(other, "Stefanishyna")
    talks.update(
        name="EU foreign ministers' informal meeting",
        kind="informal ministerial meeting",
        participants=[{"name": "Josep Borrell", "role": "EU foreign policy chief", "side": None}],
    )
    note = build_note([_briefing(seed_data), _briefing(other)])
    brussels_10 = [
        m
        for m in note.timeline
        if m.date_value == "2022-01-10" and m.place is not None and m.place.city == "Brussels"
    ]
    assert sorted(m.sources for m in brussels_10) == [["s1"], ["s2"]]


def test_the_same_people_on_two_days_are_two_meetings(seed_data: dict[str, Any]) -> None:
    seed = _briefing(seed_data)
    note = build_note([seed, _briefing(_other_outlet(seed_data))])
    sherman = [m for m in note.timeline if any("Sherman" in p.name for p in m.participants)]
    assert sorted(m.date_value or "" for m in sherman) == ["2022-01-09", "2022-01-10"]
    # and the rule says why, report against report
    reports = {m.date_value: m.reports for m in sherman}
    verdict = same_meeting(reports["2022-01-09"][0], reports["2022-01-10"][1])
    assert not verdict.same and "date" in verdict.reason


def test_a_place_only_one_outlet_names_is_taken_and_flagged(seed_data: dict[str, Any]) -> None:
    other = _other_outlet(seed_data)
    prelim = _meeting(other, "preliminary")
    prelim["place"] = {"city": "Geneva", "country": None, "venue": None, "inferred": False}
    note = build_note([_briefing(seed_data), _briefing(other)])
    (merged,) = _by_name(note, "preliminary")
    assert merged.place is not None and merged.place.city == "Geneva"
    assert not merged.place.inferred
    assert any("named by s2 only" in flag for flag in merged.flags)


def test_a_vague_date_and_a_day_inside_it_are_compatible() -> None:
    assert date_relation("2022-01", "2022-01-12") == "compatible"
    assert date_relation("2022-W02", "2022-01-12") == "compatible"
    assert date_relation("2022-W02", "2022-01-17") == "conflict"
    assert date_relation("2022-01-12", "2022-01-12") == "same"
    assert date_relation(None, "2022-01-12") == "compatible"
    assert (
        forum_relation("OSCE Permanent Council", "Permanent Council of the OSCE (OSCE)") == "same"
    )
    assert forum_relation("NATO-Russia Council", "OSCE Permanent Council") == "conflict"


def test_a_month_report_merges_with_the_day_and_takes_its_precision(
    seed_data: dict[str, Any],
) -> None:
    earlier = _other_outlet(seed_data, day="2022-01-05", tag="c")
    council = _meeting(earlier, "NATO-Russia")
    council["date"].update(value="2022-01", precision="month", text="in January")
    note = build_note([_briefing(seed_data), _briefing(earlier)])
    (merged,) = _by_name(note, "NATO-Russia")
    assert merged.sources == ["s1", "s2"]
    assert (merged.date_value, merged.precision) == ("2022-01-12", "day")
    assert not merged.disagreements


def test_parties_unify_by_alias_and_acronym(seed_data: dict[str, Any]) -> None:
    other = _other_outlet(seed_data)
    (us,) = [p for p in other["parties"] if p["name"] == "United States"]
    us.update(name="US", aliases=["the Biden administration"])
    (nato,) = [p for p in other["parties"] if p["name"] == "NATO"]
    nato.update(name="North Atlantic Treaty Organization", aliases=[])
    note = build_note([_briefing(seed_data), _briefing(other)])
    names = [p.name for p in note.parties]
    assert len(names) == len(seed_data["parties"])
    (united,) = [p for p in note.parties if "the Biden administration" in p.aliases]
    assert united.sources == ["s1", "s2"]
    (alliance,) = [p for p in note.parties if p.name == "NATO" or "NATO" in p.aliases]
    assert "North Atlantic Treaty Organization" in [alliance.name, *alliance.aliases]
    dates = [p.published for p in alliance.positions]
    assert dates == sorted(d for d in dates if d is not None)
    assert {p.source for p in alliance.positions} == {"s1", "s2"}


def test_an_article_given_twice_counts_once(seed_data: dict[str, Any]) -> None:
    note = build_note([_briefing(seed_data), _briefing(seed_data)])
    assert [s.id for s in note.sources] == ["s1"]
    assert note.as_of == dt.date(2022, 1, 10)


def test_the_uid_follows_identity_not_title_or_date() -> None:
    place = Place(city="Vienna")
    uid = meeting_uid(
        kind="consultations", forum="OSCE Permanent Council", participants=[], place=place, name="x"
    )
    renamed = meeting_uid(
        kind="consultations", forum="OSCE Permanent Council", participants=[], place=place, name="y"
    )
    other = meeting_uid(
        kind="consultations", forum="NATO-Russia Council", participants=[], place=place, name="x"
    )
    assert uid == renamed != other
    assert uid.endswith("@summarizer")


def test_sequence_rises_only_for_meetings_whose_date_or_status_changed(
    seed_data: dict[str, Any], tmp_path: Path
) -> None:
    first = build_note([_briefing(seed_data)])
    assert all(m.sequence == 0 for m in first.timeline)
    later = _other_outlet(seed_data, day="2022-01-12")
    _meeting(later, "NATO-Russia")["status"] = "held"
    second = build_note([_briefing(seed_data), _briefing(later)], previous=first)
    assert {m.uid for m in second.timeline} == {m.uid for m in first.timeline}
    moved = {m.name: m.sequence for m in second.timeline}
    assert moved.pop("NATO-Russia Council meeting") == 1
    assert set(moved.values()) == {0}
    third = build_note([_briefing(seed_data), _briefing(later)], previous=second)
    assert [m.sequence for m in third.timeline] == [m.sequence for m in second.timeline]
