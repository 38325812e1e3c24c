"""Reading articles: bytes from a file or stdin to checked text with its title and dateline."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

# Far beyond any news article; guards against feeding a log file or a book to the model.
MAX_ARTICLE_CHARS = 200_000
MAX_ARTICLE_BYTES = 4 * MAX_ARTICLE_CHARS  # UTF-8 takes at most four bytes a character
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
# A line that is only a date, perhaps with a weekday, a label or a clock time:
# "December 20, 2007", "Monday, January 10, 2022", "10 January 2022", "2022-01-10",
# "Published: January 10, 2022", "January 10, 2022 12:30 GMT".
_DATELINE_RE = re.compile(
    rf"^(?:(?:Published|Updated|Posted|Date)\s*:?\s*)?{_WEEKDAY}"
    rf"(?P<date>{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:[\sT,]+\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?:[AaPp]\.?[Mm]\.?)?\s*[A-Z]{{0,4}})?$",
    re.I,
)


@dataclass(frozen=True)
class Article:
    """One article's text as read, untouched: offsets into ``text`` are offsets into the file."""

    text: str
    path: str | None
    title: str | None
    dateline: dt.date | None
    encoding: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def label(self) -> str:
        return self.path or "<stdin>"


def read_article(path: str) -> Article:
    """Read ``path`` (or ``-`` for stdin) and check that it is usable article text."""
    label = "<stdin>" if path == "-" else path
    if path == "-":
        data = _read_capped(sys.stdin.buffer, label, None)
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file", path=path, hint="check the path")
        if p.is_dir():
            raise InputError(
                f"{path}: is a directory", path=path, hint="pass the article files inside it"
            )
        try:
            with p.open("rb") as handle:
                data = _read_capped(handle, label, path)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})", path=path) from exc
    return article_from_bytes(data, label=label, path=None if path == "-" else path)


def _read_capped(handle: BinaryIO, label: str, path: str | None) -> bytes:
    """Read at most what could decode to an article within the limit (a log file, a disk
    image or /dev/zero is refused without being read whole)."""
    data = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{label}: over {MAX_ARTICLE_BYTES:,} bytes, far more than a news article",
            path=path,
            hint="split it into separate articles",
        )
    return bytes(data)


def article_from_bytes(data: bytes, *, label: str, path: str | None = None) -> Article:
    text, encoding = decode_text(data, label=label)
    if not text.strip():
        raise InputError(
            f"{label}: the article is empty", path=path, hint="pass a file that holds the text"
        )
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{label}: the article has {len(text):,} characters, over the limit of "
            f"{MAX_ARTICLE_CHARS:,}",
            path=path,
            hint="split it into separate articles",
        )
    return Article(
        text=text,
        path=path,
        title=_title(text),
        dateline=find_dateline(text),
        encoding=encoding,
    )


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_RE = re.compile(rb"(?:charset|encoding|coding)[=:]\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def decode_text(data: bytes, *, label: str) -> tuple[str, str]:
    """Decode article bytes: a byte-order mark, else UTF-8 (UTF-8 with a few bad bytes is
    refused, not guessed at), else an encoding the file declares (``charset=``,
    ``encoding=``, ``coding:``), else Windows-1252 when it reads as Western text, else one
    detected by charset-normalizer. Binary data and bytes no encoding fits are refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked_text(data.decode(encoding), label), encoding
            except UnicodeDecodeError as exc:
                why = f"it starts with a {encoding} mark but {exc.reason}"
                raise _undecodable(label, why) from None
    if b"\x00" in data[:8192]:
        raise _binary(label)
    try:
        return _checked_text(data.decode("utf-8"), label), "utf-8"
    except UnicodeDecodeError as exc:
        if _mostly_utf8(data):
            # UTF-8 with a few bad bytes: guessing another encoding would garble all of it.
            raise _undecodable(label, f"invalid UTF-8 at byte {exc.start}") from None
    declared = _DECLARED_RE.search(data[:2048])
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            return _checked_text(data.decode(name), label), name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: fall through to detection
    western = _as_windows_1252(data)
    if western is not None:
        return _checked_text(western, label), "cp1252"
    from charset_normalizer import from_bytes  # lazy: only for text that is not UTF-8

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise _undecodable(label, "no text encoding fits them")
    return _checked_text(str(best), label), best.encoding


def _mostly_utf8(data: bytes) -> bool:
    """Multi-byte UTF-8 sequences decode, and only a few bytes do not."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return multibyte > 0 and bad <= max(2, multibyte // 10)


# Accented Latin letters and the typographic marks of Western news (quotes, dashes, €).
_WESTERN = set("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ“”‘’–—…€£°«»")


def _as_windows_1252(data: bytes) -> str | None:
    """Windows-1252 (a superset of Latin-1's printable range), when every byte above ASCII
    reads as an accented letter or typographic mark: the usual case for Western news text,
    which detectors often take for a rarer code page on short files."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text if ord(ch) > 0x7F]
    letters = sum(1 for ch in text if ch.isalpha())
    # Western languages are mostly ASCII letters; a text of nothing but "accented letters"
    # is another script in another code page (Cyrillic in cp1251, say).
    western = high and all(ch in _WESTERN for ch in high) and len(high) <= 0.3 * letters
    return text if western else None


def _checked_text(text: str, label: str) -> str:
    """Refuse text that is mostly control characters: a binary file decoded by force."""
    controls = sum(1 for ch in text if _is_control(ch))
    if controls > max(8, len(text) // 100):
        raise _binary(label)
    return text


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 and ch not in "\n\r\t\f") or 0x7F <= code <= 0x9F


def _binary(label: str) -> InputError:
    return InputError(
        f"{label}: looks like a binary file, not article text",
        path=label,
        hint="pass a plain-text article (UTF-8 preferred)",
    )


def _undecodable(label: str, why: str) -> InputError:
    return InputError(
        f"{label}: cannot decode the bytes as text ({why})",
        path=label,
        hint="convert the file to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8",
    )


def _title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 300 else None
    return None


def find_dateline(text: str) -> dt.date | None:
    """A publication date standing alone on one of the article's first lines."""
    from dateutil import parser as date_parser  # lazy: start-up speed

    for line in text.splitlines()[:8]:
        match = _DATELINE_RE.match(line.strip())
        if match:
            try:
                return date_parser.parse(match.group("date")).date()
            except (ValueError, OverflowError):
                continue  # looked like a date but is not one: try the next line
    return None
