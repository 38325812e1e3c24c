"""Date expressions resolve to calendar values by code."""

from __future__ import annotations

import datetime as dt

import pytest

from summarizer.dates import resolve

PUB = dt.date(2022, 1, 10)  # a Monday


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("Monday, January 10", None, "2022-01-10"),
        ("January 14", None, "2022-01-14"),
        ("On January 9", None, "2022-01-09"),
        ("14 January 2022", None, "2022-01-14"),
        ("Two days later", dt.date(2022, 1, 10), "2022-01-12"),
        ("The day before", dt.date(2022, 1, 10), "2022-01-09"),
        ("three days earlier", dt.date(2022, 1, 10), "2022-01-07"),
        ("On Monday", None, "2022-01-10"),
        ("tomorrow", None, "2022-01-11"),
    ],
)
def test_expressions(text: str, reference: dt.date | None, expected: str) -> None:
    value = resolve(text, published=PUB, reference=reference)
    assert value is not None
    assert value.value == expected


def test_year_boundary_goes_forward() -> None:
    value = resolve("January 3", published=dt.date(2021, 12, 29))
    assert value is not None and value.value == "2022-01-03"


def test_past_tense_weekday_points_back() -> None:
    value = resolve("Friday", published=PUB, context="The ministers met on Friday.")
    assert value is not None and value.value == "2022-01-07"
    ahead = resolve("Friday", published=PUB, context="The ministers will meet on Friday.")
    assert ahead is not None and ahead.value == "2022-01-14"


def test_unknown_year_stays_underspecified() -> None:
    value = resolve("January 14", published=None)
    assert value is not None and value.value == "XXXX-01-14"


def test_weekday_mismatch_is_flagged() -> None:
    value = resolve("Tuesday, January 10", published=PUB)
    assert value is not None and "WARNING" in value.derivation
