"""Articles to a note: each briefed (or replayed) exactly as ``summarize`` does, under the same
many-article policy, then merged by code (:func:`summarizer.notes.merge.build_note`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..articles import Article
from ..config import Settings
from ..errors import UsageError
from ..runner import Reporter, RunResult, brief_articles
from .merge import build_note
from .model import NOTE_SCHEMA_VERSION, Note


@dataclass
class NoteResult:
    """The run that briefed the articles, and the note made of what it briefed (None when
    nothing was briefed, or strict mode suppressed the output)."""

    run: RunResult
    note: Note | None

    @property
    def exit_code(self) -> int:
        return self.run.exit_code


def load_note(path: Path) -> Note:
    """A note written earlier (``note -f json``), e.g. to carry calendar SEQUENCE numbers."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"--previous {path}: no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"--previous {path}: not a readable JSON note ({exc})") from exc
    if not isinstance(data, dict) or data.get("schema_version") != NOTE_SCHEMA_VERSION:
        raise UsageError(
            f"--previous {path}: not a note of schema {NOTE_SCHEMA_VERSION}",
            hint="pass the JSON of an earlier `summarizer note -f json` run",
        )
    try:
        return Note.model_validate(data)
    except ValidationError as exc:
        raise UsageError(
            f"--previous {path}: not a valid note ({exc.error_count()} errors)"
        ) from exc


def note_articles(
    articles: Sequence[Article],
    settings: Settings,
    *,
    published: dt.date | None = None,
    previous: Note | None = None,
    title: str | None = None,
    reporter: Reporter | None = None,
    verbose: bool = False,
) -> NoteResult:
    """Brief ``articles`` (see :func:`summarizer.runner.brief_articles`) and merge the
    briefings into one note."""
    run = brief_articles(
        articles, settings, published=published, reporter=reporter, verbose=verbose
    )
    note = build_note(run.written, previous=previous, title=title) if run.written else None
    return NoteResult(run, note)
