"""Checking a draft against its article: every quote, name, place and date expression.

A failing draft goes back to the model with every failed item, why, and the closest passage of
the article (see :class:`GroundingSession`); what still fails after the last re-ask is dropped,
or flagged where the text supports the item but something about it is inconsistent.

The check reaches the model's answer through :class:`GroundedDraft`, a subclass of the draft
schema built here, so that ``schemas`` knows nothing of grounding: instructor validates the
answer against it, and its validator asks the session that is current for this article (a
contextvar, since instructor's own ``context=`` would also render the messages as templates).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ConfigDict, model_validator

from ..dates.meetings import resolve_meeting_dates
from ..schemas import (
    BriefingDraft,
    DraftSummary,
    SupportedSentence,
    ValidationIssue,
    ValidationReport,
    ValidationRound,
)
from .match import (
    MIN_QUOTE_WORDS,
    NormalizedText,
    closest_names,
    closest_passage,
    contains_name,
    locate_quote,
    quote_words,
)
from .summary import SentenceProblems, publisher_named, sentence_problems


@dataclass(frozen=True)
class GroundingFailure:
    """One item of a draft that the source does not support, with what to do about it."""

    path: tuple[str | int, ...]
    kind: str  # quote, party, alias, speaker, participant, place, date, anchor, weekday, ...
    value: str
    problem: str

    @property
    def where(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out

    def describe(self) -> str:
        return f"{self.where}: {self.problem}"


def _closest_hint(value: str, source: NormalizedText, *, name: bool = False) -> str:
    if name:
        names = closest_names(value, source)
        if len(names) == 1:
            return f'; closest: "{names[0]}"'
        return "; closest names in the article: " + ", ".join(f'"{n}"' for n in names)
    near = closest_passage(value, source)
    return f'; closest: "{near}"' if near else ""


def count_checks(draft: BriefingDraft) -> int:
    """How many items :func:`check_draft` looks at: the summary's sentences and cited
    passages, the headline and publisher, quotes, names, places, dates, anchors."""
    summary = draft.summary
    total = 1 + bool(draft.publisher)
    total += sum(1 + len(s.support) for s in [*summary.lede, *summary.key_points])
    for party in draft.parties:
        total += 1 + len(party.aliases) + len(party.speakers)
        total += sum(len(c.quotes) + (1 if c.speaker else 0) for c in party.claims)
    for meeting in draft.meetings:
        total += 1 + len(meeting.quotes) + len(meeting.participants)  # the id, too
        total += bool(meeting.date_text) + bool(meeting.date_relative_to)
        if meeting.place is not None and not meeting.place.inferred:
            total += sum(1 for k in ("city", "country", "venue") if getattr(meeting.place, k))
    return total


def check_draft(
    draft: BriefingDraft, source: NormalizedText, published: dt.date | None = None
) -> list[GroundingFailure]:
    """Every quote, name, place and date expression of ``draft`` checked against the source;
    with a publication date, also every stated weekday against the date it resolves to."""
    failures: list[GroundingFailure] = []

    def quote_failures(
        quotes: list[str], path: tuple[str | int, ...], field: str = "quotes"
    ) -> None:
        kind = "quote" if field == "quotes" else "support"
        for index, quote in enumerate(quotes):
            if quote_words(quote) < MIN_QUOTE_WORDS:
                failures.append(
                    GroundingFailure(
                        (*path, field, index),
                        kind,
                        quote,
                        f'quote "{quote}" is too short to show anything. Quote the whole '
                        "phrase or sentence from the article.",
                    )
                )
            elif locate_quote(quote, source) is None:
                failures.append(
                    GroundingFailure(
                        (*path, field, index),
                        kind,
                        quote,
                        f'quote "{quote}" is not in the article{_closest_hint(quote, source)}. '
                        "Copy the article's words exactly, or remove the quote.",
                    )
                )

    def name_failure(name: str, path: tuple[str | int, ...], kind: str) -> None:
        if not contains_name(name, source):
            failures.append(
                GroundingFailure(
                    path,
                    kind,
                    name,
                    f'{kind} "{name}" is not named in the article'
                    f"{_closest_hint(name, source, name=True)}. "
                    "Write names exactly as the article does, and list only those it names.",
                )
            )

    failures += _summary_failures(draft, source, quote_failures)

    for p, party in enumerate(draft.parties):
        names = [party.name, *party.aliases]
        if not any(contains_name(n, source) for n in names):
            failures.append(
                GroundingFailure(
                    ("parties", p, "name"),
                    "party",
                    party.name,
                    f'party "{party.name}": neither its name nor any alias appears in the '
                    "article. Use a name the article uses, or remove the party.",
                )
            )
        for a, alias in enumerate(party.aliases):
            name_failure(alias, ("parties", p, "aliases", a), "alias")
        for s, speaker in enumerate(party.speakers):
            name_failure(speaker.name, ("parties", p, "speakers", s, "name"), "speaker")
        for c, claim in enumerate(party.claims):
            if claim.speaker:
                name_failure(claim.speaker, ("parties", p, "claims", c, "speaker"), "speaker")
            quote_failures(claim.quotes, ("parties", p, "claims", c))

    ids = [m.id for m in draft.meetings]
    for m, meeting in enumerate(draft.meetings):
        base: tuple[str | int, ...] = ("meetings", m)
        if meeting.id in ids[:m]:
            failures.append(
                GroundingFailure(
                    (*base, "id"),
                    "duplicate_id",
                    meeting.id,
                    f'meeting id "{meeting.id}" is used twice; give each meeting its own id '
                    "and point date_relative_to at the right one.",
                )
            )
        for i, person in enumerate(meeting.participants):
            name_failure(person.name, (*base, "participants", i, "name"), "participant")
        place = meeting.place
        if place is not None and not place.inferred:
            for part in ("city", "country", "venue"):
                value = getattr(place, part)
                if value and not contains_name(value, source):
                    failures.append(
                        GroundingFailure(
                            (*base, "place", part),
                            "place",
                            value,
                            f'place "{value}" is not stated in the article. Use the article\'s '
                            "wording, or set inferred to true when the place is only implied.",
                        )
                    )
        if meeting.date_text and locate_quote(meeting.date_text, source) is None:
            failures.append(
                GroundingFailure(
                    (*base, "date_text"),
                    "date",
                    meeting.date_text,
                    f'date "{meeting.date_text}" is not written in the article'
                    f"{_closest_hint(meeting.date_text, source)}. Copy the date expression "
                    "exactly as written; do not compute dates.",
                )
            )
        anchor = meeting.date_relative_to
        if anchor and anchor != "publication" and (anchor not in ids or anchor == meeting.id):
            others = ", ".join(i for i in ids if i != meeting.id) or "none"
            failures.append(
                GroundingFailure(
                    (*base, "date_relative_to"),
                    "anchor",
                    anchor,
                    f'date_relative_to "{anchor}" names no other meeting in this answer; use '
                    f'"publication" or one of: {others}.',
                )
            )
        quote_failures(meeting.quotes, base)
    if published is not None:
        failures += _weekday_failures(draft, published, source)
    return failures


# Kinds that are flagged and kept when re-asks run out, not dropped: the text supports the
# item, but something about it is inconsistent (often in the article itself).
FLAGGED_KINDS = frozenset({"weekday", "uncited", "negation"})
# Kinds that cannot be dropped: the briefing of an article whose headline fails is not given.
FATAL_KINDS = frozenset({"headline"})


def _summary_failures(
    draft: BriefingDraft,
    source: NormalizedText,
    quote_failures: Callable[[list[str], tuple[str | int, ...], str], None],
) -> list[GroundingFailure]:
    """The headline, each lede sentence and key point, and the publisher held to the article:
    cited passages found like quotes, numbers and names present, the cited passages carrying
    them. (Failed cited passages are added through ``quote_failures``.)"""
    failures: list[GroundingFailure] = []
    summary = draft.summary
    headline = sentence_problems(summary.headline, source)
    if headline.fails:
        failures.append(
            GroundingFailure(
                ("summary", "headline"),
                "headline",
                summary.headline,
                f'headline "{summary.headline}" uses {_missing(headline)}. Write a headline '
                "from this article's own facts, with names and numbers as it gives them.",
            )
        )
    for part in ("lede", "key_points"):
        for index, sentence in enumerate(getattr(summary, part)):
            path: tuple[str | int, ...] = ("summary", part, index)
            quote_failures(sentence.support, path, "support")
            cited = [q for q in sentence.support if locate_quote(q, source) is not None]
            if not cited:
                continue  # its passages failed (above): the sentence goes with them
            problems = sentence_problems(sentence.text, source, cited)
            if problems.fails:
                failures.append(
                    GroundingFailure(
                        (*path, "text"),
                        "summary",
                        sentence.text,
                        f'summary sentence "{sentence.text}" uses {_missing(problems)}. '
                        "State only what the article says, with its names and numbers.",
                    )
                )
                continue
            if problems.uncited:
                listed = ", ".join(f'"{w}"' for w in problems.uncited)
                failures.append(
                    GroundingFailure(
                        (*path, "support"),
                        "uncited",
                        sentence.text,
                        f'summary sentence "{sentence.text}": {listed} not in the passages '
                        "it cites. Cite the article's words that say it.",
                    )
                )
            if problems.negation:
                failures.append(
                    GroundingFailure(
                        (*path, "text"),
                        "negation",
                        sentence.text,
                        f'summary sentence "{sentence.text}" negates, but no passage it cites '
                        "does. Cite the words that say so, or correct the sentence.",
                    )
                )
    if draft.publisher and not publisher_named(draft.publisher, source):
        failures.append(
            GroundingFailure(
                ("publisher",),
                "publisher",
                draft.publisher,
                f'publisher "{draft.publisher}" is not named in the article. Give the '
                "publisher only when the article names it, else null.",
            )
        )
    return failures


def _missing(problems: SentenceProblems) -> str:
    parts = []
    if problems.missing_numbers:
        parts.append("numbers " + ", ".join(problems.missing_numbers))
    if problems.missing_names:
        parts.append("names " + ", ".join(problems.missing_names))
    return " and ".join(parts) + " that the article does not give"


def _weekday_failures(
    draft: BriefingDraft, published: dt.date, source: NormalizedText
) -> list[GroundingFailure]:
    failures = []
    computed = resolve_meeting_dates(draft, published, source)
    for m, meeting in enumerate(draft.meetings):
        value = computed.get(meeting.id)
        for flag in value.flags if value else ():
            failures.append(
                GroundingFailure(
                    ("meetings", m, "date_text"),
                    "weekday",
                    meeting.date_text or "",
                    f'date "{meeting.date_text}": {flag} (publication date {published}). Check '
                    "that the date is copied as the article writes it and what it counts from.",
                )
            )
    return failures


def format_failures(
    failures: list[GroundingFailure], repeated: frozenset[GroundingFailure] = frozenset()
) -> str:
    """The re-ask text: every failed item and what to do, numbered; the items the last answer
    repeated unchanged from the one before are marked, so the model is told it repeated them
    (and the request carries something new)."""
    lines = [
        f"The briefing has {len(failures)} item(s) the article does not support. Fix each one "
        "and return the complete briefing again:"
    ]
    again = [f for f in failures if f in repeated]
    if again:
        lines.append(
            f"{len(again)} of them were already reported for your previous answer and came "
            "back unchanged: correct or remove them this time, do not repeat them."
        )
    lines += [
        f"{n}. {'(repeated) ' if failure in repeated else ''}{failure.describe()}"
        for n, failure in enumerate(failures, start=1)
    ]
    return "\n".join(lines)


def prune(draft: BriefingDraft, failures: list[GroundingFailure]) -> BriefingDraft:
    """The draft without the items that still fail: a claim or meeting left with no quote goes,
    and so does a party the article never names."""
    data = draft.model_dump()
    removals: list[tuple[str | int, ...]] = []
    for failure in failures:
        path = failure.path
        if failure.kind in ("quote", "alias", "support"):
            removals.append(path)
        elif failure.kind == "summary":
            removals.append(path[:3])  # the sentence
        elif failure.kind == "publisher":
            _set(data, path, None)
        elif failure.kind == "party":
            removals.append(path[:2])
        elif failure.kind in ("speaker", "participant"):
            if path[2] == "claims":
                _set(data, path, None)
            else:
                removals.append(path[:-1])
        elif failure.kind == "place":
            _set(data, path, None)
        elif failure.kind == "date":
            _set(data, path, None)
            _set(data, (*path[:-1], "date_relative_to"), None)
        elif failure.kind == "anchor":
            _set(data, path, None)
        elif failure.kind == "duplicate_id":
            # Keep the meeting under a fresh id; what counted from the old id keeps the first.
            _set(data, path, f"{failure.value}-{path[1]}")
    for path in sorted(removals, key=_sort_key, reverse=True):
        container = _get(data, path[:-1])
        index = path[-1]
        if isinstance(container, list) and isinstance(index, int) and index < len(container):
            del container[index]
    for party in data["parties"]:
        party["claims"] = [c for c in party["claims"] if c["quotes"]]
    data["meetings"] = [m for m in data["meetings"] if m["quotes"]]
    for meeting in data["meetings"]:
        place = meeting["place"]
        if place and not any(place[k] for k in ("city", "country", "venue")):
            meeting["place"] = None
    kept_ids = {m["id"] for m in data["meetings"]}
    for meeting in data["meetings"]:
        anchor = meeting["date_relative_to"]
        if anchor not in (None, "publication") and anchor not in kept_ids:
            meeting["date_relative_to"] = None
    summary = data.pop("summary")
    # Built without the draft's minimum counts: what survives may be fewer sentences than the
    # model was asked for (none at all fails the briefing, in the pipeline).
    data["summary"] = DraftSummary.model_construct(
        headline=summary["headline"],
        lede=[SupportedSentence.model_validate(s) for s in summary["lede"] if s["support"]],
        key_points=[
            SupportedSentence.model_validate(s) for s in summary["key_points"] if s["support"]
        ],
    )
    return BriefingDraft.model_validate(data)


def _sort_key(path: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple(f"{p:08d}" if isinstance(p, int) else p for p in path)


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


# --------------------------------------------------------------------------- the re-ask loop


class GroundingCheckCrashed(RuntimeError):
    """The grounding check raised instead of judging the answer: a bug in summarizer."""


@dataclass
class GroundingSession:
    """State of one article's validation across attempts, shared with the draft validator.

    The model client calls :meth:`next_attempt` before each attempt; the validator raises on
    every attempt but the last, so instructor re-asks with the reasons, and on the last it
    records what still fails so the pipeline can drop it (or, with --strict, refuse the
    briefing).
    """

    source: NormalizedText
    max_attempts: int
    published: dt.date | None = None
    attempt: int = 0
    rounds: list[tuple[int, list[GroundingFailure]]] = field(default_factory=list)

    def next_attempt(self) -> None:
        self.attempt += 1

    def validate(self, draft: BriefingDraft) -> None:
        try:
            failures = check_draft(draft, self.source, self.published)
        except (ValueError, AssertionError) as exc:
            # pydantic would take these for the answer's fault and instructor would re-ask;
            # they are the check's own failure.
            raise GroundingCheckCrashed(f"the grounding check itself failed: {exc!r}") from exc
        previous = frozenset(self.rounds[-1][1]) if self.rounds else frozenset()
        self.rounds.append((self.attempt, failures))
        if failures and self.attempt < self.max_attempts:
            raise ValueError(format_failures(failures, previous))

    @contextlib.contextmanager
    def active(self) -> Iterator[GroundingSession]:
        """Make this the session :class:`GroundedDraft` validates against (per thread or
        task) while the model is asked."""
        token = _current_session.set(self)
        try:
            yield self
        finally:
            _current_session.reset(token)

    @property
    def remaining(self) -> list[GroundingFailure]:
        """What still fails in the kept answer."""
        return self.rounds[-1][1] if self.rounds else []

    @property
    def unsupported(self) -> list[GroundingFailure]:
        """What still fails and is dropped (flagged kinds are kept)."""
        return [f for f in self.remaining if f.kind not in FLAGGED_KINDS]


_current_session: contextvars.ContextVar[GroundingSession | None] = contextvars.ContextVar(
    "summarizer_grounding_session", default=None
)


class GroundedDraft(BriefingDraft):
    # The model is asked for exactly the draft schema: the same title, description and name
    # (instructor names the tool or JSON schema after the class), so the request and the
    # fixture key made from it are the ones a plain BriefingDraft makes, in every mode.
    __doc__ = BriefingDraft.__doc__
    model_config = ConfigDict(title="BriefingDraft")

    @model_validator(mode="after")
    def _grounded_in_source(self) -> GroundedDraft:
        session = _current_session.get()
        if session is not None:
            session.validate(self)
        return self


GroundedDraft.__name__ = GroundedDraft.__qualname__ = "BriefingDraft"


def validation_report(
    session: GroundingSession, draft: BriefingDraft, *, reask_tokens: int
) -> ValidationReport:
    """Summarise the grounding rounds: what failed first, what re-asks fixed, what was dropped."""
    rounds = session.rounds
    first_failures = rounds[0][1] if rounds else []
    remaining = session.remaining
    # Matched item by item: a first-round failure is fixed when nothing of its kind fails at
    # the same place in the kept answer (a new failure elsewhere does not cancel a fix).
    still_failing = {(f.path, f.kind) for f in remaining}
    fixed = sum(1 for f in first_failures if (f.path, f.kind) not in still_failing)
    return ValidationReport(
        checked=count_checks(draft),
        failed=len(first_failures),
        fixed_by_reask=fixed,
        dropped=len(session.unsupported),
        attempts=session.attempt,
        reask_tokens=reask_tokens,
        issues=[
            ValidationIssue(
                item=f.where,
                problem=f.problem if f.kind not in FLAGGED_KINDS else f"kept, flagged: {f.problem}",
            )
            for f in remaining
        ],
        rounds=[
            ValidationRound(
                attempt=attempt, failed=len(failures), problems=[f.describe() for f in failures]
            )
            for attempt, failures in rounds
        ],
    )
