"""Settings resolve in one written order: flag > environment > config file > default."""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer

from summarizer.cli import app
from summarizer.config import (
    CONFIG_KEYS,
    SETTINGS,
    Settings,
    default_fixtures_dir,
    resolve_settings,
)
from summarizer.errors import UsageError

from .conftest import ROOT, SEED, run_cli

BY_NAME = {setting.name: setting for setting in SETTINGS}
UNFIXED = ROOT / "tests" / "fixtures" / "reask-unfixed"
FIXED = ROOT / "tests" / "fixtures" / "reask-fixed"


@pytest.fixture(autouse=True)
def _no_setting_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """conftest clears only some of these; a developer's SUMMARIZER_STRICT must not leak in."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def _write_config(env: dict[str, str], tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "cfg"
    folder.mkdir(exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    env["SUMMARIZER_CONFIG_DIR"] = str(folder)
    return path


# --- the table is the one place ---------------------------------------------------------------


def test_the_table_covers_every_setting_and_argument() -> None:
    fields = {f.name for f in dataclasses.fields(Settings)} - {"api_key"}
    arguments = set(inspect.signature(resolve_settings).parameters) - {"env"}
    assert [s.name for s in SETTINGS] == list(dict.fromkeys(s.name for s in SETTINGS))
    assert {s.name for s in SETTINGS} == fields == arguments
    assert len(set(CONFIG_KEYS)) == len(SETTINGS)
    assert {s.env for s in SETTINGS} == {
        "SUMMARIZER_MODEL",
        "OPENAI_BASE_URL",
        "SUMMARIZER_MODE",
        "SUMMARIZER_FIXTURES",
        "SUMMARIZER_FIXTURE_MODE",
        "SUMMARIZER_TIMEOUT",
        "SUMMARIZER_MAX_RETRIES",
        "SUMMARIZER_MAX_REASKS",
        "SUMMARIZER_STRICT",
        "SUMMARIZER_CONTEXT_TOKENS",
        "SUMMARIZER_MAX_TOKENS_PER_RUN",
    }
    assert "api_key" not in CONFIG_KEYS


def test_every_setting_is_an_option_of_summarize_whose_help_names_its_sources() -> None:
    command = typer.main.get_command(app).commands["summarize"]  # type: ignore[attr-defined]
    options = {opt: param for param in command.params for opt in param.opts + param.secondary_opts}
    for setting in SETTINGS:
        for flag in setting.flag.split("/"):
            assert flag in options, flag
        help_text = options[setting.flag.split("/")[0]].help
        assert f"env: {setting.env};" in help_text
        assert f"config: {setting.key};" in help_text


def _readme_rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Pointing it at a model\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and "`" in line]


def test_the_readme_table_matches_the_settings_table() -> None:
    rows = _readme_rows()
    assert len(rows) == len(SETTINGS) + 1  # and the API key's
    for setting in SETTINGS:
        (row,) = [r for r in rows if f"| `{setting.env}` |" in r]
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[1].startswith(f"`{setting.flag}"), cells
        assert cells[3] == f"`{setting.key}`", cells
        assert cells[4] == setting.default_text, cells
    (key_row,) = [r for r in rows if "`OPENAI_API_KEY`" in r]
    assert [c.strip() for c in key_row.strip("|").split(" | ")][3] == "—"


# --- flag > environment > config file > default, for every setting -----------------------------

# name: (flag value, environment text, TOML value, what each resolves to in that order)
SAMPLES: dict[str, tuple[Any, str, str, tuple[Any, Any, Any]]] = {
    "model": ("flag-model", "env-model", '"file-model"', ("flag-model", "env-model", "file-model")),
    "base_url": (
        "http://flag.test/v1",
        "http://env.test/v1",
        '"http://file.test/v1"',
        ("http://flag.test/v1", "http://env.test/v1", "http://file.test/v1"),
    ),
    "mode": ("json", "md_json", '"json_schema"', ("json", "md_json", "json_schema")),
    "fixtures_dir": (
        "flag-fx",
        "env-fx",
        '"file-fx"',
        tuple(map(Path, ("flag-fx", "env-fx", "file-fx"))),
    ),
    "fixture_mode": ("record", "missing", '"live"', ("record", "missing", "live")),
    "timeout": (1.5, "2.5", "3", (1.5, 2.5, 3.0)),
    "max_retries": (0, "2", "3", (0, 2, 3)),
    "max_reasks": (0, "5", "7", (0, 5, 7)),
    "strict": (True, "0", "true", (True, False, True)),  # the default is False
    "context_tokens": (1000, "2000", "3000", (1000, 2000, 3000)),
    "max_tokens_per_run": (10, "20", "30", (10, 20, 30)),
}


def test_every_setting_has_a_sample() -> None:
    assert set(SAMPLES) == set(BY_NAME)


@pytest.mark.parametrize("name", list(SAMPLES))
def test_flag_beats_environment_beats_file_beats_default(tmp_path: Path, name: str) -> None:
    setting = BY_NAME[name]
    flag, env_text, toml, (from_flag, from_env, from_file) = SAMPLES[name]
    env = {"SUMMARIZER_CONFIG_DIR": str(tmp_path / "no-config-here")}
    default = resolve_settings(env=env)
    assert getattr(default, name) not in (from_file,)
    if setting.default is not None:
        assert getattr(default, name) == setting.default

    _write_config(env, tmp_path, f"{setting.key} = {toml}\n")
    got = resolve_settings(env=env)
    assert getattr(got, name) == from_file
    # Nothing else moved: the row reads its own key only (the endpoint moves the fixture mode).
    ignore = {name, "fixture_mode"} if name == "base_url" else {name}
    others = {f.name for f in dataclasses.fields(Settings)} - ignore
    assert {o: getattr(got, o) for o in others} == {o: getattr(default, o) for o in others}

    env[setting.env] = ""  # an empty variable counts as unset
    assert getattr(resolve_settings(env=env), name) == from_file
    env[setting.env] = env_text
    got = resolve_settings(env=env)
    assert getattr(got, name) == from_env
    assert {o: getattr(got, o) for o in others} == {o: getattr(default, o) for o in others}

    assert getattr(resolve_settings(env=env, **{name: flag}), name) == from_flag


def test_an_empty_base_url_flag_still_means_openai(tmp_path: Path) -> None:
    env = {"SUMMARIZER_CONFIG_DIR": str(tmp_path), "OPENAI_BASE_URL": "http://env.test/v1"}
    assert resolve_settings(base_url="", env=env).base_url is None


def test_default_fixture_mode_follows_the_endpoint(tmp_path: Path) -> None:
    base = {"SUMMARIZER_CONFIG_DIR": str(tmp_path)}
    assert resolve_settings(env=base).fixture_mode == "replay"
    assert resolve_settings(env=base).fixtures_dir == default_fixtures_dir()
    with_key = {**base, "OPENAI_API_KEY": "sk-x"}
    assert resolve_settings(env=with_key).fixture_mode == "live"
    assert resolve_settings(fixtures_dir="fx", env=with_key).fixture_mode == "missing"
    assert resolve_settings(env={**with_key, "SUMMARIZER_FIXTURES": "fx"}).fixture_mode == (
        "missing"
    )
    local = {**base, "OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}
    assert resolve_settings(env=local).fixture_mode == "live"
    _write_config(local, tmp_path, 'fixtures = "fx"\n')
    assert resolve_settings(env=local).fixture_mode == "missing"


def test_the_key_comes_from_the_environment_only_and_is_not_in_repr(tmp_path: Path) -> None:
    settings = resolve_settings(
        env={"SUMMARIZER_CONFIG_DIR": str(tmp_path), "OPENAI_API_KEY": "sk-secret-value"}
    )
    assert settings.api_key == "sk-secret-value"
    assert "sk-secret-value" not in repr(settings)
    assert not hasattr(settings, "describe")
    env: dict[str, str] = {}
    _write_config(env, tmp_path, 'api_key = "sk-x"\n')
    with pytest.raises(UsageError, match="unknown keys: api_key") as caught:
        resolve_settings(env=env)
    assert "OPENAI_API_KEY" in (caught.value.hint or "")


# --- booleans -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[(t, True) for t in ("1", "true", "TRUE", "Yes", "on", " On ")],
        *[(t, False) for t in ("0", "false", "False", "NO", "off")],
    ],
)
def test_strict_from_the_environment(tmp_path: Path, text: str, value: bool) -> None:
    env = {"SUMMARIZER_CONFIG_DIR": str(tmp_path), "SUMMARIZER_STRICT": text}
    _write_config(env, tmp_path, f"strict = {'false' if value else 'true'}\n")
    assert resolve_settings(env=env).strict is value
    assert resolve_settings(env=env, strict=not value).strict is (not value)


@pytest.mark.parametrize("text", ["2", "y", "enable", "truthy", "-1"])
def test_strict_from_the_environment_rejects_other_words(tmp_path: Path, text: str) -> None:
    env = {"SUMMARIZER_CONFIG_DIR": str(tmp_path), "SUMMARIZER_STRICT": text}
    expected = f"SUMMARIZER_STRICT={text!r} (environment variable): must be one of 1/0"
    with pytest.raises(UsageError, match=re.escape(expected)):
        resolve_settings(env=env)


@pytest.mark.parametrize(("toml", "value"), [("true", True), ("false", False)])
def test_strict_from_the_file(tmp_path: Path, toml: str, value: bool) -> None:
    env: dict[str, str] = {}
    _write_config(env, tmp_path, f"strict = {toml}\n")
    assert resolve_settings(env=env).strict is value


@pytest.mark.parametrize("toml", ['"yes"', '"true"', "1"])
def test_strict_in_the_file_must_be_a_toml_boolean(tmp_path: Path, toml: str) -> None:
    env: dict[str, str] = {}
    path = _write_config(env, tmp_path, f"strict = {toml}\n")
    expected = f"strict = {toml} in config file {path}: must be true or false"
    with pytest.raises(UsageError, match=re.escape(expected)):
        resolve_settings(env=env)


# --- a bad value names where it came from -------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"max_reasks": -1}, "--max-reasks -1: must be zero or more"),
        ({"max_retries": -1}, "--max-retries -1: must be zero or more"),
        ({"timeout": 0}, "--timeout 0: must be a positive number of seconds"),
        ({"timeout": float("nan")}, "--timeout nan: must be a positive number of seconds"),
        ({"context_tokens": 0}, "--context-tokens 0: must be a positive number of tokens"),
        ({"max_tokens_per_run": 0}, "--max-tokens-per-run 0: must be a positive number"),
        ({"mode": "telepathy"}, "--mode telepathy: must be one of: tools, json_schema"),
        ({"fixture_mode": "sometimes"}, "--fixture-mode sometimes: must be one of: replay"),
        ({"model": ""}, "--model '': must be a model name"),
        ({"fixtures_dir": ""}, "--fixtures '': must be a folder name"),
        ({"base_url": "localhost:11434/v1"}, "--base-url localhost:11434/v1: must be an http"),
        ({"strict": "yes"}, "--strict/--no-strict yes: must be true or false"),
    ],
)
def test_a_bad_flag_is_named(tmp_path: Path, flags: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_settings(env={"SUMMARIZER_CONFIG_DIR": str(tmp_path)}, **flags)
    assert caught.value.message.startswith(message), caught.value.message
    assert caught.value.exit_code == 2
    assert caught.value.hint


# name: (a bad environment text or None when every text is good, a bad TOML value, the problem)
BAD: dict[str, tuple[str | None, str]] = {
    "model": (None, '""'),
    "base_url": ("127.0.0.1:8000", '"ftp.example.com"'),
    "mode": ("JSON", '"telepathy"'),
    "fixtures_dir": (None, "5"),
    "fixture_mode": ("sometimes", '"Replay"'),
    "timeout": ("abc", "-1"),
    "max_retries": ("2.5", "2.5"),
    "max_reasks": ("-1", '"2"'),
    "strict": ("maybe", '"on"'),
    "context_tokens": ("0", "0"),
    "max_tokens_per_run": ("lots", "-5"),
}


def test_every_setting_has_a_bad_sample() -> None:
    assert set(BAD) == set(BY_NAME)


@pytest.mark.parametrize("name", [n for n, (text, _) in BAD.items() if text is not None])
def test_a_bad_environment_variable_is_named(tmp_path: Path, name: str) -> None:
    setting, (text, _) = BY_NAME[name], BAD[name]
    env = {"SUMMARIZER_CONFIG_DIR": str(tmp_path), setting.env: str(text)}
    with pytest.raises(UsageError) as caught:
        resolve_settings(env=env)
    assert caught.value.message.startswith(f"{setting.env}={text!r} (environment variable): ")
    assert " must be " in caught.value.message
    assert caught.value.hint and setting.env in caught.value.hint
    # A flag means the variable is not read at all.
    good = SAMPLES[name][0]
    assert getattr(resolve_settings(env=env, **{name: good}), name) == SAMPLES[name][3][0]


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_config_value_is_named_with_the_file(tmp_path: Path, name: str) -> None:
    setting, (_, toml) = BY_NAME[name], BAD[name]
    env: dict[str, str] = {}
    fine = "timeout = 30" if name != "timeout" else 'model = "fine"'
    path = _write_config(env, tmp_path, f"{fine}\n{setting.key} = {toml}\n")
    expected = f"{setting.key} = {toml} in config file {path}: must be "
    with pytest.raises(UsageError, match=re.escape(expected)) as caught:
        resolve_settings(env=env)
    assert caught.value.exit_code == 2
    assert caught.value.hint and setting.key in caught.value.hint


def test_the_exact_messages_of_the_issue(tmp_path: Path) -> None:
    env = {"SUMMARIZER_CONFIG_DIR": str(tmp_path), "SUMMARIZER_TIMEOUT": "abc"}
    with pytest.raises(UsageError) as caught:
        resolve_settings(env=env)
    assert caught.value.hint_line() == (
        "SUMMARIZER_TIMEOUT='abc' (environment variable): must be a number"
        " — e.g. SUMMARIZER_TIMEOUT=120, or unset it"
    )
    file_env: dict[str, str] = {}
    path = _write_config(file_env, tmp_path, "timeout = -1\n")
    with pytest.raises(UsageError) as caught:
        resolve_settings(env=file_env)
    assert caught.value.message == (
        f"timeout = -1 in config file {path}: must be a positive number of seconds"
    )


def test_a_url_that_may_hold_a_password_is_not_echoed(tmp_path: Path) -> None:
    env = {"SUMMARIZER_CONFIG_DIR": str(tmp_path), "OPENAI_BASE_URL": "alice:pw-LEAK@host/v1"}
    with pytest.raises(UsageError) as caught:
        resolve_settings(env=env)
    assert "pw-LEAK" not in caught.value.hint_line()
    assert "OPENAI_BASE_URL=(value not shown) (environment variable)" in caught.value.message
    with pytest.raises(UsageError) as caught:
        resolve_settings(env=env, base_url="host/v1?api_key=sk-LEAK")
    assert "sk-LEAK" not in caught.value.hint_line()


def test_the_whole_file_is_checked_even_under_a_flag(tmp_path: Path) -> None:
    env: dict[str, str] = {}
    path = _write_config(env, tmp_path, "max_reasks = -1\n")
    with pytest.raises(UsageError, match=re.escape(f"max_reasks = -1 in config file {path}")):
        resolve_settings(env=env, max_reasks=1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('api_key = "sk-x"\n', "unknown keys: api_key"),
        ('colour = "blue"\nmodel = "m"\n', "unknown keys: colour"),
        ("model = \n", "cannot read config"),
        ('mode = "telepathy"\n', 'mode = "telepathy" in config file'),
    ],
)
def test_bad_config_file_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    env: dict[str, str] = {}
    path = _write_config(env, tmp_path, text)
    with pytest.raises(UsageError, match=re.escape(message)) as caught:
        resolve_settings(env=env)
    assert str(path) in caught.value.message
    if "unknown" in message:
        assert f"allowed keys: {', '.join(CONFIG_KEYS)}" in (caught.value.hint or "")


# --- through the command line -------------------------------------------------------------------


def test_no_strict_on_the_command_line_overrides_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUMMARIZER_STRICT", "1")
    strict = run_cli("summarize", str(SEED), "--fixtures", str(UNFIXED))
    assert strict.exit_code == 1, strict.output
    assert "still unsupported" in strict.stderr
    lenient = run_cli("summarize", str(SEED), "--fixtures", str(UNFIXED), "--no-strict")
    assert lenient.exit_code == 0, lenient.output
    assert json.loads(lenient.stdout)["provenance"]["validation"]["dropped"] > 0


def test_strict_from_the_config_file_reaches_the_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text("strict = true\n", encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_CONFIG_DIR", str(tmp_path))
    result = run_cli("summarize", str(SEED), "--fixtures", str(UNFIXED))
    assert result.exit_code == 1, result.output
    monkeypatch.setenv("SUMMARIZER_STRICT", "off")
    assert run_cli("summarize", str(SEED), "--fixtures", str(UNFIXED)).exit_code == 0


def test_max_reasks_from_the_environment_reaches_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_MAX_REASKS", "0")
    result = run_cli("summarize", str(SEED), "--fixtures", str(FIXED))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["provenance"]["validation"]
    assert (report["attempts"], report["dropped"]) == (1, 4)


def test_a_bad_variable_on_the_command_line_exits_2_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUMMARIZER_TIMEOUT", "abc")
    result = run_cli("summarize", str(SEED))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "summarizer: error: SUMMARIZER_TIMEOUT='abc' (environment variable): must be a number"
    )
    monkeypatch.delenv("SUMMARIZER_TIMEOUT")
    flagged = run_cli("summarize", str(SEED), "--max-reasks", "-1")
    assert flagged.exit_code == 2
    assert "--max-reasks -1: must be zero or more" in flagged.stderr


def test_values_that_worked_before_still_work(tmp_path: Path) -> None:
    env: dict[str, str] = {}
    _write_config(env, tmp_path, 'max_retries = 2.0\ncontext_tokens = 64000.0\nbase_url = ""\n')
    settings = resolve_settings(env=env)
    assert (settings.max_retries, settings.context_tokens, settings.base_url) == (2, 64000, None)
    # A library caller may give numbers as text, as the flags' own parser would.
    settings = resolve_settings(timeout="30", max_retries="3", env=env)  # type: ignore[arg-type]
    assert (settings.timeout, settings.max_retries) == (30.0, 3)


def test_a_port_out_of_range_is_refused_up_front(tmp_path: Path) -> None:
    env = {"SUMMARIZER_CONFIG_DIR": str(tmp_path)}
    with pytest.raises(UsageError, match="--base-url"):
        resolve_settings(base_url="http://h:99999/v1", env=env)
