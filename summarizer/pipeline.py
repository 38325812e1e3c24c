"""Article → briefing: render the prompt, ask the model, then ground and date its answer.

The steps are separate so a batch runner can drive many articles concurrently: ``prepare``
and ``build_briefing`` are pure; only the model call differs between sync and async.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from . import __version__
from .articles import Article, read_article
from .client import AsyncBriefingClient, BriefingClient, ModelAnswer, check_endpoint
from .config import Settings, is_packaged
from .dates import infer_publication_date, resolve_meeting_dates, status_flags
from .errors import BriefingValidationError, InputError, SummarizerError, UsageError
from .fixtures import Describer, default_facets, short_hash
from .grounding import FLAGGED_KINDS, NormalizedText, count_checks, locate_quote, prune
from .prompts import PromptSet, load_prompts
from .schemas import (
    SCHEMA_VERSION,
    Briefing,
    BriefingDraft,
    Claim,
    Evidence,
    Meeting,
    MeetingDate,
    Party,
    Provenance,
    PublishedBasis,
    Source,
    Usage,
    ValidationIssue,
    ValidationReport,
    ValidationRound,
)


def draft_schema_hash() -> str:
    return short_hash(BriefingDraft.model_json_schema())


def make_describer(prompts: PromptSet, mode: str) -> Describer:
    """Facets of a request, so a replay miss can say *what* changed."""
    before, after = prompts.article_frame()
    schema = draft_schema_hash()

    def describe(body: dict[str, Any]) -> dict[str, str]:
        facets = default_facets(body)
        messages = body.get("messages") or []
        article = None
        for message in messages:
            content = message.get("content") if isinstance(message, dict) else None
            if isinstance(content, str) and content.startswith(before):
                end = content.rfind(after)
                if end >= len(before):
                    article = content[len(before) : end]
                    break
        facets.update(
            {
                "mode": mode,
                "template": prompts.hash,
                "schema": schema,
                "article": short_hash(article) if article is not None else "unknown",
                "conversation": f"{len(messages)} messages",
            }
        )
        return facets

    return describe


@dataclass(frozen=True)
class Prepared:
    """Everything needed to ask the model about one article."""

    article: Article
    messages: list[dict[str, str]]
    published: dt.date | None
    published_basis: PublishedBasis
    published_note: str | None = None


# A rough count (about four characters a token for English prose): exact tokenizers differ by
# model and some download their tables at run time, which this tool must not do.
CHARS_PER_TOKEN = 4
ANSWER_RESERVE_TOKENS = 4_096


def estimate_tokens(text: str) -> int:
    return len(text) // CHARS_PER_TOKEN + 1


def check_context(article: Article, messages: list[dict[str, str]], context_tokens: int) -> None:
    """Refuse, before paying for a call, an article the model's context cannot hold."""
    prompt = sum(estimate_tokens(m["content"]) for m in messages)
    schema = estimate_tokens(json.dumps(BriefingDraft.model_json_schema()))
    needed = prompt + schema + ANSWER_RESERVE_TOKENS
    if needed > context_tokens:
        raise InputError(
            f"{article.label}: the article is about {estimate_tokens(article.text):,} tokens; with "
            f"the prompt and room for the answer that is about {needed:,}, over the model's "
            f"context of {context_tokens:,} tokens",
            path=article.path,
            hint="split the article, or raise --context-tokens if the model takes more",
        )


def prepare(
    article: Article,
    prompts: PromptSet,
    *,
    published: dt.date | None = None,
    context_tokens: int | None = None,
    today: dt.date | None = None,
) -> Prepared:
    messages = prompts.render(article.text)
    if context_tokens is not None:
        check_context(article, messages, context_tokens)
    note = None
    if published is not None:
        when, basis = published, "given"
    elif article.dateline is not None:
        when, basis = article.dateline, "article"
    else:
        inferred = infer_publication_date(article.text, today=today or dt.date.today())
        if inferred is not None:
            when, basis, note = inferred.date, "inferred", inferred.reason
        else:
            when, basis = None, "unknown"
    return Prepared(
        article=article,
        messages=messages,
        published=when,
        published_basis=basis,  # type: ignore[arg-type]
        published_note=note,
    )


def _evidence(quotes: list[str], source: NormalizedText) -> list[Evidence]:
    found: list[Evidence] = []
    for quote in quotes:
        span = locate_quote(quote, source)
        if span is None:  # pruned drafts hold only found quotes; kept for library callers
            found.append(Evidence(quote=quote, verified=False))
        else:
            found.append(Evidence(quote=quote, start=span.start, end=span.end, verified=True))
    return found


def validation_report(answer: ModelAnswer, draft: BriefingDraft) -> ValidationReport:
    """Summarise the grounding rounds: what failed first, what re-asks fixed, what was dropped."""
    rounds = answer.session.rounds
    first_failures = rounds[0][1] if rounds else []
    remaining = answer.session.remaining
    # Matched item by item: a first-round failure is fixed when nothing of its kind fails at
    # the same place in the kept answer (a new failure elsewhere does not cancel a fix).
    still_failing = {(f.path, f.kind) for f in remaining}
    fixed = sum(1 for f in first_failures if (f.path, f.kind) not in still_failing)
    return ValidationReport(
        checked=count_checks(draft),
        failed=len(first_failures),
        fixed_by_reask=fixed,
        dropped=len(answer.session.unsupported),
        attempts=answer.attempts,
        reask_tokens=sum(u["total_tokens"] for u in answer.trace.usages[1:]),
        issues=[
            ValidationIssue(
                item=f.where,
                problem=f.problem if f.kind not in FLAGGED_KINDS else f"kept, flagged: {f.problem}",
            )
            for f in remaining
        ],
        rounds=[
            ValidationRound(
                attempt=attempt, failed=len(failures), problems=[f.describe() for f in failures]
            )
            for attempt, failures in rounds
        ],
    )


def build_briefing(
    prepared: Prepared,
    answer: ModelAnswer,
    *,
    settings: Settings,
    template_hash: str,
) -> Briefing:
    """Combine the model's draft with what code computes: offsets, dates, provenance."""
    assert answer.draft is not None
    article = prepared.article
    remaining = answer.session.unsupported
    if remaining and settings.strict:
        raise BriefingValidationError(
            f"{article.label}: {len(remaining)} item(s) still unsupported by the article after "
            f"{answer.attempts} attempt(s), e.g. {remaining[0].describe()}",
            model=settings.model,
            attempts=answer.attempts,
            last_output=answer.draft,
            hint="drop --strict to keep the verified part, or raise --max-reasks",
        )
    report = validation_report(answer, answer.draft)
    draft = prune(answer.draft, remaining)
    source_text = NormalizedText(article.text)

    parties = []
    for party in draft.parties:
        claims = [
            Claim(
                act=claim.act,
                issue=claim.issue,
                position=claim.position,
                delivery=claim.delivery,
                speaker=claim.speaker,
                evidence=_evidence(claim.quotes, source_text),
            )
            for claim in party.claims
        ]
        parties.append(
            Party(name=party.name, aliases=party.aliases, speakers=party.speakers, claims=claims)
        )

    dates = resolve_meeting_dates(draft, prepared.published, source_text)
    meetings = []
    for meeting in draft.meetings:
        computed = dates.get(meeting.id)
        date = None
        if meeting.date_text is not None:
            date = MeetingDate(
                text=meeting.date_text,
                relative_to=meeting.date_relative_to,
                value=computed.value if computed else None,
                precision=computed.precision if computed else "unknown",
                mod=computed.mod if computed else None,
                derivation=computed.derivation if computed else "no date found in the expression",
                flags=[
                    *(computed.flags if computed else ()),
                    *status_flags(meeting.status, computed, prepared.published),
                ],
            )
        meetings.append(
            Meeting(
                id=meeting.id,
                name=meeting.name,
                kind=meeting.kind,
                status=meeting.status,
                date=date,
                duration=meeting.duration,
                place=meeting.place,
                participants=meeting.participants,
                forum=meeting.forum,
                evidence=_evidence(meeting.quotes, source_text),
            )
        )
    meetings.sort(key=lambda m: (m.date.value if m.date and m.date.value else "9999", m.id))

    usage = Usage(**answer.trace.usage_totals())
    return Briefing(
        schema_version=SCHEMA_VERSION,
        source=Source(
            title=article.title,
            publisher=draft.publisher,
            published=prepared.published,
            published_basis=prepared.published_basis,
            published_note=prepared.published_note,
            path=article.path,
            sha256=article.sha256,
            characters=len(article.text),
        ),
        summary=draft.summary,
        parties=parties,
        meetings=meetings,
        provenance=Provenance(
            model=settings.model,
            answered_by=answer.trace.answered_by,
            mode=settings.mode,
            origin=answer.trace.origin,  # type: ignore[arg-type]
            fixtures=[key[:20] for key in answer.trace.keys],
            template_hash=template_hash,
            schema_version=SCHEMA_VERSION,
            summarizer_version=__version__,
            attempts=answer.attempts,
            usage=usage,
            validation=report,
        ),
    )


def _checkable(prepared: Prepared) -> dt.date | None:
    """The publication date to check weekdays against: only one the model could be wrong
    against (given or from a dateline); an inferred one came from those very weekdays."""
    return prepared.published if prepared.published_basis in ("given", "article") else None


class Summarizer:
    """Brief articles with one client and one prompt set; the library's main entry point.

    >>> with Summarizer(resolve_settings()) as s:          # doctest: +SKIP
    ...     briefing = s.summarize_path("seeds/000_7309d1c88b1de532.txt")
    """

    def __init__(self, settings: Settings, *, prompts: PromptSet | None = None) -> None:
        self.settings = settings
        self.prompts = prompts or load_prompts()
        self._client: BriefingClient | None = None
        self.usage = Usage()  # this run's tokens, failed attempts and failed articles included
        self.answers = 0

    def _meta(self) -> dict[str, Any]:
        return {"template_hash": self.prompts.hash, "schema_version": SCHEMA_VERSION}

    @property
    def client(self) -> BriefingClient:
        if self._client is None:
            self._client = BriefingClient(
                self.settings,
                describe=make_describer(self.prompts, self.settings.mode),
                extra_meta=self._meta(),
            )
        return self._client

    def preflight(self, articles: list[Article]) -> None:
        """Everything that can fail before a call is paid for: the endpoint, the fixture
        folder, and each article against the model's context."""
        check_endpoint(self.settings)
        folder = self.settings.fixtures_dir
        if self.settings.fixture_mode in ("record", "missing") and is_packaged(folder):
            raise UsageError(
                f"fixture mode {self.settings.fixture_mode!r} would write into the installed "
                f"package ({folder})",
                hint="pass --fixtures DIR to record into a folder of your own",
            )
        if self.settings.fixture_mode in ("record", "missing") and (
            folder.exists() and not folder.is_dir()
        ):
            raise UsageError(
                f"--fixtures {folder}: not a folder", hint="name a folder to record into"
            )
        for article in articles:
            check_context(article, self.prompts.render(article.text), self.settings.context_tokens)

    def summarize(self, article: Article, *, published: dt.date | None = None) -> Briefing:
        prepared = prepare(
            article,
            self.prompts,
            published=published,
            context_tokens=self.settings.context_tokens,
        )
        try:
            answer = self.client.request_draft(
                prepared.messages, article.text, _checkable(prepared)
            )
        except SummarizerError as error:
            self._count(Usage(**error.usage) if error.usage else Usage(), error.attempts)
            raise
        self._count(Usage(**answer.trace.usage_totals()), len(answer.trace.origins))
        return build_briefing(
            prepared, answer, settings=self.settings, template_hash=self.prompts.hash
        )

    def _count(self, usage: Usage, answers: int) -> None:
        self.usage = self.usage.add(usage)
        self.answers += answers

    def summarize_path(self, path: str, *, published: dt.date | None = None) -> Briefing:
        return self.summarize(read_article(path), published=published)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def asummarize(
    article: Article,
    client: AsyncBriefingClient,
    prompts: PromptSet,
    *,
    published: dt.date | None = None,
) -> Briefing:
    """Async twin of :meth:`Summarizer.summarize` for concurrent batch runs."""
    prepared = prepare(
        article, prompts, published=published, context_tokens=client.settings.context_tokens
    )
    answer = await client.request_draft(prepared.messages, article.text, _checkable(prepared))
    return build_briefing(prepared, answer, settings=client.settings, template_hash=prompts.hash)


def async_client(settings: Settings, prompts: PromptSet) -> AsyncBriefingClient:
    return AsyncBriefingClient(
        settings,
        describe=make_describer(prompts, settings.mode),
        extra_meta={"template_hash": prompts.hash, "schema_version": SCHEMA_VERSION},
    )


def briefing_json(briefing: Briefing) -> str:
    return json.dumps(briefing.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
