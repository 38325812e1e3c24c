"""Regression suites through the CLI: made offline from the project's fixtures or live against
a server on 127.0.0.1, replayed, compared with their baselines, updated and reported."""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from junitparser import Error, Failure, JUnitXml

from summarizer import prompts as prompts_module

from .conftest import ROOT, SEED, WIKINEWS, run_cli, seed_answer
from .openai_server import FakeOpenAI, Reply, chat_completion

GM = ROOT / "seeds" / "wikinews" / "2009-02-18-gm-chrysler-seek-aid.txt"


def _regress(*args: str) -> Any:
    return run_cli("regress", *args)


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A suite made offline from two seeds' fixtures."""
    folder = tmp_path / "suite"
    made = _regress("record", str(folder), str(SEED), str(GM))
    assert made.exit_code == 0, made.output
    return folder


def _cassette_args(suite: Path, case: str) -> list[tuple[Path, dict[str, Any]]]:
    """Each cassette answer of a case's baseline, with its tool-call arguments."""
    baseline = json.loads((suite / "baselines" / f"{case}.json").read_text("utf-8"))
    found = []
    for name in baseline["provenance"]["fixtures"]:
        path = suite / "cassettes" / f"{name}.json"
        document = json.loads(path.read_text("utf-8"))
        for answer in document["responses"]:
            call = answer["body"]["choices"][0]["message"]["tool_calls"][0]["function"]
            found.append((path, json.loads(call["arguments"])))
    return found


def _alter_answer(suite: Path, case: str, change: Any) -> None:
    """Edit the stored answer of a case in place (the request, and so its key, unchanged)."""
    path = suite / "cassettes" / f"{_baseline(suite, case)['provenance']['fixtures'][-1]}.json"
    document = json.loads(path.read_text("utf-8"))
    function = document["responses"][-1]["body"]["choices"][0]["message"]["tool_calls"][0][
        "function"
    ]
    arguments = json.loads(function["arguments"])
    change(arguments)
    function["arguments"] = json.dumps(arguments)
    path.write_text(json.dumps(document, indent=2), "utf-8")


def _baseline(suite: Path, case: str) -> dict[str, Any]:
    return json.loads((suite / "baselines" / f"{case}.json").read_text("utf-8"))


def _osce_postponed(arguments: dict[str, Any]) -> None:
    (osce,) = [m for m in arguments["meetings"] if "OSCE" in m["name"]]
    osce["status"] = "postponed"


def test_a_suite_made_offline_from_the_seeds_replays_unchanged(suite: Path) -> None:
    manifest = tomlkit.parse((suite / "suite.toml").read_text("utf-8"))
    assert [c["id"] for c in manifest["cases"]] == [SEED.stem, GM.stem]
    assert manifest["cases"][0]["recorded"]["origin"] == "authored"
    assert (suite / "articles" / f"{SEED.stem}.txt").read_text("utf-8") == SEED.read_text("utf-8")
    assert len(list((suite / "cassettes").glob("*.json"))) == 2
    done = _regress("run", str(suite))
    assert done.exit_code == 0, done.output
    assert "2 case(s): 2 unchanged" in done.stdout


def test_an_altered_answer_is_named_field_by_field_and_update_accepts_it(suite: Path) -> None:
    _alter_answer(suite, SEED.stem, _osce_postponed)
    done = _regress("run", str(suite))
    assert done.exit_code == 1, done.output
    lines = done.stdout.splitlines()
    (row,) = [line for line in lines if line.startswith(f"{SEED.stem} ")]
    assert row.split()[1] == "changed"
    (change,) = [line for line in lines if ".status" in line]
    assert "OSCE" in change and "2022-01-14" in change
    assert '"scheduled"' in change and '"postponed"' in change
    assert next(line for line in lines if line.startswith(GM.stem)).split()[1] == "unchanged"

    # --fail-on regressed: a change is not a regression (no expectation lost, nothing dropped).
    assert _regress("run", str(suite), "--fail-on", "regressed").exit_code == 0

    accepted = _regress("run", str(suite), "--update")
    assert accepted.exit_code == 0, accepted.output
    assert f"accepted 1 new baseline(s): {SEED.stem}" in accepted.stdout
    statuses = {m["name"]: m["status"] for m in _baseline(suite, SEED.stem)["meetings"]}
    assert "postponed" in statuses.values()
    assert _regress("run", str(suite)).exit_code == 0


def test_a_lost_expectation_is_a_regression(suite: Path) -> None:
    manifest_path = suite / "suite.toml"
    manifest = tomlkit.parse(manifest_path.read_text("utf-8"))
    expect = tomlkit.table()
    meeting = tomlkit.table()
    meeting.update({"date": "2022-01-14", "place": "Vienna", "status": "scheduled"})
    expect["meetings"] = tomlkit.aot()
    expect["meetings"].append(meeting)
    manifest["cases"][0]["expect"] = expect
    manifest_path.write_text(tomlkit.dumps(manifest), "utf-8")
    assert _regress("run", str(suite)).exit_code == 0

    _alter_answer(suite, SEED.stem, _osce_postponed)
    done = _regress("run", str(suite), "--fail-on", "regressed")
    assert done.exit_code == 1, done.output
    assert "regressed" in done.stdout
    assert "expectation no longer met" in done.stdout and "Vienna" in done.stdout


def test_the_junit_report_has_one_test_case_per_suite_case(suite: Path, tmp_path: Path) -> None:
    _alter_answer(suite, SEED.stem, _osce_postponed)
    report = tmp_path / "out.xml"
    done = _regress("run", str(suite), "--report", str(report))
    assert done.exit_code == 1
    parsed = JUnitXml.fromfile(str(report))
    cases = {case.name: case for test_suite in parsed for case in test_suite}
    assert set(cases) == {SEED.stem, GM.stem}
    assert any(isinstance(r, Failure) for r in cases[SEED.stem].result)
    assert cases[GM.stem].is_passed
    assert "postponed" in (cases[SEED.stem].system_out or "")

    as_json = tmp_path / "out.json"
    assert _regress("run", str(suite), "--report", str(as_json)).exit_code == 1
    data = json.loads(as_json.read_text("utf-8"))
    assert data["counts"] == {"unchanged": 1, "changed": 1, "improved": 0, "regressed": 0}
    (changed,) = [c for c in data["cases"] if c["status"] == "changed"]
    assert [(c["old"], c["new"]) for c in changed["changes"]] == [("scheduled", "postponed")]


def test_a_case_that_cannot_be_replayed_is_an_error_in_the_report(
    suite: Path, tmp_path: Path
) -> None:
    for path in (suite / "cassettes").glob("*.json"):
        if _baseline(suite, GM.stem)["provenance"]["fixtures"][0] in path.name:
            path.unlink()
    report = tmp_path / "out.xml"
    done = _regress("run", str(suite), "--report", str(report), "--fail-on", "regressed")
    assert done.exit_code == 1
    assert "no stored answer" in done.stdout
    cases = {
        case.name: case for test_suite in JUnitXml.fromfile(str(report)) for case in test_suite
    }
    assert any(isinstance(r, Error) for r in cases[GM.stem].result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "{tmp}/nowhere"], "does not exist"),
        (["run", "{suite}", "--report", "{tmp}/out.html"], "unknown report kind"),
        (["run", "{suite}", "--record-to", "{tmp}/x"], "--record-to needs --live"),
        (["run", "{suite}", "--live"], "needs a model endpoint"),
        (["run", "{suite}", "--live", "--update"], "would not match the cassettes"),
    ],
)
def test_bad_usage_and_broken_suites_exit_2(
    suite: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    filled = [a.format(tmp=tmp_path, suite=suite) for a in args]
    done = _regress(*filled)
    assert done.exit_code == 2, done.output
    assert message in done.stderr


def test_a_broken_manifest_or_a_missing_baseline_exits_2(suite: Path) -> None:
    (suite / "baselines" / f"{GM.stem}.json").unlink()
    done = _regress("run", str(suite))
    assert done.exit_code == 2 and "has no baseline" in done.stderr
    (suite / "suite.toml").write_text("[[cases]\nid = ", "utf-8")
    done = _regress("run", str(suite))
    assert done.exit_code == 2 and "not a readable TOML manifest" in done.stderr


def test_record_keeps_what_a_person_wrote_in_the_manifest(suite: Path) -> None:
    manifest_path = suite / "suite.toml"
    text = manifest_path.read_text("utf-8").replace(
        f'id = "{SEED.stem}"', f'# the DW seed\nid = "{SEED.stem}"'
    )
    text += '\n[cases.expect]\nparties = ["Chrysler"]\n'
    manifest_path.write_text(text, "utf-8")
    again = _regress("record", str(suite), str(SEED), "--published", "2022-01-10")
    assert again.exit_code == 0, again.output
    manifest = tomlkit.parse(manifest_path.read_text("utf-8"))
    assert "# the DW seed" in manifest_path.read_text("utf-8")
    assert len(manifest["cases"]) == 2
    assert manifest["cases"][1]["expect"]["parties"] == ["Chrysler"]
    assert str(manifest["cases"][0]["published"]) == "2022-01-10"


# --- the README's three workflows, against a model server on 127.0.0.1 ----------------------


def _seed_reply(answer: dict[str, Any], tokens: tuple[int, int] = (900, 300)) -> Reply:
    return Reply(body=chat_completion(arguments=answer, usage=tokens))


def _expect_osce(suite: Path) -> None:
    manifest_path = suite / "suite.toml"
    manifest = tomlkit.parse(manifest_path.read_text("utf-8"))
    manifest["cases"][0]["expect"] = {
        "parties": ["NATO", "Russia"],
        "meetings": [{"date": "2022-01-14", "place": "Vienna", "status": "scheduled"}],
    }
    manifest_path.write_text(tomlkit.dumps(manifest), "utf-8")


def test_workflow_record_a_baseline_against_a_model(tmp_path: Path) -> None:
    folder = tmp_path / "my-suite"
    with FakeOpenAI([_seed_reply(seed_answer())]) as server:
        made = _regress("record", str(folder), str(SEED), "--base-url", server.base_url)
        assert made.exit_code == 0, made.output
        assert len(server.received) == 1
    manifest = tomlkit.parse((folder / "suite.toml").read_text("utf-8"))
    assert manifest["cases"][0]["recorded"]["origin"] == "live"
    assert manifest["cases"][0]["recorded"]["model"] == "gpt-4o-mini"
    (cassette,) = (folder / "cassettes").glob("*.json")
    assert json.loads(cassette.read_text("utf-8"))["meta"]["origin"] == "recorded"
    # Offline from here on: the server is gone.
    done = _regress("run", str(folder))
    assert done.exit_code == 0, done.output


def test_workflow_change_a_prompt_and_compare_live(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "my-suite"
    with FakeOpenAI([_seed_reply(seed_answer())]) as server:
        assert (
            _regress("record", str(folder), str(SEED), "--base-url", server.base_url).exit_code == 0
        )
    _expect_osce(folder)

    edited = tmp_path / "prompts"
    shutil.copytree(prompts_module.prompts_dir(), edited)
    system = edited / prompts_module.BRIEFING_TEMPLATES[0]
    system.write_text(system.read_text("utf-8") + "\nBe brief.\n", "utf-8")
    monkeypatch.setattr(prompts_module, "prompts_dir", lambda: edited)

    # The new prompt makes the model miss the OSCE meeting and spend more tokens.
    worse = copy.deepcopy(seed_answer())
    worse["meetings"] = [m for m in worse["meetings"] if "OSCE" not in m["name"]]
    with FakeOpenAI([_seed_reply(worse, (1200, 400))]) as server:
        cassettes = tmp_path / "new-cassettes"
        done = _regress(
            "run", str(folder), "--live", "--base-url", server.base_url,
            "--record-to", str(cassettes),
        )  # fmt: skip
        sent = server.received[0].json["messages"][0]["content"]
    assert "Be brief." in sent
    assert done.exit_code == 1, done.output
    assert "regressed" in done.stdout
    assert "expectation no longer met" in done.stdout
    # Scores of the baseline and the new run side by side.
    (recall,) = [line for line in done.stdout.splitlines() if "meeting recall" in line]
    assert "1.00" in recall and "0.00" in recall
    (tokens,) = [line for line in done.stdout.splitlines() if line.strip().startswith("tokens")]
    assert "1200" in tokens and "1600" in tokens
    assert len(list(cassettes.glob("*.json"))) == 1  # the live exchange was recorded
    # The baseline was not touched by a live run without --update.
    assert any("OSCE" in m["name"] for m in _baseline(folder, SEED.stem)["meetings"])


def test_workflow_upgrade_a_dependency_and_compare_offline(
    suite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _regress("run", str(suite)).exit_code == 0
    # A library upgrade that reads "two days later" one day further: the same cassettes, new
    # code, and the comparison names the computed date that moved.
    from summarizer import pipeline

    original = pipeline.resolve_meeting_dates

    def shifted(*args: Any, **kwargs: Any) -> Any:
        resolved = original(*args, **kwargs)
        return {
            key: dataclasses.replace(value, value="2022-01-13")
            if value is not None and value.value == "2022-01-12"
            else value
            for key, value in resolved.items()
        }

    monkeypatch.setattr(pipeline, "resolve_meeting_dates", shifted)
    done = _regress("run", str(suite))
    assert done.exit_code == 1, done.output
    (change,) = [line for line in done.stdout.splitlines() if "date.value" in line]
    assert '"2022-01-12"' in change and '"2022-01-13"' in change


def test_regress_help_has_examples() -> None:
    for command in ("record", "run"):
        shown = run_cli("regress", command, "--help")
        assert shown.exit_code == 0
        assert "Examples:" in shown.stdout
    assert WIKINEWS  # the seeds a suite is made from are there


def test_a_note_case_is_replayed_and_compared_like_a_briefing(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    made = _regress("record", str(folder), str(SEED), str(GM), "--note", "two-stories")
    assert made.exit_code == 0, made.output
    manifest = tomlkit.parse((folder / "suite.toml").read_text("utf-8"))
    (case,) = manifest["cases"]
    assert case["kind"] == "note" and len(case["articles"]) == 2
    case["expect"] = {
        "meetings": [{"date": "2022-01-14", "place": "Vienna", "status": "scheduled"}]
    }
    (folder / "suite.toml").write_text(tomlkit.dumps(manifest), "utf-8")
    baseline = json.loads((folder / "baselines" / "two-stories.json").read_text("utf-8"))
    assert [s["path"].endswith(".txt") for s in baseline["sources"]] == [True, True]
    assert _regress("run", str(folder)).exit_code == 0

    # The seed's cassette is the one whose answer holds the OSCE meeting.
    for path in (folder / "cassettes").glob("*.json"):
        document = json.loads(path.read_text("utf-8"))
        function = document["responses"][0]["body"]["choices"][0]["message"]["tool_calls"][0][
            "function"
        ]
        arguments = json.loads(function["arguments"])
        if any("OSCE" in m["name"] for m in arguments["meetings"]):
            _osce_postponed(arguments)
            function["arguments"] = json.dumps(arguments)
            path.write_text(json.dumps(document), "utf-8")
    done = _regress("run", str(folder))
    assert done.exit_code == 1, done.output
    assert "regressed" in done.stdout  # the expectation on the OSCE meeting is lost
    (change,) = [
        line
        for line in done.stdout.splitlines()
        if line.strip().startswith("timeline[")
        and line.rstrip().endswith('"postponed"')
        and ".reports" not in line
        and ".status_history" not in line
    ]
    assert "OSCE" in change and '"scheduled"' in change
