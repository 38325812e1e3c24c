"""A saved web page read as an article: its main text and title through trafilatura, its
publication date from the page's own metadata through htmldate.

Navigation, scripts, styles, comments, sidebars and footers are left out by the extraction,
so they never reach the model. The article's text is the title, a blank line, then the main
text's paragraphs separated by blank lines; every character offset in the briefing counts in
that text. Nothing is fetched: the page is parsed here and both libraries get the parsed tree,
never a string they could take for a URL.

The date is taken only from the page's markup: meta tags, JSON-LD, a canonical URL with a date
in it, ``<time>`` and ``<abbr>`` elements, and elements whose class, id or itemprop names a date.
htmldate is shown a copy of the page with all other text removed, so a date in the running text
("the deadline of 2021-12-17") is never taken for the publication date; a date printed at the
top of the text is still read, as a dateline (basis ``article``), by summarizer.articles.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from copy import deepcopy
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import InputError

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SNIFF_CHARS = 4096
# A byte-order mark, space, an XML prolog and comments may come before the doctype or <html>.
_SNIFF = re.compile(
    r"^\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
    re.I | re.S,
)
MIN_WORDS = 20  # fewer is a menu or a caption, not an article
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.I)
# class, id or itemprop values that mark an element as holding a date (date, datePublished,
# publish-time, byline...): their text is markup, not running text.
_DATE_MARK = re.compile(r"date|time|publish|byline", re.I)
_MARKING_ATTRIBUTES = ("class", "id", "itemprop")


@dataclass(frozen=True)
class Extracted:
    """What a page gave: the article text, its title, and a date from its metadata."""

    text: str
    title: str | None
    published: dt.date | None


def looks_like_url(argument: str) -> bool:
    return bool(_URL.match(argument.strip()))


def url_error(argument: str) -> InputError:
    """The error for a URL given where a file is expected: one line that says what to do."""
    parts = urlsplit(argument.strip())
    if parts.scheme.lower() == "file":
        return InputError(
            f"{argument}: summarizer reads files by their path, not file:// URLs",
            path=argument,
            hint=f"pass the path itself, e.g. {shlex.quote(unquote(parts.path) or '/')}",
        )
    return InputError(
        f"{argument}: summarizer reads files, not URLs",
        path=argument,
        hint=f"save the page first, e.g. curl -L -o page.html {shlex.quote(argument)}, "
        "then pass page.html",
    )


def looks_like_html(head: str | bytes, path: str | None) -> bool:
    """A page by its name (.html, .htm, .xhtml) or by how it starts (``<!doctype html`` or
    ``<html``, after space, a byte-order mark, an XML prolog or comments)."""
    if path is not None and PurePath(path).suffix.lower() in HTML_SUFFIXES:
        return True
    if isinstance(head, bytes):
        head = head[:SNIFF_CHARS].decode("utf-8", errors="replace")
    return bool(_SNIFF.match(head[:SNIFF_CHARS]))


def extract_page(page: str, *, label: str, path: str | None) -> Extracted:
    """The main text, title and metadata date of a page (see the module doc)."""
    import trafilatura  # lazy: only an HTML input needs the extraction libraries

    tree = trafilatura.load_html(page)
    if tree is None:
        raise _no_article(label, path)
    markup = markup_only(tree)  # before extraction, which must not see a pruned copy
    document = trafilatura.bare_extraction(
        tree,
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
        raise _no_article(label, path)
    text = "\n\n".join([title, *paragraphs] if title else paragraphs)
    return Extracted(text=text, title=title, published=metadata_date(markup))


def markup_only(tree: Any) -> Any:
    """A copy of a parsed page that keeps its markup and drops its running text.

    The head, JSON-LD, ``<time>`` and ``<abbr>`` elements and elements whose class, id or
    itemprop names a date keep their text (and their children theirs); every other element
    loses its text and its children's tails, and scripts and styles lose theirs everywhere.
    Attributes all stay: meta tags, ``datetime``, a canonical link."""
    copy = deepcopy(tree)
    stack: list[tuple[Any, bool]] = [(copy, False)]
    while stack:  # not recursive: a page may nest deeper than Python recurses
        element, inherited = stack.pop()
        kept = (inherited or _marks_a_date(element)) and not _is_code(element)
        if not kept:
            element.text = None
        for child in element:
            if not kept:
                child.tail = None
            stack.append((child, kept))
    return copy


def metadata_date(markup: Any) -> dt.date | None:
    """The publication date the markup gives (see markup_only), or None: htmldate without its
    free-text search, preferring the original date to an update's."""
    from htmldate import find_date  # lazy, like trafilatura

    found = find_date(markup, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    return dt.date.fromisoformat(found) if found else None


def _marks_a_date(element: Any) -> bool:
    tag = element.tag
    if not isinstance(tag, str):  # a comment or a processing instruction
        return False
    if tag.lower() in ("head", "time", "abbr"):
        return True
    if tag.lower() == "script":
        return "json" in (element.get("type") or "").lower()
    return any(_DATE_MARK.search(element.get(name) or "") for name in _MARKING_ATTRIBUTES)


def _is_code(element: Any) -> bool:
    """A script that is not JSON, or a style sheet: code, whose strings are no metadata."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag == "style":
        return True
    return tag == "script" and "json" not in (element.get("type") or "").lower()


def _no_article(label: str, path: str | None) -> InputError:
    return InputError(
        f"{label}: no article text found in this HTML page",
        path=path,
        hint="save the article's own page, or pass its text as a .txt file",
    )
