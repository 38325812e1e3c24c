"""What a fixture folder holds: stale, unused, broken and unsafe fixtures, authored and
recorded counts (``summarizer fixtures check``), and removing the unused (``prune``).

- **Stale**: recorded for a prompt template or draft schema that is no longer current (its
  facets say which), so the current code's requests would miss it.
- **Unused**: no current request reaches it. Found by replaying: every fixture that is a first
  request (a system and a user message holding an article) is briefed again from the folder,
  in replay mode, with its model and mode; what those briefings (re-asks included) are
  answered from is used, and the rest is not. A suite may add the keys its cases use.
- **Broken**: not a readable fixture file.
- **Unsafe**: holds what looks like a secret: an OpenAI-style key, a bearer token, an
  authorization or API-key header with a value, an AWS access key, or the value of
  ``OPENAI_API_KEY``. The secret itself is never printed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..articles import article_from_bytes
from ..config import Settings
from ..errors import FixtureCorrupt, SummarizerError, UsageError
from ..model.fixtures import KEY_FILENAME_CHARS, Exchange, FixtureStore
from ..pipeline import Summarizer, draft_schema_hash
from ..prompts import PromptSet, load_prompts

_SECRETS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("OpenAI-style API key", re.compile(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}")),
    ("bearer token", re.compile(r"\bBearer\s+[A-Za-z0-9._~+/=-]{12,}")),
    (
        "authorization or API-key header",
        re.compile(
            r"""["']?(?:authorization|x-api-key|api-key|api_key)["']?\s*[:=]\s*"""
            r"""["']?(?!null\b|none\b|""|'')[A-Za-z0-9._~+/=-]{8,}""",
            re.IGNORECASE,
        ),
    ),
    ("AWS access key", re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")),
)
MAX_REASKS = 8  # enough for any recorded chain of re-asks to be replayed whole


@dataclass(frozen=True)
class Stale:
    path: Path
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unsafe:
    path: Path
    kind: str
    masked: str


@dataclass
class Inventory:
    directory: Path
    fixtures: int = 0
    origins: Counter[str] = field(default_factory=Counter)
    stale: list[Stale] = field(default_factory=list)
    unused: list[Path] = field(default_factory=list)
    broken: list[tuple[Path, str]] = field(default_factory=list)
    unsafe: list[Unsafe] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when anything is stale, broken or unsafe; unused alone is not a failure."""
        return 1 if self.stale or self.broken or self.unsafe else 0

    def lines(self) -> list[str]:
        counted = ", ".join(f"{n} {origin}" for origin, n in sorted(self.origins.items()))
        head = (
            f"{self.directory}: {self.fixtures} fixture(s) ({counted or 'none'}); "
            f"{len(self.stale)} stale, {len(self.unused)} unused, {len(self.broken)} broken, "
            f"{len(self.unsafe)} unsafe"
        )
        out = [head]
        out += [f"stale: {s.path.name}: {'; '.join(s.reasons)}" for s in self.stale]
        out += [f"broken: {path.name}: {why}" for path, why in self.broken]
        out += [f"unsafe: {u.path.name}: {u.kind} ({u.masked})" for u in self.unsafe]
        out += [f"unused: {path.name} (no current request reaches it)" for path in self.unused]
        if self.unused and not self.exit_code:
            out.append("unused fixtures alone do not fail the check; `fixtures prune` removes them")
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "directory": str(self.directory),
            "fixtures": self.fixtures,
            "origins": dict(self.origins),
            "stale": [{"file": s.path.name, "reasons": list(s.reasons)} for s in self.stale],
            "unused": [p.name for p in self.unused],
            "broken": [{"file": p.name, "problem": why} for p, why in self.broken],
            "unsafe": [
                {"file": u.path.name, "kind": u.kind, "masked": u.masked} for u in self.unsafe
            ],
            "exit_code": self.exit_code,
        }


def _mask(secret: str) -> str:
    return f"{secret[:4]}…{len(secret)} chars" if len(secret) > 8 else "…"


def scan_secrets(text: str, env: Mapping[str, str]) -> list[tuple[str, str]]:
    """(kind, masked) for each secret-looking string in ``text``."""
    found = [
        (kind, _mask(m.group(0))) for kind, pattern in _SECRETS for m in pattern.finditer(text)
    ]
    key = env.get("OPENAI_API_KEY", "")
    if len(key) > 8 and key in text:
        found.append(("the value of OPENAI_API_KEY", _mask(key)))
    return found


def _stale_reasons(exchange: Exchange, prompts: PromptSet, schema: str) -> tuple[str, ...]:
    facets = exchange.meta.get("facets") or {}
    reasons = []
    template = facets.get("template") or exchange.meta.get("template_hash")
    if template and template != prompts.hash:
        reasons.append(f"prompt template {template} stored, {prompts.hash} now")
    stored_schema = facets.get("schema")
    if stored_schema and stored_schema != schema:
        reasons.append(f"draft schema {stored_schema} stored, {schema} now")
    return tuple(reasons)


def _first_article(exchange: Exchange, prompts: PromptSet) -> str | None:
    body = exchange.request.get("body")
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list) or len(messages) != 2:
        return None
    content = messages[1].get("content") if isinstance(messages[1], dict) else None
    return prompts.extract_article(content) if isinstance(content, str) else None


def _reached(directory: Path, exchange: Exchange, article: str, base: Settings) -> set[str]:
    """The fixture files a briefing of ``article`` replayed from ``directory`` is answered
    from, re-asks included (as far as it gets when something misses)."""
    body = exchange.request.get("body") or {}
    facets = exchange.meta.get("facets") or {}
    settings = dataclasses.replace(
        base,
        model=str(body.get("model") or base.model),
        mode=facets.get("mode") or base.mode,
        fixture_mode="replay",
        fixtures_dir=directory,
        max_reasks=max(base.max_reasks, MAX_REASKS),
    )
    text = article_from_bytes(article.encode("utf-8"), label=exchange.path.name)
    try:
        with Summarizer(settings) as summarizer:
            briefing = summarizer.summarize(text)
    except SummarizerError as error:
        return {k[:KEY_FILENAME_CHARS] for k in error.fixture_keys} | {
            exchange.key[:KEY_FILENAME_CHARS]
        }
    return set(briefing.provenance.fixtures)


def inventory(
    directory: Path,
    *,
    settings_base: Settings | None = None,
    extra_used: Iterable[str] = (),
    env: Mapping[str, str] | None = None,
) -> Inventory:
    """The state of every fixture file in ``directory`` (see the module doc)."""
    if not directory.is_dir():
        what = "does not exist" if not directory.exists() else "is not a folder"
        raise UsageError(f"fixture folder {directory} {what}", hint="name a folder of fixtures")
    env = os.environ if env is None else env
    base = settings_base or Settings()
    prompts, schema = load_prompts(), draft_schema_hash()
    store = FixtureStore(directory)
    found = Inventory(directory)
    fresh: list[Exchange] = []
    for path in sorted(directory.glob("*.json")):
        found.fixtures += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        found.unsafe += [Unsafe(path, kind, masked) for kind, masked in scan_secrets(text, env)]
        try:
            exchange = store.read(path)
        except FixtureCorrupt as error:
            found.broken.append((path, error.message.split("(", 1)[-1].rstrip(")")))
            continue
        found.origins[exchange.origin] += 1
        reasons = _stale_reasons(exchange, prompts, schema)
        if reasons:
            found.stale.append(Stale(path, reasons))
        else:
            fresh.append(exchange)
    used = {k[:KEY_FILENAME_CHARS] for k in extra_used}
    for exchange in fresh:
        article = _first_article(exchange, prompts)
        if article is not None and exchange.path.stem not in used:
            used |= _reached(directory, exchange, article, base)
    found.unused = [e.path for e in fresh if e.path.stem not in used]
    return found


def prune(found: Inventory) -> list[Path]:
    """Remove the unused and the stale fixtures of an inventory; the paths removed."""
    removed = [*found.unused, *(s.path for s in found.stale)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def report_json(found: Inventory) -> str:
    return json.dumps(found.as_json(), indent=2, ensure_ascii=False) + "\n"
