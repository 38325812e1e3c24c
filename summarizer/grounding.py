"""Grounding: every quote, name, place and date expression checked against the source.

Offsets are computed here, never taken from the model. A draft that fails is sent back to the
model with every failed item and what to do (see :class:`GroundingSession`); fuzzy search is
used only to point at the closest passage in that message, never to accept a near match.

Matching forgives only what does not change meaning: curly versus straight quotes, dash
variants, runs of white space, soft hyphens, no-break spaces, the case of the first letter, and
quotation marks wrapped around the whole quote. An ellipsis (``...`` or ``…``) splits a quote
into fragments that must occur in order within one passage. Everything else — a number, a
name, a negation — must be exactly as written.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schemas import BriefingDraft

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2039": '"',
        "\u203a": '"',
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
    }
)
_DROPPED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_ELLIPSIS_RE = re.compile(r"\s*(?:\.\s?\.\s?\.|…|\[\.\.\.\]|\[…\])\s*")
_TRAILING_PUNCTUATION = ".,;:!?"
_WRAPPING = "\"' \t\n"
# Fragments of one elided quote must sit this close together (normalized characters): an
# ellipsis leaves out an aside, not a sentence.
MAX_ELISION_GAP = 120
# What an ellipsis may not leave out: words that negate, reverse or qualify what was said,
# and numbers ("has ... plans to invade" must not stand for "has denied claims that it plans").
_ELIDED_MEANING_RE = re.compile(
    r"\b(not|no|never|nor|neither|none|nobody|nothing|without|cannot|un\w+|non|"
    r"den(?:y|ies|ied)|reject\w*|refus\w*|doubt\w*|against|fail\w*|if|unless|whether|false|"
    r"claim\w*|alleg\w*|but|however|although|though|except|only|former|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|billion|dozen|half|first|second|third|last)\b|n't\b|\d",
    re.I,
)
MIN_QUOTE_WORDS = 2


@dataclass(frozen=True)
class Span:
    """Where a quote stands in the original text: ``text[start:end]``."""

    start: int
    end: int


class NormalizedText:
    """The source text with meaning-preserving normalization and a map back to offsets."""

    def __init__(self, text: str, *, join_broken_words: bool = False) -> None:
        self.original = text
        chars: list[str] = []
        origin: list[int] = []
        ends: list[int] = []
        joined = _line_break_hyphens(text, with_hyphen=join_broken_words)
        for index, raw in enumerate(text):
            if raw in _DROPPED or index in joined:
                continue
            if unicodedata.combining(raw) and chars and not chars[-1].isspace():
                # A decomposed accent ("e" + U+0301) joins the letter before it, so that it
                # reads as the composed "é" a quote is likely to hold.
                composed = unicodedata.normalize("NFC", chars[-1] + raw)
                if len(composed) == 1:
                    chars[-1] = composed
                    ends[-1] = index + 1
                    continue
            if _is_dash(text, index):
                # A dash between words, however typed ("—", "–", " - ", "--"), reads " - "; a
                # hyphen inside a word ("non-binding") stays as it is.
                if chars and chars[-1] == " " and len(chars) > 1 and chars[-2] == "-":
                    continue  # the second dash of "--"
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    origin.append(index)
                    ends.append(index + 1)
                chars += ["-", " "]
                origin += [index, index]
                ends += [index + 1, index + 1]
                continue
            # NFKC folds ligatures and full-width forms ("ﬁ" → "fi", "＂" → '"').
            for ch in unicodedata.normalize("NFKC", raw).translate(_TRANSLATE):
                if ch.isspace():
                    if chars and chars[-1] == " ":
                        continue
                    chars.append(" ")
                else:
                    chars.append(ch)
                origin.append(index)
                ends.append(index + 1)
        self.text = "".join(chars)
        self.origin = origin
        self.ends = ends
        self._unbroken: NormalizedText | None = None
        # The second view has no further view to fall back on.
        self.has_broken_words = bool(joined) and not join_broken_words

    def span(self, start: int, end: int) -> Span:
        """Original offsets for the normalized slice ``[start, end)``."""
        return Span(self.origin[start], self.ends[end - 1])

    def unbroken(self) -> NormalizedText:
        """The same text with words hyphenated across lines joined without their hyphen
        ("nego-\ntiations" reads "negotiations"): a second view, for quotes that do not
        match the first."""
        if self._unbroken is None:
            self._unbroken = NormalizedText(self.original, join_broken_words=True)
        return self._unbroken


_DASHES = {"\u2012", "\u2013", "\u2014", "\u2015", "\u2212"}
_COMBINING = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_LINE_BREAK_HYPHEN_RE = re.compile(rf"(?<=[^\W\d_]|[{_COMBINING}])-(\r?\n[ \t]*)(?=[^\W\d_])")


def _line_break_hyphens(text: str, *, with_hyphen: bool = False) -> set[int]:
    """Indices of the line break after a hyphen that splits a word across lines ("long-
    term"): skipped, so the word reads "long-term" again; ``with_hyphen`` skips the hyphen
    too ("nego-\ntiations" → "negotiations")."""
    skipped: set[int] = set()
    for match in _LINE_BREAK_HYPHEN_RE.finditer(text):
        skipped.update(range(match.start(0) if with_hyphen else match.start(1), match.end(1)))
    return skipped


def _is_dash(text: str, index: int) -> bool:
    """Punctuation dash, as opposed to a hyphen joining the parts of a word."""
    ch = text[index]
    if ch in _DASHES:
        return True
    if ch != "-":
        return False
    if _LINE_BREAK_HYPHEN_RE.match(text, index) and index > 0 and _wordish(text[index - 1]):
        return False
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return before.isspace() or after.isspace() or before == "-" or after == "-"


def _wordish(ch: str) -> bool:
    """A letter or digit, or an accent that belongs to one."""
    return ch.isalnum() or bool(unicodedata.combining(ch))


def normalize(text: str) -> str:
    return NormalizedText(text).text


def _variants(fragment: str) -> list[str]:
    if not fragment:
        return []
    first = fragment[0]
    swapped = first.swapcase()
    return [fragment] if swapped == first else [fragment, swapped + fragment[1:]]


def _find(haystack: str, fragment: str, start: int, limit: int | None) -> tuple[int, int] | None:
    """The first occurrence at or after ``start`` that begins and ends on word boundaries."""
    best: tuple[int, int] | None = None
    for candidate in _variants(fragment):
        # Bounded, so that chaining fragments after each place the first one occurs stays
        # linear in the length of the text.
        bound = len(haystack) if limit is None else limit + len(candidate)
        at = haystack.find(candidate, start, bound)
        while at >= 0:
            end = at + len(candidate)
            if _on_boundaries(haystack, at, end):
                if best is None or at < best[0]:
                    best = (at, end)
                break
            at = haystack.find(candidate, at + 1, bound)
    return best


def _on_boundaries(text: str, start: int, end: int) -> bool:
    """A quote may not start or stop inside a word ("ate" from "create", "binding" from
    "non-binding") or a number ("100" from "100,000", "3" from "3.5")."""
    if (
        _wordish(text[start])
        and start > 0
        and (_wordish(text[start - 1]) or text[start - 1] == "-")
    ):
        return False
    if (
        text[start].isdigit()
        and start > 1
        and text[start - 1] in ".,"
        and text[start - 2].isdigit()
    ):
        return False
    if _wordish(text[end - 1]) and end < len(text) and _wordish(text[end]):
        return False
    return not (
        text[end - 1].isdigit()
        and end + 1 < len(text)
        and text[end] in ".,"
        and text[end + 1].isdigit()
    )


def locate_quote(quote: str, source: str | NormalizedText) -> Span | None:
    """The span of ``quote`` in ``source``, or None when it does not occur there.

    The quote is first sought as given; only if that fails are quotation marks around it
    (which a model may add or drop) set aside.
    """
    norm = source if isinstance(source, NormalizedText) else NormalizedText(source)
    cleaned = normalize(quote).strip()
    unwrapped = cleaned.strip(_WRAPPING)
    candidates = dict.fromkeys(
        (cleaned, unwrapped, unwrapped.rstrip(_TRAILING_PUNCTUATION).strip(_WRAPPING))
    )
    # As written first (the article may hold the ellipsis itself), then with an ellipsis
    # joining passages.
    for candidate in candidates:
        span = _locate_fragments([candidate], norm)
        if span is not None:
            return span
    for candidate in candidates:
        span = _locate_fragments(_ELLIPSIS_RE.split(candidate), norm)
        if span is not None:
            return span
    if norm.has_broken_words:
        return locate_quote(quote, norm.unbroken())  # "negotiations" from "nego-\ntiations"
    return None


def _locate_fragments(parts: list[str], norm: NormalizedText) -> Span | None:
    fragments = [part.strip() for part in parts if part.strip()]
    if not fragments:
        return None
    if len(fragments) > 1 and any(len(f.split()) < 2 for f in fragments):
        return None  # an ellipsis may join passages, not stitch single words together
    if len(fragments) == 1:
        found = _find(norm.text, fragments[0], 0, None)
        return norm.span(*found) if found else None
    # Try each place the first fragment occurs (listed in one pass, so a text where it occurs
    # thousands of times stays linear), then chain the rest after it.
    for start, end in _occurrences(norm.text, fragments[0]):
        for fragment in fragments[1:]:
            nxt = _find(norm.text, fragment, end, end + MAX_ELISION_GAP)
            if nxt is None or _ELIDED_MEANING_RE.search(norm.text[end : nxt[0]]):
                break
            end = nxt[1]
        else:
            return norm.span(start, end)
    return None


def _occurrences(haystack: str, fragment: str) -> list[tuple[int, int]]:
    """Every place ``fragment`` (or it with its first letter's case swapped) occurs on word
    boundaries, in order."""
    found = []
    for candidate in _variants(fragment):
        at = haystack.find(candidate)
        while at >= 0:
            if _on_boundaries(haystack, at, at + len(candidate)):
                found.append((at, at + len(candidate)))
            at = haystack.find(candidate, at + 1)
    return sorted(found)


# --------------------------------------------------------------------------- checking a draft


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


def closest_passage(text: str, source: NormalizedText) -> str | None:
    """The passage of the source most like ``text``, widened to whole words (for messages
    only: a near match is never accepted as a match)."""
    from rapidfuzz import fuzz

    needle = normalize(text).strip().lower()
    haystack = source.text.lower()
    if not needle or not haystack:
        return None
    alignment = fuzz.partial_ratio_alignment(needle, haystack)
    if alignment is None or alignment.score < 50:
        return None
    start, end = alignment.dest_start, alignment.dest_end
    while start > 0 and source.text[start - 1].isalnum():
        start -= 1
    # An alignment that starts with the tail of the previous sentence starts at the next one.
    boundary = source.text.find(". ", start, start + 12)
    if boundary >= 0 and boundary + 2 < end:
        start = boundary + 2
    while end < len(source.text) and source.text[end].isalnum():
        end += 1
    span = source.span(start, end)
    return " ".join(source.original[span.start : span.end].split())


def _contains_name(name: str, source: NormalizedText) -> bool:
    """Whole-word match; only the case of each word's first letter is forgiven ("the
    alliance" / "The alliance"), so "US" is not found in "us", nor "WHO" in "who"."""
    words = normalize(name).split()
    if not words:
        return False
    parts = []
    for word in words:
        first, rest = word[0], re.escape(word[1:])
        if word.isupper() and len(word) > 1:
            parts.append(re.escape(word))
        elif first.isalpha():
            parts.append(f"[{re.escape(first.upper())}{re.escape(first.lower())}]{rest}")
        else:
            parts.append(re.escape(word))
    pattern = r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"
    return re.search(pattern, source.text) is not None


_PROPER_NAME_RE = re.compile(r"[A-Z][\w'-]*(?:\s+(?:of\s+|the\s+|de\s+|von\s+)?[A-Z][\w'-]*)*")


def closest_names(name: str, source: NormalizedText, limit: int = 3) -> list[str]:
    """Capitalised names in the source most like ``name``: one when a name is clearly close
    (a misspelling), else the best few multi-word names to choose from."""
    from rapidfuzz import fuzz, process

    candidates = sorted(set(_PROPER_NAME_RE.findall(source.text)))
    best = process.extractOne(normalize(name), candidates, scorer=fuzz.WRatio, score_cutoff=70)
    if best:
        return [best[0]]
    several = [c for c in candidates if " " in c]
    ranked = process.extract(normalize(name), several, scorer=fuzz.WRatio, limit=limit)
    return [match[0] for match in ranked]


def _closest_hint(value: str, source: NormalizedText, *, name: bool = False) -> str:
    if name:
        names = closest_names(value, source)
        if len(names) == 1:
            return f'; closest: "{names[0]}"'
        return "; closest names in the article: " + ", ".join(f'"{n}"' for n in names)
    near = closest_passage(value, source)
    return f'; closest: "{near}"' if near else ""


def count_checks(draft: BriefingDraft) -> int:
    """How many items :func:`check_draft` looks at: quotes, names, places, dates, anchors."""
    total = 0
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

    def quote_failures(quotes: list[str], path: tuple[str | int, ...]) -> None:
        for index, quote in enumerate(quotes):
            if len(_ELLIPSIS_RE.sub(" ", quote).split()) < MIN_QUOTE_WORDS:
                failures.append(
                    GroundingFailure(
                        (*path, "quotes", index),
                        "quote",
                        quote,
                        f'quote "{quote}" is too short to show anything. Quote the whole '
                        "phrase or sentence from the article.",
                    )
                )
            elif locate_quote(quote, source) is None:
                failures.append(
                    GroundingFailure(
                        (*path, "quotes", index),
                        "quote",
                        quote,
                        f'quote "{quote}" is not in the article{_closest_hint(quote, source)}. '
                        "Copy the article's words exactly, or remove the quote.",
                    )
                )

    def name_failure(name: str, path: tuple[str | int, ...], kind: str) -> None:
        if not _contains_name(name, source):
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

    for p, party in enumerate(draft.parties):
        names = [party.name, *party.aliases]
        if not any(_contains_name(n, source) for n in names):
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
                if value and not _contains_name(value, source):
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
FLAGGED_KINDS = frozenset({"weekday"})


def _weekday_failures(
    draft: BriefingDraft, published: dt.date, source: NormalizedText
) -> list[GroundingFailure]:
    from .dates import resolve_meeting_dates  # dates → schemas → grounding: import late

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


def format_failures(failures: list[GroundingFailure]) -> str:
    """The re-ask text: every failed item and what to do, numbered."""
    lines = [
        f"The briefing has {len(failures)} item(s) the article does not support. Fix each one "
        "and return the complete briefing again:"
    ]
    lines += [f"{n}. {failure.describe()}" for n, failure in enumerate(failures, start=1)]
    return "\n".join(lines)


def prune(draft: BriefingDraft, failures: list[GroundingFailure]) -> BriefingDraft:
    """The draft without the items that still fail: a claim or meeting left with no quote goes,
    and so does a party the article never names."""
    data = draft.model_dump()
    removals: list[tuple[str | int, ...]] = []
    for failure in failures:
        path = failure.path
        if failure.kind in ("quote", "alias"):
            removals.append(path)
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
    return type(draft).model_validate(data)


def _sort_key(path: tuple[str | int, ...]) -> tuple[str, ...]:
    return tuple(f"{p:08d}" if isinstance(p, int) else p for p in path)


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


# --------------------------------------------------------------------------- the re-ask loop


@dataclass
class GroundingSession:
    """State of one article's validation across attempts, shared with the draft validator.

    The model client counts attempts; the validator raises on every attempt but the last, so
    instructor re-asks with the reasons, and on the last it records what still fails so the
    pipeline can drop it (or, with --strict, refuse the briefing).
    """

    source: NormalizedText
    max_attempts: int
    published: dt.date | None = None
    attempt: int = 0
    rounds: list[tuple[int, list[GroundingFailure]]] = field(default_factory=list)

    def validate(self, draft: BriefingDraft) -> None:
        failures = check_draft(draft, self.source, self.published)
        self.rounds.append((self.attempt, failures))
        if failures and self.attempt < self.max_attempts:
            raise ValueError(format_failures(failures))

    @property
    def remaining(self) -> list[GroundingFailure]:
        """What still fails in the kept answer."""
        return self.rounds[-1][1] if self.rounds else []

    @property
    def unsupported(self) -> list[GroundingFailure]:
        """What still fails and is dropped (flagged kinds are kept)."""
        return [f for f in self.remaining if f.kind not in FLAGGED_KINDS]


current_session: contextvars.ContextVar[GroundingSession | None] = contextvars.ContextVar(
    "summarizer_grounding_session", default=None
)
