"""The vocabulary of date expressions: names, patterns, numbers, and the value type.

Shared by the rules (``rules.py``, ``holidays.py``), the resolver (``resolve.py``) and the
reading of tense (``tense.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ..schemas import Precision

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
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
_NUMBERS = {
    "a": 1,
    "an": 1,
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
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "a few": 3,
    "few": 3,
    "a couple of": 2,
    "couple of": 2,
}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
UNITS = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "decade": "decade",
    "decades": "decade",
}

MONTH_PATTERN = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAY_PATTERN = r"(?:mon|tues?|weds?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
NUMBER_PATTERN = (
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|"
    r"(?:a )?few|(?:a )?couple of)"
)
YEAR_PATTERN = r"(?:1[89]\d\d|20\d\d)"

LEADING_WORDS = re.compile(
    r"^(?:(?:on|in|at|by|since|until|till|from|for|during|of|as of|before|after|around|about|"
    r"through|throughout|within|over|between|early|earlier|late|later|mid|the|this|that|"
    r"-)\s+)+",
    re.I,
)


class NoSuchDate(Exception):
    """An explicit date that does not exist (February 29, 2023), or one this resolver must
    not guess (another calendar's holiday): no value at all, from any rule."""


@dataclass(frozen=True)
class TemporalValue:
    """A computed date: TIMEX3 value, precision, and a sentence on how it was derived."""

    value: str
    precision: Precision
    derivation: str
    flags: tuple[str, ...] = ()
    mod: str | None = None  # TIMEX3 mod: START, MID, END, APPROX, MORE_THAN, LESS_THAN


def month_number(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return [m[:3] for m in MONTHS].index(key) + 1


def weekday_number(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return [w[:3] for w in WEEKDAYS].index(key)


def number_value(word: str) -> int:
    word = word.lower().strip()
    return int(word) if word.isdigit() else _NUMBERS[word]


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def day_value(value: dt.date, how: str, flags: tuple[str, ...] = ()) -> TemporalValue:
    return TemporalValue(value.isoformat(), "day", how, flags)


def pick_year(month: int, day: int | None, published: dt.date, direction: int) -> dt.date | None:
    """The month (and day) nearest the publication date, in the tense's direction when the
    sentence gives one: a "January 3" meeting in a 29 December article is next year's."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day or 1))
        except ValueError:
            continue
    if not candidates:
        return None
    if day is None:  # compare months, not first days
        here = (published.year, published.month)

        def distance(d: dt.date) -> int:
            return (d.year - here[0]) * 12 + d.month - here[1]
    else:

        def distance(d: dt.date) -> int:
            return (d - published).days

    strong = {2: 366, -2: 330}.get(direction, 250)  # a plain cue reaches less far
    limit = strong if day is not None else 11
    sign = (direction > 0) - (direction < 0)
    if sign:
        ahead = [d for d in candidates if 0 <= sign * distance(d) <= limit]
        just_past = [d for d in candidates if day is not None and -3 <= distance(d) < 0]
        if ahead and sign > 0 and just_past and distance(min(ahead, key=distance)) > 300:
            # "visits Camp Hope (May 27)" in a story of May 28: a day or two off (a late
            # story, a caption), not a year ahead
            return just_past[0]
        if ahead:
            return min(ahead, key=lambda d: abs(distance(d)))
    return min(candidates, key=lambda d: abs(distance(d)))


# --------------------------------------------------------------------------- the rules


def shift(base: dt.date | None, amount: int, unit: str, what: str) -> TemporalValue:
    unit = UNITS.get(unit, unit)
    if base is None:
        placeholder = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}
        return TemporalValue(
            placeholder.get(unit, "XXXX"),
            "unknown",
            f"{amount:+d} {unit}(s) from {what}, which is undated",
        )
    words = f"{abs(amount)} {unit}{'s' if abs(amount) != 1 else ''} " + (
        "after" if amount > 0 else "before"
    )
    how = f"{f'the same {unit} as' if amount == 0 else words} {what} ({base})"
    if unit == "day":
        return day_value(base + dt.timedelta(days=amount), how)
    if unit == "week":
        return TemporalValue(iso_week(base + dt.timedelta(weeks=amount)), "week", how)
    if unit == "month":
        day = base + relativedelta(months=amount)
        return TemporalValue(f"{day.year}-{day.month:02d}", "month", how)
    if unit == "decade":
        return TemporalValue(str(base.year + 10 * amount)[:3], "decade", how)
    return TemporalValue(str(base.year + amount), "year", how)


# --------------------------------------------------------------------------- spelled numbers

_UNITS_WORDS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_UNITS = [
    "",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
]
_ORDINAL_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]


def _two_digit_words() -> dict[str, int]:
    words = {name: n for n, name in enumerate(_UNITS_WORDS) if name}
    words.update({name: 10 + n for n, name in enumerate(_TEENS)})
    for tens in range(2, 10):
        words[_TENS[tens]] = tens * 10
        for unit in range(1, 10):
            for joint in ("-", " "):
                words[f"{_TENS[tens]}{joint}{_UNITS_WORDS[unit]}"] = tens * 10 + unit
    return words


def _ordinal_day_words() -> dict[str, int]:
    words = {name: n for n, name in enumerate(_ORDINAL_UNITS) if name}
    words.update({name: 10 + n for n, name in enumerate(_ORDINAL_TEENS)})
    words.update({"twentieth": 20, "thirtieth": 30})
    for tens, name in ((2, "twenty"), (3, "thirty")):
        for unit in range(1, 10 if tens == 2 else 2):
            for joint in ("-", " "):
                words[f"{name}{joint}{_ORDINAL_UNITS[unit]}"] = tens * 10 + unit
    return words


_TWO_DIGITS = _two_digit_words()
_ORDINAL_DAYS = _ordinal_day_words()
_TWO = "|".join(sorted(map(re.escape, _TWO_DIGITS), key=len, reverse=True))
_UNIT_AFTER = r"(?!\s+(?:days?|weeks?|months?|years?|hours?|minutes?|decades?|people|of)\b)"
_SPELLED_YEAR_RE = re.compile(
    rf"(?<![\w-])(?P<century>eighteen|nineteen|twenty)\s+(?P<rest>{_TWO}|hundred)\b{_UNIT_AFTER}"
    rf"|\btwo thousand(?:\s+(?:and\s+)?(?P<after>{_TWO}))?\b{_UNIT_AFTER}"
)
_CARDINAL_RE = re.compile(
    rf"(?<![\w-])(?P<n>{_TWO})(?=\s+(?:days?|weeks?|months?|years?|decades?)\b)"
)
_ORDINAL_DAY_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _ORDINAL_DAYS), key=len, reverse=True)) + r")\b"
)


def spelled_numbers_to_digits(text: str) -> str:
    """'nineteen ninety-six' → '1996', 'the year two thousand' → 'the year 2000', 'March
    eighth' → 'March 8' (broadcast transcripts spell dates out). Lower-case input."""

    def year(match: re.Match[str]) -> str:
        if match.group("century"):
            century = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[match.group("century")]
            rest = match.group("rest")
            return str(century + (0 if rest == "hundred" else _TWO_DIGITS[rest]))
        after = match.group("after")
        return str(2000 + (_TWO_DIGITS[after] if after else 0))

    text = _SPELLED_YEAR_RE.sub(year, text)
    # "twenty-five years ago" → "25 years ago" (small numbers the rules read as words)
    text = _CARDINAL_RE.sub(
        lambda m: str(_TWO_DIGITS[m.group("n")]) if _TWO_DIGITS[m.group("n")] > 12 else m.group(0),
        text,
    )
    if re.search(MONTH_PATTERN, text):
        text = _ORDINAL_DAY_RE.sub(lambda m: str(_ORDINAL_DAYS[m.group(1)]), text)
    return text


def anchor_of(reference: dt.date | None, published: dt.date | None) -> tuple[dt.date | None, str]:
    """What an anaphoric expression counts from: its event, else (a guess, said so) the
    publication date."""
    if reference is not None:
        return reference, "the event it refers to"
    if published is not None:
        return published, "the publication date (no event given to count from)"
    return None, "the event it refers to"
