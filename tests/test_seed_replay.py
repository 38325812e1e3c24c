"""The seed articles replay from the project's authored fixtures, offline, through the real
openai SDK and instructor; what code adds to the answer (dates, offsets, validation, the
publication date) is what the article supports."""

from __future__ import annotations

import json

import jsonschema
import pytest

from summarizer.schemas import Briefing

from .conftest import SEED, WIKINEWS, run_cli


def _seed_json(*extra: str) -> dict:
    result = run_cli("summarize", str(SEED), "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_seed_briefing_validates_against_published_schema() -> None:
    schema = json.loads(run_cli("schema").stdout)
    briefing = _seed_json()
    jsonschema.validate(briefing, schema)
    Briefing.model_validate(briefing)


# Each meeting's date text → the date the resolver computes from it: "On Monday" and "January
# 14" count from the publication date, "The day before" and "Two days later" from meeting m1.
ON_JANUARY_10 = {
    "On Monday": "2022-01-10",
    "The day before": "2022-01-09",
    "Monday, January 10": "2022-01-10",
    "Two days later": "2022-01-12",
    "January 14": "2022-01-14",
}
A_WEEK_LATER = {
    "On Monday": "2022-01-17",
    "The day before": "2022-01-16",
    "Monday, January 10": "2022-01-10",
    "Two days later": "2022-01-19",
    "January 14": "2022-01-14",
}


@pytest.mark.parametrize(
    ("option", "basis", "published", "dates", "flagged"),
    [
        ([], "inferred", "2022-01-10", ON_JANUARY_10, set()),
        (["--published", "2022-01-10"], "given", "2022-01-10", ON_JANUARY_10, set()),
        (
            ["--published", "2022-01-17"],
            "given",
            "2022-01-17",
            A_WEEK_LATER,
            {"Monday, January 10", "January 14"},  # scheduled, but before publication
        ),
    ],
    ids=["inferred", "given", "given-a-week-later"],
)
def test_seed_meeting_dates_are_computed_from_their_text_and_the_publication_date(
    option: list[str], basis: str, published: str, dates: dict[str, str], flagged: set[str]
) -> None:
    briefing = _seed_json(*option)
    # The seed has no dateline: without --published, the date is inferred from its weekday.
    assert briefing["source"]["published"] == published
    assert briefing["source"]["published_basis"] == basis
    meetings = briefing["meetings"]
    assert {m["date"]["text"]: m["date"]["value"] for m in meetings} == dates
    assert {m["date"]["text"] for m in meetings if m["date"]["flags"]} == flagged
    values = [m["date"]["value"] for m in meetings]
    assert values == sorted(values)  # listed in date order
    anchored = {m["id"]: m["date"]["value"] for m in meetings}
    for meeting in meetings:
        if meeting["date"]["relative_to"] in anchored:  # counted from another meeting's date
            assert anchored[meeting["date"]["relative_to"]] in meeting["date"]["derivation"]


def test_seed_evidence_offsets_slice_the_article_to_each_quote() -> None:
    briefing = _seed_json()
    text = SEED.read_text(encoding="utf-8")
    evidence = [e for p in briefing["parties"] for c in p["claims"] for e in c["evidence"]]
    evidence += [e for m in briefing["meetings"] for e in m["evidence"]]
    assert evidence
    for item in evidence:
        assert item["verified"], item
        assert text[item["start"] : item["end"]] == item["quote"]
    report = briefing["provenance"]["validation"]
    assert report["failed"] == 0
    assert report["checked"] >= len(evidence)  # names, places and dates are checked as well


def test_authored_origin_is_declared_in_json_markdown_and_stderr() -> None:
    briefing = _seed_json()
    assert briefing["provenance"]["origin"] == "authored"
    assert briefing["provenance"]["answered_by"] == ["authored-by-hand"]
    result = run_cli("summarize", str(SEED), "--format", "markdown")
    assert result.exit_code == 0
    assert "Authored fixture" in result.stdout
    assert "authored fixture" in result.stderr


def test_markdown_note_has_the_sections_an_analyst_expects() -> None:
    result = run_cli("summarize", str(SEED), "--format", "markdown", "--published", "2022-01-10")
    note = result.stdout
    assert note.startswith("# ")
    for heading in ("## Key points", "## Positions", "### NATO", "## Meetings", "## Provenance"):
        assert heading in note
    table = [line for line in note.splitlines() if line.startswith("| 2022-")]
    assert [row.split()[1] for row in table] == sorted(row.split()[1] for row in table)
    assert "has the right to defend itself" in note


@pytest.mark.parametrize("article", WIKINEWS, ids=lambda p: p.stem)
def test_wikinews_seeds_replay_with_dateline_and_verified_quotes(article) -> None:
    result = run_cli("summarize", str(article), "--format", "json")
    assert result.exit_code == 0, result.output
    briefing = json.loads(result.stdout)
    assert briefing["source"]["published_basis"] == "article"
    assert briefing["source"]["published"] == article.stem[:10]
    evidence = [e for p in briefing["parties"] for c in p["claims"] for e in c["evidence"]]
    evidence += [e for m in briefing["meetings"] for e in m["evidence"]]
    assert evidence and all(e["verified"] for e in evidence)
