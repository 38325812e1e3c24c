"""Finding quotes in the source text, with character offsets computed here, never by the model.

Matching forgives only what does not change meaning: curly versus straight quotes, dash
variants, runs of white space, soft hyphens, no-break spaces, the case of the first letter, and
quotation marks wrapped around the whole quote. An ellipsis (``...`` or ``…``) splits a quote
into fragments that must occur in order within one passage. Everything else — a number, a
name, a negation — must be exactly as written.
"""

from __future__ import annotations

import re
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
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_DROPPED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}
_ELLIPSIS_RE = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\]|\[…\])\s*")
_WRAPPING = "\"' \t\n"
# Fragments of one elided quote must sit this close together (normalized characters).
MAX_ELISION_GAP = 300


@dataclass(frozen=True)
class Span:
    """Where a quote stands in the original text: ``text[start:end]``."""

    start: int
    end: int


class NormalizedText:
    """The source text with meaning-preserving normalization and a map back to offsets."""

    def __init__(self, text: str) -> None:
        self.original = text
        chars: list[str] = []
        origin: list[int] = []
        for index, ch in enumerate(text):
            if ch in _DROPPED:
                continue
            if ch.isspace():
                if chars and chars[-1] == " ":
                    continue
                chars.append(" ")
            else:
                chars.append(ch.translate(_TRANSLATE))
            origin.append(index)
        self.text = "".join(chars)
        self.origin = origin

    def span(self, start: int, end: int) -> Span:
        """Original offsets for the normalized slice ``[start, end)``."""
        return Span(self.origin[start], self.origin[end - 1] + 1)


def normalize(text: str) -> str:
    return NormalizedText(text).text


def _variants(fragment: str) -> list[str]:
    if not fragment:
        return []
    first = fragment[0]
    swapped = first.swapcase()
    return [fragment] if swapped == first else [fragment, swapped + fragment[1:]]


def _find(haystack: str, fragment: str, start: int, limit: int | None) -> tuple[int, int] | None:
    for candidate in _variants(fragment):
        at = haystack.find(candidate, start)
        if at >= 0 and (limit is None or at <= limit):
            return at, at + len(candidate)
    return None


def locate_quote(quote: str, source: str | NormalizedText) -> Span | None:
    """The span of ``quote`` in ``source``, or None when it does not occur there.

    The quote is first sought as given; only if that fails are quotation marks around it
    (which a model may add or drop) set aside.
    """
    norm = source if isinstance(source, NormalizedText) else NormalizedText(source)
    cleaned = normalize(quote).strip()
    for candidate in dict.fromkeys((cleaned, cleaned.strip(_WRAPPING))):
        span = _locate_fragments(_ELLIPSIS_RE.split(candidate), norm)
        if span is not None:
            return span
    return None


def _locate_fragments(parts: list[str], norm: NormalizedText) -> Span | None:
    fragments = [part.strip() for part in parts if part.strip()]
    if not fragments:
        return None
    # Try each place the first fragment occurs, then chain the rest after it.
    search_from = 0
    while True:
        first = _find(norm.text, fragments[0], search_from, None)
        if first is None:
            return None
        start, end = first
        for fragment in fragments[1:]:
            nxt = _find(norm.text, fragment, end, end + MAX_ELISION_GAP)
            if nxt is None:
                break
            end = nxt[1]
        else:
            return norm.span(start, end)
        search_from = start + 1
