"""Prompt templates: files under ``prompts/``, rendered by Jinja in strict mode, hashed.

The article is always a *value* handed to a template, never template source itself, so text
holding ``{{``, ``{%``, ``$`` or ``</article>`` reaches the model byte for byte.

The article cannot close its own delimiter: it sits between ``<article-ID>`` and
``</article-ID>``, where ID (:func:`article_boundary`) is derived from the article's text and
checked to occur nowhere in it. The same article always gets the same ID, so the same article
always renders the same request (fixture keys stay deterministic).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import PromptError

_PACKAGE_DIR = Path(__file__).resolve().parent
BRIEFING_TEMPLATES = ("briefing.system.j2", "briefing.user.j2")

# Sixteen hex digits: 64 bits of a hash of the article, so text cannot name its own boundary.
BOUNDARY_LENGTH = 16
_BOUNDARY_SHAPE = f"[0-9a-f]{{{BOUNDARY_LENGTH}}}"


def _boundary_candidate(text: str, attempt: int) -> str:
    digest = hashlib.sha256(f"article-boundary:{attempt}\x00".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:BOUNDARY_LENGTH]


def article_boundary(text: str) -> str:
    """The ID of the markers around ``text``: a short hash of it, rehashed with a counter
    until the ID occurs nowhere in the text (in any letter case), so neither marker
    (``<article-ID>``, ``</article-ID>``) can appear inside the article."""
    folded = text.lower()
    attempt = 0
    while True:
        candidate = _boundary_candidate(text, attempt)
        if candidate not in folded:
            return candidate
        attempt += 1


def opening_marker(boundary: str) -> str:
    return f"<article-{boundary}>"


def closing_marker(boundary: str) -> str:
    return f"</article-{boundary}>"


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


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def _render_user(source: str, directory: Path, article: str, boundary: str) -> str:
    try:
        return _env().from_string(source).render(article=article, boundary=boundary)
    except jinja2.TemplateError as exc:
        raise PromptError(
            f"prompt template failed to render: {exc}",
            hint=f"fix the templates in {directory}",
        ) from exc


# Stand-ins no template holds, to learn the shape of a rendered user message.
_ARTICLE_STAND_IN = "\x00ARTICLE\x00"
_BOUNDARY_STAND_IN = "\x00BOUNDARY\x00"


@functools.lru_cache(maxsize=8)
def _article_pattern(source: str, directory: Path) -> re.Pattern[str] | None:
    """A regex matching a whole user message rendered from ``source``, capturing the article
    (group ``article``) and the boundary ID (group ``boundary``, if the template uses it);
    None if the template does not hold the article exactly once."""
    rendered = _render_user(source, directory, _ARTICLE_STAND_IN, _BOUNDARY_STAND_IN)
    if rendered.count(_ARTICLE_STAND_IN) != 1:
        return None
    parts: list[str] = []
    seen_boundary = False
    for piece in re.split(
        f"({re.escape(_ARTICLE_STAND_IN)}|{re.escape(_BOUNDARY_STAND_IN)})", rendered
    ):
        if piece == _ARTICLE_STAND_IN:
            parts.append("(?P<article>.*)")
        elif piece == _BOUNDARY_STAND_IN:
            parts.append("(?P=boundary)" if seen_boundary else f"(?P<boundary>{_BOUNDARY_SHAPE})")
            seen_boundary = True
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts), re.DOTALL)


@dataclass(frozen=True)
class PromptSet:
    """The briefing prompt: system and user templates plus the hash of their bytes."""

    directory: Path
    system_source: str
    user_source: str
    hash: str

    def render(self, article: str) -> list[dict[str, str]]:
        """Chat messages for one article. The article is passed as data, never parsed, between
        markers whose ID it cannot contain (:func:`article_boundary`)."""
        try:
            system = _env().from_string(self.system_source).render()
        except jinja2.TemplateError as exc:
            raise PromptError(
                f"prompt template failed to render: {exc}",
                hint=f"fix the templates in {self.directory}",
            ) from exc
        user = _render_user(self.user_source, self.directory, article, article_boundary(article))
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def extract_article(self, content: str) -> str | None:
        """The article inside a user message these templates rendered (e.g. in a stored
        request, to explain a fixture miss), or None if ``content`` is not one. The markers'
        ID must be the one :func:`article_boundary` gives the article found."""
        pattern = _article_pattern(self.user_source, self.directory)
        match = pattern.fullmatch(content) if pattern is not None else None
        if match is None:
            return None
        article: str = match.group("article")
        boundary = match.groupdict().get("boundary")
        if boundary is not None and boundary != article_boundary(article):
            return None
        return article


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
