"""Many articles: the run's failure policy, token budget, strict mode and exit status.

One call briefs a list of articles the way ``summarizer summarize`` does, from Python::

    result = brief_articles(read_articles(paths), resolve_settings(), published=None)
    result.exit_code        # 0, or the worst failure's (1 model, 2 input)
    result.written          # the briefings to write (none when --strict and one failed)

The policy, in order:

- Every input is read and checked (file, size, context window, endpoint, fixture folder)
  before the first model call; a bad one fails the run with nothing paid for.
- One article's failure does not throw away the others' paid work: it is reported, and the
  run goes on. With ``strict``, nothing is written when any article failed.
- When the run's token budget (``max_tokens_per_run``) is spent, no further call is made:
  the briefings finished so far stand, and the articles not briefed are listed.
- The exit status is the worst failure's exit code, 0 when none failed.

:func:`abrief_articles` is the async twin, briefing up to ``jobs`` articles at once over one
client and one budget; results keep the input order.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .articles import Article, read_article
from .config import Settings
from .errors import SummarizerError, TokenBudgetExhausted, UsageError
from .pipeline import AsyncSummarizer, Summarizer
from .prompts import PromptSet
from .schemas import Briefing, Usage, ValidationIssue


class Reporter(Protocol):
    """Where a run says what it is doing (the CLI: stderr, above a progress bar).

    A run of one article does not say why it failed: that is the run's own failure, for the
    caller to report (``RunResult.sole_error``), as a one-article command reports its error
    last."""

    def starting(self, label: str) -> None: ...

    def say(self, text: str) -> None: ...


class SilentReporter:
    """Says nothing: the default for library callers, who read the :class:`RunResult`."""

    def starting(self, label: str) -> None:
        pass

    def say(self, text: str) -> None:
        pass


@dataclass(frozen=True)
class ArticleFailure:
    """One article that was not briefed, and why."""

    label: str
    error: SummarizerError


@dataclass
class RunResult:
    """What a run of many articles produced."""

    total: int
    strict: bool = False
    briefings: list[Briefing] = field(default_factory=list)  # in input order
    failures: list[ArticleFailure] = field(default_factory=list)
    not_briefed: list[str] = field(default_factory=list)  # skipped when the budget ran out
    usage: Usage = field(default_factory=Usage)
    answers: int = 0

    @property
    def exit_code(self) -> int:
        return max((f.error.exit_code for f in self.failures), default=0)

    @property
    def written(self) -> list[Briefing]:
        """The briefings to write: none when ``strict`` and any article failed."""
        return [] if self.failures and self.strict else self.briefings

    @property
    def as_list(self) -> bool:
        """Several articles make a list, even when only one of them was briefed."""
        return self.total > 1

    @property
    def sole_error(self) -> SummarizerError | None:
        """Why a run of one article failed, when it failed other than by the token budget
        (which the run reports itself)."""
        if self.total != 1 or not self.failures:
            return None
        error = self.failures[0].error
        return None if isinstance(error, TokenBudgetExhausted) else error

    def closing_line(self) -> str | None:
        """The one line that sums up a partly failed run, or None."""
        if not self.failures or not self.briefings:
            return None
        missing = self.total - len(self.briefings)
        what = "with --strict nothing was written" if self.strict else "the others were written"
        return f"{missing} of {self.total} article(s) not briefed; {what}"


# --------------------------------------------------------------- what grounding left out

_FLAGGED = "kept, flagged: "
# What an issue is, by the last name in its item's path (indices left out), as (one, many):
# what was dropped, what was kept and flagged (the text supports it, something about it is
# inconsistent), and what was kept under another name.
_DROPPED = {
    "quotes": ("quote not in the article", "quotes not in the article"),
    "support": ("cited passage not in the article", "cited passages not in the article"),
    "text": (
        "summary sentence the article does not support",
        "summary sentences the article does not support",
    ),
    "headline": (
        "headline the article does not support",
        "headlines the article does not support",
    ),
    "publisher": ("publisher not named in the article", "publishers not named in the article"),
    "parties": ("party not named in the article", "parties not named in the article"),
    "aliases": ("alias not in the article", "aliases not in the article"),
    "speakers": ("speaker not named in the article", "speakers not named in the article"),
    "speaker": ("speaker not named in the article", "speakers not named in the article"),
    "participants": (
        "participant not named in the article",
        "participants not named in the article",
    ),
    "place": ("place not stated in the article", "places not stated in the article"),
    "date_text": ("date not written in the article", "dates not written in the article"),
    "date_relative_to": (
        "date anchor naming no other meeting",
        "date anchors naming no other meeting",
    ),
}
_SHORT = ("quote too short to show anything", "quotes too short to show anything")
_KEPT_FLAGGED = {
    "date_text": (
        "weekday that disagrees with its date",
        "weekdays that disagree with their dates",
    ),
    "support": (
        "summary sentence with words its cited passages lack",
        "summary sentences with words their cited passages lack",
    ),
    "text": (
        "summary sentence negating what its cited passages do not",
        "summary sentences negating what their cited passages do not",
    ),
}
_RENAMED = {"id": ("duplicate meeting id", "duplicate meeting ids")}


def _names(item: str) -> list[str]:
    names = re.findall(r"[A-Za-z_]+", item)
    if names[-2:-1] == ["place"]:  # place.city, place.country, place.venue
        return names[:-1]
    if names[-1:] == ["name"] and len(names) > 1:  # parties[0].name, speakers[1].name
        return names[:-1]
    return names


def classify_issue(issue: ValidationIssue) -> tuple[str, tuple[str, str]]:
    """What became of an item grounding found unsupported (``dropped``, ``flagged`` or
    ``renamed``) and the kind of problem, as a phrase for one and for many."""
    names = _names(issue.item) or [issue.item]
    last = names[-1]
    if issue.problem.startswith(_FLAGGED):
        kind = _KEPT_FLAGGED.get(last, (f"{last} item", f"{last} items"))
        return "flagged", kind
    if last in _RENAMED:
        return "renamed", _RENAMED[last]
    if last in ("quotes", "support") and "too short" in issue.problem:
        return "dropped", _SHORT
    return "dropped", _DROPPED.get(last, (f"{last} item", f"{last} items"))


def _counted(kinds: Counter[tuple[str, str]]) -> str:
    return ", ".join(f"{n} {one if n == 1 else many}" for (one, many), n in kinds.items())


def issue_lines(issues: Sequence[ValidationIssue], *, verbose: bool = False) -> list[str]:
    """What grounding left out of a briefing, for stderr: one line counting the items dropped
    and kept flagged, by kind of problem, e.g. ``dropped 3 item(s) the article does not
    support: 2 quotes not in the article, 1 place not stated in the article; kept 1 flagged:
    1 weekday that disagrees with its date``; with ``verbose``, a line per item after it."""
    by_action: dict[str, Counter[tuple[str, str]]] = {}
    details = []
    for issue in issues:
        action, kind = classify_issue(issue)
        by_action.setdefault(action, Counter())[kind] += 1
        problem = issue.problem.removeprefix(_FLAGGED)
        details.append(f"{action} {issue.item}: {problem}")
    clauses = []
    if "dropped" in by_action:
        kinds = by_action["dropped"]
        clauses.append(
            f"dropped {kinds.total()} item(s) the article does not support: {_counted(kinds)}"
        )
    if "flagged" in by_action:
        kinds = by_action["flagged"]
        clauses.append(f"kept {kinds.total()} flagged: {_counted(kinds)}")
    if "renamed" in by_action:
        clauses.append(f"kept under a new id: {_counted(by_action['renamed'])}")
    if not clauses:
        return []
    return ["; ".join(clauses), *(details if verbose else [])]


def read_articles(paths: Sequence[str]) -> list[Article]:
    """Read and check every input before anything is paid for (``-`` is stdin, once)."""
    if list(paths).count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    return [read_article(path) for path in paths]


class _Run:
    """The policy of one run, shared by the sync and async drivers."""

    def __init__(
        self,
        articles: Sequence[Article],
        settings: Settings,
        reporter: Reporter,
        verbose: bool = False,
    ):
        self.articles = list(articles)
        self.reporter = reporter
        self.verbose = verbose
        self.result = RunResult(total=len(self.articles), strict=settings.strict)
        self.done: dict[int, Briefing] = {}
        self.failed_at: dict[int, SummarizerError] = {}
        self.stopped = False

    def succeeded(self, index: int, briefing: Briefing) -> None:
        label = self.articles[index].label
        if briefing.provenance.origin == "authored":
            self.reporter.say(
                f"summarizer: note: {label}: replayed an authored fixture "
                "(an answer written by hand, not by a model)"
            )
        validation = briefing.provenance.validation
        if validation.fixed_by_reask:
            self.reporter.say(
                f"summarizer: {label}: re-asks fixed {validation.fixed_by_reask} item(s)"
            )
        for line in issue_lines(validation.issues, verbose=self.verbose):
            self.reporter.say(f"summarizer: {label}: {line}")
        self.done[index] = briefing

    def failed(self, index: int, error: SummarizerError) -> None:
        label = self.articles[index].label
        if isinstance(error, TokenBudgetExhausted):
            if not self.stopped:
                self.reporter.say(f"summarizer: stopped: {error.hint_line()}")
            self.stopped = True
        elif len(self.articles) > 1:
            line = error.hint_line()
            if not line.startswith(label):
                line = f"{label}: {line}"
            self.reporter.say(f"summarizer: error: {line}")
        self.failed_at[index] = error

    def finish(self, summarizer: Summarizer | AsyncSummarizer) -> RunResult:
        result = self.result
        result.briefings = [self.done[i] for i in sorted(self.done)]
        result.failures = [
            ArticleFailure(self.articles[i].label, self.failed_at[i])
            for i in sorted(self.failed_at)
        ]
        result.not_briefed = [
            article.label
            for i, article in enumerate(self.articles)
            if isinstance(self.failed_at.get(i), TokenBudgetExhausted)
            or (i not in self.done and i not in self.failed_at)
        ]
        if self.stopped:
            self.reporter.say(f"summarizer: not briefed: {', '.join(result.not_briefed)}")
        result.usage, result.answers = summarizer.usage, summarizer.answers
        return result


def brief_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    published: dt.date | None = None,
    prompts: PromptSet | None = None,
    reporter: Reporter | None = None,
    verbose: bool = False,
) -> RunResult:
    """Brief ``articles`` one after another under the run's policy (see the module doc).

    Raises only for what fails the whole run before any model call (a usage or input error,
    an article over the context window); every later failure is in the result. The reporter
    hears one line per article on the items grounding dropped or flagged (see
    :func:`issue_lines`), and with ``verbose`` each item as well.
    """
    run = _Run(articles, settings, reporter or SilentReporter(), verbose)
    summarizer = Summarizer(settings, prompts=prompts)
    summarizer.preflight(run.articles)
    with summarizer:
        for index, article in enumerate(run.articles):
            if run.stopped:
                break
            run.reporter.starting(article.label)
            try:
                briefing = summarizer.summarize(article, published=published)
            except SummarizerError as error:
                run.failed(index, error)
                continue
            run.succeeded(index, briefing)
    return run.finish(summarizer)


async def abrief_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    published: dt.date | None = None,
    prompts: PromptSet | None = None,
    reporter: Reporter | None = None,
    jobs: int = 4,
    verbose: bool = False,
) -> RunResult:
    """Async twin of :func:`brief_articles`: up to ``jobs`` articles at once, one shared
    client and token budget; once the budget is spent, no article not yet started starts."""
    if jobs < 1:
        raise UsageError("jobs must be 1 or more")
    run = _Run(articles, settings, reporter or SilentReporter(), verbose)
    summarizer = AsyncSummarizer(settings, prompts=prompts)
    summarizer.preflight(run.articles)
    slots = asyncio.Semaphore(jobs)

    async def one(index: int, article: Article) -> None:
        async with slots:
            if run.stopped:
                return
            run.reporter.starting(article.label)
            try:
                briefing = await summarizer.summarize(article, published=published)
            except SummarizerError as error:
                run.failed(index, error)
                return
            run.succeeded(index, briefing)

    async with summarizer:
        await asyncio.gather(*(one(i, a) for i, a in enumerate(run.articles)))
    return run.finish(summarizer)
