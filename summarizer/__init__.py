"""summarizer: news articles to validated, source-grounded briefings.

The library surface is listed in ``__all__``; the CLI (``summarizer.cli``) is a thin layer on
top. openai and instructor are imported only when a model call is made.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .articles import Article, read_article
from .config import Settings, resolve_settings
from .errors import (
    BriefingValidationError,
    FixtureMiss,
    InputError,
    ModelError,
    NoModelConfigured,
    SummarizerError,
    UsageError,
)
from .pipeline import Summarizer, asummarize, async_client, briefing_json
from .render import render_markdown
from .schemas import Briefing, BriefingDraft

__all__ = [
    "Article",
    "Briefing",
    "BriefingDraft",
    "BriefingValidationError",
    "FixtureMiss",
    "InputError",
    "ModelError",
    "NoModelConfigured",
    "Settings",
    "Summarizer",
    "SummarizerError",
    "UsageError",
    "__version__",
    "asummarize",
    "async_client",
    "briefing_json",
    "read_article",
    "render_markdown",
    "resolve_settings",
]
