"""A dry run: every input read and checked as a real run checks it, and what would be sent,
without a model call (no client is built, so no endpoint is needed).

    plans = plan_articles(read_articles(paths), resolve_settings(), published=None)
    print(render_plans(plans, "json", as_list=len(plans) > 1))

Each :class:`Plan` holds the ``source`` block a briefing would carry (the publisher is the
model's to find, so null), what was read (characters, encoding, estimated tokens), the token
estimate of the whole request as the context check computes it, and the request itself
(model, mode, where it would go, the messages as the prompt set renders them).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .articles import Article
from .config import Settings, redact_url
from .pipeline import (
    ANSWER_RESERVE_TOKENS,
    draft_schema_json,
    estimate_tokens,
    prepare,
    source_block,
)
from .prompts import PromptSet, load_prompts
from .schemas import Source


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArticleRead(_Model):
    """The article as read."""

    characters: int
    encoding: str
    normalized: list[str] = Field(
        default_factory=list, description="What reading normalised (line endings, NFC)."
    )
    estimated_tokens: int = Field(description="About four characters a token.")
    extracted_text: str | None = Field(
        default=None,
        description="For a saved web page: the text extracted from it, exactly as it would be "
        "sent (navigation, scripts and comments left out).",
    )


class TokenEstimate(_Model):
    """The request's size as the context check estimates it (about four characters a token):
    the rendered messages, the draft schema sent with them, and room kept for the answer."""

    messages_tokens: int
    schema_tokens: int
    answer_reserve_tokens: int
    total_tokens: int = Field(description="What is held against context_tokens.")
    context_tokens: int = Field(description="The model's context window (--context-tokens).")


class RequestPlan(_Model):
    """The first request for the article, as it would be made."""

    model: str
    mode: str
    endpoint: str | None = Field(description="The base URL (redacted); null: OpenAI's API.")
    fixture_mode: Literal["replay", "record", "missing", "live"]
    fixtures: str = Field(description="The fixture folder (replay answers from it alone).")
    response_model: str = Field(
        default="BriefingDraft", description="The schema asked for: summarizer schema --draft."
    )
    max_reasks: int
    messages: list[dict[str, str]]


class Plan(_Model):
    """What a run would send for one article, and what was read."""

    source: Source
    article: ArticleRead
    estimate: TokenEstimate
    request: RequestPlan


def plan_article(
    article: Article,
    settings: Settings,
    prompts: PromptSet,
    *,
    published: dt.date | None = None,
    today: dt.date | None = None,
) -> Plan:
    """One article's plan; raises :class:`~summarizer.errors.InputError` when the model's
    context cannot hold it, as a real run does before its first call."""
    prepared = prepare(
        article,
        prompts,
        published=published,
        context_tokens=settings.context_tokens,
        today=today,
    )
    messages_tokens = sum(estimate_tokens(m["content"]) for m in prepared.messages)
    schema_tokens = estimate_tokens(draft_schema_json())
    return Plan(
        source=source_block(prepared),
        article=ArticleRead(
            characters=len(article.text),
            encoding=article.encoding,
            normalized=list(getattr(article, "normalized", ())),
            estimated_tokens=estimate_tokens(article.text),
            extracted_text=article.text if article.extracted_from == "html" else None,
        ),
        estimate=TokenEstimate(
            messages_tokens=messages_tokens,
            schema_tokens=schema_tokens,
            answer_reserve_tokens=ANSWER_RESERVE_TOKENS,
            total_tokens=messages_tokens + schema_tokens + ANSWER_RESERVE_TOKENS,
            context_tokens=settings.context_tokens,
        ),
        request=RequestPlan(
            model=settings.model,
            mode=settings.mode,
            endpoint=redact_url(settings.base_url) if settings.base_url else None,
            fixture_mode=settings.fixture_mode,
            fixtures=str(settings.fixtures_dir),
            max_reasks=settings.max_reasks,
            messages=prepared.messages,
        ),
    )


def plan_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    published: dt.date | None = None,
    prompts: PromptSet | None = None,
) -> list[Plan]:
    """Every article's plan, in input order. Checks what a real run checks before its first
    call (each article against the context window) except the endpoint and the fixture
    folder; makes no model call."""
    prompts = prompts or load_prompts()
    return [plan_article(a, settings, prompts, published=published) for a in articles]


def plan_json(plan: Plan) -> dict[str, object]:
    # A plan has no character offsets, so the source block leaves out what they count in.
    return plan.model_dump(mode="json", exclude={"source": {"offsets_in"}})


def render_plans(plans: Sequence[Plan], fmt: str, *, as_list: bool) -> str:
    """JSON (one object for one article, an array for several, like briefings) or a short
    Markdown note per article, without the messages' text."""
    if fmt == "markdown":
        return "\n---\n\n".join(plan_markdown(p) for p in plans)
    dumped: object = [plan_json(p) for p in plans] if as_list else plan_json(plans[0])
    return json.dumps(dumped, indent=2, ensure_ascii=False) + "\n"


EXCERPT_CHARS = 600


def plan_markdown(plan: Plan) -> str:
    source, read, estimate, request = plan.source, plan.article, plan.estimate, plan.request
    published = str(source.published) if source.published else "unknown"
    if source.published is not None:
        published += f" ({source.published_basis}"
        published += f": {source.published_note})" if source.published_note else ")"
    if request.fixture_mode == "replay":
        answered = f"replayed from fixtures in {request.fixtures} (no model call)"
    else:
        where = request.endpoint or "OpenAI's API"
        answered = f"asked at {where}, fixture mode {request.fixture_mode}"
    sizes = ", ".join(f"{m['role']} {len(m['content']):,}" for m in request.messages)
    lines = [
        f"# Dry run: {source.path or '<stdin>'}",
        "",
        f"- **Title:** {source.title or 'none found'}",
        f"- **Published:** {published}",
        f"- **Read:** {read.characters:,} characters ({read.encoding}), "
        f"about {read.estimated_tokens:,} tokens",
        f"- **Request:** about {estimate.total_tokens:,} of {estimate.context_tokens:,} context "
        f"tokens (messages {estimate.messages_tokens:,} + schema {estimate.schema_tokens:,} + "
        f"answer reserve {estimate.answer_reserve_tokens:,})",
        f"- **Model:** {request.model}, mode {request.mode}; {answered}",
        f"- **Messages (characters):** {sizes}; --format json shows their text",
        "",
    ]
    if read.extracted_text is not None:
        excerpt = read.extracted_text[:EXCERPT_CHARS]
        more = " …" if len(read.extracted_text) > EXCERPT_CHARS else ""
        lines += [
            "**Extracted from HTML** (main text only: navigation, scripts and comments left "
            "out); it begins:",
            "",
            *[f"> {line}" if line else ">" for line in (excerpt + more).splitlines()],
            "",
        ]
    return "\n".join(lines)
