"""Quote matching: forgive typography, never meaning; offsets slice the original text."""

from __future__ import annotations

import pytest

from summarizer.grounding import locate_quote

from .conftest import SEED

TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "quote",
    [
        "Kiev “has the right to defend itself”, and NATO will help",
        'Kiev "has the right to defend itself", and NATO will help',  # straight quotes
        "kiev “has the right to defend itself”",  # first letter's case
        "“has the right to defend itself”",
        "has   the right\nto defend itself",  # white space
        "Despite the aggravation of relations with Russia ... Jens Stoltenberg said.",
        "Despite the aggravation of relations with Russia … Jens Stoltenberg said.",
        "two-hour preliminary consultations",
    ],
)
def test_typographic_variants_match_and_offsets_slice_back(quote: str) -> None:
    span = locate_quote(quote, TEXT)
    assert span is not None, quote
    found = TEXT[span.start : span.end]
    first_word = quote.strip("“”\"' ").split()[0].strip("“”\"'")
    assert found.lower().lstrip('“"').startswith(first_word.lower()[:4])


@pytest.mark.parametrize(
    "quote",
    [
        "three-hour preliminary consultations",  # number changed
        "Ukraine’s accession to NATO is a decision only of this country and Russia",  # name
        "the North Atlantic Alliance intends to give up the prospect",  # negation dropped
        "Stoltenberg called on Russia to refrain from military aggression",  # words dropped
        "NATO will not help",
    ],
)
def test_meaning_changes_do_not_match(quote: str) -> None:
    assert locate_quote(quote, TEXT) is None


def test_exact_quote_offsets_are_exact() -> None:
    quote = "On January 9, the preliminary part of negotiations"
    span = locate_quote(quote, TEXT)
    assert span is not None
    assert TEXT[span.start : span.end] == quote
    assert span.start == TEXT.index(quote)


def test_soft_hyphen_and_dashes_in_the_source() -> None:
    source = "The co\u00adoperation — long\u00a0awaited — began."
    span = locate_quote("cooperation - long awaited - began", source)
    assert span is not None
    assert source[span.start : span.end] == "co\u00adoperation — long\u00a0awaited — began"
