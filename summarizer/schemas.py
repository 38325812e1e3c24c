"""Pydantic schemas: what the model is asked to fill in, and the briefing summarizer emits.

Two layers on purpose. ``BriefingDraft`` is the model's answer: only what a reader can take
from the text (quotes as written, dates as written and what they hang on). ``Briefing`` is the
product: the draft plus what code computes and the model is never trusted with — character
offsets, calendar values, the source's hash and the provenance of the answer.

This module imports nothing of summarizer's capabilities: the grounding check is attached to the
draft from the grounding layer (``summarizer.grounding.check.GroundedDraft``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "2.1"

ClaimAct = Literal[
    "demand",
    "rejection",
    "accusation",
    "warning",
    "commitment",
    "denial",
    "statement",
    "assessment",
    "proposal",
    "appeal",
]
Delivery = Literal["direct_quote", "reported_speech", "narration"]
MeetingStatus = Literal["held", "under_way", "scheduled", "proposed", "postponed", "cancelled"]
Origin = Literal["live", "recorded", "authored"]
PublishedBasis = Literal["given", "metadata", "article", "inferred", "unknown"]
Precision = Literal[
    "day",
    "week",
    "month",
    "quarter",
    "season",
    "year",
    "decade",
    "present",
    "past",
    "future",
    "unknown",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- model-facing draft


class SupportedSentence(_Model):
    """A sentence of the summary and the article's own words that say it."""

    text: str = Field(description="The sentence, in your own words.")
    support: list[str] = Field(
        min_length=1,
        description=(
            "One or more verbatim passages copied character for character from the article "
            "that say what the sentence says, with every number and name it uses. No "
            "paraphrase; use '...' to join parts of one sentence."
        ),
    )


class DraftSummary(_Model):
    """What happened, for a reader with thirty seconds, each sentence backed by the text."""

    headline: str = Field(
        description="A factual headline of at most 15 words, using only names and numbers "
        "the article gives."
    )
    lede: list[SupportedSentence] = Field(
        min_length=1,
        max_length=3,
        description="One to three sentences: who did what, where, when.",
    )
    key_points: list[SupportedSentence] = Field(
        min_length=3,
        max_length=7,
        description="Three to seven short, distinct points, most important first.",
    )


class Speaker(_Model):
    """A person who speaks for a party in the article."""

    name: str = Field(description="The person's name exactly as the article spells it.")
    role: str | None = Field(
        default=None, description="Their role or title as the article gives it, else null."
    )


class DraftClaim(_Model):
    """One position a party takes, backed by the article's own words."""

    act: ClaimAct = Field(description="The kind of speech act this position is.")
    issue: str = Field(description="The issue it concerns, in a few words.")
    position: str = Field(
        description="The position in one neutral sentence of your own, in the party's voice."
    )
    delivery: Delivery = Field(
        description=(
            "direct_quote when the article quotes the words in quotation marks, reported_speech "
            "when it reports what was said without quoting, narration when the journalist "
            "states it."
        )
    )
    speaker: str | None = Field(
        default=None, description="Name of the speaker as in the article, if one is named."
    )
    quotes: list[str] = Field(
        min_length=1,
        description=(
            "Verbatim passages copied character for character from the article that show this "
            "position. No paraphrase, no added words; use '...' to join parts of one sentence."
        ),
    )


class DraftParty(_Model):
    """A country, organisation or group whose positions the article reports."""

    name: str = Field(description="Canonical name, e.g. 'United States', 'NATO'.")
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names the article uses for this party, exactly as written.",
    )
    speakers: list[Speaker] = Field(default_factory=list)
    claims: list[DraftClaim] = Field(
        default_factory=list,
        description="Positions the article attributes to this party. Never invent one: a party "
        "that only appears in the story gets an empty list.",
    )


class Place(_Model):
    """Where a meeting happens."""

    city: str | None = None
    country: str | None = None
    venue: str | None = None
    inferred: bool = Field(
        default=False,
        description="True when the article does not state the place and it is only implied.",
    )


class Participant(_Model):
    """Someone taking part in a meeting."""

    name: str = Field(description="Name as written in the article.")
    role: str | None = None
    side: str | None = Field(default=None, description="The party they represent.")


class DraftMeeting(_Model):
    """A meeting, talks or session the article says was held, is under way or is planned."""

    id: str = Field(description="Short id unique within this answer: m1, m2, ...")
    name: str = Field(description="A descriptive name, e.g. 'US-Russia security talks'.")
    kind: str = Field(
        description="bilateral talks, consultations, council session, press conference, ..."
    )
    status: MeetingStatus = Field(
        description="As of the article's own time: held, under_way, scheduled, proposed, "
        "postponed or cancelled."
    )
    date_text: str | None = Field(
        default=None,
        description="The date expression exactly as written ('Monday, January 10', 'Two days "
        "later', 'The day before'); null when the article gives none. Never compute a date.",
    )
    date_relative_to: str | None = Field(
        default=None,
        description="'publication' when the expression is read from the article's own date "
        "(Monday, January 14, next week), or the id of the meeting it counts from ('the day "
        "before' the talks); null when date_text is null.",
    )
    duration: str | None = Field(default=None, description="Duration as written, if stated.")
    place: Place | None = None
    participants: list[Participant] = Field(default_factory=list)
    forum: str | None = Field(
        default=None, description="The body or organiser hosting it, e.g. 'OSCE Permanent Council'."
    )
    quotes: list[str] = Field(
        min_length=1,
        description="Verbatim passages from the article that report this meeting.",
    )


class BriefingDraft(_Model):
    """A briefing on one news article: summary, each party's positions, and the meetings."""

    summary: DraftSummary
    publisher: str | None = Field(
        default=None,
        description="The publisher, only if the article names it (as written), else null.",
    )
    parties: list[DraftParty]
    meetings: list[DraftMeeting]


# --------------------------------------------------------------------------- emitted briefing


class Evidence(_Model):
    """A quote from the article with offsets computed by summarizer, never by the model."""

    quote: str
    start: int | None = Field(default=None, description="Character offset of the match start.")
    end: int | None = Field(default=None, description="Character offset just past the match.")
    verified: bool = Field(description="True when the quote was found in the source text.")


class CitedSentence(_Model):
    """A summary sentence with the passages of the article that support it."""

    text: str
    evidence: list[Evidence] = Field(description="The supporting passages, with offsets.")
    flags: list[str] = Field(
        default_factory=list,
        description="Kept, but suspect: a number or name not in its cited passages, a "
        "negation they do not carry.",
    )


class Summary(_Model):
    """What happened: every lede sentence and key point cites the article."""

    headline: str
    lede: str = Field(description="The lede's sentences, joined.")
    lede_sentences: list[CitedSentence]
    key_points: list[CitedSentence]


class Claim(_Model):
    act: ClaimAct
    issue: str
    position: str
    delivery: Delivery
    speaker: str | None = None
    evidence: list[Evidence]


class Party(_Model):
    name: str
    aliases: list[str]
    speakers: list[Speaker]
    claims: list[Claim]


class MeetingDate(_Model):
    """A date as written and as computed by summarizer's resolver."""

    text: str
    relative_to: str | None = None
    value: str | None = Field(
        default=None,
        description="TIMEX3-style value: 2022-01-14, 2022-01, 2022-W02, 2022, or XXXX-01-14 "
        "when the text does not fix the year.",
    )
    precision: Precision = "unknown"
    mod: str | None = Field(
        default=None,
        description="TIMEX3 mod, the part of the period meant: START (early December), MID, "
        "END (the end of 2019), APPROX (about two weeks ago), MORE_THAN, LESS_THAN.",
    )
    derivation: str = Field(description="How the value was computed.")
    flags: list[str] = Field(
        default_factory=list,
        description="Inconsistencies found: a weekday that disagrees with the date, a scheduled "
        "meeting dated before publication, a held one dated after.",
    )


class Meeting(_Model):
    id: str
    name: str
    kind: str
    status: MeetingStatus
    date: MeetingDate | None = None
    duration: str | None = None
    place: Place | None = None
    participants: list[Participant]
    forum: str | None = None
    evidence: list[Evidence]


class Source(_Model):
    title: str | None
    publisher: str | None
    published: dt.date | None
    published_basis: PublishedBasis = Field(
        description="given (--published), metadata (a saved web page's own metadata), "
        "article (a dateline in the text), inferred, or unknown."
    )
    published_note: str | None = Field(
        default=None, description="How an inferred publication date was inferred."
    )
    path: str | None
    extracted_from: Literal["html"] | None = Field(
        default=None,
        description="html when the text was extracted from a saved web page (its main text; "
        "navigation, scripts and comments left out).",
    )
    sha256: str = Field(description="SHA-256 of the text as normalised (see offsets_in).")
    characters: int
    offsets_in: str = Field(
        default="the article text as read",
        description="What every character offset in the briefing counts in: the article's "
        "text after normalisation (line endings to LF, Unicode NFC) when it needed any.",
    )


class Usage(_Model):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def add(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class ValidationIssue(_Model):
    item: str = Field(description="Which part of the briefing, e.g. parties[0].claims[1].")
    problem: str


class ValidationRound(_Model):
    attempt: int
    failed: int
    problems: list[str] = Field(description="Each failed item and the reason sent back.")


class ValidationReport(_Model):
    """What grounding found: every quote, name, place and date checked against the source."""

    checked: int = Field(default=0, description="Items checked in the answer that was kept.")
    failed: int = Field(
        default=0, description="Items that failed in the first answer that passed the schema."
    )
    fixed_by_reask: int = Field(
        default=0,
        description=(
            "Items of that first answer that no longer fail at the same place in the kept one."
        ),
    )
    dropped: int = Field(
        default=0, description="Items removed because they still failed when re-asks ran out."
    )
    attempts: int = Field(default=1, description="Answers requested, the first included.")
    reask_tokens: int = Field(default=0, description="Tokens spent on re-asks.")
    issues: list[ValidationIssue] = Field(
        default_factory=list, description="The dropped items and why."
    )
    rounds: list[ValidationRound] = Field(default_factory=list)


class Provenance(_Model):
    model: str = Field(description="The model requested.")
    answered_by: list[str] = Field(
        default_factory=list,
        description="The model names the answers carried (a server may answer with another "
        "version; an authored fixture says it was written by hand).",
    )
    mode: str
    origin: Origin = Field(
        description="live: a model answered now; recorded: replayed from a recorded exchange; "
        "authored: replayed from an answer a person wrote."
    )
    fixtures: list[str] = Field(
        default_factory=list, description="Keys of the fixture files that answered."
    )
    template_hash: str
    schema_version: str
    summarizer_version: str
    attempts: int
    usage: Usage
    validation: ValidationReport


class Briefing(_Model):
    """A validated, source-grounded briefing on one news article."""

    schema_version: str = SCHEMA_VERSION
    source: Source
    summary: Summary
    parties: list[Party]
    meetings: list[Meeting]
    provenance: Provenance


def distinct_articles(briefings: Sequence[Briefing]) -> list[Briefing]:
    """The briefings in order, an article given twice (same text hash) kept once."""
    seen: set[str] = set()
    kept = []
    for briefing in briefings:
        if briefing.source.sha256 not in seen:
            seen.add(briefing.source.sha256)
            kept.append(briefing)
    return kept
