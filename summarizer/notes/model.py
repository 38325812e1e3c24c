"""The briefing note's schema: one note across several articles' briefings.

A note is built by code from briefings (:mod:`summarizer.notes.merge`); it adds nothing a
briefing did not hold. Every meeting report, position and quote keeps the source it came from
(``s1``, ``s2``... in ``sources``) and its character offsets into that source's text. What the
sources disagree on is kept and flagged, never resolved silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..schemas import (
    ClaimAct,
    Delivery,
    Evidence,
    MeetingStatus,
    Origin,
    Participant,
    Place,
    Precision,
    PublishedBasis,
    Speaker,
    Usage,
)

NOTE_SCHEMA_VERSION = "1.0"
UID_DOMAIN = "summarizer"

DisagreementField = Literal["date", "place", "status"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoteSource(_Model):
    """One article the note was built from, with its own summary."""

    id: str = Field(description="s1, s2, ... in order of publication (unknown dates last).")
    title: str | None
    publisher: str | None
    published: dt.date | None
    published_basis: PublishedBasis
    path: str | None
    sha256: str
    headline: str
    lede: str
    origin: Origin = Field(description="Where the briefing's answer came from.")


class MeetingReport(_Model):
    """What one source says of a meeting."""

    source: str = Field(description="The source's id.")
    published: dt.date | None
    name: str
    status: MeetingStatus
    date_text: str | None
    date_value: str | None
    precision: Precision
    place: Place | None
    participants: list[Participant]
    forum: str | None
    evidence: list[Evidence] = Field(description="Quotes with offsets into this source's text.")


class ValueReport(_Model):
    """One value a field took, and the sources that gave it."""

    value: str
    sources: list[str]


class Disagreement(_Model):
    """Sources that give one meeting different dates, places or statuses. A status that
    moved between reports of different days is history, not a disagreement (see
    ``status_history``); two sources of the same day that differ are a disagreement."""

    field: DisagreementField
    values: list[ValueReport]
    note: str


class StatusChange(_Model):
    status: MeetingStatus
    source: str
    published: dt.date | None


class NoteMeeting(_Model):
    """One meeting, reported by one or more sources."""

    id: str = Field(description="n1, n2, ... in timeline order.")
    uid: str = Field(
        description="Stable identity, derived from the meeting's forum, name, participants and "
        "place in its first report, not from its date or title: the same meeting in a rebuilt "
        "note keeps it (used as the calendar UID)."
    )
    name: str
    kind: str
    status: MeetingStatus = Field(description="As the latest report gives it.")
    date_value: str | None = Field(description="As the latest dated report gives it.")
    precision: Precision
    date_text: str | None
    place: Place | None = Field(description="The most specific place any report names.")
    participants: list[Participant] = Field(description="Everyone any report names.")
    forum: str | None
    sources: list[str]
    reports: list[MeetingReport]
    status_history: list[StatusChange] = Field(
        description="Each status in publication order, when it changed between reports."
    )
    disagreements: list[Disagreement]
    flags: list[str] = Field(
        description="Each disagreement, each status that moved, and a place only some sources "
        "name, in words."
    )
    sequence: int = Field(
        default=0,
        description="Revision number: one more than in the previous note when this meeting's "
        "date or status changed since (0 without a previous note).",
    )


class Position(_Model):
    """One claim of a party, from one source."""

    source: str
    published: dt.date | None
    act: ClaimAct
    issue: str
    position: str
    delivery: Delivery
    speaker: str | None
    evidence: list[Evidence]


class NoteParty(_Model):
    """A party as all sources name it; its positions in publication order."""

    name: str = Field(description="The name most sources use.")
    aliases: list[str] = Field(description="Every other name a source uses for it.")
    speakers: list[Speaker]
    sources: list[str]
    positions: list[Position]


class NoteProvenance(_Model):
    summarizer_version: str
    briefing_schema_version: str
    articles: int
    origins: dict[str, int] = Field(description="Briefings per origin: live, recorded, authored.")
    usage: Usage
    merge_rules: str = Field(description="Where the merge rules are documented.")


class Note(_Model):
    """A briefing note across articles: one timeline, positions by party, the sources."""

    schema_version: str = NOTE_SCHEMA_VERSION
    title: str
    as_of: dt.date | None = Field(description="The latest publication date among the sources.")
    sources: list[NoteSource]
    timeline: list[NoteMeeting] = Field(
        description="Meetings in date order; those with no date, or only a vague one, last."
    )
    parties: list[NoteParty]
    provenance: NoteProvenance


# --- identity --------------------------------------------------------------------------------


def words(text: str | None) -> list[str]:
    """Lower-case word tokens without accents, for comparing names as written by different
    outlets ("NATO–Russia Council", "Nato-Russia council")."""
    if not text:
        return []
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", plain.casefold())


def surname(name: str) -> str:
    """The last word of a person's name: "Wendy Sherman" and "Sherman" are one person."""
    found = words(name)
    return found[-1] if found else ""


def meeting_uid(
    *,
    kind: str,
    forum: str | None,
    participants: Iterable[str],
    place: Place | None,
    name: str,
) -> str:
    """A calendar UID from a meeting's identity: its forum, kind, participants' surnames and
    city, not its title or date, so that a meeting whose date or status changes keeps its UID.
    The name's words stand in only when nothing else identifies the meeting."""
    people = sorted({surname(p) for p in participants if surname(p)})
    city = " ".join(words(place.city if place else None) or words(place.country if place else None))
    parts = [" ".join(words(forum)), " ".join(words(kind)), ",".join(people), city]
    if not any(parts[0:1]) and not people:
        parts.append(" ".join(words(name)))
    digest = hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"{digest}@{UID_DOMAIN}"
