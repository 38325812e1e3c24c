"""A case's gold: what a person says a briefing must hold, checked and scored.

A regression case may carry expectations written by hand in the suite manifest
(``[cases.expect]``): parties that must appear, quotes that must be kept, numbers that must not
change and meetings that must be found. A baseline only says what the code produced last time;
expectations say what is right, so a change that loses one is a regression even when the
baseline had it wrong in some other way.

What each expectation asks of a briefing (text compared casefolded, white space collapsed):

- party: a party's name or one of its aliases equals it.
- quote: some verified evidence quote (summary sentences, claims, meetings) contains it; curly
  and straight quotation marks and dashes are alike. The summary's own words do not count: a
  quote is kept when the article's words are.
- number: every value it stands for (``number_values`` of the summary check: "$13.4 billion" is
  13.4 and a billion, "two hours" is 2) occurs in one sentence of the summary (the headline, a
  lede sentence, a key point). Values do not combine across words: "three thousand" is 3 and
  1000, not 3000, so it does not match "3,000".
- meeting: each field given matches one meeting — ``date`` equals ``date.value``; ``place``
  equals its city, country or venue; ``status`` equals its status; every word of ``name``
  (punctuation and "the" ignored) occurs among the words of its name and forum; each of
  ``participants`` is part of some participant's name.

Scores (``score``), each None when there is nothing to measure:

- Meetings are paired one to one: an expectation may pair with a meeting it matches, and as
  many pairs are made as can be (augmenting paths), the most specific expectations (most fields
  given) served first, briefing order breaking ties. recall = paired expectations / expected
  meetings; precision = paired briefing meetings / briefing meetings, which takes the
  expectations for the full list of the article's meetings; F1 their harmonic mean. With no
  meeting expectations all three are None. A briefing with no meetings has precision None,
  recall 0.0 and F1 0.0; precision and recall both 0.0 give F1 0.0.
- date_accuracy: among expected meetings that give a date and that some meeting matches on
  every other field, the share that some meeting also matches on the date — whether the
  meeting was found with the wrong day, or with the right one.
- party_recall and kept_quote_rate: expected parties found, expected quotes kept, each over how
  many were expected.
- dropped (``provenance.validation.dropped``), flagged (summary sentences and meeting dates
  carrying flags), tokens (``provenance.usage.total_tokens``) and attempts
  (``provenance.attempts``) are read from the briefing; latency is what the caller measured.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from ..errors import UsageError
from ..grounding.match import normalize
from ..grounding.summary import number_values
from ..schemas import MeetingStatus

_STATUSES: tuple[str, ...] = get_args(MeetingStatus)
_TOP_KEYS = ("parties", "quotes", "numbers", "meetings")
_MEETING_KEYS = ("date", "place", "status", "name", "participants")
# The values a briefing's date.value takes that a person would write: a day, a month, a year,
# an ISO week.
_DATE_RE = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?|-W(?P<week>\d{2}))?"
)
_WORD_RE = re.compile(r"\w+")
_IGNORED_NAME_WORDS = frozenset({"the"})


# --------------------------------------------------------------------------- expectations


@dataclass(frozen=True)
class MeetingExpectation:
    """A meeting the briefing must report; a field left out (None, no participants) is free."""

    date: str | None = None
    place: str | None = None
    status: str | None = None
    name: str | None = None
    participants: tuple[str, ...] = ()

    def describe(self) -> str:
        """A stable one-line label: it names the expectation in reports and across runs."""
        parts = ["meeting"]
        parts += [value for value in (self.date, self.place, self.status) if value]
        if self.name:
            parts.append(f'"{self.name}"')
        if self.participants:
            parts.append("with " + ", ".join(self.participants))
        return " ".join(parts)

    @property
    def specificity(self) -> int:
        """How much it pins down: the more, the earlier it is paired."""
        given = (self.date, self.place, self.status, self.name)
        return sum(value is not None for value in given) + len(self.participants)

    def to_table(self) -> dict[str, Any]:
        table: dict[str, Any] = {
            key: value
            for key, value in (
                ("date", self.date),
                ("place", self.place),
                ("status", self.status),
                ("name", self.name),
            )
            if value is not None
        }
        if self.participants:
            table["participants"] = list(self.participants)
        return table


@dataclass(frozen=True)
class Expectations:
    """Everything a case expects of its briefing; empty when the manifest says nothing."""

    parties: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    meetings: tuple[MeetingExpectation, ...] = ()

    @classmethod
    def from_table(cls, table: Mapping[str, Any] | None, *, where: str) -> Expectations:
        """Read a ``[cases.expect]`` table; a mistake in it raises ``UsageError`` naming
        ``where`` and the key, since an expectation misread would be checked wrongly forever."""
        if table is None:
            return cls()
        if not isinstance(table, Mapping):
            raise _error(where, "expect", "must be a table")
        _reject_unknown(table, _TOP_KEYS, where, "expect")
        numbers = _strings(table.get("numbers"), where, "expect.numbers")
        for number in numbers:
            if not number_values(number):
                raise _error(where, "expect.numbers", f"{number!r} holds no number to compare")
        raw_meetings = _sequence(table.get("meetings"), where, "expect.meetings")
        return cls(
            parties=_strings(table.get("parties"), where, "expect.parties"),
            quotes=_strings(table.get("quotes"), where, "expect.quotes"),
            numbers=numbers,
            meetings=tuple(
                _meeting(raw, where, f"expect.meetings[{index}]")
                for index, raw in enumerate(raw_meetings)
            ),
        )

    def is_empty(self) -> bool:
        return not (self.parties or self.quotes or self.numbers or self.meetings)

    def to_table(self) -> dict[str, Any]:
        """The manifest table ``from_table`` reads back to these expectations."""
        table: dict[str, Any] = {}
        for key in ("parties", "quotes", "numbers"):
            values: tuple[str, ...] = getattr(self, key)
            if values:
                table[key] = list(values)
        if self.meetings:
            table["meetings"] = [meeting.to_table() for meeting in self.meetings]
        return table


def _error(where: str, key: str, problem: str) -> UsageError:
    place = f"{where}: " if where else ""
    return UsageError(
        f"{place}{key} {problem}",
        hint="fix the [cases.expect] table of the suite manifest",
    )


def _reject_unknown(table: Mapping[str, Any], known: tuple[str, ...], where: str, at: str) -> None:
    for key in table:
        if key not in known:
            raise _error(where, f"{at}.{key}", f"is not a known key ({', '.join(known)})")


def _sequence(value: Any, where: str, key: str) -> Sequence[Any]:
    if value is None:
        return ()
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise _error(where, key, "must be a list")
    return value


def _text(value: Any, where: str, key: str) -> str:
    """A non-blank string, as a plain ``str`` (tomlkit hands out its own subclass)."""
    if not isinstance(value, str) or not value.strip():
        raise _error(where, key, "must be a non-empty string")
    return str(value).strip()


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    return tuple(
        _text(item, where, f"{key}[{i}]") for i, item in enumerate(_sequence(value, where, key))
    )


def _meeting(raw: Any, where: str, at: str) -> MeetingExpectation:
    if not isinstance(raw, Mapping):
        raise _error(where, at, "must be a table")
    _reject_unknown(raw, _MEETING_KEYS, where, at)
    optional = {
        key: _text(raw[key], where, f"{at}.{key}") if raw.get(key) is not None else None
        for key in ("place", "status", "name")
    }
    status = optional["status"]
    if status is not None and status not in _STATUSES:
        raise _error(where, f"{at}.status", f"{status!r} is not one of {', '.join(_STATUSES)}")
    meeting = MeetingExpectation(
        date=_date(raw.get("date"), where, f"{at}.date"),
        place=optional["place"],
        status=status,
        name=optional["name"],
        participants=_strings(raw.get("participants"), where, f"{at}.participants"),
    )
    if meeting.specificity == 0:
        raise _error(where, at, f"gives none of {', '.join(_MEETING_KEYS)}")
    return meeting


def _date(value: Any, where: str, key: str) -> str | None:
    """A date as the resolver writes it: 2022-01-12, 2022-01, 2022 or 2022-W02. A TOML date
    written without quotes is taken as the day it names."""
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, value.day).isoformat()
    text = _text(value, where, key) if isinstance(value, str) else None
    if text is None or not _valid_date(text):
        raise _error(where, key, f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www)")
    return text


def _valid_date(text: str) -> bool:
    match = _DATE_RE.fullmatch(text)
    if match is None:
        return False
    if match["day"]:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return False
        return True
    if match["month"]:
        return 1 <= int(match["month"]) <= 12
    if match["week"]:
        return 1 <= int(match["week"]) <= 53
    return True


# --------------------------------------------------------------------------- reading a briefing


@dataclass(frozen=True)
class Outcome:
    """One expectation checked: met or not, and what the briefing has (found or instead)."""

    expectation: str
    met: bool
    detail: str


def _fold(text: str) -> str:
    """Text as compared: quotation marks, dashes and white space as ``match`` reads them,
    casefolded."""
    return normalize(text).casefold().strip()


def _items(value: Any) -> list[Mapping[str, Any]]:
    """The tables of a briefing list, skipping anything that is not one."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _get(mapping: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


def _cited_sentences(briefing: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    summary = _get(briefing, "summary")
    return _items(_get(summary, "lede_sentences")) + _items(_get(summary, "key_points"))


def _evidence(briefing: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every evidence quote of the briefing, wherever it is cited."""
    for sentence in _cited_sentences(briefing):
        yield from _items(sentence.get("evidence"))
    for party in _items(briefing.get("parties")):
        for claim in _items(party.get("claims")):
            yield from _items(claim.get("evidence"))
    for meeting in _items(briefing.get("meetings")):
        yield from _items(meeting.get("evidence"))


def _summary_sentences(briefing: Mapping[str, Any]) -> list[str]:
    """The units a number must stay within: the headline, each lede sentence, each key point
    (the lede as one text when it has no sentences listed)."""
    summary = _get(briefing, "summary")
    texts = [_get(summary, "headline")]
    lede = _items(_get(summary, "lede_sentences"))
    texts += [s.get("text") for s in lede] if lede else [_get(summary, "lede")]
    texts += [s.get("text") for s in _items(_get(summary, "key_points"))]
    return [text for text in texts if isinstance(text, str)]


def _label(meeting: Mapping[str, Any]) -> str:
    """A briefing meeting as a detail names it: id, name, date, place, status."""
    parts = [str(meeting.get("id", "?")), f'"{meeting.get("name", "")}"']
    date = _get(meeting, "date", "value")
    parts.append(str(date) if date else "undated")
    place = _get(meeting, "place")
    names = [_get(place, key) for key in ("city", "country", "venue")]
    parts.append("/".join(str(n) for n in names if n) or "no place")
    parts.append(str(meeting.get("status", "?")))
    return " ".join(parts)


# --------------------------------------------------------------------------- matching


def _name_words(text: str) -> set[str]:
    return {w for w in _WORD_RE.findall(_fold(text)) if w not in _IGNORED_NAME_WORDS}


def _missing_name_words(expected: MeetingExpectation, meeting: Mapping[str, Any]) -> list[str]:
    """The words of the expected name found in neither the meeting's name nor its forum."""
    if expected.name is None:
        return []
    words = _name_words(f"{meeting.get('name') or ''} {meeting.get('forum') or ''}")
    return sorted(_name_words(expected.name) - words)


def _field_misses(expected: MeetingExpectation, meeting: Mapping[str, Any]) -> list[str]:
    """The fields of ``expected`` that ``meeting`` does not match, each saying what it has."""
    misses: list[str] = []
    if expected.date is not None:
        value = _get(meeting, "date", "value")
        if value != expected.date:
            misses.append(f"date is {value or 'unknown'}")
    if expected.place is not None:
        place = _get(meeting, "place")
        names = [n for n in (_get(place, k) for k in ("city", "country", "venue")) if n]
        if _fold(expected.place) not in {_fold(str(n)) for n in names}:
            misses.append(f"place is {'/'.join(map(str, names)) or 'not given'}")
    if expected.status is not None and meeting.get("status") != expected.status:
        misses.append(f"status is {meeting.get('status')}")
    missing = _missing_name_words(expected, meeting)
    if missing:
        misses.append(f"name lacks {', '.join(missing)}")
    people = [_fold(str(p.get("name", ""))) for p in _items(meeting.get("participants"))]
    for person in expected.participants:
        if not any(_fold(person) in name for name in people):
            misses.append(f"no participant {person}")
    return misses


def _matches(expected: MeetingExpectation, meeting: Mapping[str, Any]) -> bool:
    return not _field_misses(expected, meeting)


def _pair_meetings(
    expected: Sequence[MeetingExpectation], meetings: Sequence[Mapping[str, Any]]
) -> dict[int, int]:
    """Expectation index → meeting index, one to one, as many pairs as can be made.

    Expectations are taken most specific first; each takes the first free meeting it matches,
    or one whose expectation can move to another meeting (an augmenting path), so a broad
    expectation never leaves a narrow one unpaired when both could be."""
    candidates = [
        [j for j, meeting in enumerate(meetings) if _matches(exp, meeting)] for exp in expected
    ]
    owner: dict[int, int] = {}  # meeting index → expectation index

    def place(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or place(owner[j], seen):
                owner[j] = i
                return True
        return False

    order = sorted(range(len(expected)), key=lambda i: -expected[i].specificity)
    for i in order:
        place(i, set())
    return {i: j for j, i in owner.items()}


def _meeting_outcome(
    index: int,
    expected: MeetingExpectation,
    meetings: Sequence[Mapping[str, Any]],
    pairs: dict[int, int],
    all_expected: Sequence[MeetingExpectation],
) -> Outcome:
    label = expected.describe()
    if index in pairs:
        return Outcome(label, True, f"found: {_label(meetings[pairs[index]])}")
    if not meetings:
        return Outcome(label, False, "the briefing has no meetings")
    taken = {j: i for i, j in pairs.items()}
    # The nearest meeting: fewest fields wrong, then fewest name words missing, a free one
    # before a paired one, briefing order.
    j = min(
        range(len(meetings)),
        key=lambda k: (
            len(_field_misses(expected, meetings[k])),
            len(_missing_name_words(expected, meetings[k])),
            k in taken,
            k,
        ),
    )
    misses = _field_misses(expected, meetings[j])
    if misses:
        return Outcome(label, False, f"closest: {_label(meetings[j])}: {'; '.join(misses)}")
    other = all_expected[taken[j]].describe()
    return Outcome(label, False, f"{_label(meetings[j])} matches but is paired with {other}")


# --------------------------------------------------------------------------- checking


def _party_outcome(expected: str, briefing: Mapping[str, Any]) -> Outcome:
    label = f'party "{expected}"'
    names: list[str] = []
    for party in _items(briefing.get("parties")):
        name = str(party.get("name", ""))
        names.append(name)
        aliases = [str(a) for a in party.get("aliases") or [] if isinstance(a, str)]
        if _fold(expected) in {_fold(n) for n in (name, *aliases)}:
            return Outcome(label, True, f"found: {name}")
    found = ", ".join(names) if names else "none"
    return Outcome(label, False, f"parties are: {found}")


def _quote_outcome(expected: str, briefing: Mapping[str, Any]) -> Outcome:
    label = f'quote "{expected}"'
    wanted = _fold(expected)
    unverified = None
    checked = 0
    for evidence in _evidence(briefing):
        quote = evidence.get("quote")
        if not isinstance(quote, str):
            continue
        if evidence.get("verified") is True:
            checked += 1
            if wanted in _fold(quote):
                return Outcome(label, True, f"kept in: {quote}")
        elif wanted in _fold(quote) and unverified is None:
            unverified = quote
    if unverified is not None:
        return Outcome(label, False, f"only in an unverified quote: {unverified}")
    return Outcome(label, False, f"in none of the {checked} verified quotes")


def _number_outcome(expected: str, briefing: Mapping[str, Any]) -> Outcome:
    label = f'number "{expected}"'
    wanted = number_values(expected)
    sentences = _summary_sentences(briefing)
    for sentence in sentences:
        if wanted <= number_values(sentence):
            return Outcome(label, True, f"in: {sentence}")
    found = sorted(set().union(*(number_values(s) for s in sentences)), key=_numeric)
    listed = ", ".join(found) if found else "none"
    return Outcome(
        label,
        False,
        f"no summary sentence has {', '.join(sorted(wanted, key=_numeric))}; "
        f"its numbers are: {listed}",
    )


def _numeric(value: str) -> tuple[float, str]:
    try:
        return float(value), value
    except ValueError:
        return float("inf"), value


def check(expectations: Expectations, briefing: Mapping[str, Any]) -> list[Outcome]:
    """One outcome per expectation, in manifest order: parties, quotes, numbers, meetings."""
    outcomes = [_party_outcome(p, briefing) for p in expectations.parties]
    outcomes += [_quote_outcome(q, briefing) for q in expectations.quotes]
    outcomes += [_number_outcome(n, briefing) for n in expectations.numbers]
    meetings = _items(briefing.get("meetings"))
    pairs = _pair_meetings(expectations.meetings, meetings)
    outcomes += [
        _meeting_outcome(i, exp, meetings, pairs, expectations.meetings)
        for i, exp in enumerate(expectations.meetings)
    ]
    return outcomes


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Scores:
    """A briefing's scores against a case's expectations, and what it cost."""

    meeting_precision: float | None
    meeting_recall: float | None
    meeting_f1: float | None
    date_accuracy: float | None
    party_recall: float | None
    kept_quote_rate: float | None
    dropped: int
    flagged: int
    tokens: int
    attempts: int
    latency_seconds: float | None

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a side-by-side table; '-' where nothing was measured."""
        rates = [
            ("meeting precision", self.meeting_precision),
            ("meeting recall", self.meeting_recall),
            ("meeting F1", self.meeting_f1),
            ("date accuracy", self.date_accuracy),
            ("party recall", self.party_recall),
            ("kept quotes", self.kept_quote_rate),
        ]
        rows = [(label, "-" if value is None else f"{value:.2f}") for label, value in rates]
        rows += [
            ("dropped", str(self.dropped)),
            ("flagged", str(self.flagged)),
            ("tokens", str(self.tokens)),
            ("attempts", str(self.attempts)),
            (
                "latency",
                "-" if self.latency_seconds is None else f"{self.latency_seconds:.2f}s",
            ),
        ]
        return rows


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float | None:
    if recall is None:
        return None
    # No meetings in the briefing (precision None) means none of the expected was found.
    if precision is None or precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def _date_accuracy(
    expected: Sequence[MeetingExpectation], meetings: Sequence[Mapping[str, Any]]
) -> float | None:
    qualified = right = 0
    for exp in expected:
        if exp.date is None:
            continue
        undated = MeetingExpectation(None, exp.place, exp.status, exp.name, exp.participants)
        if not any(_matches(undated, m) for m in meetings):
            continue
        qualified += 1
        right += any(_matches(exp, m) for m in meetings)
    return _ratio(right, qualified)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _flagged(briefing: Mapping[str, Any]) -> int:
    sentences = sum(bool(s.get("flags")) for s in _cited_sentences(briefing))
    dates = sum(bool(_get(m, "date", "flags")) for m in _items(briefing.get("meetings")))
    return sentences + dates


def score(
    expectations: Expectations,
    briefing: Mapping[str, Any],
    *,
    latency_seconds: float | None = None,
) -> Scores:
    """Score ``briefing`` against ``expectations`` (rules in the module docstring)."""
    meetings = _items(briefing.get("meetings"))
    pairs = _pair_meetings(expectations.meetings, meetings)
    recall = _ratio(len(pairs), len(expectations.meetings))
    precision = _ratio(len(pairs), len(meetings)) if expectations.meetings else None
    return Scores(
        meeting_precision=precision,
        meeting_recall=recall,
        meeting_f1=_f1(precision, recall),
        date_accuracy=_date_accuracy(expectations.meetings, meetings),
        party_recall=_ratio(
            sum(_party_outcome(p, briefing).met for p in expectations.parties),
            len(expectations.parties),
        ),
        kept_quote_rate=_ratio(
            sum(_quote_outcome(q, briefing).met for q in expectations.quotes),
            len(expectations.quotes),
        ),
        dropped=_int(_get(briefing, "provenance", "validation", "dropped")),
        flagged=_flagged(briefing),
        tokens=_int(_get(briefing, "provenance", "usage", "total_tokens")),
        attempts=_int(_get(briefing, "provenance", "attempts")),
        latency_seconds=latency_seconds,
    )
