"""Resolving date expressions as written into calendar values, by code.

The model reports a meeting's date exactly as the article words it and what it counts from;
this module computes the value. Deictic expressions ("Monday, January 10", "Friday",
"tomorrow") are anchored on the publication date; anaphoric ones ("the day before", "two days
later") on the date of the event they refer to. Values are TimeML TIMEX3-style strings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .schemas import Precision

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_NUMBER_WORDS = {
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_MONTH_RE = "|".join(_MONTHS) + "|" + "|".join(m[:3] for m in _MONTHS) + "|sept"
_MONTH_DAY_RE = re.compile(
    rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}}))?",
    re.I,
)
_DAY_MONTH_RE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_RE})\b\.?(?:,?\s+(?P<year>\d{{4}}))?",
    re.I,
)
_OFFSET_RE = re.compile(
    r"\b(?P<n>\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+"
    r"(?P<dir>later|after(?:wards)?|earlier|before|previously|ago)\b",
    re.I,
)
_DAY_BEFORE_AFTER_RE = re.compile(
    r"\b(?:the\s+)?(?:next|following|previous)\s+day\b|"
    r"\bthe\s+day\s+(?P<which>before|after)\b",
    re.I,
)
_PAST_TENSE_RE = re.compile(
    r"\b(was|were|had|did|held|took place|met|said|agreed|ended|began)\b", re.I
)


@dataclass(frozen=True)
class TemporalValue:
    """A computed date: TIMEX3 value, precision, and a sentence on how it was derived."""

    value: str
    precision: Precision
    derivation: str


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    if key == "sept":
        return 9
    for index, month in enumerate(_MONTHS, start=1):
        if month.startswith(key[:3]):
            return index
    raise ValueError(name)


def _weekday_in(text: str) -> int | None:
    lowered = text.lower()
    for index, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name}\b", lowered):
            return index
    return None


def _closest_year(month: int, day: int, published: dt.date) -> dt.date:
    """The month/day nearest to the publication date (a 3 January meeting in a 29 December
    article is next year's)."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(f"no valid date for {month}/{day}")
    return min(candidates, key=lambda d: abs((d - published).days))


def resolve(
    text: str,
    *,
    published: dt.date | None,
    reference: dt.date | None = None,
    context: str | None = None,
) -> TemporalValue | None:
    """Compute the calendar value of a date expression, or None when it holds no date."""
    stripped = text.strip()
    lowered = stripped.lower()

    offset = _OFFSET_RE.search(stripped)
    if offset:
        raw = offset.group("n").lower()
        days = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        sign = 1 if offset.group("dir").lower().startswith(("later", "after")) else -1
        base = published if offset.group("dir").lower() == "ago" else reference
        return _shift(
            base,
            sign * days,
            stripped,
            "publication date" if base is published else "the event it refers to",
        )

    before_after = _DAY_BEFORE_AFTER_RE.search(stripped)
    if before_after:
        phrase = before_after.group(0).lower()
        sign = -1 if ("before" in phrase or "previous" in phrase) else 1
        return _shift(reference, sign, stripped, "the event it refers to")

    for word, delta in (("today", 0), ("yesterday", -1), ("tomorrow", 1), ("tonight", 0)):
        if re.search(rf"\b{word}\b", lowered):
            return _shift(published, delta, stripped, "publication date")

    match = _MONTH_DAY_RE.search(stripped) or _DAY_MONTH_RE.search(stripped)
    if match:
        month = _month_number(match.group("month"))
        day = int(match.group("day"))
        weekday = _weekday_in(stripped)
        if match.group("year"):
            try:
                value = dt.date(int(match.group("year")), month, day)
            except ValueError:
                return None
            return _checked(value, weekday, "explicit date")
        if published is None:
            return TemporalValue(
                f"XXXX-{month:02d}-{day:02d}", "day", "month and day as written; year unknown"
            )
        try:
            value = _closest_year(month, day, published)
        except ValueError:
            return None
        return _checked(value, weekday, f"month and day; year from publication date {published}")

    weekday = _weekday_in(stripped)
    if weekday is not None:
        if published is None:
            return TemporalValue("XXXX-XX-XX", "day", "weekday with no publication date")
        past = bool(context and _PAST_TENSE_RE.search(context))
        delta = (weekday - published.weekday()) % 7
        if past and delta:
            delta -= 7
        value = published + dt.timedelta(days=delta)
        direction = "most recent" if past else "next or same"
        return TemporalValue(
            value.isoformat(),
            "day",
            f"{direction} {_WEEKDAYS[weekday].title()} from publication date",
        )
    return None


def _shift(base: dt.date | None, days: int, text: str, what: str) -> TemporalValue:
    amount = f"{abs(days)} day{'s' if abs(days) != 1 else ''} {'after' if days > 0 else 'before'}"
    offset = "the same day as" if days == 0 else amount
    if base is None:
        return TemporalValue("XXXX-XX-XX", "day", f"{offset} {what}, which is undated")
    value = base + dt.timedelta(days=days)
    return TemporalValue(value.isoformat(), "day", f"{offset} {what} ({base})")


def _checked(value: dt.date, weekday: int | None, how: str) -> TemporalValue:
    if weekday is not None and weekday != value.weekday():
        how += f"; WARNING: the text says {_WEEKDAYS[weekday].title()} but {value} is a {value:%A}"
    return TemporalValue(value.isoformat(), "day", how)
