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
whether a bare weekday or month points back or forward. The rules live in ``rules.py``
(named days in ``holidays.py``), their vocabulary in ``words.py`` and the reading of tense in
``tense.py``; README.md in this folder walks through the steps below in order.
python-dateutil does the calendar arithmetic (relativedelta) and parses numeric forms the
rules do not cover.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
from dataclasses import replace

from dateutil import parser as date_parser

from .rules import RULES, vague_shift
from .tense import find_expression, tense_direction
from .words import (
    LEADING_WORDS,
    MONTH_PATTERN,
    NUMBER_PATTERN,
    WEEKDAY_PATTERN,
    WEEKDAYS,
    NoSuchDate,
    TemporalValue,
    day_value,
    iso_week,
    month_number,
    number_value,
    shift,
    spelled_numbers_to_digits,
    weekday_number,
)


def resolve(
    text: str,
    *,
    published: dt.date | str | None,
    reference: dt.date | str | None = None,
    context: str | None = None,
) -> TemporalValue | None:
    """Compute the calendar value of a date expression, or None when it holds no date.

    ``published`` and ``reference`` may be dates, datetimes (the time is dropped) or ISO
    strings ("2022-01-10", "2022-01-10T08:00:00").
    """
    published, reference = _as_date(published), _as_date(reference)
    cleaned = _respelled(" ".join(text.replace("\u2019", "'").split()).strip(" ,.;:()").lower())
    if not cleaned:
        return None
    if re.search(r"\belection day\b", text):
        return None  # some election's day, not the United States' federal Election Day
    result = _resolve(cleaned, text, published, reference, context)
    if result is None or result.mod is not None:
        return result
    mod = next((name for pattern, name in _MODS if pattern.search(cleaned)), None)
    return replace(result, mod=mod) if mod else result


# Words that say which part of the period is meant, as TIMEX3 ``mod`` values.
_COUNT_AHEAD = rf"(?=(?:{NUMBER_PATTERN})\b)"
_PREPOSITION = r"(?:(?:in|at|by|on|from|until|till|since|during|before|after|of) )?"
_MODS = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (rf"^{_PREPOSITION}(?:the )?(?:early|beginning of|start of|first days of)\b", "START"),
        (rf"^{_PREPOSITION}(?:the )?(?:mid\b|mid-|middle of)", "MID"),
        (rf"^{_PREPOSITION}(?:the )?(?:late|end of|close of|last days of)\b", "END"),
        (
            rf"^{_PREPOSITION}(?:about|around|roughly|approximately)\b|^some {_COUNT_AHEAD}|"
            r"\bor so\b",
            "APPROX",
        ),
        (rf"^(?:more than|over) {_COUNT_AHEAD}", "MORE_THAN"),
        (rf"^(?:less than|under|nearly|almost) {_COUNT_AHEAD}", "LESS_THAN"),
    )
)


def _resolve(
    cleaned: str,
    text: str,
    published: dt.date | None,
    reference: dt.date | None,
    context: str | None,
) -> TemporalValue | None:
    cleaned = spelled_numbers_to_digits(cleaned)
    cleaned = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)? day of\b", r"\1", cleaned)  # gazettes
    # hedges that leave the value alone: "a week or so ago", "some two weeks ago"
    cleaned = re.sub(
        r"\b(?:or so|some|nearly|almost|roughly|approximately|about|around|just|only|"
        r"more than|less than)"
        rf"\s+(?=(?:{NUMBER_PATTERN})\b|ago\b)"
        r"|\s+or so\b",
        "",
        cleaned,
    ).strip()
    cleaned = _with_neighbour(cleaned, text, context)
    cleaned = _with_apposition(cleaned, text, context)
    cleaned = _with_year_after(cleaned, text, context)
    cleaned = _range_end(cleaned, text, context)
    direction = tense_direction(context, text.strip())
    stripped = LEADING_WORDS.sub("", cleaned) or cleaned
    compared = _comparison_period(stripped, context, published)
    if compared is not None:
        return compared
    try:
        ending = _month_range_end(cleaned, text, published, reference, context)
        if ending is not None:
            return ending
        composed = _composed(stripped, published=published, reference=reference, context=context)
        if composed is not None:
            return composed
        for rule in RULES:
            for candidate in dict.fromkeys((cleaned, stripped)):
                value = rule(candidate, published, reference, direction)
                if value is not None:
                    return value
    except NoSuchDate:
        return None
    except (OverflowError, ValueError):
        return None  # "999999 weeks from Friday", "the first week of 0000": beyond the calendar
    return _dateutil_fallback(cleaned)


def _around(text: str, context: str) -> tuple[str, str] | None:
    """The sentence before and after the expression as written, or None when it is not
    there (whitespace and typographic apostrophes aside)."""
    context = " ".join(context.replace("\u2019", "'").split())
    written = " ".join(text.replace("\u2019", "'").split())
    at = find_expression(context, written)
    if at < 0:
        return None
    return context[:at], context[at + len(written) :]


_RANGE_START_RE = re.compile(
    rf"\b({MONTH_PATTERN})\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:to|through|until|till|-|\u2013|and)\s*$",
    re.I,
)
_RANGE_END_RE = re.compile(
    r"(?:st|nd|rd|th)?\s*(?:to|through|until|till|-|\u2013|and)\s*\d{1,2}(?:st|nd|rd|th)?\s+"
    rf"({MONTH_PATTERN})",
    re.I,
)


def _range_end(cleaned: str, text: str, context: str | None) -> str:
    """A bare day number in a range takes the range's month: "17" in "from Sept. 5 to 17",
    "5" in "March 3-5", "12" in "between 12 and 19 March". Every place the number stands in
    the sentence is tried ("About 17 bands play from Sept. 5 to 17")."""
    if not context or not re.fullmatch(r"\d{1,2}", cleaned):
        return cleaned
    context = " ".join(context.split())
    for place in re.finditer(rf"(?<![\w.]){cleaned}(?![\w])", context):
        start = _RANGE_START_RE.search(context, max(0, place.start() - 40), place.start())
        if start:
            return f"{start.group(1).lower()} {cleaned}"
        end = _RANGE_END_RE.match(context, place.end())
        if end:
            return f"{cleaned} {end.group(1).lower()}"
    return cleaned


def _with_year_after(cleaned: str, text: str, context: str | None) -> str:
    """A holiday or a month followed in the sentence by its year ("on Halloween in 2017",
    "in March of 2019") is that year's."""
    if not context or re.search(r"\d{4}", cleaned):
        return cleaned
    named = (
        rf"(?:(?:on|in|at) )?(?:{MONTH_PATTERN}(?: \d{{1,2}})?|[a-z' .]+ day|halloween|"
        r"christmas(?: eve)?|easter|thanksgiving|new year's (?:day|eve))"
    )
    if not re.fullmatch(named, cleaned):
        return cleaned
    around = _around(text, context)
    year = around and re.match(
        r",?\s+(?:in|of)\s+((?:1[89]|20)\d\d)\b"  # "on Halloween in 2017"
        r"|\s*(?:to|through|until|till|-|\u2013)\s*"  # "between July 19 to Aug. 4, 1996"
        rf"(?:{MONTH_PATTERN}\s*)?\d{{1,2}},?\s+((?:1[89]|20)\d\d)\b",
        around[1],
        re.I,
    )
    return f"{cleaned} {year.group(1) or year.group(2)}" if year else cleaned


def _with_apposition(cleaned: str, text: str, context: str | None) -> str:
    """A weekday with its date just after it in the sentence ("next Thursday, July 6")
    is that date: the written day settles which Thursday is meant."""
    if not context or not re.fullmatch(
        rf"(?:(?:next|last|this|coming|on) )?{WEEKDAY_PATTERN}", cleaned
    ):
        return cleaned
    around = _around(text, context)
    if around is None:
        return cleaned
    date = re.match(
        rf"(?:,?\s+|\s*\()(?:{MONTH_PATTERN}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH_PATTERN})(?![\d:])"
        r"(?:,?\s+\d{4})?",  # "next Thursday, July 6", "on Monday (July 31)"
        around[1],
        re.I,
    )
    if not date:
        return cleaned
    weekday = re.search(WEEKDAY_PATTERN, cleaned)
    assert weekday is not None
    return f"{weekday.group(0)}, {date.group(0).strip(' ,(').lower()}"


def _respelled(cleaned: str) -> str:
    """Variant spellings the rules read in one form: "end-January" and "end January" are
    "end of january", "jan-2022" is "jan 2022", "later that week" and "earlier in the day"
    are "that week" and "that day" (the period of the event referred to)."""
    cleaned = re.sub(
        rf"^(the )?(end|start|beginning|middle)[\s-]+(?!of\b)(?=(?:{MONTH_PATTERN}|\d{{4}})\b)",
        r"\1\2 of ",
        cleaned,
    )
    cleaned = re.sub(rf"\b({MONTH_PATTERN})-(\d{{4}})\b", r"\1 \2", cleaned)
    cleaned = re.sub(rf"\b({MONTH_PATTERN})(?<=\.)(?=\d)", r"\1 ", cleaned)  # "feb.23"
    cleaned = re.sub(rf"^(?:the )?month of (?=(?:{MONTH_PATTERN})\b)", "", cleaned)
    cleaned = re.sub(rf"\b({MONTH_PATTERN}(?: \d{{1,2}})?)'s$", r"\1", cleaned)  # "November's"
    return re.sub(
        r"^(?:earlier|later) (?:that|the same|in the) (day|week|month|year)$", r"that \1", cleaned
    )


_OFFSET_RE = re.compile(
    rf"(?:the )?(?:(?P<n>{NUMBER_PATTERN}|\d+) )?(?P<unit>day|week)s? (?P<dir>before|after) "
    r"(?P<rest>.+)"
)


_DAY_OF_YEAR_RE = re.compile(
    rf"(?P<date>(?:{MONTH_PATTERN}|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{MONTH_PATTERN}).*?),?"
    rf" (?:of )?(?P<rel>(?P<which>last|this|next) year|(?P<n>{NUMBER_PATTERN}) years? ago)"
)
_FROM_DAY_RE = re.compile(
    rf"(?:(?:(?P<n>{NUMBER_PATTERN}|\d+)|a) weeks? from (?:this |next )?(?P<day>{WEEKDAY_PATTERN})"
    rf"|(?P<day2>{WEEKDAY_PATTERN}) week)"
)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(value.strip()).date()
    except ValueError:
        raise ValueError(f"not an ISO date: {value!r}") from None


_BARE_SPAN_RE = re.compile(rf"(?:{NUMBER_PATTERN}|\d+) (?:day|week|month|year|decade)s?", re.I)


def _with_neighbour(cleaned: str, text: str, context: str | None) -> str:
    """A span marked without the word that makes it a date ("five years" in "redeemed in
    five years", "10 days" in "10 days before the murder") takes that word from the
    sentence."""
    if not context or not _BARE_SPAN_RE.fullmatch(cleaned):
        return cleaned
    around = _around(text, context)
    if around is None:
        return cleaned
    after = re.match(
        r"\s+(ago|later|earlier|before|after|afterwards|from now|hence)\b", around[1], re.I
    )
    if after:
        return f"{cleaned} {after.group(1).lower()}"
    before = re.search(r"\b(in|within)\s+$", around[0], re.I)
    if before:
        return f"{before.group(1).lower()} {cleaned}"
    return cleaned


def _month_range_end(
    cleaned: str,
    text: str,
    published: dt.date | None,
    reference: dt.date | None,
    context: str | None,
) -> TemporalValue | None:
    """The month that ends a range follows the month that starts it: "June" in "the current
    quarter, from April to June" is the June after that April."""
    if not context or not re.fullmatch(MONTH_PATTERN, cleaned):
        return None
    around = _around(text, context)
    start = around and re.search(
        rf"\b({MONTH_PATTERN})\s*(?:to|through|until|till|-|\u2013)\s*$", around[0], re.I
    )
    if not start:
        return None
    first = _inner(start.group(1), published=published, reference=reference, context=context)
    if first is None or first.precision != "month" or first.value[0] == "X":
        return None
    year, month = int(first.value[:4]), month_number(cleaned)
    year += 1 if month < int(first.value[5:7]) else 0
    return TemporalValue(f"{year}-{month:02d}", "month", f"the end of a range from {first.value}")


_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("date_depth", default=0)


def _inner(
    text: str,
    *,
    published: dt.date | None,
    reference: dt.date | None = None,
    context: str | None = None,
) -> TemporalValue | None:
    """``resolve`` for the date an expression is built on, a few levels deep at most: "the
    day before the day before ..." repeated a thousand times is not a date."""
    depth = _DEPTH.get()
    if depth >= 4:
        return None
    token = _DEPTH.set(depth + 1)
    try:
        return resolve(text, published=published, reference=reference, context=context)
    finally:
        _DEPTH.reset(token)


def _composed(
    text: str, *, published: dt.date | None, reference: dt.date | None, context: str | None
) -> TemporalValue | None:
    """Expressions built on another date: "the week of March 6", "the day before last
    Tuesday", "two days after Jan. 3"."""
    inner: TemporalValue | None = None
    match = re.fullmatch(r"(?:the )?week of (?P<rest>.+)", text)
    if match:
        inner = _inner(match["rest"], published=published, reference=reference, context=context)
        if inner is not None and inner.precision == "day" and inner.value[0] != "X":
            day = dt.date.fromisoformat(inner.value)
            return TemporalValue(iso_week(day), "week", f"the week of {inner.derivation}")
        return None
    match = _DAY_OF_YEAR_RE.fullmatch(text)
    if match and published is not None and not re.search(r"\d{4}", match["date"]):
        # "June 21 last year", "September 26 two years ago", "April of this year": the day
        # or month as written, in the year the rest names
        if match["n"]:
            year = published.year - number_value(match["n"])
        else:
            year = published.year + {"last": -1, "this": 0, "next": 1}[match["which"]]
        inner = _inner(f"{match['date']} {year}", published=published, context=context)
        if inner is None or not inner.value.startswith(f"{year}-"):
            raise NoSuchDate  # February 29 in a year without one
        what = "day" if inner.precision == "day" else "month"
        return replace(inner, derivation=f"{what} as written, in {year} ({match['rel']})")
    match = re.fullmatch(
        rf"(?:the )?(?P<day>{WEEKDAY_PATTERN}) (?P<dir>before|after) (?P<rest>.+)", text
    )
    if match:
        # "the Sunday before Thanksgiving", "the Monday after the vote on May 3"
        inner = _inner(match["rest"], published=published, reference=reference, context=context)
        if inner is None or inner.precision != "day" or inner.value[0] == "X":
            return None
        anchor = dt.date.fromisoformat(inner.value)
        wanted = weekday_number(match["day"])
        if match["dir"] == "before":
            day = anchor - dt.timedelta(days=(anchor.weekday() - wanted - 1) % 7 + 1)
        else:
            day = anchor + dt.timedelta(days=(wanted - anchor.weekday() - 1) % 7 + 1)
        return day_value(day, f"the {WEEKDAYS[wanted].title()} {match['dir']} {inner.derivation}")
    match = _FROM_DAY_RE.fullmatch(text)
    if match:
        # "a week from Friday", "two weeks from Monday", and the British "Friday week":
        # counted from that weekday ahead, never from the past one
        weekday: str = match["day"] or match["day2"]
        inner = _inner(weekday, published=published, reference=reference, context="will be")
        if inner is None or inner.precision != "day" or inner.value[0] == "X":
            return None
        amount = number_value(match["n"]) if match["n"] else 1
        return shift(dt.date.fromisoformat(inner.value), 7 * amount, "day", inner.derivation)
    match = _OFFSET_RE.fullmatch(text)
    if match:
        inner = _inner(match["rest"], published=published, reference=reference, context=context)
        if inner is None or inner.precision != "day" or inner.value[0] == "X":
            return None  # "the day before the vote": anaphoric, left to the rules
        anchor = dt.date.fromisoformat(inner.value)
        sign = 1 if match["dir"] == "after" else -1
        plural = re.match(rf"(?:the )?(?:\S+ )?{match['unit']}s ", text) is not None
        if match["n"] in ("several", "a few", "few") or (match["n"] is None and plural):
            # "a few days after Jan. 3", "in the days before Christmas": no exact day
            phrase = f"{match['n'] or 'the'} {match['unit']}s {match['dir']} {inner.derivation}"
            return vague_shift(anchor, sign, match["unit"], phrase)
        amount = number_value(match["n"]) if match["n"] else 1
        return shift(anchor, sign * amount, match["unit"], inner.derivation)
    return None


_RESULTS_RE = re.compile(
    r"\b(the|this|latest|same|fiscal|first|second|third|fourth|\d{4})[\s-]+quarter\b|"
    r"\bquarterly\b|\bthree months\b",
    re.I,
)


def _comparison_period(
    text: str, context: str | None, published: dt.date | None
) -> TemporalValue | None:
    """In quarterly results ("... in the quarter, from $4 million a year earlier"), "a year
    ago" is the year-earlier quarter: the last complete quarter before publication, one year
    back (the business-news convention)."""
    if published is None or not context or not _RESULTS_RE.search(context):
        return None
    if not re.fullmatch(r"(a|one) year (ago|earlier)|year[\s-](ago|earlier)", text):
        return None
    index = (published.month - 1) // 3 - 1
    year = published.year + index // 4 - 1
    return TemporalValue(
        f"{year}-Q{index % 4 + 1}",
        "quarter",
        "results reporting: the year-earlier quarter of the latest complete one",
    )


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
    return day_value(value, "parsed by dateutil")
