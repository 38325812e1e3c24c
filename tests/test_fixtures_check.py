"""`summarizer fixtures check | prune | migrate` on copies of the project's fixture folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarizer import prompts as prompts_module

from .conftest import FIXTURES, ROOT, run_cli

REASK_FIXED = ROOT / "tests" / "fixtures" / "reask-fixed"


def _copy(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.glob("*.json"):
        shutil.copy(path, target / path.name)
    return target


def _check(folder: Path, *args: str) -> tuple[int, str]:
    done = run_cli("fixtures", "check", str(folder), *args)
    return done.exit_code, done.stdout


def test_the_project_fixtures_are_all_fresh_and_used(tmp_path: Path) -> None:
    folder = _copy(FIXTURES, tmp_path / "f")
    code, out = _check(folder, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["fixtures"] == len(list(FIXTURES.glob("*.json")))
    assert report["origins"] == {"authored": report["fixtures"]}
    assert report["stale"] == report["unused"] == report["unsafe"] == []


def test_a_reask_chain_is_reached_whole(tmp_path: Path) -> None:
    folder = _copy(REASK_FIXED, tmp_path / "f")
    code, out = _check(folder)
    assert code == 0, out
    assert "2 fixture(s)" in out and "0 unused" in out


def test_an_edited_prompt_template_makes_every_fixture_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(FIXTURES, tmp_path / "f")
    edited = tmp_path / "prompts"
    shutil.copytree(prompts_module.prompts_dir(), edited)
    system = edited / prompts_module.BRIEFING_TEMPLATES[0]
    system.write_text(system.read_text("utf-8") + "\nBe brief.\n", "utf-8")
    monkeypatch.setattr(prompts_module, "prompts_dir", lambda: edited)
    code, out = _check(folder)
    assert code == 1
    stale = [line for line in out.splitlines() if line.startswith("stale: ")]
    assert len(stale) == len(list(FIXTURES.glob("*.json")))
    assert all("prompt template" in line for line in stale)
    # and the summary line counts them
    assert f"{len(stale)} stale" in out.splitlines()[0]


def test_a_planted_key_is_unsafe_and_never_printed(tmp_path: Path) -> None:
    folder = _copy(FIXTURES, tmp_path / "f")
    secret = "sk-proj-" + "Ab3" * 12
    victim = sorted(folder.glob("*.json"))[0]
    document = json.loads(victim.read_text("utf-8"))
    document["meta"]["note"] = f"debug: key {secret}"
    victim.write_text(json.dumps(document), "utf-8")
    done = run_cli("fixtures", "check", str(folder))
    assert done.exit_code == 1
    assert "unsafe: " in done.stdout and "OpenAI-style API key" in done.stdout
    assert secret not in done.stdout and secret not in done.stderr


def test_an_orphan_is_unused_and_prune_removes_only_it(tmp_path: Path) -> None:
    folder = _copy(FIXTURES, tmp_path / "f")
    source = sorted(folder.glob("*.json"))[0]
    document = json.loads(source.read_text("utf-8"))
    document["key"] = "0" * 64  # a request nobody makes any more
    orphan = folder / f"{'0' * 20}.json"
    orphan.write_text(json.dumps(document), "utf-8")
    code, out = _check(folder)
    assert code == 0  # unused alone does not fail
    assert [line for line in out.splitlines() if line.startswith("unused: ")] == [
        f"unused: {orphan.name} (no current request reaches it)"
    ]
    before = sorted(p.name for p in folder.glob("*.json"))
    listed = run_cli("fixtures", "prune", str(folder), "--dry-run")
    assert listed.exit_code == 0 and orphan.name in listed.stdout
    assert sorted(p.name for p in folder.glob("*.json")) == before
    pruned = run_cli("fixtures", "prune", str(folder))
    assert pruned.exit_code == 0
    assert sorted(p.name for p in folder.glob("*.json")) == [n for n in before if n != orphan.name]


def test_a_broken_file_fails_and_a_missing_folder_is_bad_usage(tmp_path: Path) -> None:
    folder = _copy(FIXTURES, tmp_path / "f")
    (folder / "broken.json").write_text("{not json", "utf-8")
    code, out = _check(folder)
    assert code == 1 and "broken: broken.json" in out
    missing = run_cli("fixtures", "check", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_migrate_rewrites_format_one_files(tmp_path: Path) -> None:
    folder = _copy(FIXTURES, tmp_path / "f")
    for path in folder.glob("*.json"):
        document = json.loads(path.read_text("utf-8"))
        document.pop("format")
        document["response"] = document.pop("responses")[0]
        path.write_text(json.dumps(document), "utf-8")
    done = run_cli("fixtures", "migrate", str(folder))
    assert done.exit_code == 0
    assert f"{len(list(folder.glob('*.json')))} fixture(s) rewritten" in done.stderr
    assert all(json.loads(p.read_text("utf-8"))["format"] == 2 for p in folder.glob("*.json"))
    assert _check(folder)[0] == 0
