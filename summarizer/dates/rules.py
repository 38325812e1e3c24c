"""The rules that turn one date expression into a TIMEX3 value, tried in the order of
``RULES`` by :func:`summarizer.dates.resolve.resolve` (README.md in this folder lists them
and says where a new one goes). Each takes the lower-cased expression, the publication date,
the reference event's date and the tense direction (from ``tense.tense_direction``), and
returns a value, or None to leave the expression to the next rule, or raises ``NoSuchDate``
to stop every later rule. The holiday rule lives in ``holidays.py``, the rules for parts of
a year (halves, quarters, fiscal years, reporting periods) in ``periods.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from dateutil.relativedelta import relativedelta

from ..schemas import Precision
from .holidays import holiday_rule
from .periods import quarters, reporting_periods
from .words import (
    MONTH_PATTERN,
    NUMBER_PATTERN,
    ORDINALS,
    SEASONS,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    YEAR_PATTERN,
    NoSuchDate,
    TemporalValue,
    anchor_of,
    day_value,
    iso_week,
    month_number,
    number_value,
    pick_year,
    shift,
    weekday_number,
)

Rule = Callable[[str, dt.date | None, dt.date | None, int], TemporalValue | None]


# Times with no calendar value, as (pattern, TIMEX3 value, precision, derivation).
_REFERENCE_TABLE: tuple[tuple[str, str, Precision, str], ...] = (
    (
        r"(right )?now|currently|at present|the present|present|nowadays|these days|"
        r"at the moment|at this time|this time|(the )?current|"
        r"(the )?(present|current) (time|day|period)",
        "PRESENT_REF",
        "present",
        "the time of writing",
    ),
    (
        r"(the )?(recent )?past|recently|previously|formerly|once|earlier|in the past|"
        r"lately|before|some time ago|recent( \w+)*|"
        r"(the )?(last|past|recent|previous) (few |several |many )?"
        r"(days|weeks|months|years|quarters|decades)|"
        r"(several|a few|few|some|many) (days|weeks|months|years|decades) ago",
        "PAST_REF",
        "past",
        "an unspecified past time",
    ),
    (
        r"(the )?future|(the )?(near|coming) future|soon|later|eventually|in the future|"
        r"as soon as possible|(at )?a later date|"
        r"one day|someday|(the )?(coming|next few|future) (days|weeks|months|years|quarters)|"
        r"(in )?(the )?(near|short|long) term|(the )?years? ahead",
        "FUTURE_REF",
        "future",
        "an unspecified future time",
    ),
)
_REFERENCES = tuple(
    (re.compile(pattern), value, precision, how)
    for pattern, value, precision, how in _REFERENCE_TABLE
)


def _refs(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Times with no calendar value: PRESENT_REF, PAST_REF, FUTURE_REF ("now", "recently",
    "the past few months", "in the coming years")."""
    for pattern, value, precision, how in _REFERENCES:
        if pattern.fullmatch(text):
            return TemporalValue(value, precision, how)
    return None


def _deictic_days(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """ "Today", "yesterday", "tomorrow", "tonight", "last night": from the publication date."""
    offsets = {
        "today": 0,
        "tonight": 0,
        "this morning": 0,
        "this afternoon": 0,
        "this evening": 0,
        "yesterday": -1,
        "tomorrow": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
        "last night": -1,
    }
    for phrase, delta in sorted(offsets.items(), key=lambda kv: -len(kv[0])):
        if re.fullmatch(rf"{phrase}(?:'s)?", text):
            if published is None:
                return TemporalValue("XXXX-XX-XX", "day", f"'{phrase}' with no publication date")
            return day_value(
                published + dt.timedelta(days=delta), f"'{phrase}' from publication date"
            )
    return None


def _anaphoric(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """ "The next day", "the day before", "two weeks later": from the event referred to."""
    match = re.search(
        r"\b(?:the )?(next|following|previous|prior|preceding|same) day\b|"
        r"\bthe day (before|after|earlier|later)\b|\bthat (?:same )?day\b|\bthe same day\b|"
        r"\b(?:the )?(next|following|previous|prior) (?:morning|afternoon|evening|night)\b",
        text,
    )
    if match:
        word = (match.group(1) or match.group(2) or match.group(3) or "same").lower()
        delta = {"next": 1, "following": 1, "after": 1, "later": 1}.get(word, -1)
        if word == "same" or "that" in match.group(0) or "same" in match.group(0):
            delta = 0
        base, what = anchor_of(reference, published)
        return shift(base, delta, "day", what)
    match = re.search(
        rf"\b({NUMBER_PATTERN}) (day|week|month|year)s? (later|after(?:wards)?|earlier|before|"
        r"previously|prior|on)\b",
        text,
    )
    if match:
        amount = number_value(match.group(1))
        sign = 1 if match.group(3) in ("later", "after", "afterwards", "on") else -1
        base, what = anchor_of(reference, published)
        if match.group(1) in ("several", "a few", "few") and base is not None:
            side = "after" if sign > 0 else "before"
            phrase = f"{match.group(1)} {match.group(2)}s {side} {what}"
            return vague_shift(base, sign, match.group(2), phrase)
        return shift(base, *_single_week_in_days(sign * amount, match.group(2)), what)
    return None


def _single_week_in_days(amount: int, unit: str) -> tuple[int, str]:
    """ "A week ago", "a week later": seven days, a day value (the annotators' reading);
    "two weeks ago" stays a week."""
    return (7 * amount, "day") if unit == "week" and abs(amount) == 1 else (amount, unit)


def vague_shift(base: dt.date, sign: int, unit: str, what: str) -> TemporalValue:
    """ "A few days later": two to five units on, so the value says only what all of those
    share: the ISO week, the month or the year."""
    step = {
        "day": relativedelta(days=1),
        "week": relativedelta(weeks=1),
        "month": relativedelta(months=1),
        "year": relativedelta(years=1),
    }.get(unit)
    how = f"{what} ({base}), not an exact date"
    if step is None:
        return TemporalValue("FUTURE_REF" if sign > 0 else "PAST_REF", "unknown", how)
    first, last = (base + sign * amount * step for amount in (2, 5))
    if unit == "day" and iso_week(first) == iso_week(last):
        return TemporalValue(iso_week(first), "week", how)
    if unit in ("day", "week") and (first.year, first.month) == (last.year, last.month):
        return TemporalValue(f"{first:%Y-%m}", "month", how)
    if first.year == last.year:
        return TemporalValue(str(first.year), "year", how)
    return TemporalValue("FUTURE_REF" if sign > 0 else "PAST_REF", "unknown", how)


def _month_of_the_event(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """ "That July", "July of that year": the month in the year of the event referred to;
    "the following July", "the previous March": the next or last such month from it."""
    match = re.fullmatch(
        r"(?:(?P<which>that|the following|the next|the previous|the preceding) "
        rf"(?P<m1>{MONTH_PATTERN})|(?P<m2>{MONTH_PATTERN}),? (?:of )?(?:that|the same) year)",
        text,
    )
    if not match:
        return None
    if reference is None:
        return None  # no event to take the year from: the month alone, by tense
    base, what = reference, "the event it refers to"
    month = month_number(match["m1"] or match["m2"])
    year = base.year
    which = match["which"] or "that"
    if which in ("the following", "the next") and month <= base.month:
        year += 1
    elif which in ("the previous", "the preceding") and month >= base.month:
        year -= 1
    return TemporalValue(f"{year}-{month:02d}", "month", f"'{text}' from {what} ({base})")


def _ago(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """ "Three weeks ago", "two years from now", "a year ago today": from publication."""
    match = re.search(
        rf"\b({NUMBER_PATTERN}) (day|week|month|year|decade)s? (ago|from now|from today|hence)\b",
        text,
    )
    if not match:
        return None
    amount = number_value(match.group(1))
    sign = -1 if match.group(3) == "ago" else 1
    unit = match.group(2)
    same = re.search(r"\b(?:ago|hence) (today|this week|this month)$", text)
    if same and published is not None and unit in ("year", "month") and sign < 0:
        # "a year ago today": that very day, a year back; "two years ago this month"
        finer = {"today": "day", "this week": "week", "this month": "month"}[same.group(1)]
        back = published - (
            relativedelta(years=amount) if unit == "year" else relativedelta(months=amount)
        )
        return shift(back, 0, finer, f"the publication date less {amount} {unit}(s)")
    return shift(published, *_single_week_in_days(sign * amount, unit), "publication date")


def _week_of_month(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """ "The first week of September", "the last week of August 1990": the ISO week that
    holds the middle of those seven days."""
    match = re.fullmatch(
        r"(?:the )?(first|second|third|fourth|[1-4]|last|final) week (?:of|in) (?P<month>.+)", text
    )
    if not match:
        return None
    year = re.fullmatch(r"(?:the year )?(\d{4})", match["month"])
    if year:  # "the first week of 2002": the first or last seven days of the year
        last = match.group(1) in ("last", "final")
        nth = 1 if last else ORDINALS.get(match.group(1)) or int(match.group(1))
        start = dt.date(int(year.group(1)), 1, 1) + dt.timedelta(days=7 * (nth - 1) + 3)
        middle = dt.date(int(year.group(1)), 12, 28) if last else start
        return TemporalValue(iso_week(middle), "week", f"the {match.group(1)} week of {year[1]}")
    month = _explicit(match["month"], published, reference, direction)
    if month is None or month.precision != "month" or month.value[0] == "X":
        return None
    first = dt.date.fromisoformat(month.value + "-01")
    if match.group(1) in ("last", "final"):
        middle = first + relativedelta(months=1) - dt.timedelta(days=4)
        how = f"the last seven days of {month.value}"
    else:
        nth = ORDINALS.get(match.group(1)) or int(match.group(1))  # "first" may arrive as "1"
        middle = first + dt.timedelta(days=7 * (nth - 1) + 3)
        how = f"days {7 * nth - 6}-{7 * nth} of {month.value}"
    return TemporalValue(iso_week(middle), "week", how)


def _in_time(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """ "in two weeks", "within three days": that long after publication."""
    match = re.fullmatch(
        rf"(?:in|within) ({NUMBER_PATTERN}) (day|week|month|year)s?(?:'? time)?", text
    )
    if not match:
        return None
    return shift(published, number_value(match.group(1)), match.group(2), "publication date")


def _relative_unit(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """ "Last week", "next month", "the coming decade", "next summer"; "the following
    week" from the event referred to when there is one."""
    if re.search(rf"\b{WEEKDAY_PATTERN}(?=[\s,']|$)", text):
        return None  # "Tuesday next week" is a day: the weekday rule takes it
    match = re.search(
        r"\b(this|last|next|past|previous|coming|current|following|the same)\s+"
        r"(week(?:end)?|month|year|quarter|decade|century|spring|summer|autumn|fall|winter)\b"
        r"(?!\s+of\b)",  # "the last week of January" is not last week
        text,
    )
    if not match:
        return None
    which, unit = match.groups()
    delta = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(
        which, 0
    )
    anaphoric = which in ("following", "previous", "the same") and reference is not None
    base = reference if anaphoric else published
    if base is None:
        return TemporalValue("XXXX", "unknown", f"'{which} {unit}' with no publication date")
    how = f"'{which} {unit}' from {'the event' if anaphoric else 'publication date'} ({base})"
    if unit in ("week", "weekend"):
        if unit == "weekend" and which == "this" and direction < 0 and base.weekday() < 5:
            delta = -1  # "talks were held this weekend", said on a Monday
        if unit == "week" and which == "this" and direction > 0 and base.weekday() == 6:
            delta = 1  # "she will not hold the vote this week", said on a Sunday
        day = base + dt.timedelta(weeks=delta)
        suffix = "-WE" if unit == "weekend" else ""
        return TemporalValue(iso_week(day) + suffix, "week", how)
    if unit == "month":
        day = base + relativedelta(months=delta)
        return TemporalValue(f"{day.year}-{day.month:02d}", "month", how)
    if unit == "quarter":
        index = (base.month - 1) // 3 + delta
        year = base.year + index // 4
        return TemporalValue(f"{year}-Q{index % 4 + 1}", "quarter", how)
    if unit == "decade":
        return TemporalValue(str(base.year + 10 * delta)[:3], "decade", how)
    if unit == "century":  # TIMEX3 writes the 21st century as "20"
        return TemporalValue(f"{base.year // 100 + delta:02d}", "decade", how)
    if unit == "year":
        return TemporalValue(str(base.year + delta), "year", how)
    season = SEASONS[unit]
    year = base.year + delta
    return TemporalValue(f"{year}-{season}", "season", how)


def _explicit(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Dates with a month name: day-month-year in any order, month-year, month-day."""
    weekday = re.search(rf"\b{WEEKDAY_PATTERN}(?=[\s,']|$)", text)
    wanted_weekday = weekday_number(weekday.group(0)) if weekday else None
    patterns = (
        rf"\b(?P<m>{MONTH_PATTERN})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{YEAR_PATTERN})\b)?",
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{MONTH_PATTERN})(?:,?\s+(?P<y>{YEAR_PATTERN})\b)?",
    )
    for pattern in patterns:
        match = re.search(pattern, text)
        if match:
            month, day = month_number(match.group("m")), int(match.group("d"))
            if match.group("y"):
                try:
                    value = dt.date(int(match.group("y")), month, day)
                except ValueError:
                    raise NoSuchDate from None
                return _with_weekday(value, wanted_weekday, "explicit date")
            if published is None:
                return TemporalValue(
                    f"XXXX-{month:02d}-{day:02d}",
                    "day",
                    "month and day as written; the year is unknown",
                )
            near = pick_year(month, day, published, direction)
            if near is None:
                return None
            return _with_weekday(
                near, wanted_weekday, f"month and day; year from publication date {published}"
            )
    match = re.search(
        rf"\b(?P<m>{MONTH_PATTERN})\s*,?\s*(?:of\s+)?(?P<rel>this|last|next) year\b", text
    )
    if match and published is not None:
        month = month_number(match.group("m"))
        year = published.year + {"last": -1, "next": 1}.get(match.group("rel"), 0)
        return TemporalValue(f"{year}-{month:02d}", "month", f"month of {match.group('rel')} year")
    match = re.search(rf"\b(?P<m>{MONTH_PATTERN})\s*,?\s*(?:of\s+)?(?P<y>{YEAR_PATTERN})\b", text)
    if match:
        month = month_number(match.group("m"))
        return TemporalValue(f"{match.group('y')}-{month:02d}", "month", "month and year")
    match = re.fullmatch(
        rf"(?:(?:early|mid|late|the end of|the beginning of|the start of|the middle of|"
        rf"end of|beginning of|the (?:first|1|last) days of)[\s-]+)?(?P<m>{MONTH_PATTERN})",
        text,
    )
    if match:
        month = month_number(match.group("m"))
        if published is None:
            return TemporalValue(f"XXXX-{month:02d}", "month", "month with no year")
        first = pick_year(month, None, published, direction)
        assert first is not None
        return TemporalValue(
            f"{first.year}-{month:02d}", "month", f"month; year from publication date {published}"
        )
    return None


def _day_of_month(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """ "The 19th" alone: that day of the publication month, or of the month before or after
    when the tense points there."""
    match = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th)(?: of (?:the|this) month)?", text)
    if not match or published is None:
        return None
    day = int(match.group(1))
    candidates = []
    for months in (-2, -1, 0, 1, 2):
        first = published.replace(day=1) + relativedelta(months=months)
        try:
            candidates.append(first.replace(day=day))
        except ValueError:
            continue
    if not candidates:
        return None
    if direction > 0:
        ahead = [d for d in candidates if d >= published]
        candidates = ahead or candidates
    elif direction < 0:
        behind = [d for d in candidates if d <= published]
        candidates = behind or candidates
    value = min(candidates, key=lambda d: abs((d - published).days))
    return day_value(value, f"day {day} of the month nearest the publication date {published}")


def _with_weekday(value: dt.date, weekday: int | None, how: str) -> TemporalValue:
    flags: tuple[str, ...] = ()
    if weekday is not None and weekday != value.weekday():
        flags = (f"the text says {WEEKDAYS[weekday].title()}, but {value} is a {value:%A}",)
    return day_value(value, how, flags)


def _numeric(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Dates and years in digits: "2022-01-10", "1/10/2022", "9/30", "'98", "the 1990s",
    "the 21st century", "spring 2020", "1998"."""
    match = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if match:
        try:
            return day_value(dt.date(*map(int, match.groups())), "ISO date")
        except ValueError:
            raise NoSuchDate from None
    match = re.search(r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b", text)
    if match:  # "2022/01/10", "2022.01.10": year first, then month and day
        try:
            return day_value(dt.date(*map(int, match.groups())), "numeric date (year/month/day)")
        except ValueError:
            raise NoSuchDate from None
    match = re.search(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", text)
    if match:  # "10.01.2022": day first, as everywhere dots are written
        day, month, year = (int(g) for g in match.groups())
        try:
            return day_value(dt.date(year, month, day), "numeric date (day.month.year)")
        except ValueError:
            raise NoSuchDate from None
    match = re.search(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})\b", text)
    if match:  # US order, as in the English-language news this tool reads
        month, day, year = (int(g) for g in match.groups())
        year += 2000 if year < 50 else (1900 if year < 100 else 0)
        try:
            return day_value(dt.date(year, month, day), "numeric date (month/day/year)")
        except ValueError:
            raise NoSuchDate from None
    match = re.search(r"(?<![\w/])(\d{1,2})/(\d{1,2})(?![\w/])", text)
    if match and published is not None:  # "until 9/30": month/day, the year from the tense
        month, day = (int(g) for g in match.groups())
        if (month, day) == (9, 11) and published >= dt.date(2001, 9, 11):
            return day_value(dt.date(2001, 9, 11), "9/11: the attacks of 2001")
        if month > 12 >= day:  # "30/9": day first
            month, day = day, month
        if month > 12 or not 1 <= day <= 31:
            return None
        picked = pick_year(month, day, published, direction)
        if picked is None or picked.day != day:
            raise NoSuchDate
        return day_value(picked, "numeric date (month/day), year from the publication date")
    match = re.fullmatch(r"'(\d\d)", text.strip())
    if match:  # "since '98": the latest such year not more than ten years ahead
        latest = (published.year if published else dt.date.today().year) + 10
        years = [y for y in (1900 + int(match.group(1)), 2000 + int(match.group(1))) if y <= latest]
        if not years:
            raise NoSuchDate  # '98 in a story of 1885
        return TemporalValue(str(max(years)), "year", "two-digit year as written")
    match = re.search(r"(?:^|\s)'(\d)0s\b", text)
    if match:  # "the '90s": the last century's, unless that is in the future
        return TemporalValue(f"19{match.group(1)}", "decade", "decade as written")
    match = re.search(r"\b((?:1[89]|20)\d0)'?s\b", text)
    if match:
        return TemporalValue(match.group(1)[:3], "decade", "decade as written")
    match = re.fullmatch(r"(?:the )?(?:early |mid-?|late )?([2-9])0s", text)
    if match:  # "the 80s": the last century's
        return TemporalValue(f"19{match.group(1)}", "decade", "decade as written")
    match = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)[\s-]+century\b", text)
    if match:
        return TemporalValue(f"{int(match.group(1)) - 1:02d}", "decade", "century as written")
    match = re.search(rf"\b(spring|summer|autumn|fall|winter)\s+(?:of\s+)?({YEAR_PATTERN})\b", text)
    if match:
        return TemporalValue(
            f"{match.group(2)}-{SEASONS[match.group(1)]}", "season", "season and year"
        )
    match = re.search(rf"\b({YEAR_PATTERN})\b", text)
    if match:
        return TemporalValue(match.group(1), "year", "year as written")
    return None


def _weekday_alone(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """A weekday: "Friday" (the last or next one by tense), "last Tuesday", "this Friday",
    "Tuesday next week"."""
    match = re.search(rf"\b{WEEKDAY_PATTERN}(?=[\s,']|$)", text)
    if not match:
        return None
    weekday = weekday_number(match.group(0))
    week = re.search(r"\b(this|next|last|the following|the previous) week\b", text)
    words = re.findall(r"\b(last|next|this|coming|past|following|previous)\b", text)
    directional = [w for w in words if w != "this"]
    word = directional[0] if directional else (words[0] if words else None)
    anaphoric = word in ("following", "previous") and reference is not None
    base = reference if anaphoric else published
    if base is None:
        return TemporalValue("XXXX-XX-XX", "day", "a weekday with no publication date")
    if week:  # "Tuesday next week": that weekday in that ISO week
        step = {"next": 1, "last": -1, "the following": 1, "the previous": -1}.get(week.group(1), 0)
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=step)
        value = monday + dt.timedelta(days=weekday)
        return day_value(value, f"{WEEKDAYS[weekday].title()} of {week.group(0)} from {base}")
    if word in ("last", "past", "previous"):
        direction = -1
    elif word in ("next", "coming", "following"):
        direction = 1
    # "this Friday" keeps the sentence's tense: the coming one, or the one just gone; with
    # no tense, it is the Friday of the week of publication.
    delta = (weekday - base.weekday()) % 7
    if word == "this" and direction == 0:
        delta = weekday - base.weekday()
    elif direction <= 0 and delta:
        delta -= 7  # news reports what happened: a weekday with no tense cue is the last one
    if word in ("last", "past", "next", "following", "previous") and not delta:
        delta = 7 * direction  # "last Wednesday" said on a Wednesday: a week ago
    if word == "next" and not anaphoric:
        # "next Thursday" said on a Wednesday is not tomorrow: the Thursday of next week
        delta = 7 - base.weekday() + weekday
    value = base + dt.timedelta(days=delta)
    sign = (direction > 0) - (direction < 0)
    how = {1: "next", -1: "most recent", 0: "most recent (no tense cue)"}[sign]
    origin = "the event it refers to" if anaphoric else "publication date"
    return day_value(value, f"{how} {WEEKDAYS[weekday].title()} from {origin} {base}")


RULES: tuple[Rule, ...] = (
    _refs,
    holiday_rule,
    quarters,
    reporting_periods,
    _deictic_days,
    _anaphoric,
    _month_of_the_event,
    _ago,
    _in_time,
    _week_of_month,
    _explicit,
    _day_of_month,
    _relative_unit,
    _numeric,
    _weekday_alone,
)
