"""What grounding left out, on stderr: one line per article counting what was dropped and what
was kept flagged, by kind of problem; each item only with --verbose; a kept item is never
called dropped."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest

from summarizer.articles import Article, article_from_bytes
from summarizer.config import resolve_settings
from summarizer.runner import abrief_articles, brief_articles, classify_issue, issue_lines
from summarizer.schemas import ValidationIssue

from .conftest import SEED, live_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

SUMMARY = (
    "dropped 3 item(s) the article does not support: 2 quotes not in the article, 1 place not "
    "stated in the article; kept 1 flagged: 1 weekday that disagrees with its date"
)


def _flawed_answer() -> dict[str, Any]:
    """The seed's answer with two invented quotes and a place the article does not give; with
    publication date 2023-01-08, its "Monday, January 10" falls on a Tuesday."""
    answer = seed_answer()
    answer["parties"][0]["claims"][0]["quotes"].append(
        "NATO will close its doors to Ukraine forever and ever"
    )
    answer["parties"][2]["claims"][0]["quotes"].append(
        "Russia demands that NATO leave Europe by next week"
    )
    answer["meetings"][0]["place"]["city"] = "Paris"
    return answer


def _run(article: str, *args: str, replies: list[dict[str, Any]] | None = None) -> Any:
    answers = replies or [_flawed_answer()]
    with FakeOpenAI([Reply(body=chat_completion(arguments=a)) for a in answers]) as server:
        result = live_cli(server, article, *args, "--max-reasks", "0", "--published", "2023-01-08")
    assert result.exit_code == 0, result.output
    return result


def test_one_line_per_article_counts_what_was_dropped_and_flagged_by_kind() -> None:
    result = _run(str(SEED))
    assert result.stderr.splitlines() == [f"summarizer: {SEED}: {SUMMARY}"]


def test_verbose_lists_each_item_under_its_article_line_and_a_kept_one_as_flagged() -> None:
    lines = _run(str(SEED), "--verbose").stderr.splitlines()
    prefix = f"summarizer: {SEED}: "
    assert lines[0] == prefix + SUMMARY
    items = [line.removeprefix(prefix) for line in lines[1:]]
    assert [item.split(":")[0] for item in items] == [
        "dropped parties[0].claims[0].quotes[1]",
        "dropped parties[2].claims[0].quotes[1]",
        "dropped meetings[0].place.city",
        "flagged meetings[2].date_text",
    ]
    assert 'quote "NATO will close its doors to Ukraine forever and ever" is not in' in items[0]
    assert items[3].startswith(
        'flagged meetings[2].date_text: date "Monday, January 10": the text says Monday, but '
        "2023-01-10 is a Tuesday"
    )


def test_a_briefing_with_only_kept_flagged_items_never_says_dropped() -> None:
    answer = seed_answer()
    for verbose in ((), ("--verbose",)):
        result = _run(str(SEED), *verbose, replies=[answer])
        assert "dropped" not in result.stderr
        assert result.stderr.splitlines()[0] == (
            f"summarizer: {SEED}: kept 1 flagged: 1 weekday that disagrees with its date"
        )


def test_each_article_of_a_run_has_its_own_line(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SEED, first)
    shutil.copy(SEED, second)
    with FakeOpenAI(
        [Reply(body=chat_completion(arguments=a)) for a in (_flawed_answer(), seed_answer())]
    ) as server:
        result = live_cli(server, str(first), str(second), "--max-reasks", "0")
    assert result.exit_code == 0, result.output
    # Without a publication date given, weekdays are not checked against it: nothing flagged.
    assert result.stderr.splitlines() == [
        f"summarizer: {first}: dropped 3 item(s) the article does not support: 2 quotes not "
        "in the article, 1 place not stated in the article"
    ]


class Recorder:
    """A reporter that keeps what the run said."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def starting(self, label: str) -> None:
        pass

    def say(self, text: str) -> None:
        self.lines.append(text)


def _seed(label: str) -> Article:
    return article_from_bytes(SEED.read_bytes(), label=label, path=label)


def test_the_library_runners_say_one_line_unless_verbose() -> None:
    answers = [Reply(body=chat_completion(arguments=_flawed_answer()))]
    with FakeOpenAI(answers) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live", max_reasks=0)
        quiet, loud = Recorder(), Recorder()
        brief_articles([_seed("a")], settings, reporter=quiet)
        asyncio.run(abrief_articles([_seed("a")], settings, reporter=loud, verbose=True))
    assert quiet.lines == [
        "summarizer: a: dropped 3 item(s) the article does not support: 2 quotes not in the "
        "article, 1 place not stated in the article"
    ]
    assert loud.lines[0] == quiet.lines[0]
    assert len(loud.lines) == 4


def _issue(item: str, problem: str = "it is not in the article.") -> ValidationIssue:
    return ValidationIssue(item=item, problem=problem)


@pytest.mark.parametrize(
    ("item", "problem", "action", "kind"),
    [
        ("parties[0].claims[1].quotes[0]", "not in the article", "dropped", "quote not in"),
        ("meetings[1].quotes[0]", 'quote "a b" is too short', "dropped", "quote too short"),
        ("summary.lede[0].support[1]", "not in the article", "dropped", "cited passage not"),
        ("summary.key_points[2].text", "uses numbers 3", "dropped", "summary sentence the"),
        ("summary.key_points[2].support", "kept, flagged: x", "flagged", "summary sentence with"),
        ("summary.lede[0].text", "kept, flagged: negates", "flagged", "summary sentence negat"),
        ("publisher", "not named", "dropped", "publisher not named"),
        ("parties[3].name", "neither its name", "dropped", "party not named"),
        ("parties[3].aliases[1]", "not named", "dropped", "alias not in"),
        ("parties[3].speakers[0].name", "not named", "dropped", "speaker not named"),
        ("parties[3].claims[0].speaker", "not named", "dropped", "speaker not named"),
        ("meetings[0].participants[2].name", "not named", "dropped", "participant not named"),
        ("meetings[0].place.venue", "not stated", "dropped", "place not stated"),
        ("meetings[0].date_text", "not written", "dropped", "date not written"),
        ("meetings[0].date_text", "kept, flagged: date", "flagged", "weekday that disagrees"),
        ("meetings[0].date_relative_to", "names no other", "dropped", "date anchor naming"),
        ("meetings[2].id", "used twice", "renamed", "duplicate meeting id"),
        ("meetings[2].something_new", "odd", "dropped", "something_new item"),
    ],
)
def test_each_kind_of_issue_is_named_from_its_item_and_problem(
    item: str, problem: str, action: str, kind: str
) -> None:
    got_action, (one, _many) = classify_issue(_issue(item, problem))
    assert (got_action, one[: len(kind)]) == (action, kind)


def test_the_line_counts_kinds_in_order_with_plurals_and_lists_items_only_when_verbose() -> None:
    issues = [
        _issue("parties[0].claims[0].quotes[0]"),
        _issue("meetings[0].place.city"),
        _issue("parties[1].claims[0].quotes[2]"),
        _issue("meetings[0].date_text", "kept, flagged: date X: the text says Monday"),
        _issue("meetings[1].date_text", "kept, flagged: date Y: the text says Friday"),
        _issue("meetings[3].id", 'meeting id "m1" is used twice'),
    ]
    line, *items = issue_lines(issues, verbose=True)
    assert line == (
        "dropped 3 item(s) the article does not support: 2 quotes not in the article, 1 place "
        "not stated in the article; kept 2 flagged: 2 weekdays that disagree with their dates; "
        "kept under a new id: 1 duplicate meeting id"
    )
    assert items == [
        "dropped parties[0].claims[0].quotes[0]: it is not in the article.",
        "dropped meetings[0].place.city: it is not in the article.",
        "dropped parties[1].claims[0].quotes[2]: it is not in the article.",
        "flagged meetings[0].date_text: date X: the text says Monday",
        "flagged meetings[1].date_text: date Y: the text says Friday",
        'renamed meetings[3].id: meeting id "m1" is used twice',
    ]
    assert issue_lines(issues) == [line]
    assert issue_lines([]) == []
