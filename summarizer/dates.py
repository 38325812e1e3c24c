"""Resolving date expressions as written into calendar values, by code, never by the model.

The model reports a meeting's date exactly as the article words it and what it counts from;
this module computes the value, as a TimeML TIMEX3-style string:

    2022-01-14   a day            2022-W02   an ISO week      2022-01   a month
    2022-Q1      a quarter        2022-SU    a season         2022      a year
    199          the 1990s        PRESENT_REF / PAST_REF / FUTURE_REF
    XXXX-01-14   what the text does not fix stays X

Anchoring rules: deictic expressions ("Friday", "next week", "January 14", "last year") count
from the publication date; anaphoric ones ("the day before", "two days later") from the date of
the event they refer to (``reference``); the tense of the sentence (``context``) decides
whether a bare weekday or month points back or forward. Explicit dates are parsed with
python-dateutil.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from .schemas import Precision

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
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_UNITS = {
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

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_NUM = (
    r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|"
    r"(?:a )?few)"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"

_FUTURE_RE = re.compile(
    r"\b(will|would|shall|'ll|might|could|can|going to|to be held|scheduled|planned|plans?|"
    r"expects?|expected|intends?|hopes? to|aims? to|due|set to|next|upcoming|coming|is to|"
    r"are to|later this|to be \w+|payable|effective)\b",
    re.I,
)
_PAST_RE = re.compile(
    r"\b(was|were|had|did|said|told|held|met|took|came|went|made|gave|got|saw|sold|paid|"
    r"rose|fell|began|won|lost|left|bought|brought|thought|caught|sought|fought|taught|became|"
    r"ran|kept|felt|knew|grew|spoke|wrote|broke|chose|drove|led|sent|spent|built|found|"
    r"heard|meant|stood|understood|ago|last|(?!united\b|limited\b)\w{2,}[^e\W]ed)\b",
    re.I,
)
_LEADING_RE = re.compile(
    r"^(?:(?:on|in|at|by|since|until|till|from|for|during|of|as of|before|after|around|about|"
    r"through|throughout|within|over|between|early|earlier|late|later|mid|the|this|that|"
    r"-)\s+)+",
    re.I,
)


class _NoSuchDate(Exception):
    """An explicit date that does not exist (February 29, 2023): no value at all."""


@dataclass(frozen=True)
class TemporalValue:
    """A computed date: TIMEX3 value, precision, and a sentence on how it was derived."""

    value: str
    precision: Precision
    derivation: str
    flags: tuple[str, ...] = ()


def tense_direction(context: str | None, expression: str | None = None) -> int:
    """+1 when the sentence speaks of the future, -1 of the past, 0 when it does not say;
    ±2 when the words right before the expression say so (a stronger cue).

    The four words before the expression decide first ("will be held in March", "a spokesman
    said Thursday"); failing that, the nearest tense marker before it in the sentence, then
    the nearest after it ("warnings from Moscow on Thursday that strikes could ...": past).
    """
    if not context:
        return 0
    at = context.lower().find(expression.lower()) if expression else -1
    if at < 0:
        return 1 if _FUTURE_RE.search(context) else (-1 if _PAST_RE.search(context) else 0)
    near = " ".join(context[:at].split()[-4:])
    if _FUTURE_RE.search(near):
        return 2
    if _PAST_RE.search(near):
        return -2
    if re.search(r"\b(by|until|till)\s*$", near, re.I):
        return 1  # a deadline: "by August", "until Friday"
    marks = [(m.start(), 1) for m in _FUTURE_RE.finditer(context)]
    future_spans = {m.start() for m in _FUTURE_RE.finditer(context)}
    marks += [(m.start(), -1) for m in _PAST_RE.finditer(context) if m.start() not in future_spans]
    before = [mark for mark in marks if mark[0] < at]
    after = [mark for mark in marks if mark[0] >= at + len(expression or "")]
    if before:
        return max(before)[1]
    if after:
        return min(after)[1]
    return 0


def month_number(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return [m[:3] for m in MONTHS].index(key) + 1


def weekday_number(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return [w[:3] for w in WEEKDAYS].index(key)


def _number(word: str) -> int:
    word = word.lower().strip()
    return int(word) if word.isdigit() else _NUMBERS[word]


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _day(value: dt.date, how: str, flags: tuple[str, ...] = ()) -> TemporalValue:
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

    limit = (330 if abs(direction) > 1 else 200) if day is not None else 11
    sign = (direction > 0) - (direction < 0)
    if sign:
        ahead = [d for d in candidates if 0 <= sign * distance(d) <= limit]
        if ahead:
            return min(ahead, key=lambda d: abs(distance(d)))
    return min(candidates, key=lambda d: abs(distance(d)))


# --------------------------------------------------------------------------- the rules

Rule = Callable[[str, dt.date | None, dt.date | None, int], TemporalValue | None]


def _refs(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    if re.fullmatch(
        r"(right )?now|currently|at present|the present|present|nowadays|"
        r"these days|at the moment|at this time|this time",
        text,
    ):
        return TemporalValue("PRESENT_REF", "present", "refers to the time of writing")
    if re.fullmatch(
        r"(the )?(recent )?past|recently|previously|formerly|once|earlier|"
        r"in the past|lately|before|some time ago",
        text,
    ):
        return TemporalValue("PAST_REF", "past", "an unspecified past time")
    if re.fullmatch(
        r"(the )?future|(the )?(near|coming) future|soon|later|eventually|"
        r"in the future|one day|someday",
        text,
    ):
        return TemporalValue("FUTURE_REF", "future", "an unspecified future time")
    return None


def _deictic_days(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
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
        if re.search(rf"\b{phrase}\b", text):
            if published is None:
                return TemporalValue("XXXX-XX-XX", "day", f"'{phrase}' with no publication date")
            return _day(published + dt.timedelta(days=delta), f"'{phrase}' from publication date")
    return None


def _anaphoric(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    match = re.search(
        r"\b(?:the )?(next|following|previous|prior|preceding|same) day\b|"
        r"\bthe day (before|after|earlier|later)\b|\bthat (?:same )?day\b|\bthe same day\b",
        text,
    )
    if match:
        word = (match.group(1) or match.group(2) or "same").lower()
        delta = {"next": 1, "following": 1, "after": 1, "later": 1}.get(word, -1)
        if word == "same" or "that" in match.group(0) or "same" in match.group(0):
            delta = 0
        return _shift(reference, delta, "day", "the event it refers to")
    match = re.search(
        rf"\b({_NUM}) (day|week|month|year)s? (later|after(?:wards)?|earlier|before|"
        r"previously|prior|on)\b",
        text,
    )
    if match:
        amount = _number(match.group(1))
        sign = 1 if match.group(3) in ("later", "after", "afterwards", "on") else -1
        return _shift(reference, sign * amount, match.group(2), "the event it refers to")
    return None


def _ago(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    match = re.search(rf"\b({_NUM}) (day|week|month|year|decade)s? (ago|from now|hence)\b", text)
    if not match:
        return None
    amount = _number(match.group(1))
    sign = -1 if match.group(3) == "ago" else 1
    return _shift(published, sign * amount, match.group(2), "publication date")


def _relative_unit(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    match = re.search(
        r"\b(this|last|next|past|previous|coming|current|following|the same)\s+"
        r"(week(?:end)?|month|year|quarter|decade|spring|summer|autumn|fall|winter)\b",
        text,
    )
    if not match:
        return None
    which, unit = match.groups()
    delta = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(
        which, 0
    )
    anaphoric = which in ("following", "the same") and reference is not None
    base = reference if anaphoric else published
    if base is None:
        return TemporalValue("XXXX", "unknown", f"'{which} {unit}' with no publication date")
    how = f"'{which} {unit}' from {'the event' if anaphoric else 'publication date'} ({base})"
    if unit in ("week", "weekend"):
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
    if unit == "year":
        return TemporalValue(str(base.year + delta), "year", how)
    season = _SEASONS[unit]
    year = base.year + delta
    return TemporalValue(f"{year}-{season}", "season", how)


def _explicit(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Dates with a month name: day-month-year in any order, month-year, month-day."""
    weekday = re.search(rf"\b{_WEEKDAY}(?=[\s,]|$)", text)
    wanted_weekday = weekday_number(weekday.group(0)) if weekday else None
    patterns = (
        rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>{_YEAR})\b)?",
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR})\b)?",
    )
    for pattern in patterns:
        match = re.search(pattern, text)
        if match:
            month, day = month_number(match.group("m")), int(match.group("d"))
            if match.group("y"):
                try:
                    value = dt.date(int(match.group("y")), month, day)
                except ValueError:
                    raise _NoSuchDate from None
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
    match = re.search(rf"\b(?P<m>{_MONTH})\s*,?\s*(?:of\s+)?(?P<y>{_YEAR})\b", text)
    if match:
        month = month_number(match.group("m"))
        return TemporalValue(f"{match.group('y')}-{month:02d}", "month", "month and year")
    match = re.fullmatch(
        rf"(?:(?:early|mid|late|the end of|the beginning of|the start of|"
        rf"the middle of|end of|beginning of)[\s-]+)?(?P<m>{_MONTH})",
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


def _with_weekday(value: dt.date, weekday: int | None, how: str) -> TemporalValue:
    flags: tuple[str, ...] = ()
    if weekday is not None and weekday != value.weekday():
        flags = (f"the text says {WEEKDAYS[weekday].title()}, but {value} is a {value:%A}",)
    return _day(value, how, flags)


def _numeric(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    match = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if match:
        try:
            return _day(dt.date(*map(int, match.groups())), "ISO date")
        except ValueError:
            raise _NoSuchDate from None
    match = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", text)
    if match:  # US order, as in the English-language news this tool reads
        month, day, year = (int(g) for g in match.groups())
        year += 2000 if year < 50 else (1900 if year < 100 else 0)
        try:
            return _day(dt.date(year, month, day), "numeric date (month/day/year)")
        except ValueError:
            raise _NoSuchDate from None
    match = re.search(r"\b((?:1[89]|20)\d0)'?s\b", text)
    if match:
        return TemporalValue(match.group(1)[:3], "decade", "decade as written")
    match = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)[\s-]+century\b", text)
    if match:
        return TemporalValue(f"{int(match.group(1)) - 1:02d}", "decade", "century as written")
    match = re.search(rf"\b(spring|summer|autumn|fall|winter)\s+(?:of\s+)?({_YEAR})\b", text)
    if match:
        return TemporalValue(
            f"{match.group(2)}-{_SEASONS[match.group(1)]}", "season", "season and year"
        )
    match = re.search(rf"\b({_YEAR})\b", text)
    if match:
        return TemporalValue(match.group(1), "year", "year as written")
    return None


def _weekday_alone(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    match = re.search(rf"\b{_WEEKDAY}(?=[\s,]|$)", text)
    if not match:
        return None
    weekday = weekday_number(match.group(0))
    modifier = re.search(r"\b(last|next|this|coming|past)\b", text)
    if modifier:
        direction = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(modifier.group(1), 0)
    if published is None:
        return TemporalValue("XXXX-XX-XX", "day", "a weekday with no publication date")
    base = published
    delta = (weekday - base.weekday()) % 7
    if direction <= 0 and delta:
        delta -= 7  # news reports what happened: a weekday with no tense cue is the last one
    value = base + dt.timedelta(days=delta)
    sign = (direction > 0) - (direction < 0)
    word = {1: "next or same", -1: "most recent", 0: "most recent (no tense cue)"}[sign]
    return _day(value, f"{word} {WEEKDAYS[weekday].title()} from publication date {base}")


def _quarters(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Numbered quarters: "the third quarter", "this year's fourth quarter", "the 1988 third
    quarter", "third-quarter", "the second quarter of 1997"."""
    match = re.search(
        rf"\b(?:(?P<y1>{_YEAR})\s+|(?P<rel>this|last|next) year'?s\s+)?"
        rf"(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?"
        rf"quarter(?:\s+of\s+(?:fiscal\s+)?(?P<y>{_YEAR}))?",
        text,
    )
    if not match:
        return None
    quarter = _ORDINALS.get(match.group(3)) or int(match.group(3)[0])
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


def _reporting_periods(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Vague spans and the periods of business news: "the quarter", "the fiscal year",
    "year-earlier", "the past few months", "coming years"."""
    if re.fullmatch(r"recent( \w+)*", text):
        return TemporalValue("PAST_REF", "past", "an unspecified recent time")
    if re.fullmatch(
        r"(the )?(last|past|recent|previous) (few |several |many )?"
        r"(days|weeks|months|years|quarters|decades)|recent (days|weeks|months|years)|"
        r"(several|a few|few|some|many) (days|weeks|months|years|decades) ago",
        text,
    ):
        return TemporalValue("PAST_REF", "past", "an unspecified stretch of the past")
    if re.fullmatch(
        r"(the )?(coming|next few|future) (days|weeks|months|years|quarters)|"
        r"(in )?(the )?(near|short|long) term|(the )?years? ahead",
        text,
    ):
        return TemporalValue("FUTURE_REF", "future", "an unspecified stretch of the future")
    if re.fullmatch(r"(the )?current|(the )?(present|current) (time|day|period)", text):
        return TemporalValue("PRESENT_REF", "present", "the time of writing")
    if published is None:
        return None
    quarter_now = (published.month - 1) // 3  # 0-based
    if re.fullmatch(
        r"(the )?(year[\s-]+(earlier|ago)|comparable year[\s-]+(earlier|ago)|"
        r"year[\s-]+(earlier|ago) (quarter|period))( quarter| period)?",
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
    if text == "the day" and published is not None:
        return _day(published, "'the day': the day of publication")
    if re.fullmatch(r"(the )?(current|this) (fiscal )?quarter", text):
        return TemporalValue(
            f"{published.year}-Q{quarter_now + 1}", "quarter", "the quarter of publication"
        )
    if re.fullmatch(
        r"(the )?(current |this |the )?(fiscal |calendar )?year|year[\s-]end|"
        r"(the )?(end|start|beginning|rest|remainder|middle) of the (fiscal )?year",
        text,
    ):
        return TemporalValue(str(published.year), "year", "the year of publication")
    if re.fullmatch(r"year[\s-]+(earlier|ago)|(the )?previous year|(the )?prior year", text):
        return TemporalValue(str(published.year - 1), "year", "the year before publication")
    match = re.fullmatch(rf"(last|next|this|coming|past) ({_MONTH})", text)
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
    if match and reference is not None:
        return _shift(reference, 0, match.group(2), "the event it refers to")
    return None


_RULES: tuple[Rule, ...] = (
    _refs,
    _quarters,
    _reporting_periods,
    _deictic_days,
    _anaphoric,
    _ago,
    _relative_unit,
    _explicit,
    _numeric,
    _weekday_alone,
)


def _shift(base: dt.date | None, amount: int, unit: str, what: str) -> TemporalValue:
    unit = _UNITS.get(unit, unit)
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
    how = f"{'the same day as' if amount == 0 else words} {what} ({base})"
    if unit == "day":
        return _day(base + dt.timedelta(days=amount), how)
    if unit == "week":
        return TemporalValue(iso_week(base + dt.timedelta(weeks=amount)), "week", how)
    if unit == "month":
        day = base + relativedelta(months=amount)
        return TemporalValue(f"{day.year}-{day.month:02d}", "month", how)
    if unit == "decade":
        return TemporalValue(str(base.year + 10 * amount)[:3], "decade", how)
    return TemporalValue(str(base.year + amount), "year", how)


def resolve(
    text: str,
    *,
    published: dt.date | None,
    reference: dt.date | None = None,
    context: str | None = None,
) -> TemporalValue | None:
    """Compute the calendar value of a date expression, or None when it holds no date."""
    cleaned = " ".join(text.replace("\u2019", "'").split()).strip(" ,.;:()").lower()
    if not cleaned:
        return None
    direction = tense_direction(context, text.strip())
    stripped = _LEADING_RE.sub("", cleaned) or cleaned
    try:
        for rule in _RULES:
            for candidate in dict.fromkeys((cleaned, stripped)):
                value = rule(candidate, published, reference, direction)
                if value is not None:
                    return value
    except _NoSuchDate:
        return None
    return _dateutil_fallback(cleaned)


def _dateutil_fallback(text: str) -> TemporalValue | None:
    """Numeric forms (01/10/2022) that the rules above do not cover."""
    if not re.search(r"\d", text):
        return None
    try:
        value = date_parser.parse(text, fuzzy=False, default=dt.datetime(1, 1, 1)).date()
    except (ValueError, OverflowError):
        return None
    if value.year == 1:
        return None
    return _day(value, "parsed by dateutil")


# --------------------------------------------------------------------------- publication year

_FULL_WEEKDAY_DATE_RE = re.compile(
    rf"\b(?P<w>{_WEEKDAY}),?\s+(?:the\s+)?(?:(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH}))(?!\s*,?\s*{_YEAR})",
    re.I,
)


@dataclass(frozen=True)
class InferredDate:
    """A publication date inferred from the text, and why."""

    date: dt.date
    reason: str


def infer_publication_date(text: str, *, today: dt.date) -> InferredDate | None:
    """Infer when an undated article was written from a weekday-and-date it mentions.

    "Monday, January 10" fixes the year to those in which 10 January is a Monday; years the
    text mentions ("since the end of 2019") set a floor, and the present a ceiling. The
    article is taken to be written on the latest such date it does not speak of in the future.
    """
    mentioned = [int(y) for y in re.findall(rf"\b({_YEAR})\b", text)]
    floor = max(mentioned) if mentioned else today.year - 30
    found: list[tuple[dt.date, str]] = []
    for match in _FULL_WEEKDAY_DATE_RE.finditer(text):
        month = month_number(match.group("m1") or match.group("m2"))
        day = int(match.group("d1") or match.group("d2"))
        weekday = weekday_number(match.group("w"))
        years = []
        for year in range(floor, today.year + 1):
            try:
                if dt.date(year, month, day).weekday() == weekday:
                    years.append(year)
            except ValueError:
                continue
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
