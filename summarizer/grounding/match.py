"""Quote matching: where a passage stands in the source, as character offsets.

This module knows nothing of briefings: it maps text to offsets. The draft checks that use
it are in ``check.py``. Offsets are computed here, never taken from the model; fuzzy search
(``closest_passage``, ``closest_names``) only points at what is near, for messages, and never
accepts a near match.

Matching forgives only what does not change meaning: curly versus straight quotes, dash
variants, runs of white space, soft hyphens, no-break spaces, the case of the first letter, and
quotation marks wrapped around the whole quote. An ellipsis (``...`` or ``…``) splits a quote
into fragments that must occur in order within one passage. Everything else — a number, a
name, a negation — must be exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


def quote_words(quote: str) -> int:
    """How many words a quote holds, an ellipsis not counted as one."""
    return len(_ELLIPSIS_RE.sub(" ", quote).split())


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


def closest_passage(text: str, source: NormalizedText) -> str | None:
    """The passage of the source most like ``text``, widened to whole words (for messages
    only: a near match is never accepted as a match)."""
    from rapidfuzz import fuzz  # lazy: only a failed quote needs it

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


def contains_name(name: str, source: NormalizedText) -> bool:
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
    from rapidfuzz import fuzz, process  # lazy: only a failed name needs it

    candidates = sorted(set(_PROPER_NAME_RE.findall(source.text)))
    best = process.extractOne(normalize(name), candidates, scorer=fuzz.WRatio, score_cutoff=70)
    if best:
        return [best[0]]
    several = [c for c in candidates if " " in c]
    ranked = process.extract(normalize(name), several, scorer=fuzz.WRatio, limit=limit)
    return [match[0] for match in ranked]
