"""Rules for parts of a year: halves, quarters, fiscal years, and the periods of business
and calendar talk ("the quarter", "year-earlier", "last April", "the weekend", "that month").

Two rules of ``rules.RULES``, tried right after the holidays (see README.md in this folder).
"""

from __future__ import annotations

import datetime as dt
import re

from .words import (
    MONTH_PATTERN,
    ORDINALS,
    SEASONS,
    YEAR_PATTERN,
    TemporalValue,
    anchor_of,
    day_value,
    iso_week,
    month_number,
    shift,
)


def _half_year(
    half: int, year: str | None, published: dt.date | None, direction: int
) -> TemporalValue | None:
    """A half-year; without a year, the publication year's, or last year's when it has not
    begun and is spoken of as done, or next year's when it is over and spoken of as to come
    (as with quarters)."""
    if year is not None:
        return TemporalValue(f"{year}-H{half}", "quarter", "half year and year")
    if published is None:
        return TemporalValue(f"XXXX-H{half}", "quarter", "half year with no year")
    begun = half == 1 or published.month >= 7
    over = half == 1 and published.month >= 7
    value = published.year
    if not begun and direction <= 0:
        value -= 1
    elif over and direction > 0:
        value += 1
    return TemporalValue(f"{value}-H{half}", "quarter", "half year; year from publication")


def quarters(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Numbered quarters: "the third quarter", "this year's fourth quarter", "the 1988 third
    quarter", "third-quarter", "the second quarter of 1997"."""
    match = re.fullmatch(rf"(?:the )?h([12])(?:\s+(?:of\s+)?({YEAR_PATTERN}))?", text)
    if match:
        return _half_year(int(match.group(1)), match.group(2), published, direction)
    match = re.fullmatch(rf"(?:the )?fy\s?({YEAR_PATTERN}|'?\d\d)", text)
    if match:
        digits = match.group(1).lstrip("'")
        year = (
            int(digits) if len(digits) == 4 else int(digits) + (2000 if int(digits) < 50 else 1900)
        )
        return TemporalValue(str(year), "year", "fiscal year as written")
    match = re.fullmatch(rf"(?:the )?q([1-4])(?:\s+(?:of\s+)?({YEAR_PATTERN}))?", text)
    if match:
        quarter = int(match.group(1))
        if match.group(2):
            return TemporalValue(f"{match.group(2)}-Q{quarter}", "quarter", "quarter and year")
        if published is not None:
            year = published.year - (1 if quarter > (published.month - 1) // 3 + 1 else 0)
            return TemporalValue(f"{year}-Q{quarter}", "quarter", "quarter; year from publication")
    match = re.fullmatch(
        rf"(?:the )?(first two quarters|last two quarters|first|second|last|latter|1st|2nd)"
        rf"(?: half)?(?: of (?:the year|this year|({YEAR_PATTERN})))?",
        text,
    )
    if match and not re.search(r"\bhalf\b|\btwo quarters\b", text):
        match = None
    if match:
        half = 1 if match.group(1) in ("first", "1st", "first two quarters") else 2
        return _half_year(half, match.group(2), published, direction)
    match = re.search(
        rf"\b(?:(?P<y1>{YEAR_PATTERN})\s+|(?P<rel>this|last|next) year'?s\s+)?"
        rf"(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?"
        rf"quarter(?:\s+of\s+(?:fiscal\s+)?(?P<y>{YEAR_PATTERN}))?",
        text,
    )
    if not match:
        return None
    quarter = ORDINALS.get(match.group(3)) or int(match.group(3)[0])
    explicit = match.group("y") or match.group("y1")
    if explicit:
        return TemporalValue(f"{explicit}-Q{quarter}", "quarter", "quarter and year")
    if published is None:
        return TemporalValue(f"XXXX-Q{quarter}", "quarter", "quarter with no year")
    year = published.year + {"last": -1, "next": 1, "this": 0}.get(match.group("rel") or "", 0)
    current = (published.month - 1) // 3 + 1
    if not match.group("rel") and quarter > current and direction <= 0:
        year -= 1  # a quarter not yet begun, spoken of as done: last year's
    if re.search(r"year[\s-]+(earlier|ago)", text):
        year -= 1
    return TemporalValue(f"{year}-Q{quarter}", "quarter", "quarter; year from publication")


def reporting_periods(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Periods of business and calendar talk: "the quarter", "the fiscal year",
    "year-earlier", "last April", "the end of the week", "the weekend", "the summer"."""
    if published is None:
        return None
    quarter_now = (published.month - 1) // 3  # 0-based
    if re.fullmatch(
        r"(the )?(comparable )?year[\s-]+(earlier|ago) (quarter|period)",
        text,
    ):
        index = quarter_now - 1
        year = published.year + index // 4 - 1
        return TemporalValue(
            f"{year}-Q{index % 4 + 1}",
            "quarter",
            "the year-earlier quarter of the latest reported one",
        )
    if re.fullmatch(
        r"(the )?(latest |most recent |recent |same |just-ended )?"
        r"(quarter|period|three months)",
        text,
    ):
        index = quarter_now - 1  # the quarter being reported: the last complete one
        year = published.year + index // 4
        return TemporalValue(
            f"{year}-Q{index % 4 + 1}", "quarter", "the latest complete quarter before publication"
        )
    if re.fullmatch(r"(the )?(end|start|beginning|middle|rest) of the week", text):
        return TemporalValue(iso_week(published), "week", "the week of publication")
    if re.fullmatch(r"(the )?(end|start|beginning|middle|rest|remainder) of the month", text):
        return TemporalValue(f"{published:%Y-%m}", "month", "the month of publication")
    if text in ("the weekend", "over the weekend", "this weekend"):
        monday = published - dt.timedelta(days=published.weekday())
        if direction < 0 and published.weekday() < 5:
            monday -= dt.timedelta(weeks=1)
        return TemporalValue(iso_week(monday) + "-WE", "week", "the nearest weekend by tense")
    match = re.fullmatch(r"(?:the |this )?(spring|summer|autumn|fall|winter)", text)
    if match:
        return TemporalValue(
            f"{published.year}-{SEASONS[match.group(1)]}", "season", "season of publication year"
        )
    if text == "the day" and published is not None:
        return day_value(published, "'the day': the day of publication")
    if re.fullmatch(r"(the )?(current|this) (fiscal )?quarter", text):
        return TemporalValue(
            f"{published.year}-Q{quarter_now + 1}", "quarter", "the quarter of publication"
        )
    if re.fullmatch(
        r"(the )?(current |this |the |full )?(fiscal |financial |calendar )?year|"
        r"(around |by )?(the )?year(?:'s)?[\s-]end|"
        r"(the )?(end|start|beginning|rest|remainder|middle) of the (fiscal |financial )?year",
        text,
    ):
        return TemporalValue(str(published.year), "year", "the year of publication")
    if re.fullmatch(r"(the )?year[\s-]+(earlier|ago)|(the )?previous year|(the )?prior year", text):
        return TemporalValue(str(published.year - 1), "year", "the year before publication")
    match = re.fullmatch(rf"(last|next|this|coming|past) ({MONTH_PATTERN})", text)
    if match:
        month = month_number(match.group(2))
        step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(match.group(1), 0)
        year = published.year
        if step < 0 and month >= published.month:
            year -= 1
        elif step > 0 and month <= published.month:
            year += 1
        return TemporalValue(
            f"{year}-{month:02d}",
            "month",
            f"'{match.group(1)} {match.group(2)}' from publication date",
        )
    match = re.fullmatch(r"(that|the same) (day|week|month|year)", text)
    if match:
        base, what = anchor_of(reference, published)
        return shift(base, 0, match.group(2), what)
    match = re.fullmatch(r"the (day|week|month|year) (after next|before last)", text)
    if match:  # "the year after next": two on from publication
        step = 2 if match.group(2) == "after next" else -2
        return shift(published, step, match.group(1), "publication date")
    match = re.fullmatch(r"the (week|month|year) (before|after|earlier|later)", text)
    if match:
        base, what = anchor_of(reference, published)
        step = 1 if match.group(2) in ("after", "later") else -1
        return shift(base, step, match.group(1), what)
    return None
