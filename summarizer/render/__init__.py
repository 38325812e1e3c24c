"""Rendering briefings for people and programs: JSON, and Markdown (``markdown.py``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from ..schemas import Briefing
from .markdown import render_markdown

Format = Literal["json", "markdown"]
FORMATS: tuple[Format, ...] = ("json", "markdown")

__all__ = ["FORMATS", "Format", "briefing_json", "render_briefings", "render_markdown"]


def briefing_json(briefing: Briefing) -> str:
    return json.dumps(briefing.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render_briefings(briefings: Sequence[Briefing], fmt: Format, *, as_list: bool) -> str:
    """The text of a run's output: one JSON object for one article, a JSON array for several
    (``as_list``, even when only some were briefed), or Markdown notes one after another."""
    if fmt == "markdown":
        return "\n---\n\n".join(render_markdown(b) for b in briefings)
    if not as_list:
        return briefing_json(briefings[0])
    dumped = [b.model_dump(mode="json") for b in briefings]
    return json.dumps(dumped, indent=2, ensure_ascii=False) + "\n"
