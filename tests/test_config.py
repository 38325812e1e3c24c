"""Settings resolve in one written order: flag > environment > config file > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.config import default_fixtures_dir, resolve_settings
from summarizer.errors import UsageError


def _write_config(env: dict[str, str], tmp_path: Path, text: str) -> None:
    folder = tmp_path / "cfg"
    folder.mkdir(exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    env["SUMMARIZER_CONFIG_DIR"] = str(folder)


def test_precedence_flag_env_file_default(tmp_path: Path) -> None:
    env: dict[str, str] = {}
    _write_config(env, tmp_path, 'model = "from-file"\nmode = "json"\n')
    assert resolve_settings(env=env).model == "from-file"
    env["SUMMARIZER_MODEL"] = "from-env"
    assert resolve_settings(env=env).model == "from-env"
    assert resolve_settings(model="from-flag", env=env).model == "from-flag"
    assert resolve_settings(env=env).mode == "json"
    assert resolve_settings(env={"SUMMARIZER_CONFIG_DIR": str(tmp_path / "none")}).model == (
        "gpt-4o-mini"
    )


def test_default_fixture_mode_follows_the_endpoint(tmp_path: Path) -> None:
    base = {"SUMMARIZER_CONFIG_DIR": str(tmp_path)}
    assert resolve_settings(env=base).fixture_mode == "replay"
    assert resolve_settings(env=base).fixtures_dir == default_fixtures_dir()
    with_key = {**base, "OPENAI_API_KEY": "sk-x"}
    assert resolve_settings(env=with_key).fixture_mode == "live"
    assert resolve_settings(fixtures_dir="fx", env=with_key).fixture_mode == "missing"
    local = {**base, "OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}
    assert resolve_settings(env=local).fixture_mode == "live"


def test_key_is_not_in_repr_or_description(tmp_path: Path) -> None:
    settings = resolve_settings(
        env={"SUMMARIZER_CONFIG_DIR": str(tmp_path), "OPENAI_API_KEY": "sk-secret-value"}
    )
    assert settings.api_key == "sk-secret-value"
    assert "sk-secret-value" not in repr(settings)
    assert "sk-secret-value" not in settings.describe()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('api_key = "sk-x"\n', "unknown keys"),
        ("model = \n", "cannot read config"),
        ('mode = "telepathy"\n', "unknown mode"),
    ],
)
def test_bad_config_file_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    env: dict[str, str] = {}
    _write_config(env, tmp_path, text)
    with pytest.raises(UsageError, match=message):
        resolve_settings(env=env)
