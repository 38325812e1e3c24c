"""Quote matching: forgive typography, never meaning; offsets slice the original text."""

from __future__ import annotations

import pytest

from summarizer.grounding.check import check_draft, prune
from summarizer.grounding.match import NormalizedText, closest_passage, locate_quote, normalize
from summarizer.schemas import BriefingDraft

from .conftest import SEED, seed_answer

TEXT = SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("quote", "original"),
    [
        ('Kiev "has the right to defend itself", and NATO will help', None),  # straight quotes
        ("kiev “has the right to defend itself”", "Kiev “has the right to defend itself”"),
        ("“has the right to defend itself”", None),
        ("has   the right\nto defend itself", "has the right to defend itself"),
        ("two‐hour preliminary consultations", "two-hour preliminary consultations"),
        ("“It would be unrealistic to assume", "“It would be unrealistic to assume"),
    ],
)
def test_typographic_variants_match_and_offsets_slice_back(
    quote: str, original: str | None
) -> None:
    span = locate_quote(quote, TEXT)
    assert span is not None, quote
    found = TEXT[span.start : span.end]
    if original is not None:
        assert found == original
    else:
        assert normalize(found).strip('"') == normalize(quote).strip('"')


@pytest.mark.parametrize("ellipsis", ["...", "…", " [...] "])
def test_elided_quote_spans_its_fragments_in_order(ellipsis: str) -> None:
    quote = f"Stoltenberg once again called on Russia{ellipsis}military aggression against Ukraine."
    span = locate_quote(quote, TEXT)
    assert span is not None
    found = TEXT[span.start : span.end]
    assert found.startswith("Stoltenberg once again called on Russia to refrain from")
    assert found.endswith("military aggression against Ukraine.")
    reversed_order = f"military aggression against Ukraine.{ellipsis}Stoltenberg once again"
    assert locate_quote(reversed_order, TEXT) is None


@pytest.mark.parametrize(
    "quote",
    [
        # the elided words hold the negation: "does not intend"
        "the North Atlantic Alliance does ... intend to give up the prospect",
        # the elided words hold a number: "two-hour"
        "the Russian Federation held ... preliminary consultations",
        # single words stitched together
        "Kiev ... right ... defend",
        # a fragment of a word
        "ate",
    ],
)
def test_elisions_and_fragments_that_change_meaning_do_not_match(quote: str) -> None:
    assert locate_quote(quote, TEXT) is None


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


def _failures(mutate) -> list:
    answer = seed_answer()
    mutate(answer)
    return check_draft(BriefingDraft.model_validate(answer), NormalizedText(TEXT))


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("US", True),
        ("us", False),
        ("the alliance", True),
        ("The Alliance", True),
        ("the ALLIANCE", False),
        ("Kiev", True),
        ("kiev", True),
        ("NATO", True),
        ("Nato", False),
    ],
)
def test_names_forgive_only_the_case_of_first_letters(name: str, found: bool) -> None:
    from summarizer.grounding.match import contains_name

    assert contains_name(name, NormalizedText(TEXT)) is found


def test_seed_answer_is_fully_grounded() -> None:
    assert _failures(lambda a: None) == []


def test_canonical_party_name_may_stand_when_an_alias_is_found() -> None:
    def rename(answer: dict) -> None:
        answer["parties"][1]["name"] = "United States of America"  # not in text; alias US is

    assert _failures(rename) == []


@pytest.mark.parametrize(
    ("mutate", "kind", "where"),
    [
        (
            lambda a: a["parties"][0]["aliases"].append("the Atlantic bloc"),
            "alias",
            "parties[0].aliases[2]",
        ),
        (lambda a: a["parties"][3].update(name="Moldova", aliases=[]), "party", "parties[3].name"),
        (
            lambda a: a["meetings"][3]["place"].update(city="Paris"),
            "place",
            "meetings[3].place.city",
        ),
        (
            lambda a: a["meetings"][4].update(date_text="January 15"),
            "date",
            "meetings[4].date_text",
        ),
        (
            lambda a: a["meetings"][1].update(date_relative_to="m9"),
            "anchor",
            "meetings[1].date_relative_to",
        ),
        (
            lambda a: a["parties"][0]["claims"][0].update(speaker="Jens Stoltenburg"),
            "speaker",
            "parties[0].claims[0].speaker",
        ),
    ],
)
def test_each_kind_of_unsupported_item_is_found(mutate, kind: str, where: str) -> None:
    (failure,) = _failures(mutate)
    assert (failure.kind, failure.where) == (kind, where)


def test_an_inferred_place_need_not_be_in_the_text() -> None:
    def implied(answer: dict) -> None:
        answer["meetings"][1]["place"] = {"city": "Lausanne", "inferred": True}

    assert _failures(implied) == []


def test_prune_drops_failed_items_and_what_is_left_empty() -> None:
    answer = seed_answer()
    answer["parties"][0]["claims"][2]["quotes"] = ["NATO will fight for Kiev"]
    answer["parties"][3].update(name="Moldova", aliases=[])
    answer["meetings"][0]["quotes"] = ["Talks were held in Geneva on Monday."]
    draft = BriefingDraft.model_validate(answer)
    source = NormalizedText(TEXT)
    kept = prune(draft, check_draft(draft, source))
    assert check_draft(kept, source) == []
    assert len(kept.parties) == 3
    assert len(kept.parties[0].claims) == 4
    assert [m.id for m in kept.meetings] == ["m2", "m3", "m4", "m5"]
    # m2 and m4 counted from m1, which is gone: their anchor goes with it.
    assert {m.id: m.date_relative_to for m in kept.meetings}["m4"] is None


def test_closest_passage_points_at_the_near_miss() -> None:
    near = closest_passage("three-hour preliminary consultations", NormalizedText(TEXT))
    assert near is not None and "two-hour preliminary consultations" in near


def test_duplicate_meeting_ids_fail_and_are_made_unique_when_kept() -> None:
    answer = seed_answer()
    answer["meetings"][4]["id"] = "m1"
    draft = BriefingDraft.model_validate(answer)
    source = NormalizedText(TEXT)
    (failure,) = check_draft(draft, source)
    assert (failure.kind, failure.where) == ("duplicate_id", "meetings[4].id")
    kept = prune(draft, [failure])
    assert [m.id for m in kept.meetings] == ["m1", "m2", "m3", "m4", "m1-4"]
    assert check_draft(kept, source) == []


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        ("“We will not attend,” he said.", "We will not attend."),  # trailing punctuation
        ("“We will see… maybe.”", "We will see... maybe."),  # the article's own ellipsis
        ("the talks—which failed", "the talks — which failed"),  # dash spacing
        ("the talks — which failed", "the talks -- which failed"),
        ("‹No›, he said", '"No", he said'),
        ("the ﬁnal text", "the final text"),  # ligature
        ("＂Quoted＂ text", '"Quoted" text'),  # full-width marks
        ("a word\u2060joiner here", "a wordjoiner here"),
        ("one . . . two three", "one . . . two three"),
    ],
)
def test_verbatim_quotes_in_other_typography_match(source: str, quote: str) -> None:
    assert locate_quote(quote, source) is not None


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        ("Russia has sent 100,000 troops.", "Russia has sent 100"),
        ("Prices rose by 3.5 percent.", "Prices rose by 3"),
        ("It signed a non-binding agreement.", "binding agreement"),
        (
            "Russia has denied claims that it plans to invade Ukraine.",
            "Russia has ... plans to invade Ukraine",
        ),
        ("It is unlikely that the talks will succeed.", "It is ... the talks will succeed"),
    ],
)
def test_cut_numbers_words_and_reversing_elisions_do_not_match(source: str, quote: str) -> None:
    assert locate_quote(quote, source) is None


def test_a_word_hyphenated_across_lines_matches_and_offsets_cover_it() -> None:
    source = "We need a long-\nterm plan now."
    span = locate_quote("a long-term plan", source)
    assert span is not None
    assert source[span.start : span.end] == "a long-\nterm plan"


def test_a_word_broken_across_lines_matches_without_its_hyphen() -> None:
    source = "The ministers said the nego-\ntiations would resume on Monday."
    span = locate_quote("the negotiations would resume", source)
    assert span is not None
    assert source[span.start : span.end] == "the nego-\ntiations would resume"
    # the hyphen is only dropped at a line break, not inside a line
    assert locate_quote("nonbinding vote", "a non-binding vote") is None


def test_decomposed_accents_in_the_source_match_composed_quotes() -> None:
    import unicodedata

    source = unicodedata.normalize("NFD", "Le président a déclaré que la réunion aura lieu.")
    span = locate_quote("Le président a déclaré", source)
    assert span is not None
    # the span ends after the combining accent, not between it and its letter
    assert source[span.start : span.end] == unicodedata.normalize("NFD", "Le président a déclaré")
    assert locate_quote("la reunion", source) is None  # accents still count
    # an accented letter before a line-break hyphen
    broken = unicodedata.normalize("NFD", "Le président a dé-\nclaré que la réunion aura lieu.")
    assert locate_quote("a déclaré que", broken) is not None
    # a quote may not start just after an accent that belongs to the word before
    assert locate_quote("tait la fin", "\u0301tait la fin") is None


def test_a_missing_quote_in_a_source_with_broken_words_is_simply_not_found() -> None:
    source = "The long-\nterm plan was agreed. Pope Jean-\nPaul spoke."
    assert locate_quote("a quote not in the text", source) is None
    assert locate_quote("Jean-Paul spoke", source) is not None


def test_fixed_by_reask_is_counted_item_by_item() -> None:
    from summarizer.grounding.check import GroundingFailure, GroundingSession, validation_report

    def failure(path: tuple[str | int, ...], kind: str = "quote") -> GroundingFailure:
        return GroundingFailure(path, kind, "x", "not in the article")

    draft = BriefingDraft.model_validate(seed_answer())
    session = GroundingSession(NormalizedText(TEXT), max_attempts=3)
    session.rounds = [
        (1, [failure(("parties", 0, "quote")), failure(("meetings", 1, "place"), "place")]),
        # the party quote still fails; the place is fixed; a new failure appears elsewhere
        (2, [failure(("parties", 0, "quote")), failure(("parties", 2, "quote"))]),
    ]
    report = validation_report(session, draft, reask_tokens=0)
    assert (report.failed, report.fixed_by_reask) == (2, 1)  # a count difference would say 0
