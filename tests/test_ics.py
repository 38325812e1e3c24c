"""ICS output: one event per day-precise meeting, re-parsed with icalendar and checked against
RFC 5545's rules for a published calendar; UIDs by identity; SEQUENCE from a previous note."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar, Component

from summarizer.notes.merge import build_note
from summarizer.render.ics import PRODID, briefings_calendar, event_start, note_calendar
from summarizer.schemas import Briefing

from .conftest import ROOT, SEED, run_cli

WEEK = ROOT / "tests" / "fixtures" / "notes-week"
WRITTEN = sorted((ROOT / "tests" / "data" / "notes").glob("written-for-tests-*.txt"))
CONFIRMED = {"held", "under_way", "scheduled"}


@pytest.fixture(scope="module")
def seed_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("ics") / "seed.json"
    assert run_cli("summarize", str(SEED), "-o", str(out)).exit_code == 0
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def _checked(text: str) -> Calendar:
    """The calendar re-parsed, after the checks a strict importer makes: CRLF lines folded
    at 75 octets, the calendar's own properties, no parse error, a VTIMEZONE for every TZID,
    and in each VEVENT a UID (none twice), a UTC DTSTAMP and a DTSTART before any DTEND."""
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = Calendar.from_ical(text)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]) == PRODID
    assert str(calendar["CALSCALE"]) == "GREGORIAN" and str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"])
    assert not calendar.get_missing_tzids()
    events = calendar.walk("VEVENT")
    validate = getattr(calendar, "validate", None)  # icalendar 7 checks the calendar's parts
    if events and validate is not None:
        validate()
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for component in calendar.walk():
        assert not component.errors, component.errors
    for event in events:
        assert all(key in event for key in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "STATUS"))
        assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
        assert "CREATED" not in event and "LAST-MODIFIED" not in event
        if "DTEND" in event:
            assert event.decoded("DTEND") > event.decoded("DTSTART")
    return calendar


def _events(text: str) -> list[Component]:
    return list(_checked(text).walk("VEVENT"))


def _by_summary(text: str) -> dict[str, Component]:
    return {str(e["SUMMARY"]): e for e in _events(text)}


def _edited(seed_json: dict[str, Any], **source: Any) -> dict[str, Any]:
    """A copy of the seed's briefing, as another article could give it."""
    edited = copy.deepcopy(seed_json)
    edited["source"].update(source)
    return edited


def _meeting(briefing: dict[str, Any], word: str) -> dict[str, Any]:
    (found,) = [m for m in briefing["meetings"] if word in m["name"]]
    return found


def test_the_seed_gives_one_event_per_day_precise_meeting(
    seed_json: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "seed.ics"
    done = run_cli("summarize", str(SEED), "-f", "ics", "-o", str(out))
    assert done.exit_code == 0, done.output
    raw = out.read_bytes()  # through the atomic write: CRLF must survive (checked in _checked)
    calendar = _checked(raw.decode("utf-8"))
    assert str(calendar["X-WR-CALNAME"]) == seed_json["summary"]["headline"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    day_meetings = [m for m in seed_json["meetings"] if m["date"]["precision"] == "day"]
    assert len(events) == len(day_meetings) > 0
    source = seed_json["source"]
    stamps = set()
    for meeting in day_meetings:
        event = events[meeting["name"]]
        assert event.decoded("DTSTART") == dt.date.fromisoformat(meeting["date"]["value"])
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(days=1)
        assert str(event["STATUS"]) == ("CONFIRMED" if meeting["status"] in CONFIRMED else "?")
        assert int(event["SEQUENCE"]) == 0
        place = meeting["place"]
        where = ", ".join(place[k] for k in ("venue", "city", "country") if place[k])
        assert str(event["LOCATION"]) == where + (" (inferred)" if place["inferred"] else "")
        description = str(event["DESCRIPTION"])
        for fact in (source["title"], source["publisher"], source["published"], meeting["kind"]):
            assert fact in description
        assert f"“{meeting['date']['text']}”" in description
        assert meeting["date"]["derivation"] in description
        for person in meeting["participants"]:
            assert f"{person['name']} ({person['role']})" in description
        for quote in meeting["evidence"]:
            assert f"“{quote['quote']}” [chars {quote['start']}–{quote['end']}]" in description
        stamps.add(event.decoded("DTSTAMP"))
    assert stamps == {dt.datetime.fromisoformat(source["published"] + "T00:00+00:00")}
    again = run_cli("summarize", str(SEED), "-f", "ics")
    assert again.stdout_bytes == raw  # the same input, the same bytes


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("held", "CONFIRMED"),
        ("under_way", "CONFIRMED"),
        ("scheduled", "CONFIRMED"),
        ("proposed", "TENTATIVE"),
        ("postponed", "TENTATIVE"),
        ("cancelled", "CANCELLED"),
    ],
)
def test_status_follows_the_meeting(seed_json: dict[str, Any], status: str, expected: str) -> None:
    edited = copy.deepcopy(seed_json)
    _meeting(edited, "NATO-Russia")["status"] = status
    council = _by_summary(briefings_calendar([Briefing.model_validate(edited)]))
    event = council["NATO-Russia Council meeting"]
    assert str(event["STATUS"]) == expected
    assert ("postponed" in str(event["DESCRIPTION"])) == (status == "postponed")


def test_uids_follow_identity_and_vague_dates_make_no_event(seed_json: dict[str, Any]) -> None:
    original = Briefing.model_validate(seed_json)
    edited = copy.deepcopy(seed_json)
    council = _meeting(edited, "NATO-Russia")
    council["name"] = "Council of NATO and Russia"
    council["date"]["value"] = "2022-01-13"
    _meeting(edited, "OSCE")["date"].update(value="2022-01", precision="month")
    before = {k: str(e["UID"]) for k, e in _by_summary(briefings_calendar([original])).items()}
    after_events = _by_summary(briefings_calendar([Briefing.model_validate(edited)]))
    after = {k: str(e["UID"]) for k, e in after_events.items()}
    assert after["Council of NATO and Russia"] == before["NATO-Russia Council meeting"]
    assert after_events["Council of NATO and Russia"].decoded("DTSTART") == dt.date(2022, 1, 13)
    assert "OSCE Permanent Council consultations" not in after
    assert len(after) == len(before) - 1
    # two meetings of one day keep two identities
    tenth = [m["name"] for m in seed_json["meetings"] if m["date"]["value"] == "2022-01-10"]
    assert len(tenth) == 2 and before[tenth[0]] != before[tenth[1]]
    # a briefing's meeting and the same meeting in a note share the UID
    note = _by_summary(note_calendar(build_note([original])))
    assert {k: str(e["UID"]) for k, e in note.items()} == before


def test_a_calendar_without_a_day_precise_meeting_has_no_event(
    seed_json: dict[str, Any],
) -> None:
    edited = copy.deepcopy(seed_json)
    for meeting in edited["meetings"]:
        meeting["date"].update(value="2022-W02", precision="week")
    calendar = _checked(briefings_calendar([Briefing.model_validate(edited)]))
    assert calendar.walk("VEVENT") == []


def test_a_day_the_text_leaves_open_or_that_does_not_exist_makes_no_event() -> None:
    assert event_start("2022-01-12", "day") == dt.date(2022, 1, 12)
    assert event_start("2022-01", "month") is None
    assert event_start("2022-01-12", "week") is None
    assert event_start("XXXX-01-14", "day") is None
    assert event_start("2022-02-30", "day") is None
    assert event_start("2022-01-12TMO", "day") == dt.date(2022, 1, 12)  # morning: the whole day


def test_a_time_of_day_makes_a_timed_event_in_its_zone(seed_json: dict[str, Any]) -> None:
    edited = copy.deepcopy(seed_json)
    values = {
        "NATO-Russia": "2022-01-12T15:30+01:00",
        "OSCE": "2022-01-14T10:00Z",
        "Stefanishyna": "2022-01-10T09:15",
        "bilateral": "2022-01-10T11:00-05:30",
    }
    for word, value in values.items():
        _meeting(edited, word)["date"]["value"] = value
    text = briefings_calendar([Briefing.model_validate(edited)])
    calendar = _checked(text)  # a VTIMEZONE for each offset: no TZID left undefined
    assert len(calendar.walk("VTIMEZONE")) == 2
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    for word, value in values.items():
        (name,) = [n for n in events if word in n]
        start = events[name].decoded("DTSTART")
        expected = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        assert start == expected  # the same instant, or the same floating wall time
        assert start.replace(tzinfo=None) == expected.replace(tzinfo=None)
        assert (start.utcoffset(), "DTEND" in events[name]) == (expected.utcoffset(), False)
    assert "DTSTART:20220114T100000Z" in text
    assert "DTSTART:20220110T091500" in text  # floating: no TZID, no Z


def test_articles_reporting_one_meeting_give_one_event(seed_json: dict[str, Any]) -> None:
    monday = Briefing.model_validate(seed_json)
    tuesday_json = _edited(seed_json, sha256="b" * 64, published="2022-01-11", title="Later")
    _meeting(tuesday_json, "NATO-Russia")["status"] = "cancelled"
    tuesday = Briefing.model_validate(tuesday_json)
    alone = _by_summary(briefings_calendar([monday]))
    assert briefings_calendar([monday, monday]) == briefings_calendar([monday])  # one text
    both = _by_summary(briefings_calendar([monday, tuesday, monday]))
    assert {k: str(e["UID"]) for k, e in both.items()} == {
        k: str(e["UID"]) for k, e in alone.items()
    }
    council = both["NATO-Russia Council meeting"]
    assert str(council["STATUS"]) == "CANCELLED"  # the latest report's
    description = str(council["DESCRIPTION"])
    assert seed_json["source"]["title"] in description and "Later" in description
    assert "reports it scheduled" in description and "reports it cancelled" in description


def test_one_identity_on_two_days_gives_two_uids_as_the_note_does(
    seed_json: dict[str, Any],
) -> None:
    edited = copy.deepcopy(seed_json)
    second = copy.deepcopy(_meeting(edited, "bilateral"))
    second.update(id="m9", name="US-Russia talks, second round")
    second["date"]["value"] = "2022-01-17"
    edited["meetings"].append(second)
    briefing = Briefing.model_validate(edited)
    events = _by_summary(briefings_calendar([briefing]))  # _checked: no UID twice
    first_uid = str(events["US-Russia bilateral security talks"]["UID"])
    later_uid = str(events["US-Russia talks, second round"]["UID"])
    assert later_uid == first_uid.replace("@", "-2022-01-17@")
    note = _by_summary(note_calendar(build_note([briefing])))
    assert {k: str(e["UID"]) for k, e in note.items()} == {
        k: str(e["UID"]) for k, e in events.items()
    }


def test_a_note_calendar_carries_uids_and_sequence(seed_json: dict[str, Any]) -> None:
    seed = Briefing.model_validate(seed_json)
    first = build_note([seed])
    later_json = _edited(seed_json, sha256="b" * 64, published="2022-01-12", path="other.txt")
    _meeting(later_json, "NATO-Russia")["status"] = "cancelled"
    _meeting(later_json, "NATO-Russia")["date"]["value"] = "2022-01-13"
    second = build_note([seed, Briefing.model_validate(later_json)], previous=first)
    events = _by_summary(note_calendar(second))
    council = events["NATO-Russia Council meeting"]
    noted = next(m for m in second.timeline if m.name == "NATO-Russia Council meeting")
    assert council.decoded("DTSTART") == dt.date.fromisoformat(str(noted.date_value))
    assert str(council["STATUS"]) == "CANCELLED" and int(council["SEQUENCE"]) == noted.sequence
    assert noted.sequence == 1
    for name, event in events.items():
        meeting = next(m for m in second.timeline if m.name == name)
        assert int(event["SEQUENCE"]) == meeting.sequence and str(event["UID"]) == meeting.uid
    first_uids = {str(e["UID"]) for e in _events(note_calendar(first))}
    assert {str(e["UID"]) for e in events.values()} == first_uids
    description = str(council["DESCRIPTION"])
    assert "Sources disagree on the date: 2022-01-12 (s1); 2022-01-13 (s2)" in description
    assert "Status moved" in description
    for source_id in ("s1", "s2"):
        assert re.search(rf"^- {source_id}: .*published", description, re.M)
    assert "[s2 chars " in description
    assert event_start(str(noted.date_value), noted.precision) is not None


def test_note_command_writes_ics_with_sequence_from_previous(tmp_path: Path) -> None:
    monday_json, monday_ics = tmp_path / "monday.json", tmp_path / "monday.ics"
    for out in (monday_json, monday_ics):
        fmt = out.suffix.lstrip(".")
        done = run_cli("note", str(SEED), "--fixtures", str(WEEK), "-f", fmt, "-o", str(out))
        assert done.exit_code == 0, done.output
    week = ["note", str(SEED), *map(str, WRITTEN), "--fixtures", str(WEEK)]
    done = run_cli(*week, "-o", str(tmp_path / "week.json"))
    assert done.exit_code == 0, done.output
    note = json.loads((tmp_path / "week.json").read_text("utf-8"))
    ics = tmp_path / "week.ics"
    done = run_cli(*week, "-f", "ics", "--previous", str(monday_json), "-o", str(ics))
    assert done.exit_code == 0, done.output
    events = _by_summary(ics.read_bytes().decode("utf-8"))
    days = [m for m in note["timeline"] if event_start(m["date_value"], m["precision"])]
    assert len(events) == len(days) > 0
    assert all(m["sequence"] == 0 for m in note["timeline"])  # this one had no --previous
    council, osce = (
        events["NATO-Russia Council meeting"],
        events["OSCE Permanent Council consultations"],
    )
    assert (str(council["STATUS"]), int(council["SEQUENCE"])) == ("CONFIRMED", 1)
    assert (str(osce["STATUS"]), int(osce["SEQUENCE"])) == ("TENTATIVE", 1)
    assert int(events["Stoltenberg-Stefanishyna talks"]["SEQUENCE"]) == 0
    assert "postponed" in str(osce["DESCRIPTION"])
    assert "Sources disagree on the date: 2022-01-14 (s1); 2022-01-13 (s2)" in str(
        osce["DESCRIPTION"]
    )
    (noted,) = [m for m in note["timeline"] if m["name"] == str(osce["SUMMARY"])]
    assert osce.decoded("DTSTART") == dt.date.fromisoformat(noted["date_value"])
    # Monday's events are updated, not duplicated: each keeps its UID in the week's calendar
    monday = {str(e["UID"]) for e in _events(monday_ics.read_bytes().decode("utf-8"))}
    assert monday <= {str(e["UID"]) for e in events.values()}
