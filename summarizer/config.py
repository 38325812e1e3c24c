"""Configuration, resolved in one place and one written order:

    command-line flag  >  environment variable  >  config file  >  default

The config file is ``config.toml`` in the platform's user config folder (``platformdirs``),
or in ``$SUMMARIZER_CONFIG_DIR`` when set. Nothing here runs at import time.

Environment variables: ``SUMMARIZER_MODEL``, ``SUMMARIZER_MODE``, ``SUMMARIZER_FIXTURES``,
``SUMMARIZER_FIXTURE_MODE``, and the openai SDK's own ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``.
The API key is read from the environment only, never from the config file, and never printed.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast
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
_CONFIG_KEYS = {
    "model",
    "base_url",
    "mode",
    "fixtures",
    "fixture_mode",
    "timeout",
    "max_retries",
    "context_tokens",
}


_NUMBER_KEYS = {"timeout", "max_retries", "context_tokens"}


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
    from platformdirs import user_config_dir

    return Path(user_config_dir("summarizer"))


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

    def describe(self) -> str:
        """A human description with no secret in it."""
        where = (
            redact_url(self.base_url)
            if self.base_url
            else ("api.openai.com" if self.api_key else "no endpoint")
        )
        return f"model {self.model} via {where}, mode {self.mode}, fixtures {self.fixture_mode}"


def load_config_file(env: Mapping[str, str]) -> dict[str, Any]:
    path = config_dir(env) / "config.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read config file {path}: {exc}", hint="fix or remove it") from exc
    unknown = set(data) - _CONFIG_KEYS
    if unknown:
        raise UsageError(
            f"config file {path} has unknown keys: {', '.join(sorted(unknown))}",
            hint=f"allowed keys: {', '.join(sorted(_CONFIG_KEYS))}",
        )
    for key, value in data.items():
        wanted = (int, float) if key in _NUMBER_KEYS else str
        if isinstance(value, bool) or not isinstance(value, wanted):
            kind = "a number" if key in _NUMBER_KEYS else "a string"
            raise UsageError(
                f"config file {path}: {key} must be {kind}, not {value!r}", hint="fix the value"
            )
    return data


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
    strict: bool = False,
    context_tokens: int | None = None,
    max_tokens_per_run: int | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve every setting from flags (the arguments), environment, config file, defaults."""
    env = os.environ if env is None else env
    file_cfg = load_config_file(env)

    def pick(flag: Any, env_name: str | None, key: str, default: Any) -> Any:
        if flag is not None:
            return flag
        if env_name and env.get(env_name):
            return env[env_name]
        if key in file_cfg:
            return file_cfg[key]
        return default

    resolved_mode = pick(mode, "SUMMARIZER_MODE", "mode", DEFAULT_MODE)
    if resolved_mode not in MODES:
        raise UsageError(f"unknown mode {resolved_mode!r}", hint=f"use one of: {', '.join(MODES)}")
    api_key = env.get("OPENAI_API_KEY") or None
    url = pick(base_url, "OPENAI_BASE_URL", "base_url", None) or None
    fixtures_flag = pick(fixtures_dir, "SUMMARIZER_FIXTURES", "fixtures", None)
    chosen_fixture_mode = pick(fixture_mode, "SUMMARIZER_FIXTURE_MODE", "fixture_mode", None)
    if chosen_fixture_mode is None:
        if not (api_key or url):
            chosen_fixture_mode = "replay"
        elif fixtures_flag is not None:
            chosen_fixture_mode = "missing"
        else:
            chosen_fixture_mode = "live"
    if chosen_fixture_mode not in FIXTURE_MODES:
        raise UsageError(
            f"unknown fixture mode {chosen_fixture_mode!r}",
            hint=f"use one of: {', '.join(FIXTURE_MODES)}",
        )
    try:
        resolved_timeout = float(pick(timeout, "SUMMARIZER_TIMEOUT", "timeout", DEFAULT_TIMEOUT))
        resolved_retries = int(
            pick(max_retries, "SUMMARIZER_MAX_RETRIES", "max_retries", DEFAULT_MAX_RETRIES)
        )
        resolved_context = int(
            pick(
                context_tokens,
                "SUMMARIZER_CONTEXT_TOKENS",
                "context_tokens",
                DEFAULT_CONTEXT_TOKENS,
            )
        )
    except (TypeError, ValueError) as exc:
        raise UsageError(f"invalid number in settings: {exc}") from exc
    if not math.isfinite(resolved_timeout) or resolved_timeout <= 0:
        raise UsageError(f"timeout must be a positive number of seconds, not {resolved_timeout}")
    if resolved_retries < 0 or resolved_context <= 0:
        raise UsageError("timeout and context tokens must be positive, max retries zero or more")
    if max_tokens_per_run is not None and max_tokens_per_run <= 0:
        raise UsageError("--max-tokens-per-run must be positive")
    reasks = DEFAULT_MAX_REASKS if max_reasks is None else max_reasks
    if reasks < 0:
        raise UsageError("--max-reasks must be zero or more")
    return Settings(
        model=str(pick(model, "SUMMARIZER_MODEL", "model", DEFAULT_MODEL)),
        base_url=url,
        api_key=api_key,
        mode=resolved_mode,
        fixture_mode=cast(FixtureMode, chosen_fixture_mode),
        fixtures_dir=Path(fixtures_flag) if fixtures_flag is not None else default_fixtures_dir(),
        timeout=resolved_timeout,
        max_retries=resolved_retries,
        max_reasks=reasks,
        strict=strict,
        context_tokens=resolved_context,
        max_tokens_per_run=max_tokens_per_run,
    )


def redact_url(url: str) -> str:
    """The endpoint as it may be shown: no user, password or query string."""
    parts = urlparse(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else "the configured endpoint"
