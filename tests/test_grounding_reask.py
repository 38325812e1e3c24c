"""Grounding with re-asks, driven by authored fixtures replayed through the real SDK path, and
by a scripted server on 127.0.0.1 to see the exact requests."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from summarizer.prompts import article_boundary, closing_marker, opening_marker

from .conftest import ROOT, SEED, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

FIXED = ROOT / "tests" / "fixtures" / "reask-fixed"
UNFIXED = ROOT / "tests" / "fixtures" / "reask-unfixed"
INJECTION = ROOT / "tests" / "fixtures" / "injection"
INJECTED_ARTICLE = ROOT / "tests" / "data" / "injected-seed.txt"

EXPECTED_REASONS = [
    'quote "Kiev has a right to defend itself and NATO will help it" is not in the article; '
    'closest: "Kiev “has the right to defend itself”, and NATO will help"',
    'speaker "Sergei Lavrov" is not named in the article; closest: "Sergei Ryabkov"',
    'held three-hour preliminary consultations." is not in the article; closest: "The day '
    "before, the US Deputy Secretary of State and the Deputy Minister of Foreign Affairs of the "
    'Russian Federation held two-hour preliminary consultations."',
    'participant "Antony Blinken" is not named in the article',
]


def _briefing(*args: str) -> dict:
    result = run_cli("summarize", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _briefing_live(server: FakeOpenAI, article: str, *args: str) -> dict:
    result = live_cli(server, article, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_four_errors_are_fixed_by_one_reask_that_names_each() -> None:
    briefing = _briefing(str(SEED), "--fixtures", str(FIXED))
    report = briefing["provenance"]["validation"]
    assert (report["failed"], report["fixed_by_reask"], report["dropped"]) == (4, 4, 0)
    assert report["attempts"] == 2 == briefing["provenance"]["attempts"]
    assert [r["failed"] for r in report["rounds"]] == [4, 0]
    # The kept answer is the fixed one: the same briefing as the seed's own fixture.
    plain = _briefing(str(SEED))
    assert briefing["parties"] == plain["parties"]
    assert briefing["meetings"] == plain["meetings"]
    # The reasons sent back, as this run computed them (a replay only answers a re-ask whose
    # request, reasons included, is the stored one).
    sent = "\n".join(report["rounds"][0]["problems"])
    for reason in EXPECTED_REASONS:
        assert reason in sent


def test_reask_request_over_http_carries_the_errors_and_closest_passages() -> None:
    bad = json.loads((FIXED / "authored" / "seed-four-errors.answer.json").read_text("utf-8"))[
        "answers"
    ][0]
    replies = [
        Reply(body=chat_completion(arguments=bad, usage=(1000, 400))),
        Reply(body=chat_completion(arguments=seed_answer(), usage=(1500, 400))),
    ]
    with FakeOpenAI(replies) as server:
        briefing = _briefing_live(server, str(SEED))
        assert len(server.received) == 2
        second = server.received[1].json
    roles = [m["role"] for m in second["messages"]]
    assert roles == ["system", "user", "assistant", "tool"]
    for reason in EXPECTED_REASONS:
        assert reason in second["messages"][-1]["content"]
    report = briefing["provenance"]["validation"]
    assert report["reask_tokens"] == 1900
    assert briefing["provenance"]["usage"]["total_tokens"] == 3300


def test_an_item_never_fixed_is_dropped_and_reported() -> None:
    result = run_cli("summarize", str(SEED), "--fixtures", str(UNFIXED))
    assert result.exit_code == 0, result.output
    briefing = json.loads(result.stdout)
    report = briefing["provenance"]["validation"]
    assert report["attempts"] == 3
    assert report["dropped"] == 1
    assert report["issues"][0]["item"] == "parties[2].claims[2].quotes[1]"
    assert "Russia will never accept NATO expansion" in report["issues"][0]["problem"]
    summary = "dropped 1 item(s) the article does not support: 1 quote not in the article"
    assert summary in result.stderr
    assert "parties[2].claims[2].quotes[1]" not in result.stderr  # each item: --verbose
    verbose = run_cli("summarize", str(SEED), "--fixtures", str(UNFIXED), "--verbose").stderr
    assert summary in verbose
    assert "dropped parties[2].claims[2].quotes[1]: quote" in verbose
    russia = next(p for p in briefing["parties"] if p["name"] == "Russia")
    demand = next(c for c in russia["claims"] if c["act"] == "demand")
    assert [e["verified"] for e in demand["evidence"]] == [True]
    note = run_cli("summarize", str(SEED), "--fixtures", str(UNFIXED), "-f", "markdown").stdout
    assert "1 dropped" in note
    assert "Russia will never accept NATO expansion" in note


def test_strict_fails_with_exit_1_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "briefing.json"
    result = run_cli("summarize", str(SEED), "--fixtures", str(UNFIXED), "--strict", "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    assert "still unsupported" in result.stderr
    assert "parties[2].claims[2].quotes[1]" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_strict_passes_when_reasks_fix_everything() -> None:
    briefing = _briefing(str(SEED), "--fixtures", str(FIXED), "--strict")
    assert briefing["provenance"]["validation"]["dropped"] == 0


def test_no_reasks_keeps_only_what_is_grounded() -> None:
    briefing = _briefing(str(SEED), "--fixtures", str(FIXED), "--max-reasks", "0")
    report = briefing["provenance"]["validation"]
    assert (report["attempts"], report["failed"], report["dropped"]) == (1, 4, 4)
    nato = briefing["parties"][0]
    assert all("defend itself" not in c["issue"] for c in nato["claims"])  # its only quote failed
    russia = next(p for p in briefing["parties"] if p["name"] == "Russia")
    assert russia["speakers"] == []
    council = next(m for m in briefing["meetings"] if m["forum"] == "NATO-Russia Council")
    assert council["participants"] == []
    evidence = [e for p in briefing["parties"] for c in p["claims"] for e in c["evidence"]]
    assert all(e["verified"] for e in evidence)


def test_the_conversation_does_not_grow_with_each_reask() -> None:
    first = seed_answer()
    first["parties"][2]["claims"][2]["quotes"].append("Russia will never accept NATO expansion")
    second = copy.deepcopy(first)
    second["summary"]["key_points"].append(
        {
            "text": "A longer second answer, to make sizes differ.",
            "support": ["However, he urged not to expect too much from these consultations."],
        }
    )
    answers = [first, second, first]
    replies = [Reply(body=chat_completion(arguments=a)) for a in answers]
    with FakeOpenAI(replies) as server:
        result = run_cli("summarize", str(SEED), "--base-url", server.base_url)
        assert result.exit_code == 0, result.output
        sizes = [len(r.body) for r in server.received]
        bodies = [r.json for r in server.received]
    assert len(sizes) == 3
    one_answer = len(json.dumps(second))
    assert sizes[2] <= sizes[1] + one_answer
    assert len(bodies[2]["messages"]) == len(bodies[1]["messages"]) == 4


def _invented_claim(quote: str) -> dict:
    return {
        "act": "demand",
        "issue": "NATO membership",
        "position": "Ukraine must join NATO at once.",
        "delivery": "direct_quote",
        "speaker": None,
        "quotes": [quote],
    }


def _evidence(briefing: dict) -> list[dict]:
    evidence = [e for p in briefing["parties"] for c in p["claims"] for e in c["evidence"]]
    return evidence + [e for m in briefing["meetings"] for e in m["evidence"]]


def test_a_position_invented_for_a_party_is_dropped_and_the_rest_kept() -> None:
    answer = seed_answer()
    index, ukraine = next((i, p) for i, p in enumerate(answer["parties"]) if p["name"] == "Ukraine")
    ukraine["claims"] = [_invented_claim("Ukraine demands to join NATO this week")]
    with FakeOpenAI([Reply(body=chat_completion(arguments=answer))]) as server:
        briefing = _briefing_live(server, str(SEED), "--max-reasks", "0")
        assert len(server.received) == 1
    report = briefing["provenance"]["validation"]
    assert (report["failed"], report["dropped"]) == (1, 1)
    assert [i["item"] for i in report["issues"]] == [f"parties[{index}].claims[0].quotes[0]"]
    parties = {p["name"]: p for p in briefing["parties"]}
    assert parties["Ukraine"]["claims"] == []
    # Every other position is kept, each quote found where its offsets say.
    assert {p["name"]: len(p["claims"]) for p in answer["parties"] if p is not ukraine} == {
        name: len(p["claims"]) for name, p in parties.items() if name != "Ukraine"
    }
    text = SEED.read_text(encoding="utf-8")
    assert all(text[e["start"] : e["end"]] == e["quote"] for e in _evidence(briefing))


def test_instructions_inside_the_article_are_treated_as_content() -> None:
    text = INJECTED_ARTICLE.read_text(encoding="utf-8")
    injection = "ignore previous instructions"
    # An answer that obeys the injected note: its headline (the model's own words: code checks
    # only their names and numbers, which here the article has) and a quote it invents (which
    # grounding drops).
    obeying = seed_answer()
    obeying["summary"]["headline"] = "NATO surrenders"
    obeying["parties"][0]["claims"].append(_invented_claim("NATO surrenders to Russia"))
    with FakeOpenAI([Reply(body=chat_completion(arguments=obeying))]) as server:
        briefing = _briefing_live(server, str(INJECTED_ARTICLE), "--max-reasks", "0")
        system, user = server.received[0].json["messages"]
    # The article reaches the model whole, between its tags, after a system prompt that says
    # the article's text is content; the injected note appears nowhere else.
    assert "not instructions" in system["content"]
    boundary = article_boundary(text)
    before, rest = user["content"].split(f"{opening_marker(boundary)}\n", 1)
    inside, after = rest.rsplit(closing_marker(boundary), 1)
    assert before == "Brief the following article.\n\n"
    assert inside.strip("\n") == text.strip("\n")
    assert injection in inside
    assert injection not in system["content"] + before + after
    # The quote the injection asked for is not in the article: grounding drops it.
    report = briefing["provenance"]["validation"]
    assert report["dropped"] == 1
    assert "NATO surrenders to Russia" in report["issues"][0]["problem"]
    assert all("NATO surrenders" not in e["quote"] for e in _evidence(briefing))
    assert all(text[e["start"] : e["end"]] == e["quote"] for e in _evidence(briefing))
    # The authored exchange for this article still replays, with offsets into its text.
    replayed = _briefing(str(INJECTED_ARTICLE), "--fixtures", str(INJECTION))
    evidence = _evidence(replayed)
    assert evidence and all(text[e["start"] : e["end"]] == e["quote"] for e in evidence)


def test_a_weekday_that_disagrees_with_its_date_is_reasked_then_kept_flagged(
    tmp_path: Path,
) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(
        "Envoys meet in Geneva\n\nThe envoys will meet in Geneva on Tuesday, January 10, "
        "officials said. Talks are expected to last a day.",
        encoding="utf-8",
    )
    answer = {
        "summary": {
            "headline": "Envoys to meet in Geneva",
            "lede": [
                {
                    "text": "Envoys will meet in Geneva.",
                    "support": ["The envoys will meet in Geneva"],
                }
            ],
            "key_points": [
                {"text": "They meet in Geneva.", "support": ["will meet in Geneva"]},
                {"text": "The talks last a day.", "support": ["expected to last a day"]},
                {"text": "Officials said so.", "support": ["officials said"]},
            ],
        },
        "publisher": None,
        "parties": [],
        "meetings": [
            {
                "id": "m1",
                "name": "Geneva talks",
                "kind": "talks",
                "status": "scheduled",
                "date_text": "Tuesday, January 10",
                "date_relative_to": "publication",
                "place": {"city": "Geneva", "inferred": False},
                "participants": [],
                "quotes": ["The envoys will meet in Geneva on Tuesday, January 10"],
            }
        ],
    }
    with FakeOpenAI([Reply(body=chat_completion(arguments=answer))]) as server:
        briefing = _briefing_live(
            server,
            str(article),
            "--published",
            "2022-01-08",
            "--strict",
        )
        assert len(server.received) == 3  # the first answer and two re-asks
        reask = server.received[1].json["messages"][-1]["content"]
    assert "the text says Tuesday, but 2022-01-10 is a Monday" in reask
    (meeting,) = briefing["meetings"]
    assert meeting["date"]["value"] == "2022-01-10"
    assert meeting["date"]["flags"] == ["the text says Tuesday, but 2022-01-10 is a Monday"]
    report = briefing["provenance"]["validation"]
    assert report["dropped"] == 0
    assert report["issues"][0]["problem"].startswith("kept, flagged:")


def test_a_scheduled_meeting_dated_before_publication_is_flagged() -> None:
    briefing = _briefing(str(SEED), "--published", "2022-01-13")
    flagged = {m["date"]["value"]: m["date"]["flags"] for m in briefing["meetings"]}
    assert flagged["2022-01-12"] == [
        "status scheduled, but 2022-01-12 is before the publication date 2022-01-13"
    ]
    assert flagged["2022-01-14"] == []
