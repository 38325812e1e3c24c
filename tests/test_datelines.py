"""Publication dates read from the datelines and bylines at the top of an article, and the
article text normalised (LF line endings, Unicode NFC) once when it is read."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest

from summarizer.articles import Article, article_from_bytes, find_dateline, read_article

from .conftest import SEED, WIKINEWS, live_cli, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

MARCH_3 = dt.date(2025, 3, 3)
BODY = "The council met on Monday to discuss the budget, its chair said."


def _article(*head: str) -> str:
    return "\n".join(["Council approves the budget", *head, "", BODY, "", BODY])


# --- Forms read -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        # A place and a date before a dash: wire services and newspapers.
        "RIVERTON, March 3, 2025 — The council met on Monday.",
        "RIVERTON, March 3, 2025 – The council met on Monday.",
        "RIVERTON, March 3, 2025 - The council met on Monday.",
        "RIVERTON, March 3, 2025 -- The council met on Monday.",
        "RIVERTON, March 3, 2025—The council met on Monday.",
        "Riverton, March 3, 2025 — The council met on Monday.",
        "SPRINGFIELD, Ill., March 3, 2025 — The council met on Monday.",
        "WASHINGTON, D.C., Mar. 3, 2025 — The council met on Monday.",
        "ST. LOUIS, Monday, March 3, 2025 — The council met.",
        "LONDON, 3 March 2025 (AFP) - The council met on Monday.",
        "KYIV, Ukraine, March 3, 2025 (AP) — The council met on Monday.",
        "LONDON (AFP), 3 March 2025 - The council met on Monday.",
        "BRUSSELS, 2025-03-03 — The council met on Monday.",
        "March 3, 2025 — The council met on Monday.",
        "London, 3 March 2025",
        # A date alone on its line, perhaps with a weekday and a clock time.
        "March 3, 2025",
        "March 3 2025",
        "March 3rd, 2025",
        "3 March 2025",
        "3rd of March 2025",
        "3 March, 2025",
        "Mar. 3, 2025",
        "MARCH 3, 2025",
        "Monday, March 3, 2025",
        "Monday March 3, 2025",
        "Mon Mar 3, 2025 10:04am EST",
        "Mon, 3 Mar 2025 10:04 GMT",
        "3 March 2025, 10:05 GMT",
        "March 3, 2025 | 10:00 AM",
        "March 3, 2025 — 10:00 a.m. ET",
        "March 3, 2025 at 10:00 p.m. (UTC)",
        "March 3, 2025 14:05 UTC+1",
        "2025-03-03",
        "2025/03/03",
        "2025-03-03T10:04:00Z",
        "2025-03-03 10:04:00+01:00",
        # Labelled.
        "Published: March 3, 2025",
        "Published 3 March 2025",
        "Published on March 3, 2025",
        "PUBLISHED: MARCH 3, 2025",
        "First published on Mon 3 Mar 2025 09.12 GMT",
        "Posted on 03/03/2025",
        "Posted: 2025-03-03 10:04",
        "Date: 3 March 2025",
        "Filed March 3, 2025",
        # Bylines.
        "By Jane Doe | March 3, 2025 at 10:00 a.m. EST",
        "By Jane Doe, March 3, 2025",
        "By Jane Doe, Reuters, March 3, 2025",
        "By Jane Doe and John Roe — Monday, March 3, 2025",
        "By Jane Doe on March 3, 2025",
        "BY JANE DOE • March 3, 2025 • 5 min read",
        "Jane Doe · Mon 3 Mar 2025 14.05 GMT",
        "Home | Politics | March 3, 2025",
    ],
)
def test_dateline_forms_are_read(line: str) -> None:
    assert find_dateline(_article(line)) == MARCH_3


@pytest.mark.parametrize(
    "line",
    [
        "Updated: Mon 3 Mar 2025 14.05 GMT",
        "Last updated on March 3, 2025",
        "Last modified on Mon 3 Mar 2025 15.30 GMT",
        "Updated March 3, 2025 10:04 a.m. ET",
    ],
)
def test_an_updated_date_is_read_when_the_head_has_no_other(line: str) -> None:
    assert find_dateline(_article(line)) == MARCH_3


def test_a_publication_date_wins_over_an_update_wherever_they_stand() -> None:
    head = ("Updated: Wed 5 Mar 2025 08.00 GMT", "Published: Mon 3 Mar 2025 14.05 GMT")
    assert find_dateline(_article(*head)) == MARCH_3
    assert find_dateline(_article("Published: March 3, 2025 | Updated: March 5, 2025")) == MARCH_3


def test_the_first_publication_date_in_the_head_wins() -> None:
    head = ("RIVERTON, March 3, 2025 — The council met.", "Posted March 4, 2025")
    assert find_dateline(_article(*head)) == MARCH_3


@pytest.mark.parametrize(
    "written",
    ["Sept. 3, 2025", "Sep 3, 2025", "September 3, 2025", "3 Sept 2025", "Wed, Sept. 3, 2025"],
)
def test_month_abbreviations_with_and_without_a_period(written: str) -> None:
    assert find_dateline(_article(written)) == dt.date(2025, 9, 3)


# --- Wire datelines without a year, and bylines under them -------------------------------------


@pytest.mark.parametrize(
    "byline", ["March 3, 2025", "Mon Mar 3, 2025 10:04am EST", "By Jane Doe | March 3, 2025"]
)
def test_a_wire_dateline_without_a_date_is_followed_by_the_byline_date(byline: str) -> None:
    assert find_dateline(_article("WASHINGTON (Reuters) - The Senate voted.", byline)) == MARCH_3


def test_the_byline_date_under_a_long_first_paragraph_is_still_read() -> None:
    paragraph = "WASHINGTON (Reuters) - The Senate voted. " + "It was close. " * 60
    text = f"Senate vote\n\n{paragraph}\nMon Mar 3, 2025 10:04am EST\n\n{BODY}"
    assert text.index("Mon Mar 3") > 600
    assert find_dateline(text) == MARCH_3


@pytest.mark.parametrize(
    "line",
    [
        "NEW YORK, March 3 (Reuters) - Stocks rose.",
        "LONDON, 3 March (AFP) - Stocks rose.",
        "SPRINGFIELD, Ill., March 3 — Stocks rose.",
    ],
)
def test_a_dateline_without_a_year_takes_it_from_a_date_nearby(line: str) -> None:
    assert find_dateline(_article(line)) is None  # no year anywhere: not guessed
    assert find_dateline(_article(line, "Mon Mar 3, 2025 10:04am EST")) == MARCH_3
    assert find_dateline(_article("Mon Mar 3, 2025 10:04am EST", line)) == MARCH_3
    # An update's year serves, and the dateline's day stays the day published.
    assert find_dateline(_article(line, "Updated March 5, 2025")) == MARCH_3


def test_a_yearless_dateline_takes_the_nearest_year_across_new_year() -> None:
    text = _article("NEW YORK, Dec. 31 (Reuters) - Stocks rose.", "Updated Jan 1, 2025")
    assert find_dateline(text) == dt.date(2024, 12, 31)
    text = _article("NEW YORK, Jan. 1 (Reuters) - Stocks rose.", "Posted Dec 31, 2024 23:50")
    assert find_dateline(text) == dt.date(2025, 1, 1)


def test_a_yearless_february_29_needs_a_leap_year_nearby() -> None:
    text = _article("NEW YORK, Feb. 29 (Reuters) - Stocks rose.", "Updated March 1, 2024")
    assert find_dateline(text) == dt.date(2024, 2, 29)
    text = _article("NEW YORK, Feb. 29 (Reuters) - Stocks rose.", "Updated March 1, 2025")
    assert find_dateline(text) == dt.date(2025, 3, 1)  # no Feb 29 near: the update's own date


def test_a_month_and_day_alone_or_in_a_range_is_not_a_dateline() -> None:
    assert find_dateline(_article("March 3", "Posted in 2025")) is None
    text = _article("Budget conference, March 3 - 5, 2025", "By Jane Doe")
    assert find_dateline(text) is None


# --- All-numeric dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("03/03/2025", MARCH_3),
        ("3/3/2025", MARCH_3),
        ("03/04/2025", dt.date(2025, 3, 4)),  # both could be the month: month/day
        ("03-04-2025", dt.date(2025, 3, 4)),
        ("03.04.2025", dt.date(2025, 4, 3)),  # dots: day.month
        ("13/04/2025", dt.date(2025, 4, 13)),  # over 12: the day
        ("04/13/2025", dt.date(2025, 4, 13)),
        ("13.04.2025", dt.date(2025, 4, 13)),
        ("04.13.2025", dt.date(2025, 4, 13)),
        ("2025-04-03", dt.date(2025, 4, 3)),  # year first: always year-month-day
        ("2025/4/3", dt.date(2025, 4, 3)),
    ],
)
def test_numeric_dates_follow_the_day_month_rule(written: str, expected: dt.date) -> None:
    assert find_dateline(_article(f"Posted on {written}")) == expected
    assert find_dateline(_article(written)) == expected


@pytest.mark.parametrize(
    "written", ["13/13/2025", "02/30/2025", "30.02.2025", "2025-13-01", "2025-02-30", "03/03/25"]
)
def test_impossible_or_two_digit_year_numeric_dates_are_not_read(written: str) -> None:
    assert find_dateline(_article(f"Posted on {written}")) is None


# --- Not datelines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "February 30, 2025",
        "Published: February 29, 2025",
        "April 31, 2025",
        "March 0, 2025",
        "RIVERTON, Feb. 30, 2025 — The council met on Monday.",
        "NEW YORK, Feb. 30 (Reuters) - Stocks rose.",
    ],
)
def test_impossible_dates_are_not_read(line: str) -> None:
    assert find_dateline(_article(line, "Mon Mar 3, 2025 10:04am EST")) == MARCH_3
    assert find_dateline(_article(line)) is None


def test_an_impossible_date_does_not_hide_a_real_one_below_it() -> None:
    assert find_dateline(_article("February 30, 2025", "March 3, 2025")) == MARCH_3


@pytest.mark.parametrize(
    "line",
    [
        "On March 3, 2025 the council met to discuss the budget.",
        "The council met on March 3, 2025 to discuss the budget.",
        "The budget, approved March 3, 2025 — after months of talks — is law.",
        "Council approves budget on March 3, 2025",
        "March 3, 2025 was the day the council met.",
        "In a meeting held March 3, 2025, the council approved the budget.",
    ],
)
def test_a_date_in_a_sentence_is_not_a_dateline_even_in_the_first_line(line: str) -> None:
    assert find_dateline(f"{line}\n\n{BODY}") is None
    assert find_dateline(_article(line)) is None


def test_a_date_in_the_body_is_not_a_dateline() -> None:
    paragraphs = ["Council approves the budget", *(BODY * 4 for _ in range(3))]
    deep = "\n\n".join([*paragraphs, "March 3, 2025", BODY])
    assert deep.index("March 3, 2025") > 600
    assert find_dateline(deep) is None


def test_only_the_first_eight_non_empty_lines_are_the_head() -> None:
    short = [f"Line {n}" for n in range(1, 9)]
    assert find_dateline("\n\n".join([*short[:7], "March 3, 2025"])) == MARCH_3
    assert find_dateline("\n\n".join([*short, "March 3, 2025"])) is None


def test_a_head_line_must_start_within_the_first_600_characters() -> None:
    standfirst = "A" + " long standfirst" * 30
    near = f"Title\n{standfirst[:500]}\nMarch 3, 2025\n\n{BODY}"
    far = f"Title\n{standfirst}\n{standfirst}\nMarch 3, 2025\n\n{BODY}"
    assert find_dateline(near) == MARCH_3
    assert find_dateline(far) is None


def test_a_dateline_with_leading_whitespace_and_crlf_is_read() -> None:
    assert find_dateline("Title\r\n   March 3, 2025   \r\n\r\nBody.") == MARCH_3


def test_the_earlier_forms_still_read() -> None:
    for line in ("Monday, January 10, 2022", "Published: January 10, 2022", "10 January 2022"):
        assert find_dateline(f"NATO talks\n{line}\n\nThe text.") == dt.date(2022, 1, 10)


# --- The seeds --------------------------------------------------------------------------------


def test_the_seeds_read_as_before() -> None:
    assert find_dateline(SEED.read_text(encoding="utf-8")) is None  # its date is inferred
    for article in WIKINEWS:
        read = find_dateline(article.read_text(encoding="utf-8"))
        assert read == dt.date.fromisoformat(article.stem[:10])


def _live_briefing(article: Path, answer: str) -> dict:
    reply = Reply(body=chat_completion(arguments=seed_answer(answer)))
    with FakeOpenAI([reply]) as server:
        result = live_cli(server, str(article), "--format", "json")
    assert result.exit_code == 0, result.output
    briefing: dict = json.loads(result.stdout)
    return briefing


def test_through_the_cli_the_seed_date_is_still_inferred() -> None:
    source = _live_briefing(SEED, SEED.stem)["source"]
    assert source["published_basis"] == "inferred"
    assert source["published"] == "2022-01-10"


@pytest.mark.parametrize("article", WIKINEWS, ids=lambda p: p.stem)
def test_through_the_cli_the_wikinews_datelines_are_still_read(article: Path) -> None:
    source = _live_briefing(article, article.stem)["source"]
    assert source["published_basis"] == "article"
    assert source["published"] == article.stem[:10]


# --- Line endings and Unicode -----------------------------------------------------------------


def _crlf_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "seed-crlf.txt"
    copy.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    return copy


def test_crlf_article_reads_as_the_lf_article(tmp_path: Path) -> None:
    crlf = read_article(str(_crlf_copy(tmp_path)))
    lf = read_article(str(SEED))
    assert "\r" not in crlf.text
    assert crlf.text == lf.text
    assert crlf.sha256 == lf.sha256
    assert (crlf.title, crlf.dateline) == (lf.title, lf.dateline)
    assert crlf.normalized == ("CRLF line endings to LF",)
    assert lf.normalized == ()


def test_old_mac_line_endings_become_lf() -> None:
    article = article_from_bytes(b"Title\rMarch 3, 2025\r\rBody.\r\nMore.", label="cr")
    assert article.text == "Title\nMarch 3, 2025\n\nBody.\nMore."
    assert article.normalized == ("CRLF line endings to LF", "CR line endings to LF")
    assert article.dateline == MARCH_3


def test_decomposed_accents_are_composed() -> None:
    composed = "Le président a déclaré que la réunion aura lieu à Genève."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    article = article_from_bytes(decomposed.encode("utf-8"), label="nfd")
    assert article.text == composed
    assert article.normalized == ("Unicode NFC",)
    same = article_from_bytes(composed.encode("utf-8"), label="nfc")
    assert same.sha256 == article.sha256
    assert same.normalized == ()


def test_an_article_is_still_constructible_without_saying_what_was_normalised() -> None:
    article = Article(text="Text.", path=None, title="Text.", dateline=None, encoding="utf-8")
    assert article.normalized == ()


def _without_path(output: str, path: Path) -> str:
    return output.replace(str(path), "<article>").replace(str(SEED), "<article>")


def test_crlf_seed_replays_from_the_project_fixtures_like_the_lf_seed(tmp_path: Path) -> None:
    copy = _crlf_copy(tmp_path)
    lf = run_cli("summarize", str(SEED))
    crlf = run_cli("summarize", str(copy))
    # The same request, so the same fixture: the CRLF copy replays offline as the seed does.
    assert crlf.exit_code == lf.exit_code == 0, crlf.output
    assert _without_path(crlf.stderr, copy) == _without_path(lf.stderr, copy)
    assert "CRLF line endings to LF" in json.loads(crlf.stdout)["source"]["offsets_in"]
    if lf.exit_code == 0:
        lf_source = json.loads(lf.stdout)["source"]
        crlf_source = json.loads(crlf.stdout)["source"]
        assert crlf_source["sha256"] == lf_source["sha256"]
        assert crlf_source["characters"] == lf_source["characters"]
        assert _without_path(crlf.stdout, copy).replace(
            json.dumps(crlf_source.get("offsets_in")), "X"
        ) == _without_path(lf.stdout, copy).replace(json.dumps(lf_source.get("offsets_in")), "X")


def test_crlf_seed_replays_a_fixture_recorded_from_the_lf_seed(tmp_path: Path) -> None:
    store = tmp_path / "fx"
    with FakeOpenAI([Reply(body=chat_completion(arguments=seed_answer()))]) as server:
        recorded = run_cli(
            "summarize",
            str(SEED),
            "--base-url",
            server.base_url,
            "--fixture-mode",
            "record",
            "--fixtures",
            str(store),
        )
    assert recorded.exit_code == 0, recorded.output
    # No server now: the CRLF copy replays the LF seed's recording, offline.
    replayed = run_cli("summarize", str(_crlf_copy(tmp_path)), "--fixtures", str(store))
    assert replayed.exit_code == 0, replayed.output
    briefing = json.loads(replayed.stdout)
    original = json.loads(recorded.stdout)
    assert briefing["source"]["sha256"] == original["source"]["sha256"]
    assert briefing["meetings"] == original["meetings"]
    assert briefing["parties"] == original["parties"]


DRY_RUN_FORMS = [
    "RIVERTON, March 3, 2025 — The council met on Monday and agreed to talk again.",
    "LONDON, 3 March 2025 (AFP) - The council met on Monday and agreed to talk again.",
    "WASHINGTON (Reuters) - The council met on Monday and agreed to talk again.\n"
    "Mon Mar 3, 2025 10:04am EST",
    "By Jane Doe | March 3, 2025 at 10:00 a.m. EST\n\nThe council met on Monday.",
    "Updated: Mon 3 Mar 2025 14.05 GMT\n\nThe council met on Monday.",
    "Posted on 03/03/2025\n\nThe council met on Monday.",
]


def test_every_dateline_form_reaches_the_dry_run_as_the_articles_date(tmp_path: Path) -> None:
    paths = []
    for n, body in enumerate(DRY_RUN_FORMS):
        path = tmp_path / f"a{n}.txt"
        path.write_text(f"Council talks\n\n{body}\n", encoding="utf-8")
        paths.append(str(path))
    result = run_cli("summarize", *paths, "--dry-run")
    assert result.exit_code == 0, result.output
    plans = json.loads(result.stdout)
    assert [(p["source"]["published"], p["source"]["published_basis"]) for p in plans] == [
        ("2025-03-03", "article")
    ] * len(DRY_RUN_FORMS)


@pytest.mark.parametrize(
    ("head", "published"),
    [
        (
            ("Berlin, November 9, 1989 - the night the Wall fell", "Published: 9 November 2019"),
            dt.date(2019, 11, 9),
        ),
        (
            ("Hiroshima, August 6, 1945 – the bomb", "By Jane Doe | August 6, 2020"),
            dt.date(2020, 8, 6),
        ),
    ],
)
def test_a_historic_date_in_the_title_does_not_beat_the_printed_publication_date(
    head: tuple[str, str], published: dt.date
) -> None:
    assert find_dateline(_article(*head)) == published
