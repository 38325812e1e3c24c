"""Every command's help shows an example; --version answers."""

from __future__ import annotations

import pytest

from summarizer import __version__

from .conftest import run_cli


@pytest.mark.parametrize("command", [[], ["summarize"], ["schema"]])
def test_help_has_an_example(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert "summarizer " in result.stdout


def test_version() -> None:
    result = run_cli("--version")
    assert result.stdout.strip() == f"summarizer {__version__}"
