"""iCalendar (RFC 5545) for briefings and notes, built with ``icalendar``.

One VEVENT per meeting whose date is day-precise: an all-day event for a date, a timed one when
the value carries a time of day (with its UTC offset when it gives one, floating otherwise).
A meeting known only to the week, month or vaguer is not turned into a day it may not be; it
stays in the note's other formats.

- ``UID``: the meeting's identity (:func:`summarizer.notes.model.meeting_uid`: forum, kind,
  participants, place; not its title or date), so a calendar that imported an earlier file
  updates the event instead of adding a second one. A briefing's meeting and the same meeting in
  a note share it.
- ``SEQUENCE``: the note meeting's ``sequence``, one more than in the previous note when its
  date or status changed (``summarizer note --previous yesterday.json``); 0 for briefings.
- ``STATUS``: held, under way and scheduled are CONFIRMED; proposed and postponed TENTATIVE
  (the description says postponed); cancelled CANCELLED.
- ``DTSTAMP`` is the latest publication date among the sources (midnight UTC), so the same
  input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from ..notes.model import Note, NoteMeeting, meeting_uid
from ..schemas import Briefing, Meeting, Place

PRODID = "-//summarizer//briefings//EN"
_STATUS = {
    "held": "CONFIRMED",
    "under_way": "CONFIRMED",
    "scheduled": "CONFIRMED",
    "proposed": "TENTATIVE",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def event_start(value: str | None, precision: str) -> dt.date | dt.datetime | None:
    """The start of a day-precise value: a date, or a datetime when it holds a time of day
    (aware when it gives an offset), else None."""
    if precision != "day" or not value:
        return None
    match = _DAY.fullmatch(value)
    if match is None:
        return None
    day = dt.date.fromisoformat(match[1])
    if match[2] is None:
        return day
    zone: dt.tzinfo | None = None
    if match[5] == "Z":
        zone = dt.UTC
    elif match[5]:
        sign = 1 if match[5][0] == "+" else -1
        digits = match[5][1:].replace(":", "")
        zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return dt.datetime(
        day.year, day.month, day.day, int(match[2]), int(match[3]), int(match[4] or 0), tzinfo=zone
    )


def _location(place: Place | None) -> str | None:
    if place is None:
        return None
    text = ", ".join(p for p in (place.venue, place.city, place.country) if p)
    if not text:
        return None
    return f"{text} (inferred)" if place.inferred else text


def _stamp(dates: Sequence[dt.date | None]) -> dt.datetime:
    known = [d for d in dates if d is not None]
    if not known:
        return _EPOCH
    latest = max(known)
    return dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC)


def _calendar(name: str) -> object:
    from icalendar import Calendar  # lazy: only this format needs it

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(
    *,
    uid: str,
    name: str,
    start: dt.date | dt.datetime,
    status: str,
    location: str | None,
    description: str,
    stamp: dt.datetime,
    sequence: int,
) -> object:
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", name)
    if isinstance(start, dt.datetime):
        event.add("dtstart", start)
    else:
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(days=1))
    event.add("status", _STATUS[status])
    event.add("sequence", sequence)
    if location:
        event.add("location", location)
    event.add("description", description)
    return event


def _people(meeting: Meeting | NoteMeeting) -> str:
    return "; ".join(p.name + (f" ({p.role})" if p.role else "") for p in meeting.participants)


def _meeting_lines(meeting: Meeting | NoteMeeting, date_line: str) -> list[str]:
    lines = [f"{meeting.kind}; status: {meeting.status.replace('_', ' ')}", date_line]
    if meeting.participants:
        lines.append(f"Participants: {_people(meeting)}")
    if meeting.forum:
        lines.append(f"Forum: {meeting.forum}")
    return lines


def briefings_calendar(briefings: Sequence[Briefing]) -> str:
    """One calendar of every day-precise meeting in ``briefings``."""
    name = briefings[0].summary.headline if len(briefings) == 1 else "summarizer briefings"
    calendar = _calendar(name)
    stamp = _stamp([b.source.published for b in briefings])
    for briefing in briefings:
        src = briefing.source
        source_line = "Source: " + ", ".join(
            bit
            for bit in (
                src.title or "untitled",
                src.publisher or "",
                f"published {src.published} ({src.published_basis})" if src.published else "",
                src.path or "",
            )
            if bit
        )
        for meeting in briefing.meetings:
            date = meeting.date
            start = event_start(date.value, date.precision) if date else None
            if start is None or date is None:
                continue
            lines = _meeting_lines(meeting, f"Date as written: “{date.text}” ({date.derivation})")
            lines += [f"Flag: {flag}" for flag in date.flags]
            lines.append(source_line)
            lines += [f"“{e.quote}” [chars {e.start}–{e.end}]" for e in meeting.evidence]
            uid = meeting_uid(
                kind=meeting.kind,
                forum=meeting.forum,
                participants=[p.name for p in meeting.participants],
                place=meeting.place,
                name=meeting.name,
            )
            calendar.add_component(  # type: ignore[attr-defined]
                _event(
                    uid=uid,
                    name=meeting.name,
                    start=start,
                    status=meeting.status,
                    location=_location(meeting.place),
                    description="\n".join(lines),
                    stamp=stamp,
                    sequence=0,
                )
            )
    return _ical(calendar)


def note_calendar(note: Note) -> str:
    """One calendar of the note's day-precise meetings; each names every source."""
    calendar = _calendar(note.title)
    stamp = _stamp([s.published for s in note.sources])
    titles = {
        s.id: f"{s.id}: {s.title or 'untitled'}" + (f", {s.published}" if s.published else "")
        for s in note.sources
    }
    for meeting in note.timeline:
        start = event_start(meeting.date_value, meeting.precision)
        if start is None:
            continue
        lines = _meeting_lines(meeting, f"Date: {meeting.date_value} (“{meeting.date_text}”)")
        lines += [f"⚠ {flag}" for flag in meeting.flags]
        lines.append("Sources:")
        for report in meeting.reports:
            lines.append(f"- {titles[report.source]} ({report.status.replace('_', ' ')})")
            lines += [
                f"  “{e.quote}” [{report.source} chars {e.start}–{e.end}]" for e in report.evidence
            ]
        calendar.add_component(  # type: ignore[attr-defined]
            _event(
                uid=meeting.uid,
                name=meeting.name,
                start=start,
                status=meeting.status,
                location=_location(meeting.place),
                description="\n".join(lines),
                stamp=stamp,
                sequence=meeting.sequence,
            )
        )
    return _ical(calendar)


def _ical(calendar: object) -> str:
    data: bytes = calendar.to_ical()  # type: ignore[attr-defined]
    return data.decode("utf-8")
