"""A saved web page read as an article: its main text and title through trafilatura, its
publication date from the page's own metadata through htmldate.

Navigation, scripts, styles, comments, sidebars and footers are left out by the extraction,
so they never reach the model. The article's text is the title, a blank line, then the main
text's paragraphs separated by blank lines; every character offset in the briefing counts in
that text. Nothing is fetched: both libraries work on the file's bytes only.

The date is taken only from the page's markup (meta tags, JSON-LD, ``<time>``...), never
guessed from the running text or from today (htmldate's extensive search is off).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath

from .errors import InputError

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_SNIFF = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)
MIN_WORDS = 20  # fewer is a menu or a caption, not an article
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.I)


@dataclass(frozen=True)
class Extracted:
    """What a page gave: the article text, its title, and a date from its metadata."""

    text: str
    title: str | None
    published: dt.date | None


def looks_like_url(argument: str) -> bool:
    return bool(_URL.match(argument.strip()))


def looks_like_html(data: bytes, path: str | None) -> bool:
    """A page by its name (.html, .htm, .xhtml) or by how it starts."""
    if path is not None and PurePath(path).suffix.lower() in HTML_SUFFIXES:
        return True
    return bool(_SNIFF.match(data[:4096]))


def extract_page(page: str, *, label: str, path: str | None) -> Extracted:
    """The main text, title and metadata date of a page (see the module doc)."""
    import trafilatura  # lazy: only an HTML input needs the extraction libraries
    from htmldate import find_date

    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
    )  # no deduplicate: its cache spans calls, and would drop a page read twice
    body = getattr(document, "text", None) if document is not None else None
    title = (getattr(document, "title", None) or "").strip() or None
    paragraphs = [" ".join(line.split()) for line in (body or "").splitlines() if line.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if sum(len(p.split()) for p in paragraphs) < MIN_WORDS:
        raise InputError(
            f"{label}: no article text found in this HTML page",
            path=path,
            hint="save the article's own page, or pass its text as a .txt file",
        )
    text = "\n\n".join([title, *paragraphs] if title else paragraphs)
    found = find_date(page, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    published = dt.date.fromisoformat(found) if found else None
    return Extracted(text=text, title=title, published=published)
