"""summarizer: news articles to validated, source-grounded briefings.

The library surface is listed in ``__all__``; the CLI (``summarizer.cli``) is a thin layer on
top. Names load on first use, so ``summarizer --help`` starts without pydantic models, httpx,
openai or instructor; openai and instructor load only when a model call is made.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

_EXPORTS = {
    "Article": "articles",
    "read_article": "articles",
    "Settings": "config",
    "resolve_settings": "config",
    "BriefingValidationError": "errors",
    "FixtureMiss": "errors",
    "InputError": "errors",
    "ModelError": "errors",
    "NoModelConfigured": "errors",
    "SummarizerError": "errors",
    "UsageError": "errors",
    "AsyncSummarizer": "pipeline",
    "Summarizer": "pipeline",
    "asummarize": "pipeline",
    "async_client": "pipeline",
    "briefing_json": "render",
    "render_markdown": "render",
    "RunResult": "runner",
    "Plan": "dryrun",
    "plan_articles": "dryrun",
    "abrief_articles": "runner",
    "brief_articles": "runner",
    "read_articles": "runner",
    "Briefing": "schemas",
    "BriefingDraft": "schemas",
}

__all__ = [
    "Article",
    "AsyncSummarizer",
    "Briefing",
    "BriefingDraft",
    "BriefingValidationError",
    "FixtureMiss",
    "InputError",
    "ModelError",
    "NoModelConfigured",
    "Plan",
    "RunResult",
    "Settings",
    "Summarizer",
    "SummarizerError",
    "UsageError",
    "__version__",
    "abrief_articles",
    "asummarize",
    "async_client",
    "brief_articles",
    "briefing_json",
    "plan_articles",
    "read_article",
    "read_articles",
    "render_markdown",
    "resolve_settings",
]

if TYPE_CHECKING:
    from .articles import Article, read_article
    from .config import Settings, resolve_settings
    from .dryrun import Plan, plan_articles
    from .errors import (
        BriefingValidationError,
        FixtureMiss,
        InputError,
        ModelError,
        NoModelConfigured,
        SummarizerError,
        UsageError,
    )
    from .pipeline import AsyncSummarizer, Summarizer, asummarize, async_client
    from .render import briefing_json, render_markdown
    from .runner import RunResult, abrief_articles, brief_articles, read_articles
    from .schemas import Briefing, BriefingDraft


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
