"""The built wheel carries the prompts and fixtures and runs outside the source tree; the CLI
starts without importing the model libraries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import summarizer

from .conftest import ROOT, SEED, run_cli


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("summarizer-*.whl")
    return built


def test_wheel_contains_prompts_and_fixtures(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "summarizer/prompts/briefing.system.j2" in names
    assert "summarizer/prompts/briefing.user.j2" in names
    assert any(n.startswith("summarizer/fixtures/") and n.endswith(".json") for n in names)
    assert "summarizer/cli.py" in names


def test_wheel_runs_the_seed_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "SUMMARIZER_CONFIG_DIR": str(tmp_path)}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    code = (
        "import summarizer, sys; print(summarizer.__file__, file=sys.stderr); "
        "from summarizer.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "summarize", str(SEED), "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert str(site) in result.stderr.splitlines()[0]  # the wheel's copy, not the checkout
    briefing = json.loads(result.stdout)
    assert briefing["provenance"]["origin"] == "authored"
    # The wheel's prompts and fixtures give the briefing the checkout gives.
    checkout = run_cli("summarize", str(SEED), "--format", "json")
    assert checkout.exit_code == 0, checkout.output
    expected = json.loads(checkout.stdout)
    for part in ("summary", "parties", "meetings", "source"):
        assert briefing[part] == expected[part], part
    same = ("template_hash", "answered_by", "validation")
    assert {k: briefing["provenance"][k] for k in same} == {
        k: expected["provenance"][k] for k in same
    }


def test_help_does_not_import_openai_or_instructor() -> None:
    code = (
        "import sys\n"
        "from summarizer.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'instructor'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "Usage" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_public_surface_is_declared() -> None:
    for name in summarizer.__all__:
        assert getattr(summarizer, name) is not None, name
    public = {n for n in vars(summarizer) if not n.startswith("_")}
    helpers = {"annotations", "importlib", "TYPE_CHECKING", "Any"}
    modules = {n for n in public if type(getattr(summarizer, n)).__name__ == "module"}
    assert public - modules - helpers == set(summarizer.__all__) - {"__version__"}
    with pytest.raises(AttributeError):
        _ = summarizer.not_a_thing


def test_lazy_exports_match_all() -> None:
    assert set(summarizer._EXPORTS) | {"__version__"} == set(summarizer.__all__)
