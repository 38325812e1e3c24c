"""Configuration, resolved in one place and one written order:

    command-line flag  >  environment variable  >  config file  >  default

Every setting is a row of :data:`SETTINGS`: its flag, environment variable, config-file key,
kind of value, default and rule. The config file is ``config.toml`` in the platform's user
config folder (``platformdirs``), or in ``$SUMMARIZER_CONFIG_DIR`` when set. The one exception
is the API key: the openai SDK's ``OPENAI_API_KEY``, read from the environment only, never
from the config file, and never printed. An environment variable set to the empty string
counts as unset. Nothing here runs at import time.
"""

from __future__ import annotations

import json
import math
import os
import shlex
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from .errors import UsageError

Mode = Literal["tools", "json_schema", "json", "md_json"]
FixtureMode = Literal["replay", "record", "missing", "live"]
MODES: tuple[Mode, ...] = ("tools", "json_schema", "json", "md_json")
FIXTURE_MODES: tuple[FixtureMode, ...] = ("replay", "record", "missing", "live")

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_MODE: Mode = "tools"
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_RETRIES = 4
DEFAULT_MAX_REASKS = 2
DEFAULT_CONTEXT_TOKENS = 128_000

_PACKAGE_DIR = Path(__file__).resolve().parent


def default_fixtures_dir() -> Path:
    """The project's own fixtures: shipped in the wheel, or ``fixtures/`` in a checkout."""
    packaged = _PACKAGE_DIR / "fixtures"
    return packaged if packaged.is_dir() else _PACKAGE_DIR.parent / "fixtures"


def is_packaged(folder: Path) -> bool:
    """True for the fixtures shipped inside an installed wheel (not a source checkout's)."""
    return Path(folder).resolve() == (_PACKAGE_DIR / "fixtures").resolve()


def config_dir(env: Mapping[str, str]) -> Path:
    override = env.get("SUMMARIZER_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir  # lazy: start-up speed

    return Path(user_config_dir("summarizer"))


def config_path(env: Mapping[str, str]) -> Path:
    return config_dir(env) / "config.toml"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about the model and fixtures, fully resolved."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: Mode = DEFAULT_MODE
    fixture_mode: FixtureMode = "replay"
    fixtures_dir: Path = field(default_factory=default_fixtures_dir)
    timeout: float = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    max_reasks: int = DEFAULT_MAX_REASKS
    strict: bool = False
    context_tokens: int = DEFAULT_CONTEXT_TOKENS
    max_tokens_per_run: int | None = None

    @property
    def endpoint_configured(self) -> bool:
        return bool(self.api_key or self.base_url)


# --- kinds of value: how text from the environment and typed values become a setting ----


class _Bad(ValueError):
    """A value that is not of its setting's kind; the text says what it must be."""


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class Kind:
    """A kind of value: ``parse`` reads environment text, ``accept`` checks a typed value
    (a flag's, or the config file's TOML value); both return the setting's value or raise."""

    parse: Callable[[str], Any]
    accept: Callable[[object], Any]


def _text_accept(value: object) -> str:
    if not isinstance(value, str):
        raise _Bad("must be a string")
    return value


def _path_accept(value: object) -> Path:
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value:
        raise _Bad("must be a folder name")
    return Path(value)


def _number_parse(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise _Bad("must be a number") from None


def _number_accept(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad("must be a number")
    return float(value)


def _whole_parse(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _Bad("must be a whole number") from None


def _whole_accept(value: object) -> int:
    if isinstance(value, float) and value.is_integer():  # "max_retries = 2.0" in TOML
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad("must be a whole number")
    return value


def _switch_parse(text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise _Bad("must be one of 1/0, true/false, yes/no, on/off")


def _switch_accept(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad("must be true or false")
    return value


def _choice(options: tuple[str, ...]) -> Kind:
    def accept(value: object) -> str:
        if value not in options:
            raise _Bad(f"must be one of: {', '.join(options)}")
        return str(value)

    return Kind(parse=accept, accept=accept)


TEXT = Kind(parse=_text_accept, accept=_text_accept)
FOLDER = Kind(parse=_path_accept, accept=_path_accept)
NUMBER = Kind(parse=_number_parse, accept=_number_accept)
WHOLE = Kind(parse=_whole_parse, accept=_whole_accept)
SWITCH = Kind(parse=_switch_parse, accept=_switch_accept)


def _http_url(url: str) -> bool:
    parts = urlparse(url)
    try:
        parts.port  # noqa: B018 -- raises on a port out of range ("http://h:99999/v1")
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# --- the settings table -------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One setting: where it can come from, what it must be, and what it is by default."""

    name: str  # the Settings field and resolve_settings argument
    flag: str  # the CLI option of ``summarize``
    env: str  # the environment variable
    key: str  # the config-file key
    kind: Kind
    default: Any  # None: decided after resolution (see resolve_settings)
    default_text: str  # the default as the README table states it
    example: Any  # a good value, for the hint of an error
    rule: Callable[[Any], bool] = lambda _value: True
    rule_text: str = ""  # what the rule demands, after "must be"
    secret: bool = False  # may hold a password: echoed in an error only if it plainly cannot


_POSITIVE = "a positive number"

# fmt: off
SETTINGS: tuple[Setting, ...] = (
    #       name                  flag                    environment variable
    #       config key            kind   default  default as documented  example
    Setting("model",              "--model",              "SUMMARIZER_MODEL",
            "model",              TEXT,  DEFAULT_MODEL, "`gpt-4o-mini`", DEFAULT_MODEL,
            rule=bool, rule_text="a model name, not empty"),
    Setting("base_url",           "--base-url",           "OPENAI_BASE_URL",
            "base_url",           TEXT,  None, "OpenAI's API", "http://localhost:11434/v1",
            rule=_http_url, rule_text="an http:// or https:// URL", secret=True),
    Setting("mode",               "--mode",               "SUMMARIZER_MODE",
            "mode",               _choice(MODES), DEFAULT_MODE, "`tools`", DEFAULT_MODE),
    Setting("fixtures_dir",       "--fixtures",           "SUMMARIZER_FIXTURES",
            "fixtures",           FOLDER, None, "the project's `fixtures/`", "my-fixtures/"),
    Setting("fixture_mode",       "--fixture-mode",       "SUMMARIZER_FIXTURE_MODE",
            "fixture_mode",       _choice(FIXTURE_MODES), None,
            "`replay` without an endpoint (see below)", "replay"),
    Setting("timeout",            "--timeout",            "SUMMARIZER_TIMEOUT",
            "timeout",            NUMBER, DEFAULT_TIMEOUT, "`120`", 120,
            rule=lambda s: math.isfinite(s) and s > 0, rule_text=f"{_POSITIVE} of seconds"),
    Setting("max_retries",        "--max-retries",        "SUMMARIZER_MAX_RETRIES",
            "max_retries",        WHOLE, DEFAULT_MAX_RETRIES, "`4`", DEFAULT_MAX_RETRIES,
            rule=lambda n: n >= 0, rule_text="zero or more"),
    Setting("max_reasks",         "--max-reasks",         "SUMMARIZER_MAX_REASKS",
            "max_reasks",         WHOLE, DEFAULT_MAX_REASKS, "`2`", DEFAULT_MAX_REASKS,
            rule=lambda n: n >= 0, rule_text="zero or more"),
    Setting("strict",             "--strict/--no-strict", "SUMMARIZER_STRICT",
            "strict",             SWITCH, False, "off", True),
    Setting("context_tokens",     "--context-tokens",     "SUMMARIZER_CONTEXT_TOKENS",
            "context_tokens",     WHOLE, DEFAULT_CONTEXT_TOKENS, "`128000`", 128000,
            rule=lambda n: n > 0, rule_text=f"{_POSITIVE} of tokens"),
    Setting("max_tokens_per_run", "--max-tokens-per-run", "SUMMARIZER_MAX_TOKENS_PER_RUN",
            "max_tokens_per_run", WHOLE, None, "no limit", 100000,
            rule=lambda n: n > 0, rule_text=f"{_POSITIVE} of tokens"),
)
# fmt: on
CONFIG_KEYS: tuple[str, ...] = tuple(sorted(s.key for s in SETTINGS))


# --- where a value came from, for errors ---------------------------------------------------


_HIDDEN = "(value not shown)"


def _hide(setting: Setting, value: object) -> bool:
    """A URL carries a secret in its user part (``user:pw@``), query or fragment."""
    return setting.secret and any(mark in str(value) for mark in "@?#")


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _bad_value(
    setting: Setting,
    source: Literal["flag", "env", "file"],
    value: object,
    problem: str,
    path: Path | None = None,
) -> UsageError:
    """``<where the value came from>: <what it must be>``, with a hint that fixes it."""
    example = setting.example
    if source == "flag":
        text = _HIDDEN if _hide(setting, value) else shlex.quote(str(value))
        if setting.kind is SWITCH:
            hint = f"use {setting.flag.replace('/', ' or ')}"
        else:
            hint = f"e.g. {setting.flag} {shlex.quote(str(example))}"
        return UsageError(f"{setting.flag} {text}: {problem}", hint=hint)
    if source == "env":
        text = _HIDDEN if _hide(setting, value) else repr(value)
        example_text = ("1" if example else "0") if isinstance(example, bool) else example
        return UsageError(
            f"{setting.env}={text} (environment variable): {problem}",
            hint=f"e.g. {setting.env}={example_text}, or unset it",
        )
    text = _HIDDEN if _hide(setting, value) else _toml(value)
    return UsageError(
        f"{setting.key} = {text} in config file {path}: {problem}",
        hint=f"e.g. {setting.key} = {_toml(example)}, or remove the line",
    )


def _accept(
    setting: Setting,
    source: Literal["flag", "env", "file"],
    raw: object,
    path: Path | None = None,
) -> Any:
    """The setting's value from one source, or a UsageError naming that source."""
    try:
        # Text is parsed from a variable, and from a library caller's argument ("30"); a
        # config file's value must have the right TOML type.
        numeric = setting.kind in (NUMBER, WHOLE)
        parse = source == "env" or (source == "flag" and numeric and isinstance(raw, str))
        value = setting.kind.parse(str(raw)) if parse else setting.kind.accept(raw)
    except _Bad as bad:
        raise _bad_value(setting, source, raw, str(bad), path) from None
    if not setting.rule(value):
        raise _bad_value(setting, source, raw, f"must be {setting.rule_text}", path)
    return value


# --- reading the config file and resolving -------------------------------------------------


def load_config_file(env: Mapping[str, str]) -> dict[str, Any]:
    """The config file's settings by name (``fixtures`` as ``fixtures_dir``), every one
    checked; ``{}`` without a file. A bad or unknown key is a UsageError naming the file."""
    path = config_path(env)
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read config file {path}: {exc}", hint="fix or remove it") from exc
    by_key = {setting.key: setting for setting in SETTINGS}
    unknown = sorted(set(data) - set(by_key))
    if unknown:
        raise UsageError(
            f"config file {path} has unknown keys: {', '.join(unknown)}",
            hint=f"allowed keys: {', '.join(CONFIG_KEYS)} (the API key only from OPENAI_API_KEY)",
        )
    return {
        by_key[key].name: _accept(by_key[key], "file", value, path)
        for key, value in data.items()
        if not (key == "base_url" and value == "")  # empty: OpenAI's own API, as before
    }


def resolve_settings(
    *,
    model: str | None = None,
    base_url: str | None = None,
    mode: str | None = None,
    fixture_mode: str | None = None,
    fixtures_dir: str | Path | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
    max_reasks: int | None = None,
    strict: bool | None = None,
    context_tokens: int | None = None,
    max_tokens_per_run: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve every setting of :data:`SETTINGS` from its flag (the argument, when not None),
    its environment variable (when set and not empty), the config file, or its default.

    The whole config file is checked, also keys a flag or variable overrides; an environment
    variable is read only when no flag is given.
    """
    env = os.environ if env is None else env
    flags: dict[str, object] = {
        "model": model,
        "base_url": base_url,
        "mode": mode,
        "fixture_mode": fixture_mode,
        "fixtures_dir": fixtures_dir,
        "timeout": timeout,
        "max_retries": max_retries,
        "max_reasks": max_reasks,
        "strict": strict,
        "context_tokens": context_tokens,
        "max_tokens_per_run": max_tokens_per_run,
    }
    from_file = load_config_file(env)
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        flag = flags[setting.name]
        if setting.name == "base_url" and flag == "":
            values[setting.name] = None  # --base-url "" asks for OpenAI's own API, as before
        elif flag is not None:
            values[setting.name] = _accept(setting, "flag", flag)
        elif env.get(setting.env):
            values[setting.name] = _accept(setting, "env", env[setting.env])
        elif setting.name in from_file:
            values[setting.name] = from_file[setting.name]
        else:
            values[setting.name] = setting.default
    api_key = env.get("OPENAI_API_KEY") or None
    if values["fixture_mode"] is None:  # the default follows the endpoint and the folder
        if not (api_key or values["base_url"]):
            values["fixture_mode"] = "replay"
        else:
            values["fixture_mode"] = "live" if values["fixtures_dir"] is None else "missing"
    if values["fixtures_dir"] is None:
        values["fixtures_dir"] = default_fixtures_dir()
    return Settings(api_key=api_key, **values)


def redact_url(url: str) -> str:
    """The endpoint as it may be shown: no user, password or query string."""
    parts = urlparse(url)
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:  # out of range: show none rather than fail while reporting
        port = None
    if port:
        host += f":{port}"
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else "the configured endpoint"
