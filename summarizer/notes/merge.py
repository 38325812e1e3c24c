"""Briefings to one note: meetings merged by identity, parties by name and alias.

Nothing here asks a model: a note is built from the briefings alone, so every report, claim
and quote in it keeps its source and its offsets into that source's text.

**Sources** are numbered ``s1``, ``s2``... by publication date (undated last, then in the
order given); an article given twice (same text hash) counts once.

**Meetings.** Each briefing's meetings are *reports*. Reports are taken in source order and
each joins the earlier meeting it is the same as, or starts a new one. Two reports from one
source are never the same meeting (a briefing already told its meetings apart). For two
reports of different sources the rule compares:

- *dates*: compatible when equal, when one is more precise and inside the other (the 12th
  inside "January" or inside its ISO week), or when either has none; otherwise conflicting;
- *places*: compatible when the cities (or, lacking a city, the countries) are equal, or when
  either has none or only an inferred one; otherwise conflicting;
- *forum*: the same when its words are equal or one's words contain the other's, or one is the
  other's acronym ("OSCE" and "Organization for Security and Co-operation in Europe");
  different when both name one and they are not the same;
- *participants*: overlapping when a surname is shared; disjoint when both name people and
  none is shared;
- *name*: the words' similarity (rapidfuzz ``token_set_ratio``, 0 to 100).

*Strong* evidence of identity is the same forum, or names at least 85 similar. *Some*
evidence is overlapping participants, or names at least 65 similar. A different forum, or
disjoint participants where the forum is not the same, rules a pair out. With compatible dates
and places, some evidence suffices; a conflicting date or place needs strong evidence, and is
then kept as a disagreement. So two different meetings on one day in one city (other people,
other names) stay apart, and the same council reported for two dates is one meeting with a
flagged disagreement.

A merged meeting takes its name, kind and identity (``uid``) from its first report; its status
from the latest report (the history is kept, and a status that moved is flagged); its date
from the most precise report (the latest among equals, or the latest when reports conflict);
its place from the most specific report; participants from all reports. Flags name every
disagreement, every status that moved, and a place that only some sources name.

**Parties** are unified across sources when a name or alias of one equals (in words, a leading
"the" aside) a name or alias of the other, or is its acronym ("UAW", "United Auto Workers").
Within one briefing parties stay apart. A party's name is the one most sources use; the rest
become aliases. Positions are listed by publication date, each with its source and quotes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from .._version import __version__
from ..schemas import (
    SCHEMA_VERSION,
    Briefing,
    Meeting,
    Participant,
    Party,
    Place,
    Speaker,
    Usage,
    distinct_articles,
)
from .model import (
    Disagreement,
    MeetingReport,
    Note,
    NoteMeeting,
    NoteParty,
    NoteProvenance,
    NoteSource,
    Position,
    StatusChange,
    ValueReport,
    meeting_uid,
    surname,
    words,
)

STRONG_NAME = 85
SOME_NAME = 65
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "season": 4, "year": 5}
_SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "de", "du", "des", "la", "le", "a"}

Relation = Literal["same", "compatible", "conflict"]


# --- sources ---------------------------------------------------------------------------------


def _sources(briefings: Sequence[Briefing]) -> list[tuple[str, Briefing]]:
    unique = distinct_articles(briefings)
    order = sorted(
        range(len(unique)),
        key=lambda i: (
            unique[i].source.published is None,
            unique[i].source.published or dt.date.min,
            i,
        ),
    )
    return [(f"s{n}", unique[i]) for n, i in enumerate(order, start=1)]


def _note_source(source_id: str, briefing: Briefing) -> NoteSource:
    src = briefing.source
    return NoteSource(
        id=source_id,
        title=src.title,
        publisher=src.publisher,
        published=src.published,
        published_basis=src.published_basis,
        path=src.path,
        sha256=src.sha256,
        headline=briefing.summary.headline,
        lede=briefing.summary.lede,
        origin=briefing.provenance.origin,
    )


# --- dates and places --------------------------------------------------------------------------


def date_span(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date value covers: a day, an ISO week, a month or a year."""
    if not value:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?", value):
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return monday, monday + dt.timedelta(days=6)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        first = dt.date(int(m[1]), int(m[2]), 1)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    if m := re.fullmatch(r"(\d{4})", value):
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    return None


def date_relation(a: str | None, b: str | None) -> Relation:
    """Equal spans are the same; one inside the other, or either unknown, compatible."""
    span_a, span_b = date_span(a), date_span(b)
    if span_a is None or span_b is None:
        return "compatible"
    if span_a == span_b:
        return "same"
    inside = (span_a[0] >= span_b[0] and span_a[1] <= span_b[1]) or (
        span_b[0] >= span_a[0] and span_b[1] <= span_a[1]
    )
    return "compatible" if inside else "conflict"


def _place_key(place: Place | None) -> str | None:
    if place is None or place.inferred:
        return None
    found = words(place.city) or words(place.country)
    return " ".join(found) or None


def place_relation(a: Place | None, b: Place | None) -> Relation:
    key_a, key_b = _place_key(a), _place_key(b)
    if key_a is None or key_b is None:
        return "compatible"
    return "same" if key_a == key_b else "conflict"


# --- names -----------------------------------------------------------------------------------


def _acronym(text: str) -> str:
    return "".join(w[0] for w in words(text) if w not in _SMALL_WORDS)


def _is_acronym_of(short: str, long: str) -> bool:
    compact = "".join(words(short))
    return 2 <= len(compact) <= 6 and len(words(long)) > 1 and compact == _acronym(long)


def _forum_forms(forum: str) -> set[str]:
    """A forum's word forms: the whole, and each part in and out of parentheses
    ("Permanent Council of the OSCE (OSCE)")."""
    forms = {" ".join(words(forum))}
    for inner in re.findall(r"\(([^)]*)\)", forum):
        forms.add(" ".join(words(inner)))
    forms.add(" ".join(words(re.sub(r"\([^)]*\)", " ", forum))))
    return {f for f in forms if f}


def forum_relation(a: str | None, b: str | None) -> Relation:
    if not a or not b:
        return "compatible"
    forms_a, forms_b = _forum_forms(a), _forum_forms(b)
    for x in forms_a:
        for y in forms_b:
            if x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} ":
                return "same"
            if _is_acronym_of(x, y) or _is_acronym_of(y, x):
                return "same"
    return "conflict"


def name_similarity(a: str, b: str) -> float:
    return float(fuzz.token_set_ratio(" ".join(words(a)), " ".join(words(b))))


def _people(participants: Sequence[Participant]) -> set[str]:
    return {surname(p.name) for p in participants if surname(p.name)}


# --- meetings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    same: bool
    strong: bool
    reason: str


def same_meeting(a: MeetingReport, b: MeetingReport) -> Verdict:
    """Whether two reports (of different sources) are one meeting; see the module doc."""
    if a.source == b.source:
        return Verdict(False, False, "one source's meetings are distinct")
    forum = forum_relation(a.forum, b.forum)
    similar = name_similarity(a.name, b.name)
    people_a, people_b = _people(a.participants), _people(b.participants)
    shared = people_a & people_b
    disjoint = bool(people_a and people_b and not shared)
    if forum == "conflict" and similar < 90:
        return Verdict(False, False, "different forums")
    strong = forum == "same" or similar >= STRONG_NAME
    if disjoint and forum != "same":
        return Verdict(False, False, "no participant in common")
    some = strong or bool(shared) or similar >= SOME_NAME
    conflicts = [
        what
        for what, relation in (
            ("date", date_relation(a.date_value, b.date_value)),
            ("place", place_relation(a.place, b.place)),
        )
        if relation == "conflict"
    ]
    if conflicts and not strong:
        return Verdict(False, False, f"{' and '.join(conflicts)} differ, identity not strong")
    if not some:
        return Verdict(False, False, "nothing identifies them as one")
    return Verdict(True, strong, "same forum" if forum == "same" else f"names {similar:.0f}")


def _report(source_id: str, published: dt.date | None, meeting: Meeting) -> MeetingReport:
    date = meeting.date
    return MeetingReport(
        source=source_id,
        published=published,
        name=meeting.name,
        status=meeting.status,
        date_text=date.text if date else None,
        date_value=date.value if date else None,
        precision=date.precision if date else "unknown",
        place=meeting.place,
        participants=meeting.participants,
        forum=meeting.forum,
        evidence=meeting.evidence,
    )


@dataclass
class _Cluster:
    reports: list[MeetingReport] = field(default_factory=list)
    kind: str = ""


def _cluster(reports: list[tuple[MeetingReport, str]]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for report, kind in reports:
        best: tuple[tuple[bool, float], _Cluster] | None = None
        for cluster in clusters:
            if any(r.source == report.source for r in cluster.reports):
                continue
            verdicts = [same_meeting(r, report) for r in cluster.reports]
            if not any(v.same for v in verdicts) or any(
                not v.same and v.reason in ("different forums", "no participant in common")
                for v in verdicts
            ):
                continue
            rank = (
                any(v.strong for v in verdicts),
                max(name_similarity(r.name, report.name) for r in cluster.reports),
            )
            if best is None or rank > best[0]:
                best = (rank, cluster)
        if best is None:
            clusters.append(_Cluster([report], kind))
        else:
            best[1].reports.append(report)
    return clusters


def _latest(reports: Sequence[MeetingReport], order: dict[str, int]) -> MeetingReport:
    return max(reports, key=lambda r: (r.published or dt.date.min, order[r.source]))


def _grouped(pairs: list[tuple[str, str]]) -> list[ValueReport]:
    by_value: dict[str, list[str]] = {}
    for value, source in pairs:
        by_value.setdefault(value, [])
        if source not in by_value[value]:
            by_value[value].append(source)
    return [ValueReport(value=v, sources=s) for v, s in by_value.items()]


def _disagreements(
    reports: list[MeetingReport],
) -> tuple[list[Disagreement], list[str]]:
    found: list[Disagreement] = []
    flags: list[str] = []
    dated = [r for r in reports if date_span(r.date_value) is not None]
    conflicts = {
        (a.source, b.source)
        for a in dated
        for b in dated
        if a.source < b.source and date_relation(a.date_value, b.date_value) == "conflict"
    }
    if conflicts:
        values = _grouped([(str(r.date_value), r.source) for r in dated])
        text = "; ".join(f"{v.value} ({', '.join(v.sources)})" for v in values)
        found.append(
            Disagreement(field="date", values=values, note=f"sources give other dates: {text}")
        )
        flags.append(f"sources disagree on the date: {text}")
    placed = [r for r in reports if _place_key(r.place) is not None]
    if len({_place_key(r.place) for r in placed}) > 1:
        values = _grouped([(_place_text(r.place), r.source) for r in placed])
        text = "; ".join(f"{v.value} ({', '.join(v.sources)})" for v in values)
        found.append(
            Disagreement(field="place", values=values, note=f"sources give other places: {text}")
        )
        flags.append(f"sources disagree on the place: {text}")
    elif placed and len(placed) < len(reports):
        named = ", ".join(r.source for r in placed)
        silent = ", ".join(r.source for r in reports if r not in placed)
        flags.append(
            f"place {_place_text(placed[0].place)} named by {named} only; {silent} name none"
        )
    by_day: dict[dt.date | None, list[MeetingReport]] = {}
    for report in reports:
        by_day.setdefault(report.published, []).append(report)
    for day, same_day in by_day.items():
        if day is not None and len({r.status for r in same_day}) > 1:
            values = _grouped([(r.status, r.source) for r in same_day])
            text = "; ".join(f"{v.value} ({', '.join(v.sources)})" for v in values)
            found.append(
                Disagreement(field="status", values=values, note=f"same-day reports differ: {text}")
            )
            flags.append(f"sources of {day} disagree on the status: {text}")
    return found, flags


def _place_text(place: Place | None) -> str:
    if place is None:
        return "unknown"
    parts = [p for p in (place.venue, place.city, place.country) if p]
    return ", ".join(parts) + (" (inferred)" if place.inferred else "")


def _history(reports: list[MeetingReport], order: dict[str, int]) -> list[StatusChange]:
    ordered = sorted(reports, key=lambda r: (r.published or dt.date.min, order[r.source]))
    history: list[StatusChange] = []
    for report in ordered:
        if not history or history[-1].status != report.status:
            history.append(
                StatusChange(status=report.status, source=report.source, published=report.published)
            )
    return history


def _best_date(reports: list[MeetingReport], order: dict[str, int]) -> MeetingReport | None:
    dated = [r for r in reports if r.date_value]
    if not dated:
        return None
    conflict = any(
        date_relation(a.date_value, b.date_value) == "conflict" for a in dated for b in dated
    )
    if conflict:
        return _latest(dated, order)
    return min(
        dated,
        key=lambda r: (
            _PRECISION_RANK.get(r.precision, 9),
            -(r.published or dt.date.min).toordinal(),
            -order[r.source],
        ),
    )


def _best_place(reports: list[MeetingReport], order: dict[str, int]) -> Place | None:
    placed = [r for r in reports if r.place is not None]
    if not placed:
        return None
    keys = {_place_key(r.place) for r in placed if _place_key(r.place)}
    if len(keys) > 1:
        return _latest([r for r in placed if _place_key(r.place)], order).place

    def specific(r: MeetingReport) -> tuple[int, int]:
        assert r.place is not None
        filled = sum(1 for p in (r.place.venue, r.place.city, r.place.country) if p)
        return (0 if r.place.inferred else 1, filled)

    return max(placed, key=specific).place


def _participants(reports: list[MeetingReport]) -> list[Participant]:
    by_person: dict[str, Participant] = {}
    for report in reports:
        for person in report.participants:
            key = surname(person.name) or person.name
            known = by_person.get(key)
            if known is None or len(person.name) > len(known.name):
                by_person[key] = Participant(
                    name=person.name,
                    role=person.role or (known.role if known else None),
                    side=person.side or (known.side if known else None),
                )
    return list(by_person.values())


def _merged(cluster: _Cluster, order: dict[str, int]) -> NoteMeeting:
    reports = sorted(cluster.reports, key=lambda r: order[r.source])
    first, latest = reports[0], _latest(reports, order)
    dated = _best_date(reports, order)
    disagreements, flags = _disagreements(reports)
    history = _history(reports, order)
    if len(history) > 1:
        moves = " → ".join(f"{h.status} ({h.source})" for h in history)
        flags.append(f"status moved: {moves}")
    uid = meeting_uid(
        kind=cluster.kind,
        forum=first.forum,
        participants=[p.name for p in first.participants],
        place=first.place,
        name=first.name,
    )
    meeting = NoteMeeting(
        id="",
        uid=uid,
        name=first.name,
        kind=cluster.kind,
        status=latest.status,
        date_value=dated.date_value if dated else None,
        precision=dated.precision if dated else "unknown",
        date_text=dated.date_text if dated else first.date_text,
        place=_best_place(reports, order),
        participants=_participants(reports),
        forum=next((r.forum for r in reports if r.forum), None),
        sources=[r.source for r in reports],
        reports=reports,
        status_history=history,
        disagreements=disagreements,
        flags=flags,
    )
    return meeting


def _sequence(meeting: NoteMeeting, previous: dict[str, NoteMeeting]) -> int:
    before = previous.get(meeting.uid)
    if before is None:
        return 0
    moved = (before.date_value, before.status) != (meeting.date_value, meeting.status)
    return before.sequence + 1 if moved else before.sequence


def _timeline_key(meeting: NoteMeeting) -> tuple[int, dt.date, str]:
    span = date_span(meeting.date_value)
    vague = meeting.precision not in ("day", "week", "month") or span is None
    return (1 if vague else 0, span[0] if span else dt.date.max, meeting.name)


def _timeline(sources: list[tuple[str, Briefing]], previous: Note | None) -> list[NoteMeeting]:
    order = {source_id: n for n, (source_id, _) in enumerate(sources)}
    reports = [
        (_report(source_id, briefing.source.published, meeting), meeting.kind)
        for source_id, briefing in sources
        for meeting in briefing.meetings
    ]
    before = {m.uid: m for m in previous.timeline} if previous else {}
    merged = [_merged(c, order) for c in _cluster(reports)]
    seen: Counter[str] = Counter()
    timeline = []
    for meeting in sorted(merged, key=_timeline_key):
        seen[meeting.uid] += 1
        if seen[meeting.uid] > 1:  # two meetings of one identity: the later gets its date
            meeting = meeting.model_copy(
                update={
                    "uid": meeting.uid.replace("@", f"-{meeting.date_value or seen[meeting.uid]}@")
                }
            )
        timeline.append(meeting)
    return [
        m.model_copy(update={"id": f"n{n}", "sequence": _sequence(m, before)})
        for n, m in enumerate(timeline, start=1)
    ]


# --- parties ---------------------------------------------------------------------------------


def _party_keys(names: Sequence[str]) -> set[str]:
    keys = set()
    for name in names:
        found = words(name)
        if found and found[0] == "the":
            found = found[1:]
        if found:
            keys.add(" ".join(found))
    return keys


def _same_party(names_a: Sequence[str], names_b: Sequence[str]) -> bool:
    keys_a, keys_b = _party_keys(names_a), _party_keys(names_b)
    if keys_a & keys_b:
        return True
    return any(_is_acronym_of(x, y) or _is_acronym_of(y, x) for x in keys_a for y in keys_b)


@dataclass
class _PartyGroup:
    members: list[tuple[str, dt.date | None, Party]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


def _parties(sources: list[tuple[str, Briefing]]) -> list[NoteParty]:
    groups: list[_PartyGroup] = []
    for source_id, briefing in sources:
        claimed: set[int] = set()
        for party in briefing.parties:
            names = [party.name, *party.aliases]
            match = next(
                (
                    n
                    for n, g in enumerate(groups)
                    if n not in claimed
                    and source_id not in g.sources
                    and _same_party(g.names, names)
                ),
                None,
            )
            if match is None:
                groups.append(_PartyGroup())
                match = len(groups) - 1
            claimed.add(match)
            group = groups[match]
            group.members.append((source_id, briefing.source.published, party))
            group.names.extend(names)
            group.sources.add(source_id)
    return [_note_party(g) for g in groups]


def _note_party(group: _PartyGroup) -> NoteParty:
    members = group.members
    counted = Counter(p.name for _, _, p in members)
    first_seen = {p.name: n for n, (_, _, p) in reversed(list(enumerate(members)))}
    name = max(counted, key=lambda n: (counted[n], -first_seen[n]))
    aliases: list[str] = []
    keys = _party_keys([name])
    for _, _, party in members:
        for alias in [party.name, *party.aliases]:
            key = " ".join(words(alias))
            if key and key not in keys:
                keys.add(key)
                aliases.append(alias)
    speakers: dict[str, Speaker] = {}
    for _, _, party in members:
        for speaker in party.speakers:
            speakers.setdefault(surname(speaker.name) or speaker.name, speaker)
    positions = [
        Position(
            source=source_id,
            published=published,
            act=claim.act,
            issue=claim.issue,
            position=claim.position,
            delivery=claim.delivery,
            speaker=claim.speaker,
            evidence=claim.evidence,
        )
        for source_id, published, party in members
        for claim in party.claims
    ]
    return NoteParty(
        name=name,
        aliases=aliases,
        speakers=list(speakers.values()),
        sources=[s for s, _, _ in members],
        positions=positions,
    )


# --- the note --------------------------------------------------------------------------------


def _title(parties: list[NoteParty], sources: list[NoteSource]) -> str:
    leading = sorted(parties, key=lambda p: (-len(p.sources), -len(p.positions)))[:3]
    dates = [s.published for s in sources if s.published]
    span = f", {min(dates)} to {max(dates)}" if len(set(dates)) > 1 else ""
    who = ", ".join(p.name for p in leading) or "Briefing note"
    return f"{who}: {len(sources)} article{'s' if len(sources) != 1 else ''}{span}"


def build_note(
    briefings: Sequence[Briefing], *, previous: Note | None = None, title: str | None = None
) -> Note:
    """One note from ``briefings``; with ``previous`` (an earlier note of the same story), a
    meeting whose date or status changed since gets the next ``sequence``."""
    if not briefings:
        raise ValueError("a note needs at least one briefing")
    sources = _sources(briefings)
    note_sources = [_note_source(source_id, b) for source_id, b in sources]
    parties = _parties(sources)
    usage = Usage()
    for _, briefing in sources:
        usage = usage.add(briefing.provenance.usage)
    dates = [s.published for s in note_sources if s.published]
    return Note(
        title=title or _title(parties, note_sources),
        as_of=max(dates) if dates else None,
        sources=note_sources,
        timeline=_timeline(sources, previous),
        parties=parties,
        provenance=NoteProvenance(
            summarizer_version=__version__,
            briefing_schema_version=SCHEMA_VERSION,
            articles=len(sources),
            origins=dict(Counter(b.provenance.origin for _, b in sources)),
            usage=usage,
            merge_rules="summarizer/notes/merge.py (module docstring)",
        ),
    )
