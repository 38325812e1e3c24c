"""Bad input fails with one line and exit 2; output files are written atomically."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from summarizer.articles import read_article
from summarizer.config import resolve_settings
from summarizer.errors import InputError
from summarizer.pipeline import AsyncSummarizer
from summarizer.prompts import load_prompts

from .conftest import SEED, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("dir", "is a directory"),
        (b"", "empty"),
        (b"  \n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
    ids=["missing", "directory", "empty", "whitespace", "binary"],
)
def test_bad_input_is_exit_2_with_one_line_naming_the_file(
    tmp_path: Path, content: bytes | str | None, expected: str
) -> None:
    target = tmp_path / "article.txt"
    if content == "dir":
        target.mkdir()
    elif isinstance(content, bytes):
        target.write_bytes(content)
    out = tmp_path / "out.json"
    result = run_cli("summarize", str(target), "-o", str(out))
    assert result.exit_code == 2
    assert expected in result.stderr
    assert str(target) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not out.exists()


def test_latin1_article_is_decoded_not_refused(tmp_path: Path) -> None:
    target = tmp_path / "latin.txt"
    text = "Der Außenminister traf sich in München mit dem Präsidenten. " * 5
    target.write_bytes(text.encode("latin-1"))
    assert read_article(str(target)).text == text


def test_unknown_format_and_mode_are_usage_errors() -> None:
    assert run_cli("summarize", str(SEED), "--format", "pdf").exit_code == 2
    assert run_cli("summarize", str(SEED), "--mode", "telepathy").exit_code == 2
    bad_date = run_cli("summarize", str(SEED), "--published", "10/01/2022")
    assert bad_date.exit_code == 2
    assert "YYYY-MM-DD" in bad_date.stderr


def test_stdin_article(tmp_path: Path) -> None:
    result = run_cli("summarize", "-", input=SEED.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"]["path"] is None


def test_output_file_is_written_whole_and_kept_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "notes" / "briefing.md"
    ok = run_cli("summarize", str(SEED), "-f", "markdown", "-o", str(out))
    assert ok.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# ")
    before = out.read_bytes()
    failed = run_cli("summarize", str(tmp_path / "nope.txt"), "-f", "markdown", "-o", str(out))
    assert failed.exit_code == 2
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir()] == ["briefing.md"]  # no temp files left


def test_huge_article_is_refused_with_the_limit(tmp_path: Path) -> None:
    target = tmp_path / "huge.txt"
    target.write_text("word " * 60_000, encoding="utf-8")
    with pytest.raises(InputError, match="over the limit"):
        read_article(str(target))


def test_async_pipeline_briefs_articles_concurrently(tmp_path: Path) -> None:
    # Each reply is held until three requests are in flight at once: calls made one after
    # another would leave max_in_flight at 1 (and wait GATHER_TIMEOUT each).
    reply = Reply(body=chat_completion(arguments=seed_answer()), gather=3)
    with FakeOpenAI([reply]) as server:
        settings = resolve_settings(base_url=server.base_url, fixture_mode="live")
        prompts = load_prompts()
        article = read_article(str(SEED))

        async def run() -> list:
            async with AsyncSummarizer(settings, prompts=prompts) as summarizer:
                return await asyncio.gather(*(summarizer.summarize(article) for _ in range(3)))

        briefings = asyncio.run(run())
        assert len(server.received) == 3
        assert server.max_in_flight == 3
    # Each briefing is built whole from its own answer: offsets and dates are computed.
    assert all(b.model_dump() == briefings[0].model_dump() for b in briefings)
    evidence = [e for m in briefings[0].meetings for e in m.evidence]
    assert evidence and all(article.text[e.start : e.end] == e.quote for e in evidence)
    assert sorted(m.date.value for m in briefings[0].meetings if m.date) == [
        "2022-01-09",
        "2022-01-10",
        "2022-01-10",
        "2022-01-12",
        "2022-01-14",
    ]
    assert all(b.provenance.usage.total_tokens == 150 for b in briefings)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["summarize", str(SEED), "--format", "pdf"], "'pdf' is not one of"),
        (["summarize", str(SEED), "--mode", "telepathy"], "'telepathy' is not one of"),
        (["summarize"], "Missing argument"),
        (["schema", "--bogus"], "No such option: --bogus"),
    ],
)
def test_usage_errors_from_the_console_script_are_one_line(args: list[str], expected: str) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "summarizer", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "--help" in lines[0]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Rendez-vous à Genève, où le ministre a dit « non ».", "cp1252"),
        ("Zürich", "latin-1"),
        (
            "Москва заявила о переговорах в Женеве, сообщили в министерстве иностранных дел.",
            "cp1251",
        ),
    ],
)
def test_legacy_encodings_decode_to_the_right_text(
    tmp_path: Path, text: str, encoding: str
) -> None:
    target = tmp_path / "legacy.txt"
    target.write_bytes(text.encode(encoding))
    assert read_article(str(target)).text == text


def test_utf8_with_a_stray_byte_is_refused_not_garbled(tmp_path: Path) -> None:
    target = tmp_path / "damaged.txt"
    target.write_bytes(SEED.read_bytes().replace(b"Brussels", b"Brus\xe9els", 1))
    with pytest.raises(InputError, match="invalid UTF-8 at byte"):
        read_article(str(target))


@pytest.mark.parametrize(
    "line",
    [
        "Monday, January 10, 2022",
        "2022-01-10",
        "Published: January 10, 2022",
        "January 10, 2022 12:30 GMT",
        "10 January 2022",
    ],
)
def test_datelines_in_common_forms_are_read(line: str) -> None:
    from summarizer.articles import find_dateline

    assert find_dateline(f"NATO talks\n{line}\n\nThe text.") == dt.date(2022, 1, 10)
