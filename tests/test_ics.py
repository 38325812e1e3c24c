"""ICS output: one event per day-precise meeting, re-parsed with icalendar; UIDs by identity;
SEQUENCE from a previous note."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from summarizer.notes.merge import build_note
from summarizer.render.ics import briefings_calendar, event_start, note_calendar
from summarizer.schemas import Briefing

from .conftest import SEED, WIKINEWS, run_cli


@pytest.fixture(scope="module")
def seed_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("ics") / "seed.json"
    assert run_cli("summarize", str(SEED), "-o", str(out)).exit_code == 0
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def _events(text: str) -> list[Any]:
    calendar = Calendar.from_ical(text)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def test_the_seed_gives_one_event_per_day_precise_meeting(
    seed_json: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "seed.ics"
    done = run_cli("summarize", str(SEED), "-f", "ics", "-o", str(out))
    assert done.exit_code == 0, done.output
    raw = out.read_bytes()
    assert b"\r\n" in raw  # RFC 5545 line endings survive the atomic write
    events = _events(raw.decode("utf-8"))
    day_meetings = [m for m in seed_json["meetings"] if m["date"]["precision"] == "day"]
    assert len(events) == len(day_meetings) > 0
    by_summary = {str(e["SUMMARY"]): e for e in events}
    for meeting in day_meetings:
        event = by_summary[meeting["name"]]
        assert event.decoded("DTSTART") == dt.date.fromisoformat(meeting["date"]["value"])
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
        expected = "CONFIRMED" if meeting["status"] in ("held", "under_way", "scheduled") else None
        if expected:
            assert str(event["STATUS"]) == expected
        assert meeting["place"]["city"] in str(event["LOCATION"])
        assert seed_json["source"]["title"] in str(event["DESCRIPTION"])
        for key in ("UID", "DTSTAMP", "DTSTART"):
            assert key in event
    assert len({str(e["UID"]) for e in events}) == len(events)
    again = run_cli("summarize", str(SEED), "-f", "ics")
    assert again.stdout_bytes == raw  # the same input, the same bytes


def test_uids_follow_identity_and_vague_dates_make_no_event(seed_json: dict[str, Any]) -> None:
    original = Briefing.model_validate(seed_json)
    edited = json.loads(json.dumps(seed_json))
    council = next(m for m in edited["meetings"] if "NATO-Russia" in m["name"])
    council["name"] = "Council of NATO and Russia"
    council["date"]["value"] = "2022-01-13"
    osce = next(m for m in edited["meetings"] if "OSCE" in m["name"])
    osce["date"].update(value="2022-01", precision="month")
    before = {str(e["SUMMARY"]): str(e["UID"]) for e in _events(briefings_calendar([original]))}
    after = {
        str(e["SUMMARY"]): str(e["UID"])
        for e in _events(briefings_calendar([Briefing.model_validate(edited)]))
    }
    assert after["Council of NATO and Russia"] == before["NATO-Russia Council meeting"]
    assert "OSCE Permanent Council consultations" not in after
    assert len(after) == len(before) - 1
    # two meetings of one day keep two identities
    tenth = [m["name"] for m in seed_json["meetings"] if m["date"]["value"] == "2022-01-10"]
    assert len(tenth) == 2 and before[tenth[0]] != before[tenth[1]]


def test_a_time_of_day_makes_a_timed_event() -> None:
    assert event_start("2022-01-12", "day") == dt.date(2022, 1, 12)
    assert event_start("2022-01", "month") is None
    assert event_start("2022-01-12T15:30", "day") == dt.datetime(2022, 1, 12, 15, 30)
    aware = event_start("2022-01-12T15:30+01:00", "day")
    assert isinstance(aware, dt.datetime)
    assert aware.utcoffset() == dt.timedelta(hours=1)


def test_a_note_calendar_carries_uids_and_sequence(seed_json: dict[str, Any]) -> None:
    seed = Briefing.model_validate(seed_json)
    first = build_note([seed])
    later_json = json.loads(json.dumps(seed_json))
    later_json["source"].update(sha256="b" * 64, published="2022-01-12", path="other.txt")
    next(m for m in later_json["meetings"] if "NATO-Russia" in m["name"])["status"] = "cancelled"
    second = build_note([seed, Briefing.model_validate(later_json)], previous=first)
    events = {str(e["SUMMARY"]): e for e in _events(note_calendar(second))}
    council = events["NATO-Russia Council meeting"]
    assert str(council["STATUS"]) == "CANCELLED" and int(council["SEQUENCE"]) == 1
    assert all(int(e["SEQUENCE"]) == 0 for name, e in events.items() if name != council["SUMMARY"])
    first_uids = {str(e["UID"]) for e in _events(note_calendar(first))}
    assert {str(e["UID"]) for e in events.values()} == first_uids
    assert "s2" in str(council["DESCRIPTION"]) and "status moved" in str(council["DESCRIPTION"])


def test_note_command_writes_ics(tmp_path: Path) -> None:
    out = tmp_path / "note.ics"
    done = run_cli("note", str(SEED), str(WIKINEWS[0]), "-f", "ics", "-o", str(out))
    assert done.exit_code == 0, done.output
    assert _events(out.read_text("utf-8"))
