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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .articles import Article, read_article
from .config import Settings
from .errors import SummarizerError, TokenBudgetExhausted, UsageError
from .pipeline import AsyncSummarizer, Summarizer
from .prompts import PromptSet
from .schemas import Briefing, Usage


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


def read_articles(paths: Sequence[str]) -> list[Article]:
    """Read and check every input before anything is paid for (``-`` is stdin, once)."""
    if list(paths).count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    return [read_article(path) for path in paths]


class _Run:
    """The policy of one run, shared by the sync and async drivers."""

    def __init__(self, articles: Sequence[Article], settings: Settings, reporter: Reporter):
        self.articles = list(articles)
        self.reporter = reporter
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
        for issue in validation.issues:
            self.reporter.say(f"summarizer: {label}: dropped {issue.item}: {issue.problem}")
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
) -> RunResult:
    """Brief ``articles`` one after another under the run's policy (see the module doc).

    Raises only for what fails the whole run before any model call (a usage or input error,
    an article over the context window); every later failure is in the result.
    """
    run = _Run(articles, settings, reporter or SilentReporter())
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
) -> RunResult:
    """Async twin of :func:`brief_articles`: up to ``jobs`` articles at once, one shared
    client and token budget; once the budget is spent, no article not yet started starts."""
    if jobs < 1:
        raise UsageError("jobs must be 1 or more")
    run = _Run(articles, settings, reporter or SilentReporter())
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
