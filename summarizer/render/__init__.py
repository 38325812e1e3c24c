"""Rendering briefings and notes for people and programs: JSON, Markdown (``markdown.py``),
self-contained HTML (``html.py``) and iCalendar (``ics.py``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal

from ..notes.model import Note
from ..schemas import Briefing
from .markdown import render_markdown

Format = Literal["json", "markdown", "html", "ics"]
FORMATS: tuple[Format, ...] = ("json", "markdown", "html", "ics")

__all__ = [
    "FORMATS",
    "Format",
    "briefing_json",
    "note_json",
    "render_briefings",
    "render_markdown",
    "render_note",
]


def briefing_json(briefing: Briefing) -> str:
    return json.dumps(briefing.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render_briefings(briefings: Sequence[Briefing], fmt: Format, *, as_list: bool) -> str:
    """The text of a run's output: one JSON object for one article, a JSON array for several
    (``as_list``, even when only some were briefed), or Markdown notes one after another."""
    if fmt == "markdown":
        return "\n---\n\n".join(render_markdown(b) for b in briefings)
    if fmt == "html":
        from .html import briefings_html  # lazy: only this format needs it

        return briefings_html(briefings)
    if fmt == "ics":
        from .ics import briefings_calendar  # lazy: icalendar only when asked for

        return briefings_calendar(briefings)
    if not as_list:
        return briefing_json(briefings[0])
    dumped = [b.model_dump(mode="json") for b in briefings]
    return json.dumps(dumped, indent=2, ensure_ascii=False) + "\n"


def note_json(note: Note) -> str:
    return json.dumps(note.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render_note(note: Note, fmt: Format) -> str:
    """The text of a note in one format."""
    if fmt == "markdown":
        from .markdown import note_markdown

        return note_markdown(note)
    if fmt == "html":
        from .html import note_html

        return note_html(note)
    if fmt == "ics":
        from .ics import note_calendar

        return note_calendar(note)
    return note_json(note)
