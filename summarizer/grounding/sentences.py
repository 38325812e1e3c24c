"""The one sentence splitter: the sentence of a text that holds an expression.

The date resolver reads tense from it, and the bench's TimeML extraction cuts its contexts
with it, so both see sentences the same way.
"""

from __future__ import annotations

import re

from .match import NormalizedText, locate_quote

_SENTENCE_END_RE = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])|\n[ \t]*\n\s*"
)
_SENTENCE_WINDOW = 400


# A full stop after these does not end a sentence: "Mr. Smith", "Jan. 3", "U.S. envoy", "J. Doe".
_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|St|Jr|Sr|Inc|Corp|Co|Ltd|No|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|Sun|"
    r"vs|etc|a\.m|p\.m)|\b[A-Z]|\b(?:[A-Z]\.)+[A-Z])\.$"
)


def sentence_with(
    source: str | NormalizedText, expression: str, near: list[str] | None = None
) -> str | None:
    """The sentence of ``source`` that holds ``expression``: where it occurs inside one of the
    passages ``near`` (found as grounding finds quotes) if it does, else its first occurrence;
    None when it is not there. A run-on "sentence" is cut to a window around the expression."""
    norm = source if isinstance(source, NormalizedText) else NormalizedText(source)
    text = norm.original
    words = expression.split()
    if not words:
        return None
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.I)
    hits = [(match.start(), match.end()) for match in pattern.finditer(text)]
    if not hits:
        return None
    at, stop = hits[0]
    for passage in near or []:
        span = locate_quote(passage, norm)
        inside = [hit for hit in hits if span and span.start <= hit[0] < span.end]
        if inside:
            at, stop = inside[0]
            break
    window_start = max(0, at - _SENTENCE_WINDOW)
    start = window_start
    for match in _SENTENCE_END_RE.finditer(text, window_start, at):
        if not _ABBREVIATION_RE.search(text, max(0, match.start() - 8), match.start()):
            start = match.end()
    end = min(len(text), stop + _SENTENCE_WINDOW)
    for match in _SENTENCE_END_RE.finditer(text, stop, end):
        if not _ABBREVIATION_RE.search(text, max(0, match.start() - 8), match.start()):
            end = match.start()
            break
    return " ".join(text[start:end].split())
