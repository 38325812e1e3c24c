"""The command line: parse options, make one call into the library, print the result.

Data goes to stdout (or ``-o FILE``, written atomically); messages go to stderr. Expected
failures print one line and exit 2 (usage, input) or 1 (model, validation).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._version import __version__
from .errors import OutputClosed, SummarizerError, UsageError

if TYPE_CHECKING:
    from .config import Settings
    from .runner import RunResult

app = typer.Typer(
    name="summarizer",
    help="Turn news articles into validated, source-grounded briefings.\n\n"
    "Example: summarizer summarize seeds/000_7309d1c88b1de532.txt --format markdown",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutputFormat(StrEnum):
    json = "json"
    markdown = "markdown"
    html = "html"
    ics = "ics"


class ModeChoice(StrEnum):
    tools = "tools"
    json_schema = "json_schema"
    json = "json"
    md_json = "md_json"


class FixtureModeChoice(StrEnum):
    replay = "replay"
    record = "record"
    missing = "missing"
    live = "live"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Turn news articles into validated, source-grounded briefings.

    Example: summarizer summarize seeds/000_7309d1c88b1de532.txt --format markdown
    """


def _fail(error: SummarizerError) -> typer.Exit:
    if not isinstance(error, OutputClosed):  # the reader went away: nothing to tell it
        typer.echo(f"summarizer: error: {error.hint_line()}", err=True)
    return typer.Exit(error.exit_code)


def _parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--published {text!r} is not a date", hint="use YYYY-MM-DD") from None


@app.command(
    epilog="Examples:\n\n"
    "  summarizer summarize seeds/000_7309d1c88b1de532.txt --format markdown\n\n"
    "  cat article.txt | summarizer summarize - --published 2022-01-10 -o briefing.json\n\n"
    "  OPENAI_BASE_URL=http://localhost:11434/v1 summarizer summarize a.txt --model llama3.1 "
    "--fixture-mode record --fixtures my-fixtures/\n\n"
    "  summarizer summarize a.txt b.txt --dry-run   # what would be sent, no call\n\n"
    "  summarizer summarize a.txt --verbose   # list each item dropped or flagged"
)
def summarize(
    paths: Annotated[list[str], typer.Argument(help="Article text files, or - for stdin.")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (atomically), not stdout.")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date YYYY-MM-DD (else read from a dateline, or unknown)."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="Model name. [env: SUMMARIZER_MODEL; config: model; default: gpt-4o-mini]"
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1. "
            "[env: OPENAI_BASE_URL; config: base_url; default: OpenAI's API]"
        ),
    ] = None,
    mode: Annotated[
        ModeChoice | None,
        typer.Option(help="instructor mode. [env: SUMMARIZER_MODE; config: mode; default: tools]"),
    ] = None,
    fixtures: Annotated[
        Path | None,
        typer.Option(
            help="Fixture folder. [env: SUMMARIZER_FIXTURES; config: fixtures; "
            "default: the project's fixtures/]"
        ),
    ] = None,
    fixture_mode: Annotated[
        FixtureModeChoice | None,
        typer.Option(
            help="replay | record | missing | live. [env: SUMMARIZER_FIXTURE_MODE; config: "
            "fixture_mode; default: replay when no key and no base URL are set; otherwise "
            "missing with a fixture folder, else live]"
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            help="Seconds to wait for one model answer. "
            "[env: SUMMARIZER_TIMEOUT; config: timeout; default: 120]"
        ),
    ] = None,
    max_retries: Annotated[
        int | None,
        typer.Option(
            help="Retries of transport faults (429, 5xx, timeouts). "
            "[env: SUMMARIZER_MAX_RETRIES; config: max_retries; default: 4]"
        ),
    ] = None,
    max_reasks: Annotated[
        int | None,
        typer.Option(
            help="Re-asks when the answer fails validation or grounding. "
            "[env: SUMMARIZER_MAX_REASKS; config: max_reasks; default: 2]"
        ),
    ] = None,
    strict: Annotated[
        bool | None,
        typer.Option(
            "--strict/--no-strict",
            help="Fail (exit 1, no output) if any quote, name, place or date is still "
            "unsupported by the article after the re-asks, instead of dropping it. "
            "[env: SUMMARIZER_STRICT; config: strict; default: off]",
            show_default=False,
        ),
    ] = None,
    context_tokens: Annotated[
        int | None,
        typer.Option(
            help="The model's context window in tokens. "
            "[env: SUMMARIZER_CONTEXT_TOKENS; config: context_tokens; default: 128000]"
        ),
    ] = None,
    max_tokens_per_run: Annotated[
        int | None,
        typer.Option(
            help="Stop the run cleanly once this many tokens are spent. "
            "[env: SUMMARIZER_MAX_TOKENS_PER_RUN; config: max_tokens_per_run; default: none]"
        ),
    ] = None,
    show_usage: Annotated[
        bool,
        typer.Option("--usage", help="Print the run's token usage (failed attempts included)."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Read and check every input and -o as a run would, then print what would be "
            "sent instead of briefing: per article the source, size, token estimate and "
            "rendered request (JSON), or a short note (markdown). No model call, no endpoint "
            "needed; -o is checked but not written.",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            help="List each item grounding dropped or flagged on stderr, not only the count "
            "per article.",
        ),
    ] = False,
) -> None:
    """Brief one or more articles: summary, positions by party, meetings with dates."""
    # The library loads when a command runs, not at import: --help stays fast.
    from .config import resolve_settings
    from .output import check_destination
    from .runner import brief_articles, read_articles

    result: RunResult | None = None
    try:
        when = _parse_date(published)
        settings = resolve_settings(
            model=model,
            base_url=base_url,
            mode=mode.value if mode else None,
            fixture_mode=fixture_mode.value if fixture_mode else None,
            fixtures_dir=fixtures,
            timeout=timeout,
            max_retries=max_retries,
            max_reasks=max_reasks,
            strict=strict,
            context_tokens=context_tokens,
            max_tokens_per_run=max_tokens_per_run,
        )
        if dry_run:
            _dry_run(paths, settings, when, output, output_format)
            return
        destination = check_destination(output)
        articles = read_articles(paths)
        with _reporting(len(articles)) as reporter:
            result = brief_articles(
                articles, settings, published=when, reporter=reporter, verbose=verbose
            )
        _write(result, output_format, destination)
    except SummarizerError as error:
        _print_usage(result, show_usage)
        raise _fail(error) from None
    _print_usage(result, show_usage)
    _close(result)


def _dry_run(
    paths: list[str],
    settings: Settings,
    when: dt.date | None,
    output: Path | None,
    output_format: OutputFormat,
) -> None:
    """What a run would send, on stdout; -o is checked (nothing is made) but not written."""
    from .dryrun import plan_articles, render_plans
    from .output import check_destination, write_result
    from .runner import read_articles

    check_destination(output, create=False)
    plans = plan_articles(read_articles(paths), settings, published=when)
    write_result(render_plans(plans, output_format.value, as_list=len(plans) > 1), None)


def _write(result: RunResult, output_format: OutputFormat, destination: Path | None) -> None:
    from .output import write_result
    from .render import render_briefings

    if result.written:
        text = render_briefings(result.written, output_format.value, as_list=result.as_list)
        write_result(text, destination)
        if destination is not None:
            typer.echo(f"summarizer: wrote {destination}", err=True)


def _close(result: RunResult) -> None:
    """The run's last word: a one-article run's error, or how many were not briefed; and
    its exit status."""
    if result.sole_error is not None:
        raise _fail(result.sole_error)
    if result.closing_line():
        typer.echo(f"summarizer: {result.closing_line()}", err=True)
    if result.exit_code:
        raise typer.Exit(result.exit_code)


class _Reporter:
    """Messages on stderr, above a progress bar when several articles go to a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None
        self._done = 0

    def say(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            typer.echo(text, err=True)

    def starting(self, label: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=self._done, description=f"briefing {label}")
            self._done += 1


@contextlib.contextmanager
def _reporting(total: int) -> Iterator[_Reporter]:
    reporter = _Reporter()
    if total < 2 or not sys.stderr.isatty():
        yield reporter
        return
    from rich.console import Console  # lazy: only a terminal with several articles needs it
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        reporter._bar, reporter._task = bar, bar.add_task("briefing", total=total)
        yield reporter
        bar.update(reporter._task, completed=total)
    reporter._bar = None


def _print_usage(result: RunResult | None, wanted: bool) -> None:
    """The run's tokens on stderr (failed attempts included); zero when it stopped before
    any call."""
    if not wanted:
        return
    usage = result.usage if result is not None else None
    prompt = usage.prompt_tokens if usage else 0
    completion = usage.completion_tokens if usage else 0
    typer.echo(
        f"summarizer: usage: {result.answers if result else 0} model answer(s); prompt "
        f"{prompt} + completion {completion} = {prompt + completion} tokens",
        err=True,
    )


@app.command(
    epilog="Examples:\n\n  summarizer schema > briefing.schema.json\n\n"
    "  summarizer schema --draft   # what the model is asked to fill in"
)
def schema(
    draft: Annotated[
        bool, typer.Option("--draft", help="Print the model-facing draft schema instead.")
    ] = False,
    note: Annotated[
        bool, typer.Option("--note", help="Print the schema of a note (summarizer note).")
    ] = False,
) -> None:
    """Print the JSON Schema of a briefing (the output of summarize --format json)."""
    from pydantic import BaseModel  # lazy: pydantic only when this runs

    from .notes.model import Note
    from .schemas import Briefing, BriefingDraft

    if draft and note:
        raise _fail(UsageError("--draft and --note are two schemas: ask for one"))
    model: type[BaseModel] = BriefingDraft if draft else Note if note else Briefing
    sys.stdout.write(json.dumps(model.model_json_schema(), indent=2) + "\n")


@app.command(
    epilog="Examples:\n\n"
    "  summarizer note seeds/wikinews/2008-12-1*.txt seeds/wikinews/2009-*.txt -f markdown\n\n"
    "  summarizer note a.txt b.txt c.txt -f html -o note.html\n\n"
    "  summarizer note a.txt b.txt -f ics -o story.ics --previous yesterday.json  "
    "# SEQUENCE up for moved meetings\n\n"
    "  summarizer note a.txt b.txt -f json -o today.json   # keep it: tomorrow's --previous"
)
def note(
    paths: Annotated[list[str], typer.Argument(help="Article text files of one story.")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (atomically), not stdout.")
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            help="An earlier note of this story (its JSON): a meeting whose date or status "
            "changed since gets the next calendar SEQUENCE; UIDs stay."
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The note's title.")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for every article.")
    ] = None,
    model: _Model = None,
    base_url: _BaseUrl = None,
    mode: _Mode = None,
    fixtures: Annotated[Path | None, typer.Option(help="Fixture folder.")] = None,
    fixture_mode: Annotated[
        FixtureModeChoice | None, typer.Option(help="replay | record | missing | live.")
    ] = None,
    max_reasks: _MaxReasks = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="List each dropped item.")] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="What would be sent for each article; no model call."),
    ] = False,
) -> None:
    """One briefing note across articles: one timeline of meetings (each once, with every
    source; disagreements flagged), positions by party over time, and the sources."""
    from .config import resolve_settings
    from .notes.run import load_note, note_articles
    from .output import check_destination, write_result
    from .render import render_note
    from .runner import read_articles

    try:
        settings = resolve_settings(
            model=model, base_url=base_url, mode=mode.value if mode else None,
            fixture_mode=fixture_mode.value if fixture_mode else None, fixtures_dir=fixtures,
            max_reasks=max_reasks,
        )  # fmt: skip
        if dry_run:
            _dry_run(paths, settings, _parse_date(published), output, output_format)
            return
        before = load_note(previous) if previous is not None else None
        destination = check_destination(output)
        articles = read_articles(paths)
        with _reporting(len(articles)) as reporter:
            made = note_articles(
                articles, settings, published=_parse_date(published), previous=before,
                title=title, reporter=reporter, verbose=verbose,
            )  # fmt: skip
        if made.note is not None:
            write_result(render_note(made.note, output_format.value), destination)
            if destination is not None:
                _say(f"summarizer: wrote {destination}")
    except SummarizerError as error:
        raise _fail(error) from None
    _close(made.run)


# --- regression suites ----------------------------------------------------------------------

regress_app = typer.Typer(
    help="Regression suites: cases with cassettes and baselines, replayed and compared field "
    "by field.\n\nExample: summarizer regress run suites/seeds",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(regress_app, name="regress")


class FailOnChoice(StrEnum):
    changed = "changed"
    regressed = "regressed"


_Model = Annotated[str | None, typer.Option(help="Model name. [env: SUMMARIZER_MODEL]")]
_BaseUrl = Annotated[
    str | None, typer.Option(help="OpenAI-compatible endpoint. [env: OPENAI_BASE_URL]")
]
_Mode = Annotated[ModeChoice | None, typer.Option(help="instructor mode. [default: tools]")]
_MaxReasks = Annotated[int | None, typer.Option(help="Re-asks after a failed check.")]


@regress_app.command(
    "record",
    epilog="Examples:\n\n"
    "  summarizer regress record suites/seeds seeds/000_7309d1c88b1de532.txt  # offline, from "
    "the project's fixtures\n\n"
    "  summarizer regress record my-suite a.txt b.txt --base-url http://localhost:11434/v1 "
    "--model llama3.1   # live\n\n"
    "  summarizer regress record suites/seeds seeds/wikinews/200[89]-*.txt --note automakers"
    "   # one note case",
)
def regress_record(
    suite: Annotated[Path, typer.Argument(help="Suite folder (made if missing).")],
    paths: Annotated[list[str], typer.Argument(help="Article text files to add or refresh.")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD of these articles.")
    ] = None,
    model: _Model = None,
    base_url: _BaseUrl = None,
    mode: _Mode = None,
    fixtures: Annotated[
        Path | None,
        typer.Option(
            help="With no endpoint: replay from this fixture folder and copy what "
            "was used. [default: the project's fixtures/]"
        ),
    ] = None,
    max_reasks: _MaxReasks = None,
    note: Annotated[
        str | None,
        typer.Option(help="Make the articles one note case with this id (its baseline a note)."),
    ] = None,
) -> None:
    """Add articles to a suite (or refresh their cases): brief each, live when an endpoint is
    configured or else from existing fixtures, and store its cassettes and baseline."""
    from .config import resolve_settings
    from .regress.suite import record_cases

    try:
        settings = resolve_settings(
            model=model, base_url=base_url, mode=mode.value if mode else None,
            fixtures_dir=fixtures, max_reasks=max_reasks, fixture_mode="live",
        )  # fmt: skip
        done = record_cases(
            suite, paths, settings, published=_parse_date(published), note=note, say=_say
        )
    except SummarizerError as error:
        raise _fail(error) from None
    _say(f"summarizer: {suite}: {len(done.written)} case(s) recorded, {len(done.failed)} failed")
    raise typer.Exit(done.exit_code)


@regress_app.command(
    "run",
    epilog="Examples:\n\n"
    "  summarizer regress run suites/seeds                 # offline: replay, compare\n\n"
    "  summarizer regress run suites/seeds --report out.xml --fail-on regressed\n\n"
    "  summarizer regress run suites/seeds --update        # accept the new briefings\n\n"
    "  summarizer regress run my-suite --live --base-url http://localhost:11434/v1 "
    "--model llama3.1 --record-to new-cassettes/",
)
def regress_run(
    suite: Annotated[Path, typer.Argument(help="Suite folder.")],
    update: Annotated[
        bool, typer.Option("--update", help="Accept the new briefings as the baselines.")
    ] = False,
    fail_on: Annotated[
        FailOnChoice, typer.Option(help="Exit 1 on any change, or only on regressions.")
    ] = FailOnChoice.changed,
    report: Annotated[
        Path | None, typer.Option(help="Also write a report: FILE.xml (JUnit) or FILE.json.")
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Ask the model instead of replaying the cassettes.")
    ] = False,
    record_to: Annotated[
        Path | None, typer.Option(help="With --live: record the exchanges into this folder.")
    ] = None,
    model: _Model = None,
    base_url: _BaseUrl = None,
    mode: _Mode = None,
    max_reasks: _MaxReasks = None,
) -> None:
    """Brief every case again (from its cassettes, or --live) and compare each briefing with
    its baseline. Exit 0 when nothing changed, 1 when something did, 2 for a broken suite."""
    from .config import resolve_settings
    from .regress.report import check_report_path, score_lines, text_report, write_report
    from .regress.suite import run_suite

    try:
        if report is not None:
            check_report_path(report)
        if record_to is not None and not live:
            raise UsageError("--record-to needs --live", hint="add --live, or drop --record-to")
        if update and live:
            raise UsageError(
                "--update accepts replayed briefings; a live run's would not match the cassettes",
                hint="refresh cases against a model with: summarizer regress record SUITE FILE...",
            )
        settings = resolve_settings(
            model=model, base_url=base_url, mode=mode.value if mode else None,
            max_reasks=max_reasks, fixture_mode="live" if live else "replay",
        )  # fmt: skip
        run = run_suite(suite, settings, live=live, record_to=record_to, update=update)
        if report is not None:
            write_report(run, report, fail_on.value)
    except SummarizerError as error:
        raise _fail(error) from None
    lines = text_report(run) + (score_lines(run) if live else [])
    typer.echo("\n".join(lines))
    raise typer.Exit(run.exit_code(fail_on.value))


# --- fixture folders --------------------------------------------------------------------------

fixtures_app = typer.Typer(
    help="Fixture folders: stale, unused, unsafe; prune; migrate.\n\n"
    "Example: summarizer fixtures check suites/seeds/cassettes",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(fixtures_app, name="fixtures")
_FixtureDir = Annotated[
    Path | None,
    typer.Argument(help="Fixture folder. [default: the configured one, else the project's]"),
]


def _inventory(directory: Path | None) -> Any:
    from .config import resolve_settings
    from .regress.inventory import inventory

    settings = resolve_settings(fixture_mode="replay")
    return inventory(directory or settings.fixtures_dir, settings_base=settings)


@fixtures_app.command(
    "check",
    epilog="Examples:\n\n  summarizer fixtures check\n\n"
    "  summarizer fixtures check suites/seeds/cassettes --json",
)
def fixtures_check(
    directory: _FixtureDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
) -> None:
    """Stale fixtures (an old prompt or schema), unused ones, authored and recorded counts, and
    a scan for secrets. Exit 1 when anything is stale, broken or unsafe."""
    from .regress.inventory import report_json

    try:
        found = _inventory(directory)
    except SummarizerError as error:
        raise _fail(error) from None
    typer.echo(report_json(found) if as_json else "\n".join(found.lines()), nl=not as_json)
    raise typer.Exit(found.exit_code)


@fixtures_app.command(
    "prune",
    epilog="Examples:\n\n  summarizer fixtures prune my-fixtures/ --dry-run\n\n"
    "  summarizer fixtures prune my-fixtures/",
)
def fixtures_prune(
    directory: _FixtureDir = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List only; remove nothing.")] = False,
) -> None:
    """Remove the fixtures no current request reaches (and the stale ones), after listing them."""
    from .regress.inventory import prune

    try:
        found = _inventory(directory)
    except SummarizerError as error:
        raise _fail(error) from None
    doomed = [*found.unused, *(s.path for s in found.stale)]
    for path in doomed:
        typer.echo(f"{'would remove' if dry_run else 'removing'} {path}")
    if not dry_run:
        prune(found)
    _say(f"summarizer: {len(doomed)} fixture(s) {'to remove' if dry_run else 'removed'}")


@fixtures_app.command("migrate", epilog="Example:\n\n  summarizer fixtures migrate my-fixtures/")
def fixtures_migrate(directory: _FixtureDir = None) -> None:
    """Rewrite fixture files of the first format (one answer each) in the current one (the
    ordered answers of each request); their keys and answers stay."""
    from .config import resolve_settings
    from .model.fixtures import FixtureStore

    try:
        folder = directory or resolve_settings(fixture_mode="replay").fixtures_dir
        if not folder.is_dir():
            raise UsageError(f"fixture folder {folder} is not a folder")
        rewritten = FixtureStore(folder).migrate()
    except SummarizerError as error:
        raise _fail(error) from None
    _say(f"summarizer: {len(rewritten)} fixture(s) rewritten in {folder}")


def _say(text: str) -> None:
    typer.echo(text, err=True)


# --- comparing two briefings ----------------------------------------------------------------


@app.command(
    "diff",
    epilog="Examples:\n\n"
    "  summarizer diff before.json after.json\n\n"
    "  summarizer diff before.json after.json --json   # the changes as a JSON array",
)
def diff_command(
    old: Annotated[Path, typer.Argument(help="The earlier briefing JSON (object or array).")],
    new: Annotated[Path, typer.Argument(help="The later briefing JSON (object or array).")],
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the changes as a JSON array of {path, kind, old, new}."),
    ] = False,
) -> None:
    """Compare two briefing files field by field: list items are matched by identity (a
    reordering is no change), volatile fields are ignored, and tokens and attempts are shown
    but not counted (rules: summarizer/regress/compare.py). Exit 0 when the same, 1 when
    different, 2 for a missing or non-briefing file."""
    from .output import write_result
    from .regress.compare import changes_json, compare_files, diff_lines, load_briefings

    try:
        results = compare_files(load_briefings(old), load_briefings(new))
        if as_json:
            text = json.dumps(changes_json(results), indent=2, ensure_ascii=False) + "\n"
        else:
            text = "".join(f"{line}\n" for line in diff_lines(results))
        write_result(text, None)
    except SummarizerError as error:
        raise _fail(error) from None
    if any(not comparison.same for _, comparison in results):
        raise typer.Exit(1)
    typer.echo("summarizer: no differences", err=True)


def _log_to_stderr() -> None:
    """Library warnings (a retry after HTTP 429, say) reach the user as one stderr line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("summarizer: %(message)s"))
    logger = logging.getLogger("summarizer")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


def main() -> None:
    """Console entry point: usage errors become one line and exit 2, like every other error."""
    _log_to_stderr()
    try:
        code = app(standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("summarizer: interrupted", err=True)
        sys.exit(130)
    except Exception as error:
        # Typer raises its (vendored) click's UsageError family; match it by shape.
        if getattr(error, "exit_code", None) != 2 or not hasattr(error, "format_message"):
            raise
        ctx = getattr(error, "ctx", None)
        if type(error).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help(), err=True)
        else:
            command = ctx.command_path if ctx is not None else "summarizer"
            message = " ".join(error.format_message().split())
            typer.echo(f"summarizer: error: {message} — see '{command} --help'", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
