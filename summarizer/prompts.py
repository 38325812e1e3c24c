"""Prompt templates: files under ``prompts/``, rendered by Jinja in strict mode, hashed.

The article is always a *value* handed to a template, never template source itself, so text
holding ``{{``, ``{%``, ``$`` or ``</article>`` reaches the model byte for byte.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import PromptError

_PACKAGE_DIR = Path(__file__).resolve().parent
BRIEFING_TEMPLATES = ("briefing.system.j2", "briefing.user.j2")


def prompts_dir() -> Path:
    """The folder holding the templates: inside the package when installed from a wheel,
    the repository's top-level ``prompts/`` in a source checkout."""
    for candidate in (_PACKAGE_DIR / "prompts", _PACKAGE_DIR.parent / "prompts"):
        if (candidate / BRIEFING_TEMPLATES[0]).is_file():
            return candidate
    raise PromptError(
        "prompt templates not found next to the summarizer package",
        hint="reinstall summarizer (pip install .) so the prompts/ folder is included",
    )


@dataclass(frozen=True)
class PromptSet:
    """The briefing prompt: system and user templates plus the hash of their bytes."""

    directory: Path
    system_source: str
    user_source: str
    hash: str

    def _env(self) -> jinja2.Environment:
        return jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
        )

    def render(self, article: str) -> list[dict[str, str]]:
        """Chat messages for one article. The article is passed as data, never parsed."""
        env = self._env()
        try:
            system = env.from_string(self.system_source).render()
            user = env.from_string(self.user_source).render(article=article)
        except jinja2.TemplateError as exc:
            raise PromptError(
                f"prompt template failed to render: {exc}",
                hint=f"fix the templates in {self.directory}",
            ) from exc
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def article_frame(self) -> tuple[str, str]:
        """The user message's text before and after the article, used to find the article
        inside a stored request when explaining a fixture miss."""
        marker = "\x00ARTICLE\x00"
        rendered = self.render(marker)[1]["content"]
        before, _, after = rendered.partition(marker)
        return before, after


def hash_templates(sources: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b"\x00" + sources[name] + b"\x00")
    return digest.hexdigest()[:16]


def load_prompts(directory: Path | None = None) -> PromptSet:
    """Read and hash the briefing templates (read afresh each call: edits are never stale)."""
    folder = directory or prompts_dir()
    raw: dict[str, bytes] = {}
    for name in BRIEFING_TEMPLATES:
        path = folder / name
        try:
            raw[name] = path.read_bytes()
        except OSError as exc:
            raise PromptError(f"cannot read prompt template {path}: {exc.strerror}") from exc
    return PromptSet(
        directory=folder,
        system_source=raw[BRIEFING_TEMPLATES[0]].decode("utf-8"),
        user_source=raw[BRIEFING_TEMPLATES[1]].decode("utf-8"),
        hash=hash_templates(raw),
    )
