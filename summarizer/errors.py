"""Every error summarizer raises on purpose, in one place.

The CLI catches :class:`SummarizerError`, prints ``error.hint_line()`` and exits with
``error.exit_code``; library callers catch the specific class they care about.

    SummarizerError                      base; exit code 1 unless a subclass says 2
    ├── UsageError                       bad options or configuration (exit 2)
    │   └── NoModelConfigured            a live call was asked for with no endpoint (exit 2)
    ├── InputError                       an article that cannot be read as text (exit 2)
    ├── FixtureError                     fixture store problems
    │   ├── FixtureMiss                  replay found no stored exchange (exit 2)
    │   └── FixtureCorrupt               a stored fixture cannot be read (exit 2)
    ├── OutputError                      the result cannot be written (exit 2)
    │   └── OutputClosed                 the reader of stdout went away (exit 1, nothing said)
    ├── PromptError                      a template is missing or fails to render
    └── ModelError                       the model call failed after its retry budget (exit 1)
        ├── BriefingValidationError      answers never passed validation (exit 1)
        └── TokenBudgetExhausted         --max-tokens-per-run was reached (exit 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class SummarizerError(Exception):
    """Base class: an expected failure with a one-line message that names the fix."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # Tokens spent before the failure (a fixture that could not be saved, say, was paid).
        self.usage: dict[str, int] = {}
        self.attempts = 0
        # The fixture keys that answered before the failure (what a replay still reached).
        self.fixture_keys: list[str] = []

    def hint_line(self) -> str:
        """The single line the CLI prints: what went wrong, then what to do."""
        text = self.message.replace("\n", " ")
        return f"{text} — {self.hint}" if self.hint else text


class UsageError(SummarizerError):
    """An option, environment variable or config value is invalid."""

    exit_code = 2


class NoModelConfigured(UsageError):
    """A live model call was needed but no API key or base URL is configured."""


class InputError(SummarizerError):
    """An article file is missing, empty, binary or not decodable text."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.path = str(path) if path is not None else None


class FixtureError(SummarizerError):
    """Something is wrong with the fixture store."""

    exit_code = 2


class FixtureMiss(FixtureError):
    """Replay mode found no stored exchange for a request; carries the nearest one."""

    def __init__(
        self,
        message: str,
        *,
        key: str,
        closest: Path | None = None,
        differences: list[str] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.key = key
        self.closest = closest
        self.differences = differences or []


class FixtureCorrupt(FixtureError):
    """A fixture file exists but is not a readable exchange."""


class OutputError(SummarizerError):
    """The output file (or standard output) cannot be written."""

    exit_code = 2


class OutputClosed(OutputError):
    """Standard output was closed by its reader (``| head``); the CLI exits quietly."""

    exit_code = 1


class PromptError(SummarizerError):
    """A prompt template is missing or could not be rendered (strict mode)."""


class ModelError(SummarizerError):
    """The model call failed after the retry budget was spent."""

    def __init__(
        self,
        message: str,
        *,
        model: str | None = None,
        attempts: int = 0,
        last_output: Any = None,
        usage: dict[str, int] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.model = model
        self.attempts = attempts
        self.last_output = last_output
        self.usage = usage or {}


class BriefingValidationError(ModelError):
    """The model's answers still failed schema validation when the re-ask budget ran out."""


class TokenBudgetExhausted(ModelError):
    """The run's token budget (--max-tokens-per-run) was spent; no further call was made."""
