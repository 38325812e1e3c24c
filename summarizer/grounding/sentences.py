"""The one sentence splitter: the sentence of a text that holds an expression.

The date resolver's callers read tense from ``sentence_with``; the bench's TimeML extraction
(``bench/timeml_to_jsonl.py``) cuts its contexts with ``sentence_bounds``: both see sentences
by the same rules.
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
    start, end = _bounds(text, at, stop, break_just_before=False)
    return " ".join(text[start:end].split())


def sentence_bounds(text: str, start: int, stop: int) -> tuple[int, int]:
    """Where the sentence that holds ``text[start:stop]`` begins and ends, as offsets into
    ``text`` (the span itself is never split). A run-on "sentence" is cut to a window around
    the span, as in :func:`sentence_with`."""
    return _bounds(text, start, stop, break_just_before=True)


def _bounds(text: str, at: int, stop: int, *, break_just_before: bool) -> tuple[int, int]:
    """The sentence around ``text[at:stop]``. With ``break_just_before``, a sentence end
    right before ``at`` counts ("It failed. Monday was calm": "Monday" begins the second
    sentence). ``sentence_with`` has never seen such a break (its search stops at ``at``,
    before the capital that shows it) and keeps that reading for now: the tense of meeting
    dates is read from its sentences, so changing it is a change to date resolution."""
    window_start = max(0, at - _SENTENCE_WINDOW)
    start = window_start
    search_end = min(len(text), stop + 1) if break_just_before else at
    for match in _SENTENCE_END_RE.finditer(text, window_start, search_end):
        if match.end() > at:
            break
        if not _ABBREVIATION_RE.search(text, max(0, match.start() - 8), match.start()):
            start = match.end()
    end = min(len(text), stop + _SENTENCE_WINDOW)
    for match in _SENTENCE_END_RE.finditer(text, stop, end):
        if not _ABBREVIATION_RE.search(text, max(0, match.start() - 8), match.start()):
            end = match.start()
            break
    return start, end
