"""Shared test setup: no test sees the developer's environment, config or network."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from summarizer.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_7309d1c88b1de532.txt"
WIKINEWS = sorted((ROOT / "seeds" / "wikinews").glob("*.txt"))
FIXTURES = ROOT / "fixtures"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every SUMMARIZER_* and OPENAI_* variable is cleared, whatever its name; the config
    folder is an empty one of the test's own."""
    for name in list(os.environ):
        if name.startswith(("SUMMARIZER_", "OPENAI_")):
            monkeypatch.delenv(name)
    config = tmp_path / "config-home"
    config.mkdir()
    monkeypatch.setenv("SUMMARIZER_CONFIG_DIR", str(config))


def seed_answer(name: str = "000_7309d1c88b1de532") -> dict[str, Any]:
    """The hand-written draft for a seed, as a test server can hand it out."""
    spec = json.loads((FIXTURES / "authored" / f"{name}.answer.json").read_text("utf-8"))
    answer: dict[str, Any] = spec["answer"]
    return answer


def run_cli(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def live_cli(server: Any, article: str, *args: str) -> Result:
    """``summarize ARTICLE`` against a test server on 127.0.0.1, storing no fixtures."""
    return run_cli(
        "summarize", article, "--base-url", server.base_url, "--fixture-mode", "live", *args
    )


def console_args(server: Any, *args: str) -> list[str]:
    """The console script's command line for ``summarize`` against a test server, live."""
    return [
        sys.executable,
        "-m",
        "summarizer",
        "summarize",
        *args,
        "--base-url",
        server.base_url,
        "--fixture-mode",
        "live",
    ]
