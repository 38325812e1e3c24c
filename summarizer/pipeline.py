"""One article → one briefing: prepare the request, ask the model, ground and date its answer.

    prepare (prompt, publication date, context check)
      → ask (instructor re-asks until the draft is grounded, or the budget is spent)
      → build_briefing (prune what still fails, offsets, dates, provenance)

``prepare`` and ``build_briefing`` are pure; only the model call differs between
:class:`Summarizer` and its async twin :class:`AsyncSummarizer`. Many articles, with the failure
policy and the token budget, are the runner's (``summarizer.runner``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

from ._version import __version__
from .articles import Article, read_article
from .config import Settings, is_packaged
from .dates import infer_publication_date, resolve_meeting_dates, status_flags
from .errors import BriefingValidationError, InputError, SummarizerError, UsageError
from .grounding.check import (
    FATAL_KINDS,
    FLAGGED_KINDS,
    GroundedDraft,
    GroundingFailure,
    GroundingSession,
    prune,
    validation_report,
)
from .grounding.match import NormalizedText, locate_quote
from .model.client import AsyncBriefingClient, BriefingClient, ModelAnswer, check_endpoint
from .model.fixtures import Describer, ExchangeTrace, default_facets, short_hash
from .prompts import PromptSet, load_prompts
from .schemas import (
    SCHEMA_VERSION,
    Briefing,
    BriefingDraft,
    CitedSentence,
    Claim,
    Evidence,
    Meeting,
    MeetingDate,
    Party,
    Provenance,
    PublishedBasis,
    Source,
    Summary,
    SupportedSentence,
    Usage,
)


@functools.cache
def draft_schema_json() -> str:
    """The draft's JSON Schema, built once: pydantic takes milliseconds to build it."""
    return json.dumps(BriefingDraft.model_json_schema(), sort_keys=True)


def draft_schema_hash() -> str:
    return short_hash(json.loads(draft_schema_json()))


def make_describer(prompts: PromptSet, mode: str) -> Describer:
    """Facets of a request, so a replay miss can say *what* changed."""
    schema = draft_schema_hash()

    def describe(body: dict[str, Any]) -> dict[str, str]:
        facets = default_facets(body)
        messages = body.get("messages") or []
        article = None
        for message in messages:
            content = message.get("content") if isinstance(message, dict) else None
            if isinstance(content, str):
                article = prompts.extract_article(content)
                if article is not None:
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
    schema = estimate_tokens(draft_schema_json())
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
    elif article.metadata_date is not None:
        when, basis = article.metadata_date, "metadata"
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


@dataclass
class Drafted:
    """The model's grounded draft of one article, with the call and the grounding rounds."""

    answer: ModelAnswer
    session: GroundingSession

    @property
    def draft(self) -> BriefingDraft:
        value = self.answer.value
        assert isinstance(value, BriefingDraft)
        return value

    @property
    def attempts(self) -> int:
        return self.session.attempt

    @property
    def trace(self) -> ExchangeTrace:
        return self.answer.trace


def _checkable(prepared: Prepared) -> dt.date | None:
    """The publication date to check weekdays against: only one the model could be wrong
    against (given or from a dateline); an inferred one came from those very weekdays."""
    return prepared.published if prepared.published_basis in ("given", "article") else None


def _session(client: BriefingClient | AsyncBriefingClient, prepared: Prepared) -> GroundingSession:
    return GroundingSession(
        NormalizedText(prepared.article.text),
        max_attempts=client.settings.max_reasks + 1,
        published=_checkable(prepared),
    )


def request_draft(client: BriefingClient, prepared: Prepared) -> Drafted:
    """Ask for a draft of the prepared article; re-ask (bounded) until it is grounded. With a
    given or dateline publication date, stated weekdays are checked against their dates."""
    session = _session(client, prepared)
    with session.active():
        answer = client.ask(prepared.messages, GroundedDraft, before_attempt=session.next_attempt)
    return Drafted(answer, session)


async def arequest_draft(client: AsyncBriefingClient, prepared: Prepared) -> Drafted:
    """Async twin of :func:`request_draft`."""
    session = _session(client, prepared)
    with session.active():
        answer = await client.ask(
            prepared.messages, GroundedDraft, before_attempt=session.next_attempt
        )
    return Drafted(answer, session)


def _refuse_the_wrong_story(
    article: Article, drafted: Drafted, kept: BriefingDraft, settings: Settings
) -> None:
    """No briefing when its summary is not this article's: the headline fails, or no key
    point survives the re-asks."""
    failing = [f for f in drafted.session.unsupported if f.kind in FATAL_KINDS]
    if failing:
        why = failing[0].problem
    elif not kept.summary.key_points:
        why = "no key point of the summary is supported by the article"
    else:
        return
    raise BriefingValidationError(
        f"{article.label}: the summary does not match the article after "
        f"{drafted.attempts} attempt(s): {why}",
        model=settings.model,
        attempts=drafted.attempts,
        last_output=drafted.draft,
        hint="check that the file holds the article meant; else raise --max-reasks or try "
        "a stronger model",
    )


def _summary_flags(remaining: list[GroundingFailure]) -> dict[tuple[str, str], list[str]]:
    """Why each kept summary sentence is suspect, by part and the sentence's own text (its
    position moves when an earlier sentence is dropped)."""
    flags: dict[tuple[str, str], list[str]] = {}
    for failure in remaining:
        if failure.kind in FLAGGED_KINDS and failure.path[0] == "summary":
            flags.setdefault((str(failure.path[1]), failure.value), []).append(failure.problem)
    return flags


def _cited(
    sentences: list[SupportedSentence],
    part: str,
    source: NormalizedText,
    flags: dict[tuple[str, str], list[str]],
) -> list[CitedSentence]:
    return [
        CitedSentence(
            text=sentence.text,
            evidence=_evidence(sentence.support, source),
            flags=flags.get((part, sentence.text), []),
        )
        for sentence in sentences
    ]


def source_block(prepared: Prepared, *, publisher: str | None = None) -> Source:
    """The briefing's ``source``: what was read, and where its publication date came from."""
    article = prepared.article
    return Source(
        title=article.title,
        publisher=publisher,
        published=prepared.published,
        published_basis=prepared.published_basis,
        published_note=prepared.published_note,
        path=article.path,
        extracted_from="html" if article.extracted_from == "html" else None,
        sha256=article.sha256,
        characters=len(article.text),
        offsets_in=_offsets_in(article),
    )


def _offsets_in(article: Article) -> str:
    changed = getattr(article, "normalized", ())
    if article.extracted_from == "html":
        extracted = (
            "the text extracted from the HTML page (its title, a blank line, then the main "
            "text's paragraphs separated by blank lines)"
        )
        return f"{extracted}, normalised: {', '.join(changed)}" if changed else extracted
    if not changed:
        return "the article text as read"
    return f"the article text as read, normalised: {', '.join(changed)}"


def build_briefing(
    prepared: Prepared,
    drafted: Drafted,
    *,
    settings: Settings,
    template_hash: str,
) -> Briefing:
    """Combine the model's draft with what code computes: offsets, dates, provenance."""
    article = prepared.article
    answer = drafted.answer
    remaining = drafted.session.unsupported
    draft = prune(drafted.draft, remaining)
    _refuse_the_wrong_story(article, drafted, draft, settings)
    if remaining and settings.strict:
        raise BriefingValidationError(
            f"{article.label}: {len(remaining)} item(s) still unsupported by the article after "
            f"{drafted.attempts} attempt(s), e.g. {remaining[0].describe()}",
            model=settings.model,
            attempts=drafted.attempts,
            last_output=drafted.draft,
            hint="drop --strict to keep the verified part, or raise --max-reasks",
        )
    reask_tokens = sum(u["total_tokens"] for u in answer.trace.usages[1:])
    report = validation_report(drafted.session, drafted.draft, reask_tokens=reask_tokens)
    source_text = drafted.session.source  # the article, as grounding normalized it
    flags = _summary_flags(drafted.session.remaining)

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
        source=source_block(prepared, publisher=draft.publisher),
        summary=Summary(
            headline=draft.summary.headline,
            lede=" ".join(s.text for s in draft.summary.lede),
            lede_sentences=_cited(draft.summary.lede, "lede", source_text, flags),
            key_points=_cited(draft.summary.key_points, "key_points", source_text, flags),
        ),
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
            attempts=drafted.attempts,
            usage=usage,
            validation=report,
        ),
    )


def client_options(settings: Settings, prompts: PromptSet) -> dict[str, Any]:
    """What a model client needs from the prompts: how to explain a fixture miss, and the
    metadata every recorded fixture carries."""
    return {
        "describe": make_describer(prompts, settings.mode),
        "extra_meta": {"template_hash": prompts.hash, "schema_version": SCHEMA_VERSION},
    }


class _SummarizerBase:
    """What the sync and async summarizers share: settings, prompts, checks and the run's
    count of tokens and answers (failed attempts and failed articles included)."""

    def __init__(self, settings: Settings, *, prompts: PromptSet | None = None) -> None:
        self.settings = settings
        self.prompts = prompts or load_prompts()
        self.usage = Usage()
        self.answers = 0

    def _client_options(self) -> dict[str, Any]:
        return client_options(self.settings, self.prompts)

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

    def _prepare(self, article: Article, published: dt.date | None) -> Prepared:
        return prepare(
            article, self.prompts, published=published, context_tokens=self.settings.context_tokens
        )

    def _failed(self, error: SummarizerError) -> None:
        self._count(Usage(**error.usage) if error.usage else Usage(), error.attempts)

    def _build(self, prepared: Prepared, drafted: Drafted) -> Briefing:
        trace = drafted.answer.trace
        self._count(Usage(**trace.usage_totals()), len(trace.origins))
        return build_briefing(
            prepared, drafted, settings=self.settings, template_hash=self.prompts.hash
        )

    def _count(self, usage: Usage, answers: int) -> None:
        self.usage = self.usage.add(usage)
        self.answers += answers


class Summarizer(_SummarizerBase):
    """Brief articles one at a time with one client and one prompt set.

    >>> with Summarizer(resolve_settings()) as s:          # doctest: +SKIP
    ...     briefing = s.summarize_path("seeds/000_7309d1c88b1de532.txt")
    """

    def __init__(self, settings: Settings, *, prompts: PromptSet | None = None) -> None:
        super().__init__(settings, prompts=prompts)
        self._client: BriefingClient | None = None

    @property
    def client(self) -> BriefingClient:
        if self._client is None:
            self._client = BriefingClient(self.settings, **self._client_options())
        return self._client

    def summarize(self, article: Article, *, published: dt.date | None = None) -> Briefing:
        prepared = self._prepare(article, published)
        try:
            drafted = request_draft(self.client, prepared)
        except SummarizerError as error:
            self._failed(error)
            raise
        return self._build(prepared, drafted)

    def summarize_path(self, path: str, *, published: dt.date | None = None) -> Briefing:
        return self.summarize(read_article(path), published=published)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncSummarizer(_SummarizerBase):
    """Async twin of :class:`Summarizer`: many articles may be briefed concurrently, sharing
    one client, one token budget and one usage count.

    >>> async with AsyncSummarizer(resolve_settings()) as s:   # doctest: +SKIP
    ...     briefings = await asyncio.gather(*(s.summarize(a) for a in articles))
    """

    def __init__(self, settings: Settings, *, prompts: PromptSet | None = None) -> None:
        super().__init__(settings, prompts=prompts)
        self._client: AsyncBriefingClient | None = None

    @property
    def client(self) -> AsyncBriefingClient:
        if self._client is None:
            self._client = AsyncBriefingClient(self.settings, **self._client_options())
        return self._client

    async def summarize(self, article: Article, *, published: dt.date | None = None) -> Briefing:
        prepared = self._prepare(article, published)
        try:
            drafted = await arequest_draft(self.client, prepared)
        except SummarizerError as error:
            self._failed(error)
            raise
        return self._build(prepared, drafted)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> AsyncSummarizer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def async_client(settings: Settings, prompts: PromptSet) -> AsyncBriefingClient:
    """An async model client for :func:`asummarize` (kept from earlier releases; prefer
    :class:`AsyncSummarizer`, which also counts the run's usage)."""
    return AsyncBriefingClient(settings, **client_options(settings, prompts))


async def asummarize(
    article: Article,
    client: AsyncBriefingClient,
    prompts: PromptSet,
    *,
    published: dt.date | None = None,
) -> Briefing:
    """Brief one article with a client from :func:`async_client` (kept from earlier
    releases; prefer :class:`AsyncSummarizer`)."""
    prepared = prepare(
        article, prompts, published=published, context_tokens=client.settings.context_tokens
    )
    drafted = await arequest_draft(client, prepared)
    return build_briefing(prepared, drafted, settings=client.settings, template_hash=prompts.hash)
