"""Dates computed by code: expressions as written become TIMEX3 values.

Read ``README.md`` in this folder before changing a rule: it says in which order rules are
tried, where tense decides direction, and how to add a rule with its test and bench check.

- ``resolve``: one expression → a value (the entry point, ``resolve()``).
- ``rules``: the ordered rules ``resolve`` tries; ``holidays``: named days; ``periods``: halves,
  quarters, fiscal years and reporting periods.
- ``words``: vocabulary, patterns and the value type shared by all of them.
- ``tense``: whether the sentence around a date looks back or ahead.
- ``published``: the publication date inferred from an undated article.
- ``meetings``: each meeting's date, in the article's own sentence, and its consistency flags.
"""

from __future__ import annotations

from .meetings import resolve_meeting_dates, status_flags
from .published import InferredDate, infer_publication_date
from .resolve import resolve
from .words import TemporalValue

__all__ = [
    "InferredDate",
    "TemporalValue",
    "infer_publication_date",
    "resolve",
    "resolve_meeting_dates",
    "status_flags",
]
