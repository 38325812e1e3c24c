"""iCalendar (RFC 5545) for briefings and notes, built with ``icalendar``.

One VEVENT per meeting whose date is day-precise: an all-day event (DTSTART;VALUE=DATE, DTEND
the next day) for a date, a timed one when the value carries a time of day: in UTC for ``Z``,
with a VTIMEZONE of its own for any other UTC offset, floating when it gives none. A meeting
known only to the week, month or vaguer (or to a day of an unknown year) is not turned into a
day it may not be; it stays in the note's other formats.

- ``UID``: the meeting's identity (:func:`summarizer.notes.model.meeting_uid`: forum, kind,
  participants, place; not its title or date), so a calendar that imported an earlier file
  updates the event instead of adding a second one. A briefing's meeting and the same meeting in
  a note share it. When articles given to ``summarize`` together report the same identity on the
  same day, that is one event naming every source; when one identity falls on other days (a
  second round of the same talks), the later events take the date into their UID, as the note
  does (:mod:`summarizer.notes.merge`), so no UID is used twice in one file.
- ``SEQUENCE``: the note meeting's ``sequence``, one more than in the previous note when its
  date or status changed (``summarizer note ... --previous yesterday.json``, the JSON of the
  earlier note); 0 for briefings.
- ``STATUS``: held, under way and scheduled are CONFIRMED; proposed and postponed TENTATIVE
  (the description says postponed); cancelled CANCELLED.
- ``DTSTAMP`` is the latest publication date among the sources (midnight UTC; the Unix epoch
  when none is known), and CREATED and LAST-MODIFIED are left out, so the same input gives the
  same bytes.

A calendar with no day-precise meeting has no VEVENT: it still parses, but RFC 5545 wants at
least one component in a calendar, so strict validators will call it incomplete.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone

from ..notes.model import MeetingReport, Note, NoteMeeting, NoteSource, meeting_uid
from ..schemas import Briefing, Evidence, Meeting, Place, Source, distinct_articles

PRODID = "-//summarizer//briefings//EN"
STATUS = {
    "held": "CONFIRMED",
    "under_way": "CONFIRMED",
    "scheduled": "CONFIRMED",
    "proposed": "TENTATIVE",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}(?::?\d{2})?)?")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

Start = dt.date | dt.datetime


def event_start(value: str | None, precision: str) -> Start | None:
    """The start of a day-precise value: a date, or a datetime when it holds a time of day
    (aware when it gives ``Z`` or an offset); None for anything vaguer, for a year the text
    left open (``XXXX-01-14``) and for a day that does not exist. A time part that is not a
    clock time (TIMEX3 ``TMO``, morning) leaves the whole day."""
    if precision != "day" or not value:
        return None
    day_match = _DAY.match(value)
    if day_match is None:
        return None
    try:
        day = dt.date(int(day_match[1]), int(day_match[2]), int(day_match[3]))
    except ValueError:
        return None
    time = _TIME.fullmatch(value, day_match.end())
    if time is None:
        return day
    hour, minute, second = int(time[1]), int(time[2]), int(time[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return day
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=_zone(time[4]))


def _zone(offset: str | None) -> dt.tzinfo | None:
    if not offset:
        return None
    if offset == "Z":
        return dt.UTC
    sign = 1 if offset[0] == "+" else -1
    digits = offset[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
    return dt.timezone(sign * dt.timedelta(minutes=minutes))


# --- what every event says ---------------------------------------------------------------------


def _location(place: Place | None) -> str | None:
    if place is None:
        return None
    text = ", ".join(p for p in (place.venue, place.city, place.country) if p)
    if not text:
        return None
    return f"{text} (inferred)" if place.inferred else text


def _status_line(kind: str, status: str) -> str:
    line = f"{kind}; status: {status.replace('_', ' ')}"
    if status == "postponed":
        line += " (postponed: the date shown may no longer hold)"
    return line


def _people_lines(meeting: Meeting | NoteMeeting) -> list[str]:
    lines = []
    if meeting.participants:
        people = "; ".join(
            p.name + (f" ({p.role})" if p.role else "") for p in meeting.participants
        )
        lines.append(f"Participants: {people}")
    if meeting.forum:
        lines.append(f"Forum: {meeting.forum}")
    return lines


def _flag(text: str) -> str:
    return "⚠ " + text[:1].upper() + text[1:]


def _quotes(evidence: Iterable[Evidence], prefix: str = "") -> list[str]:
    """Each quote with its character offsets in its source's text."""
    return [f"  “{e.quote}” [{prefix}chars {e.start}–{e.end}]" for e in evidence]


def _source_text(src: Source | NoteSource) -> str:
    published = (
        f"published {src.published} ({src.published_basis})"
        if src.published
        else "publication date unknown"
    )
    bits = (src.title or "untitled", src.publisher, published, src.path)
    return ", ".join(b for b in bits if b)


def _stamp(dates: Iterable[dt.date | None]) -> dt.datetime:
    known = [d for d in dates if d is not None]
    if not known:
        return _EPOCH
    latest = max(known)
    return dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC)


# --- the calendar ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """One VEVENT before it is encoded."""

    uid: str
    name: str
    start: Start
    status: str
    location: str | None
    description: str
    sequence: int


def _calendar(name: str, specs: Sequence[_Spec], stamp: dt.datetime) -> str:
    """The calendar's text: its properties, a VTIMEZONE for each UTC offset a timed event
    gives (so the offset survives a re-parse), then the events."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    offsets = {
        zone.utcoffset(None)
        for s in specs
        if isinstance(s.start, dt.datetime) and (zone := s.start.tzinfo) is not None
    }
    for offset in sorted(o for o in offsets if o):
        calendar.add_component(Timezone.from_tzinfo(dt.timezone(offset)))
    for uid, spec in zip(_unique(s.uid for s in specs), specs, strict=True):
        calendar.add_component(_event(spec, uid, stamp))
    data: bytes = calendar.to_ical()
    return data.decode("utf-8")


def _unique(uids: Iterable[str]) -> list[str]:
    """The UIDs, a repeated one numbered (``-2``, ``-3``...): a last guard, since one file
    must not hold two events of one UID."""
    seen: set[str] = set()
    out = []
    for uid in uids:
        candidate, n = uid, 1
        while candidate in seen:
            n += 1
            candidate = uid.replace("@", f"-{n}@", 1)
        seen.add(candidate)
        out.append(candidate)
    return out


def _event(spec: _Spec, uid: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", spec.name)
    event.add("dtstart", spec.start)
    if not isinstance(spec.start, dt.datetime):
        event.add("dtend", spec.start + dt.timedelta(days=1))
    event.add("status", STATUS[spec.status])
    event.add("sequence", spec.sequence)
    if spec.location:
        event.add("location", spec.location)
    event.add("description", spec.description)
    return event


# --- briefings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Report:
    """One briefing's day-precise meeting."""

    index: int
    order: int
    briefing: Briefing
    meeting: Meeting
    start: Start
    value: str
    uid: str


def _reports(briefings: Sequence[Briefing]) -> list[_Report]:
    """Each day-precise meeting with its UID."""
    found: list[_Report] = []
    for order, briefing in enumerate(briefings):
        for meeting in briefing.meetings:
            date = meeting.date
            start = event_start(date.value, date.precision) if date else None
            if start is None or date is None or date.value is None:
                continue
            uid = meeting_uid(
                kind=meeting.kind,
                forum=meeting.forum,
                participants=[p.name for p in meeting.participants],
                place=meeting.place,
                name=meeting.name,
            )
            found.append(_Report(len(found), order, briefing, meeting, start, date.value, uid))
    return found


def _day(start: Start) -> dt.date:
    return start.date() if isinstance(start, dt.datetime) else start


def _events_of_briefings(reports: list[_Report]) -> list[tuple[str, list[_Report]]]:
    """Reports grouped into events, each with its UID, in the order first reported.

    Reports of one UID and one day from different briefings are one event; the rest of a UID
    (other days, or a briefing's second meeting of that identity) are events of their own, the
    earliest keeping the UID and the later ones taking their date into it."""
    by_uid: dict[str, list[_Report]] = {}
    for report in reports:
        by_uid.setdefault(report.uid, []).append(report)
    events: list[tuple[str, list[_Report]]] = []
    for uid, same in by_uid.items():
        groups: list[list[_Report]] = []
        for report in sorted(same, key=lambda r: (_day(r.start), r.value, r.order)):
            group = next(
                (
                    g
                    for g in groups
                    if _day(g[0].start) == _day(report.start)
                    and all(r.order != report.order for r in g)
                ),
                None,
            )
            if group is None:
                groups.append([report])
            else:
                group.append(report)
        for n, group in enumerate(groups):
            events.append((uid if n == 0 else uid.replace("@", f"-{group[0].value}@", 1), group))
    return sorted(events, key=lambda e: min(r.index for r in e[1]))


def _briefing_spec(uid: str, group: list[_Report]) -> _Spec:
    latest = max(group, key=lambda r: (r.briefing.source.published or dt.date.min, r.order))
    meeting = latest.meeting
    date = meeting.date
    assert date is not None  # only dated meetings make reports
    computed = f"{latest.value}, {date.derivation}" + (f"; {date.mod}" if date.mod else "")
    lines = [
        _status_line(meeting.kind, meeting.status),
        f"Date as written: “{date.text}” ({computed})",
    ]
    if meeting.duration:
        lines.append(f"Duration: {meeting.duration}")
    lines += _people_lines(meeting)
    flags = [f for r in group if r.meeting.date for f in r.meeting.date.flags]
    lines += [_flag(flag) for flag in dict.fromkeys(flags)]
    several = len(group) > 1
    for report in group:
        heard = f" (reports it {report.meeting.status.replace('_', ' ')})" if several else ""
        lines.append(f"Source: {_source_text(report.briefing.source)}{heard}")
        lines += _quotes(report.meeting.evidence)
    return _Spec(
        uid=uid,
        name=meeting.name,
        start=latest.start,
        status=meeting.status,
        location=_location(meeting.place),
        description="\n".join(lines),
        sequence=0,
    )


def briefings_calendar(briefings: Sequence[Briefing]) -> str:
    """One calendar of every day-precise meeting in ``briefings``; see the module doc for
    meetings that several of them report. An article given twice (same text) counts once."""
    briefings = distinct_articles(briefings)
    name = briefings[0].summary.headline if len(briefings) == 1 else "summarizer briefings"
    specs = [_briefing_spec(uid, group) for uid, group in _events_of_briefings(_reports(briefings))]
    return _calendar(name, specs, _stamp(b.source.published for b in briefings))


# --- notes -----------------------------------------------------------------------------------


def _report_lines(report: MeetingReport, sources: dict[str, NoteSource]) -> list[str]:
    said = report.status.replace("_", " ")
    if report.date_text or report.date_value:
        said += f", date “{report.date_text or ''}” ({report.date_value or 'not computed'})"
    head = f"- {report.source}: {_source_text(sources[report.source])}: {said}"
    return [head, *_quotes(report.evidence, f"{report.source} ")]


def _note_spec(meeting: NoteMeeting, start: Start, sources: dict[str, NoteSource]) -> _Spec:
    lines = [
        _status_line(meeting.kind, meeting.status),
        f"Date: {meeting.date_value} (as written: “{meeting.date_text or ''}”)",
    ]
    lines += _people_lines(meeting)
    lines += [_flag(flag) for flag in meeting.flags]
    lines.append("Sources:")
    for report in meeting.reports:
        lines += _report_lines(report, sources)
    return _Spec(
        uid=meeting.uid,
        name=meeting.name,
        start=start,
        status=meeting.status,
        location=_location(meeting.place),
        description="\n".join(lines),
        sequence=meeting.sequence,
    )


def note_calendar(note: Note) -> str:
    """One calendar of the note's day-precise meetings; each names every source's report."""
    sources = {s.id: s for s in note.sources}
    specs = [
        _note_spec(meeting, start, sources)
        for meeting in note.timeline
        if (start := event_start(meeting.date_value, meeting.precision)) is not None
    ]
    return _calendar(note.title, specs, _stamp(s.published for s in note.sources))
