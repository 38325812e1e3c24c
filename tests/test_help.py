"""Every command's help shows an example; --version answers."""

from __future__ import annotations

import pytest

from summarizer import __version__
from summarizer.cli import app

from .conftest import run_cli


def _commands() -> list[list[str]]:
    """Every command and sub-command the app has, so a new one cannot skip its example."""
    found: list[list[str]] = [[]]
    for command in app.registered_commands:
        assert command.callback is not None
        found.append([command.name or command.callback.__name__.replace("_", "-")])
    for group in app.registered_groups:
        assert group.name is not None and group.typer_instance is not None
        found.append([group.name])
        for command in group.typer_instance.registered_commands:
            assert command.callback is not None
            found.append([group.name, command.name or command.callback.__name__])
    return found


def test_the_commands_are_all_there() -> None:
    names = {" ".join(c) for c in _commands()}
    assert {"summarize", "schema", "note", "diff", "regress run", "regress record"} <= names


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "summarizer")
def test_help_has_an_example(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert "summarizer " in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.stdout.strip() == f"summarizer {__version__}"
