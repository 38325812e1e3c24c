"""The seed articles replay from the project's authored fixtures, offline, through the real
openai SDK and instructor, and the briefing holds what a careful reader would report."""

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


@pytest.mark.parametrize(
    "published", [[], ["--published", "2022-01-10"]], ids=["inferred", "given"]
)
def test_seed_briefing_holds_the_five_meetings(published: list[str]) -> None:
    briefing = _seed_json(*published)
    assert briefing["source"]["published"] == "2022-01-10"
    assert briefing["source"]["published_basis"] == ("given" if published else "inferred")
    meetings = briefing["meetings"]
    assert len(meetings) == 5
    by_place_date = sorted(
        (m["date"]["value"], (m["place"] or {}).get("city"), m["status"]) for m in meetings
    )
    assert by_place_date == [
        ("2022-01-09", "Geneva", "held"),
        ("2022-01-10", "Brussels", "scheduled"),
        ("2022-01-10", "Geneva", "under_way"),
        ("2022-01-12", "Brussels", "scheduled"),
        ("2022-01-14", "Vienna", "scheduled"),
    ]
    assert all(m["date"]["flags"] == [] for m in meetings)
    preliminary = next(m for m in meetings if m["date"]["value"] == "2022-01-09")
    assert preliminary["place"]["inferred"] is True  # Geneva is only implied
    council = next(m for m in meetings if m["date"]["value"] == "2022-01-12")
    assert council["forum"] == "NATO-Russia Council"
    osce = next(m for m in meetings if m["date"]["value"] == "2022-01-14")
    assert "OSCE" in osce["forum"]


def test_seed_positions_have_verbatim_quotes_and_none_invented_for_ukraine() -> None:
    briefing = _seed_json()
    text = SEED.read_text(encoding="utf-8")
    parties = {p["name"]: p for p in briefing["parties"]}
    assert {"NATO", "United States", "Russia"} <= set(parties)
    for name in ("NATO", "United States", "Russia"):
        assert parties[name]["claims"], name
        for claim in parties[name]["claims"]:
            for evidence in claim["evidence"]:
                assert evidence["verified"], evidence
                assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
    acts = {c["act"] for c in parties["Russia"]["claims"]}
    assert {"denial", "accusation", "demand"} <= acts
    assert parties.get("Ukraine", {"claims": []})["claims"] == []
    assert briefing["provenance"]["validation"]["failed"] == 0


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
