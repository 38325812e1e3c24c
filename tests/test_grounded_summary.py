"""The summary is grounded like the quotes: cited passages with offsets, its numbers and names
held to the article, and no briefing at all when the summary is another story's."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from summarizer.grounding.match import NormalizedText
from summarizer.grounding.summary import number_values, sentence_problems

from .conftest import SEED, WIKINEWS, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

ARTICLE = SEED.read_text(encoding="utf-8")


def _reply(answer: dict[str, Any]) -> Reply:
    return Reply(body=chat_completion(arguments=answer, usage=(100, 50)))


def _reask_text(body: dict[str, Any]) -> str:
    return str(body["messages"][-1]["content"])


def test_the_seed_briefs_cleanly_with_every_sentence_cited() -> None:
    result = run_cli("summarize", str(SEED))  # replayed from the project's fixtures
    assert result.exit_code == 0, result.output
    briefing = json.loads(result.stdout)
    summary = briefing["summary"]
    sentences = summary["lede_sentences"] + summary["key_points"]
    assert len(summary["key_points"]) == len(seed_answer()["summary"]["key_points"])
    for sentence in sentences:
        assert sentence["evidence"] and sentence["flags"] == []
        for evidence in sentence["evidence"]:
            assert evidence["verified"]
            assert ARTICLE[evidence["start"] : evidence["end"]]  # offsets slice the article
    assert summary["lede"] == " ".join(s["text"] for s in summary["lede_sentences"])
    assert briefing["provenance"]["validation"]["failed"] == 0


def test_a_fabricated_number_in_a_key_point_is_reasked_then_dropped() -> None:
    bad = seed_answer()
    bad["summary"]["key_points"][2]["text"] = (
        "Wendy Sherman and Sergei Ryabkov met for 45 hours in Geneva."
    )
    with FakeOpenAI([_reply(bad)]) as server:
        result = live_cli(server, str(SEED), "--max-reasks", "1")
        bodies = [r.json for r in server.received]
    assert result.exit_code == 0, result.output
    assert len(bodies) == 2
    assert "numbers 45 that the article does not give" in _reask_text(bodies[1])
    briefing = json.loads(result.stdout)
    texts = [p["text"] for p in briefing["summary"]["key_points"]]
    assert not any("45" in text for text in texts)
    assert len(texts) == len(bad["summary"]["key_points"]) - 1


def test_a_fabricated_name_fixed_on_reask_is_kept() -> None:
    bad = seed_answer()
    bad["summary"]["key_points"][1]["text"] = "Stoltenberg: Kyiv has the right to defend itself."
    good = seed_answer()
    with FakeOpenAI([_reply(bad), _reply(good)]) as server:
        result = live_cli(server, str(SEED))
        bodies = [r.json for r in server.received]
    assert result.exit_code == 0, result.output
    assert "names Kyiv that the article does not give" in _reask_text(bodies[1])
    briefing = json.loads(result.stdout)
    assert briefing["provenance"]["validation"]["fixed_by_reask"] >= 1
    assert "Kyiv" not in json.dumps(briefing["summary"])


def test_a_fabricated_headline_that_persists_fails_the_article() -> None:
    bad = seed_answer()
    bad["summary"]["headline"] = "Putin and Biden agree on 12 new missile limits"
    with FakeOpenAI([_reply(bad)]) as server:
        result = live_cli(server, str(SEED), "--max-reasks", "1")
        assert len(server.received) == 2
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "the summary does not match the article" in lines[0]
    assert "Putin" in lines[0]


def test_another_storys_answer_gives_no_briefing_and_the_others_are_written(
    tmp_path: Path,
) -> None:
    # The seed's answer served for every article: right for the seed, wrong for the other.
    out = tmp_path / "briefings.json"
    with FakeOpenAI([_reply(seed_answer())]) as server:
        result = live_cli(server, str(WIKINEWS[0]), str(SEED), "-o", str(out))
    assert result.exit_code == 1
    assert f"error: {WIKINEWS[0]}: the summary does not match the article" in result.stderr
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [b["source"]["path"] for b in written] == [str(SEED)]
    with FakeOpenAI([_reply(seed_answer())]) as server:
        alone = live_cli(server, str(WIKINEWS[0]))
    assert alone.exit_code == 1 and alone.stdout == ""


def test_a_negation_no_cited_passage_carries_is_flagged_and_kept() -> None:
    answer = seed_answer()
    point = answer["summary"]["key_points"][1]
    point["text"] = (
        "Stoltenberg: Kiev does not have the right to defend itself, and NATO will help."
    )
    with FakeOpenAI([_reply(answer)]) as server:
        result = live_cli(server, str(SEED), "--max-reasks", "0")
    assert result.exit_code == 0, result.output
    kept = json.loads(result.stdout)["summary"]["key_points"][1]
    assert kept["text"] == point["text"]
    assert kept["flags"] and "negates" in kept["flags"][0]


def test_markdown_cites_each_key_point_with_offsets() -> None:
    result = run_cli("summarize", str(SEED), "--format", "markdown")
    assert result.exit_code == 0, result.output
    note = result.stdout
    key_points = note.split("## Key points")[1].split("### Support")[0]
    bullets = [line for line in key_points.splitlines() if line.startswith("- ")]
    assert bullets and all("[" in line and line.rstrip().endswith("]") for line in bullets)
    support = note.split("### Support")[1].split("## Positions")[0]
    assert "1. " in support and "[chars " in support
    briefing = json.loads(run_cli("summarize", str(SEED)).stdout)
    first = briefing["summary"]["lede_sentences"][0]["evidence"][0]
    assert f"[chars {first['start']}–{first['end']}]" in support


def test_a_repeated_wrong_answer_is_told_that_it_repeated() -> None:
    stuck = seed_answer()
    stuck["parties"][2]["claims"][2]["quotes"].append("Russia will never accept NATO expansion")
    with FakeOpenAI([_reply(stuck)]) as server:
        result = live_cli(server, str(SEED))
        bodies = [r.json for r in server.received]
    assert result.exit_code == 0, result.output
    assert len(bodies) == 3
    assert "(repeated)" not in _reask_text(bodies[1])
    assert "(repeated)" in _reask_text(bodies[2])
    assert "came back unchanged" in _reask_text(bodies[2])


def test_numbers_are_compared_by_value_and_names_by_word() -> None:
    assert number_values("13,400 jobs, two-hour talks, $25 billion") == {
        "13400",
        "2",
        "25",
        "1000000000",
    }
    source = NormalizedText("The Russian envoy met US officials for two hours on March 3.")
    fine = sentence_problems("Russia's envoy met US officials for 2 hours.", source, [])
    assert fine.missing_names == [] and fine.missing_numbers == []
    made_up = sentence_problems("Lavrov met Blinken for five hours.", source, [])
    assert made_up.missing_names == ["Lavrov", "Blinken"] and made_up.missing_numbers == ["five"]
    cited = sentence_problems(
        "The envoy met US officials.", source, ["The Russian envoy met US officials"]
    )
    assert not cited.uncited and not cited.fails


def test_the_publisher_must_be_named_in_the_article() -> None:
    answer = copy.deepcopy(seed_answer())
    answer["publisher"] = "The Moscow Times"
    with FakeOpenAI([_reply(answer)]) as server:
        result = live_cli(server, str(SEED), "--max-reasks", "0")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"]["publisher"] is None


def test_a_flag_stays_on_its_own_sentence_when_an_earlier_one_is_dropped() -> None:
    answer = seed_answer()
    points = answer["summary"]["key_points"]
    points[0]["text"] = "Stoltenberg: 45 members alone decide on Ukraine's accession."
    points[1]["text"] = (
        "Stoltenberg: Kiev does not have the right to defend itself, and NATO will help."
    )
    with FakeOpenAI([_reply(answer)]) as server:
        result = live_cli(server, str(SEED), "--max-reasks", "0")
    assert result.exit_code == 0, result.output
    kept = json.loads(result.stdout)["summary"]["key_points"]
    assert all("45" not in p["text"] for p in kept)
    flagged = [p["text"] for p in kept if p["flags"]]
    assert flagged == [points[1]["text"]]


def test_ordinary_headlines_and_sentences_are_not_taken_for_inventions() -> None:
    source = NormalizedText(
        "WASHINGTON - General Motors (GM) seeks $16.6 billion from the U.S. government; China's "
        "carmakers said in the 1990s that three thousand jobs were at risk."
    )
    for sentence in (
        "General Motors Seeks More Government Money",  # Title Case
        "GM seeks $16.6bn more in government loans",
        "Separately, Chinese carmakers warned of job losses in the 1990s.",
        "The U.S. government was asked for $16.6 billion.",
    ):
        problems = sentence_problems(sentence, source, [source.text])
        assert not problems.fails, (sentence, problems)
    assert number_values("$16.6bn in the 1990s, the 99th time, at 10:00") == {
        "16.6",
        "1000000000",
        "1990",
        "99",
        "10",
    }
    invented = sentence_problems("GM seeks $99bn from Lavrov.", source, [source.text])
    assert invented.missing_numbers == ["99bn"] and invented.missing_names == ["Lavrov"]


def test_a_title_case_headline_of_the_right_story_briefs() -> None:
    answer = seed_answer()
    answer["summary"]["headline"] = "Stoltenberg Says NATO Will Not Give Up On Ukraine"
    with FakeOpenAI([_reply(answer)]) as server:
        result = live_cli(server, str(SEED), "--max-reasks", "0")
    assert result.exit_code == 0, result.output
