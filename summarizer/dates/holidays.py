"""Named days ("Christmas", "Easter Monday", "Thanksgiving", "Anzac Day") and the rule that
reads them, with "last", "next", a year, "week", "weekend" or a few days before or after.

The dates come from the ``holidays`` package (python-holidays) wherever it gives them right:

- ``_LISTED``: national and civic days, as a country's list in the package has them. The
  lists carry each country's history: Memorial Day was May 30 before 1971, Thanksgiving the
  last Thursday of November until 1938. A day a list does not hold in some year (Canada Day
  before 1983) has no date that year; the lists end in 2100.
- ``_FEASTS``: church feasts from the package's Christian calendar, Western (Gregorian) and
  Orthodox (Julian): Easter and the days counted from it, Christmas, saints' days.
- ``_FIXED`` and ``_NTH_WEEKDAY``: the days the package does not have, or has for fewer
  years than they are kept, written here with the reason.

The package is imported inside the functions that use it, for start-up speed: ``summarizer
--help`` and most articles never need it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

from dateutil.relativedelta import MO, SU, relativedelta, weekday

from .words import (
    NUMBER_PATTERN,
    NoSuchDate,
    TemporalValue,
    day_value,
    iso_week,
    number_value,
    shift,
)

__all__ = ["NAMES", "holiday_date", "holiday_rule"]


class _Listed(NamedTuple):
    """A day in a country's list in the package, under the name the list gives it."""

    country: str
    name: str
    category: str = "public"
    subdivision: str | None = None
    language: str | None = None


_US = "US"
_LISTED: dict[str, _Listed] = {
    "new year's day": _Listed(_US, "New Year's Day"),
    "new year": _Listed(_US, "New Year's Day"),
    "martin luther king day": _Listed(_US, "Martin Luther King Jr. Day"),
    "groundhog day": _Listed(_US, "Groundhog Day", "unofficial"),
    "valentine's day": _Listed(_US, "Valentine's Day", "unofficial"),
    "presidents day": _Listed(_US, "Washington's Birthday"),
    "presidents' day": _Listed(_US, "Washington's Birthday"),
    "patriots' day": _Listed(_US, "Patriots' Day", subdivision="MA"),
    "mother's day": _Listed(_US, "Mother's Day", "unofficial"),
    "memorial day": _Listed(_US, "Memorial Day"),
    "independence day": _Listed(_US, "Independence Day"),
    "labor day": _Listed(_US, "Labor Day"),
    "columbus day": _Listed(_US, "Columbus Day"),
    "indigenous peoples' day": _Listed(_US, "Columbus Day"),  # the same Monday
    "halloween": _Listed(_US, "Halloween", "unofficial"),
    "veterans day": _Listed(_US, "Veterans Day"),
    "thanksgiving": _Listed(_US, "Thanksgiving Day"),
    "thanksgiving day": _Listed(_US, "Thanksgiving Day"),
    "new year's eve": _Listed(_US, "New Year's Eve", "unofficial"),
    "australia day": _Listed("AU", "Australia Day"),
    "anzac day": _Listed("AU", "ANZAC Day"),
    "waitangi day": _Listed("NZ", "Waitangi Day"),
    "canada day": _Listed("CA", "Canada Day"),
    "bastille day": _Listed("FR", "National Day", language="en_US"),
    "armistice day": _Listed("FR", "Armistice Day", language="en_US"),
    "boxing day": _Listed("GB", "Boxing Day"),
}
# Church feasts: our name -> the name the Christian calendar below gives the feast.
_FEASTS: dict[str, str] = {
    "ash wednesday": "ash wednesday",
    "st patrick's day": "st patrick's day",
    "st. patrick's day": "st patrick's day",
    "palm sunday": "palm sunday",
    "holy thursday": "maundy thursday",
    "maundy thursday": "maundy thursday",
    "good friday": "good friday",
    "easter": "easter",
    "easter sunday": "easter",
    "easter monday": "easter monday",
    "st george's day": "st george's day",
    "st. george's day": "st george's day",
    "pentecost": "pentecost",
    "whit sunday": "pentecost",
    "christmas eve": "christmas eve",
    "christmas": "christmas",
    "christmas day": "christmas",
    "orthodox christmas eve": "orthodox christmas eve",
    "orthodox christmas": "orthodox christmas",
    "orthodox easter": "orthodox easter",
    "orthodox easter sunday": "orthodox easter",
}
# Days with a fixed date that the package has in no country's list, or in fewer years than
# they are kept: (month, day).
_FIXED: dict[str, tuple[int, int]] = {
    "april fools' day": (4, 1),
    "earth day": (4, 22),
    "may day": (5, 1),  # the package's British "May Day" is the first Monday of May
    "cinco de mayo": (5, 5),
    "flag day": (6, 14),
    "juneteenth": (6, 19),  # kept since 1866; a federal holiday (the package's list) from 2021
    "remembrance day": (11, 11),
    "st andrew's day": (11, 30),  # a Scottish bank holiday (the package's list) from 2007
    "st. andrew's day": (11, 30),
}
# Days on a weekday of a month that the package's lists hold for fewer years than they are
# kept: (month, dateutil weekday: SU(3) is the third Sunday).
_NTH_WEEKDAY: dict[str, tuple[int, weekday]] = {
    "father's day": (6, SU(3)),  # kept since 1910; in the package's list from 1972
}
_ELECTION_DAY = "election day"  # the package lists it in even years only


def holiday_date(name: str, year: int) -> dt.date | None:
    """The date of the named day (one of the rule's names, lower case) in ``year``, or None
    when it was not kept that year."""
    if name in _LISTED:
        return _listed(_LISTED[name], year)
    if name in _FEASTS:
        return _christian_calendar(year).get(_FEASTS[name])
    if name in _NTH_WEEKDAY:
        month, which = _NTH_WEEKDAY[name]
        return dt.date(year, month, 1) + relativedelta(weekday=which)
    if name == _ELECTION_DAY:  # United States: the Tuesday after the first Monday of November
        return dt.date(year, 11, 1) + relativedelta(weekday=MO(1)) + dt.timedelta(days=1)
    month, day = _FIXED[name]
    return dt.date(year, month, day)


@functools.lru_cache(maxsize=256)
def _country_list(
    country: str, category: str, subdivision: str | None, language: str | None, year: int
) -> dict[str, dt.date]:
    """A country's days in ``year`` by the names its list in the package gives them."""
    import holidays  # here, not at the top: start-up speed

    days = holidays.country_holidays(
        country,
        subdiv=subdivision,
        years=year,
        observed=False,  # the day itself, not the Monday off when it falls on a Sunday
        categories=(category,),
        language=language,
    )
    return {name: day for day, names in days.items() for name in names.split("; ")}


def _listed(entry: _Listed, year: int) -> dt.date | None:
    days = _country_list(entry.country, entry.category, entry.subdivision, entry.language, year)
    return days.get(entry.name)


@functools.lru_cache(maxsize=256)
def _christian_calendar(year: int) -> dict[str, dt.date]:
    """The church feasts of ``year`` from the package's Christian calendar, by the names of
    ``_FEASTS``."""
    from holidays import HolidayBase  # here, not at the top: start-up speed
    from holidays.calendars.julian import JULIAN_CALENDAR
    from holidays.groups.christian import ChristianHolidays

    class Feasts(HolidayBase, ChristianHolidays):
        start_year, end_year = 1583, 4099  # dateutil's Easter: the Gregorian calendar on

        def __init__(self, year: int) -> None:
            ChristianHolidays.__init__(self)
            HolidayBase.__init__(self, years=year)

        def _populate_public_holidays(self) -> None:
            self._add_ash_wednesday("ash wednesday")
            self._add_saint_patricks_day("st patrick's day")
            self._add_palm_sunday("palm sunday")
            self._add_holy_thursday("maundy thursday")
            self._add_good_friday("good friday")
            self._add_easter_sunday("easter")
            self._add_easter_monday("easter monday")
            self._add_saint_georges_day("st george's day")
            self._add_pentecost("pentecost")
            self._add_christmas_eve("christmas eve")
            self._add_christmas_day("christmas")
            self._add_christmas_eve("orthodox christmas eve", JULIAN_CALENDAR)
            self._add_christmas_day("orthodox christmas", JULIAN_CALENDAR)
            self._add_easter_sunday("orthodox easter", JULIAN_CALENDAR)

    return {name: day for day, names in Feasts(year).items() for name in names.split("; ")}


# Every name the rule reads, longest first (so "christmas eve" wins over "christmas").
NAMES: tuple[str, ...] = tuple(
    sorted([*_LISTED, *_FEASTS, *_FIXED, *_NTH_WEEKDAY, _ELECTION_DAY], key=len, reverse=True)
)
_HOLIDAY_RE = re.compile(
    r"\b(?:(?P<which>last|next|this) )?(?P<name>"
    + "|".join(map(re.escape, NAMES))
    + r")(?: (?P<unit>day|week|weekend))?(?: (?P<year>\d{4}))?\b"
)
_OTHER_CALENDARS_RE = re.compile(r"\b(lunar|chinese|jewish|islamic|hindu)\b")
_OFFSET_RE = re.compile(rf"\b(?:({NUMBER_PATTERN}) (day|week)s?|the (day|week)) (before|after)\b")


def holiday_rule(
    text: str, published: dt.date | None, reference: dt.date | None, direction: int
) -> TemporalValue | None:
    """Christmas, Easter, Thanksgiving and the other named days: the one the words or the
    tense point to, else the nearest to publication."""
    match = _HOLIDAY_RE.search(text)
    if not match:
        return None
    name, unit = match.group("name"), match.group("unit")
    if _OTHER_CALENDARS_RE.search(text) or ("orthodox" in text and not name.startswith("orthodox")):
        raise NoSuchDate  # another calendar's holiday: not guessed, by any later rule either
    if match.group("year"):
        day = holiday_date(name, int(match.group("year")))
        if day is None:
            raise NoSuchDate  # not kept that year
    elif published is None:
        return None
    else:
        found = _nearest(name, match.group("which"), unit, published, direction)
        if found is None:
            return None
        day = found
    how = f"{' '.join(w[:1].upper() + w[1:] for w in name.split())}, computed for {day.year}"
    offset = _OFFSET_RE.search(text)
    if offset:  # "two days before Christmas", "the day after Thanksgiving"
        amount = number_value(offset.group(1)) if offset.group(1) else 1
        step = -amount if offset.group(4) == "before" else amount
        return shift(day, step, offset.group(2) or offset.group(3), how)
    if unit in ("week", "weekend"):
        return TemporalValue(iso_week(day) + ("-WE" if unit == "weekend" else ""), "week", how)
    return day_value(day, how)


def _nearest(
    name: str, which: str | None, unit: str | None, published: dt.date, direction: int
) -> dt.date | None:
    """The named day that "last", "next", "this" or the tense points to, else the nearest to
    publication, from the year before publication to the year after."""
    years = {k: holiday_date(name, published.year + k) for k in (-1, 0, 1)}
    candidates = [day for day in years.values() if day is not None]
    before = [d for d in candidates if d <= published]
    after = [d for d in candidates if d >= published]
    current = [d for d in candidates if abs((d - published).days) <= 7]
    if which == "this" or (unit in ("week", "weekend") and which is None and current):
        # "as Easter week began": the holiday's own week is under way
        return current[0] if current and which is None else years[0]
    if which == "last" or (which is None and direction < 0):
        return max(before, default=None)
    if which == "next" or (which is None and direction > 0):
        return min(after, default=None)
    return min(candidates, key=lambda d: abs((d - published).days), default=None)
