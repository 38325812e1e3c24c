"""Inferring when an undated article was written, from a weekday and date it mentions.

A dateline or a date the user gives always wins; this is the last resort, and the briefing says
so (``published_basis: inferred`` with the reason).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .tense import tense_direction
from .words import (
    MONTH_PATTERN,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    YEAR_PATTERN,
    month_number,
    weekday_number,
)

_FULL_WEEKDAY_DATE_RE = re.compile(
    rf"\b(?P<w>{WEEKDAY_PATTERN}),?\s+(?:the\s+)?(?:(?P<m1>{MONTH_PATTERN})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{MONTH_PATTERN}))"
    rf"(?!\s*,?\s*{YEAR_PATTERN})",
    re.I,
)


@dataclass(frozen=True)
class InferredDate:
    """A publication date inferred from the text, and why."""

    date: dt.date
    reason: str


def infer_publication_date(text: str, *, today: dt.date) -> InferredDate | None:
    """Infer when an undated article was written from a weekday-and-date it mentions.

    "Monday, January 10" fixes the year to those in which 10 January is a Monday; the latest
    past year the text mentions ("since the end of 2019") sets a floor, and today a ceiling.
    Among the years left, the first after the floor is taken (articles mention recent years),
    or with no year mentioned the latest. The article is taken to be written on the latest
    such date it does not speak of in the future.
    """
    # Years the text names as past or present ("the 2030 goals" sets no floor).
    mentioned = [int(y) for y in re.findall(rf"\b({YEAR_PATTERN})\b", text) if int(y) <= today.year]
    floor = max(mentioned) if mentioned else today.year - 30
    found: list[tuple[dt.date, str]] = []
    for match in _FULL_WEEKDAY_DATE_RE.finditer(text):
        month = month_number(match.group("m1") or match.group("m2"))
        day = int(match.group("d1") or match.group("d2"))
        weekday = weekday_number(match.group("w"))
        years = []
        for year in range(floor, today.year + 1):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                continue
            if candidate.weekday() == weekday and candidate <= today:
                years.append(year)
        if not years:
            continue
        start = max(0, match.start() - 120)
        sentence = text[start : match.end() + 60]
        if tense_direction(sentence) > 0 and not re.search(r"\bsaid\b", sentence):
            continue
        year = years[0] if mentioned else years[-1]
        basis = f"the text mentions {floor}" if mentioned else "the latest such year"
        others = [y for y in years if y != year]
        also = f" (also {', '.join(map(str, others))})" if others else ""
        found.append(
            (
                dt.date(year, month, day),
                f"'{match.group(0)}' falls on a {WEEKDAYS[weekday].title()} in {year}{also}; "
                f"{basis}, and it is not after today",
            )
        )
    if not found:
        return None
    date, reason = max(found)
    return InferredDate(date, f"year inferred: {reason}")
