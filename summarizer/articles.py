"""Reading articles: bytes from a file or stdin to checked text with its title and dateline."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .htmlinput import extract_page, looks_like_html, looks_like_url, url_error

# Far beyond any news article; guards against feeding a log file or a book to the model.
MAX_ARTICLE_CHARS = 200_000
MAX_ARTICLE_BYTES = 4 * MAX_ARTICLE_CHARS  # UTF-8 takes at most four bytes a character
# A saved page is mostly markup, scripts and inlined images around the article: a news
# page saved by a browser is often a few megabytes. Its extracted text has the limit above.
MAX_PAGE_BYTES = 20_000_000


@dataclass(frozen=True)
class Article:
    """One article's text as read and normalised (line endings to LF, Unicode NFC): offsets
    into ``text``, the hash and the prompt all use the normalised text. ``normalized`` lists
    what normalisation changed ("CRLF line endings to LF", "CR line endings to LF",
    "Unicode NFC"), empty when the file was already normal."""

    text: str
    path: str | None
    title: str | None
    dateline: dt.date | None
    encoding: str
    normalized: tuple[str, ...] = ()
    # "html" when the text was extracted from a saved web page (see summarizer.htmlinput),
    # with the publication date the page's metadata gave, if any.
    extracted_from: str | None = None
    metadata_date: dt.date | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def label(self) -> str:
        return self.path or "<stdin>"


def read_article(path: str) -> Article:
    """Read ``path`` (or ``-`` for stdin) and check that it is usable article text."""
    label = "<stdin>" if path == "-" else path
    if looks_like_url(path) and not Path(path).exists():
        raise url_error(path)
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
    image or /dev/zero is refused without being read whole); a saved web page, known by its
    name or its start, may be larger (MAX_PAGE_BYTES)."""
    data = handle.read(MAX_ARTICLE_BYTES + 1)
    if len(data) <= MAX_ARTICLE_BYTES:
        return bytes(data)
    if not looks_like_html(data, path):
        raise InputError(
            f"{label}: over {MAX_ARTICLE_BYTES:,} bytes, far more than a news article",
            path=path,
            hint="split it into separate articles",
        )
    data += handle.read(MAX_PAGE_BYTES + 1 - len(data))
    if len(data) > MAX_PAGE_BYTES:
        raise InputError(
            f"{label}: over {MAX_PAGE_BYTES:,} bytes, far more than a saved news page",
            path=path,
            hint="save the page without its images and media, or pass its text as a .txt file",
        )
    return bytes(data)


def article_from_bytes(data: bytes, *, label: str, path: str | None = None) -> Article:
    decoded, encoding = decode_text(data, label=label)
    if looks_like_html(decoded, path):
        return _from_page(decoded, encoding, label=label, path=path)
    text, normalized = normalize_text(decoded)
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
        normalized=normalized,
    )


def _from_page(page: str, encoding: str, *, label: str, path: str | None) -> Article:
    """An article from a saved web page: its main text, title and metadata date."""
    extracted = extract_page(page, label=label, path=path)
    text, normalized = normalize_text(extracted.text)
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{label}: the page's article has {len(text):,} characters, over the limit of "
            f"{MAX_ARTICLE_CHARS:,}",
            path=path,
        )
    return Article(
        text=text,
        path=path,
        title=extracted.title or _title(text),
        dateline=find_dateline(text),
        encoding=encoding,
        normalized=normalized,
        extracted_from="html",
        metadata_date=extracted.published,
    )


def normalize_text(text: str) -> tuple[str, tuple[str, ...]]:
    """The text with CRLF and lone CR line endings turned to LF and Unicode composed (NFC),
    and what of that changed anything: the same article saved on Windows, or with decomposed
    accents, then hashes, prompts and grounds the same."""
    changed: list[str] = []
    if "\r\n" in text:
        changed.append("CRLF line endings to LF")
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        changed.append("CR line endings to LF")
        text = text.replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        changed.append("Unicode NFC")
        text = unicodedata.normalize("NFC", text)
    return text, tuple(changed)


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


# --- Datelines -------------------------------------------------------------------------------
#
# A dateline is a shape, not a date anywhere: a line (or a part of one between "|", "•" or
# "·") that is only a date, perhaps labelled ("Published", "Updated: ...") or after a byline
# ("By Jane Doe, ..."), with an optional clock time; or a line that opens with a place and a
# date before a dash ("RIVERTON, March 3, 2025 — ..."). A date inside a sentence is never one.
# Only the head of the article is read: see _head_lines.

HEAD_LINES = 8  # non-empty lines
HEAD_CHARS = 600  # a head line starts within this many characters of the text

_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![A-Za-z])\.?"
)
_DAY = r"\d{1,2}(?!\d)(?i:st|nd|rd|th)?"
_YEAR = r"\d{4}(?!\d)"
_WEEKDAY = (
    r"(?i:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)(?![A-Za-z])\.?,?\s+"
)
_MDY = rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"  # March 3, 2025 / Mar. 3 2025
_DMY = rf"{_DAY}\s+(?i:of\s+)?{_MONTH},?\s+{_YEAR}"  # 3 March 2025
_ISO = r"\d{4}[-/]\d{1,2}[-/]\d{1,2}(?!\d)"  # 2025-03-03
_NUMERIC = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?!\d)"  # 03/03/2025, 3.3.2025
_FULL_DATE = rf"(?:{_WEEKDAY})?(?:{_MDY}|{_DMY}|{_ISO}|{_NUMERIC})"
_PARTIAL_DATE = rf"(?:{_WEEKDAY})?(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})"  # March 3
_CLOCK = r"\d{1,2}(?:[:.]\d{2}){1,2}(?:\s*(?i:[ap]\.?\s?m\.?))?|\d{1,2}\s*(?i:[ap]\.?\s?m\.?)"
_ZONE = (
    r"\(?(?:GMT|UTC|Z|[A-Z]{1,4}T|IST|MSK)(?:\s*[+\-−]\s*\d{1,2}(?::?\d{2})?)?\)?"
    r"|[+\-−]\d{2}:?\d{2}"
)
_TIME = rf"(?:{_CLOCK})(?:\s*(?:{_ZONE}))?"
_AFTER_DATE = rf"(?:(?:\s*[,@–—-]\s*|\s+(?i:at)\s+|\s+|T)(?:{_TIME}))?\.?"
# "Updated" dates give way to any other: the story was first published before it was updated.
_UPDATED_LABEL = r"(?i:(?:last\s+)?(?:updated|modified|edited|revised))"
_LABEL = (
    rf"(?:(?P<updated>{_UPDATED_LABEL})|"
    r"(?i:(?:first\s+|originally\s+)?(?:published|posted|filed|released|issued)|dated?))"
    r"(?:\s+(?i:on|at))?\s*:?\s*"
)
_BYLINE = r"(?i:by)\s+[^\d|•·]{1,100}?(?:\s*[,–—]\s*|\s+-\s+|\s+(?i:on)\s+)"
_DATE_PART = re.compile(rf"(?:{_BYLINE})?(?:{_LABEL})?(?P<date>{_FULL_DATE}){_AFTER_DATE}")
_PART_SEPARATOR = re.compile(r"\s*[|•·]\s*")
_META_LINE_CHARS = 250  # a line of date, byline and labels is short

_PLACE_WORD = r"[A-ZÀ-ÖØ-Þ][\w.'’-]*"
_PLACE = (
    rf"{_PLACE_WORD}(?:\s+(?:(?:de|da|do|del|di|la|le|el|al|am|an|of|on|upon|sur)\s+)?"
    rf"{_PLACE_WORD}){{0,4}}"
)
_AGENCY = r"\([A-Za-z][\w .&'/-]{0,30}\)"
_DASH = r"\s*(?:--|[-‐‑‒–—―])\s*"
# Not a date range ("March 3 - 5, 2025"): a dash followed by a bare day is not a dateline's.
_NOT_A_RANGE = r"(?!\d{1,2}(?:st|nd|rd|th)?(?:,?\s*\d{4})?\s*(?:$|[,;:)]))"
# RIVERTON, March 3, 2025 — / SPRINGFIELD, Ill., March 3, 2025 -- / LONDON, 3 March 2025
# (AFP) - / NEW YORK, March 3 (Reuters) - / WASHINGTON (Reuters) - / March 3, 2025 — ...
_CITY_DATELINE = re.compile(
    rf"(?:(?P<place>{_PLACE}(?:,\s*{_PLACE}){{0,2}})(?:\s*(?P<agency1>{_AGENCY}))?,\s*)?"
    rf"(?:(?P<date>{_FULL_DATE})|(?P<partial>{_PARTIAL_DATE})),?"
    rf"(?:\s*(?P<agency2>{_AGENCY}))?(?:(?P<dash>{_DASH}){_NOT_A_RANGE}|\s*\.?$)"
    rf"|(?P<bare>{_PLACE}(?:,\s*{_PLACE}){{0,2}})(?:\s*(?P<agency>{_AGENCY}))?{_DASH}"
)


@dataclass(frozen=True)
class _Found:
    """A date read in the head: whole, or only month and day (a wire dateline's year)."""

    date: dt.date | None
    month_day: tuple[int, int] | None = None
    updated: bool = False
    city: bool = False  # from a place-and-date line, which may be a title's historic date


def find_dateline(text: str) -> dt.date | None:
    """The publication date printed at the top of the article, or None.

    Read only from the head (see ``_head_lines``) and only from a dateline's shape: a line
    that is a date (``March 3, 2025``, ``Published: 3 March 2025``, ``Updated: Mon 3 Mar 2025
    14.05 GMT``, ``By Jane Doe | March 3, 2025 at 10:00 a.m. EST``), or a place and date
    before a dash (``RIVERTON, March 3, 2025 — ...``). A date labelled Updated or Modified is
    used only when the head gives no other. A dateline without a year (``NEW YORK, March 3
    (Reuters) -``) takes the year of a full date in the head that puts it closest to that
    date; without one it is not read. Impossible dates (February 30) are not read."""
    found: list[_Found] = []
    for line in _head_lines(text):
        found.extend(_dates_on_line(line))
    whole = [f for f in found if f.date is not None]
    anchor = next((f for f in whole if not f.updated), whole[0] if whole else None)
    read: list[_Found] = []
    for item in found:
        if item.date is not None:
            read.append(item)
        elif anchor is not None and anchor.date is not None and item.month_day is not None:
            completed = _closest_year(item.month_day, anchor.date)
            if completed is not None:
                read.append(_Found(completed, city=True))
    best = next((f for f in read if not f.updated), read[0] if read else None)
    # A place-and-date line far from a date printed as metadata (alone on its line, labelled,
    # in a byline) is a title's or a lede's historic date ("Berlin, November 9, 1989 - the
    # night the Wall fell" above "Published: 9 November 2019"): the metadata wins.
    meta = next((f for f in read if not f.updated and not f.city), None)
    historic = (
        best is not None
        and best.city
        and meta is not None
        and best.date is not None
        and meta.date is not None
        and abs((best.date - meta.date).days) > 31
    )
    if historic:
        best = meta
    return best.date if best is not None else None


def _head_lines(text: str) -> Iterator[str]:
    """The article's head: its first HEAD_LINES non-empty lines, those that start within the
    first HEAD_CHARS characters; and the line after an opening wire dateline
    (``WASHINGTON (Reuters) - ...``), wherever it starts, for the date printed under it."""
    offset = 0
    seen = 0
    after_dateline = False
    for raw in text.splitlines(keepends=True):
        start, offset = offset, offset + len(raw)
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > HEAD_LINES or (start >= HEAD_CHARS and not after_dateline):
            return
        yield line
        after_dateline = _opens_with_dateline(line)


def _opens_with_dateline(line: str) -> bool:
    match = _CITY_DATELINE.match(line)
    if match is None:
        return False
    if match.group("bare") is None:
        return True
    # A bare place before a dash is a dateline in capitals (WASHINGTON —) or with an agency.
    return match.group("agency") is not None or match.group("bare").isupper()


def _dates_on_line(line: str) -> list[_Found]:
    found: list[_Found] = []
    city = _CITY_DATELINE.match(line)
    if city is not None and city.group("date") is not None:
        when = _parse_date(city.group("date"))
        if when is not None:
            found.append(_Found(when, city=True))
    elif city is not None and city.group("partial") and city.group("place") and city.group("dash"):
        # Year-less only as a wire dateline: a place, the month and day, a dash.
        month_day = _parse_month_day(city.group("partial"))
        if month_day is not None:
            found.append(_Found(None, month_day))
    if len(line) <= _META_LINE_CHARS:
        for part in _PART_SEPARATOR.split(line):
            match = _DATE_PART.fullmatch(part)
            if match is None:
                continue
            when = _parse_date(match.group("date"))
            if when is not None:
                found.append(_Found(when, updated=match.group("updated") is not None))
    return found


_WEEKDAY_RE = re.compile(_WEEKDAY)
_MDY_RE = re.compile(rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})\D*?,?\s+(?P<year>\d{{4}})")
_DMY_RE = re.compile(
    rf"(?P<day>\d{{1,2}})\D*?\s+(?i:of\s+)?(?P<month>{_MONTH}),?\s+(?P<year>\d{{4}})"
)
_ISO_RE = re.compile(r"(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})")
_NUMERIC_RE = re.compile(
    r"(?P<first>\d{1,2})(?P<sep>[/.-])(?P<second>\d{1,2})(?P=sep)(?P<year>\d{4})"
)
_MD_RE = re.compile(rf"(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})\D*")
_DM_RE = re.compile(rf"(?P<day>\d{{1,2}})\D*?\s+(?P<month>{_MONTH})")


def _parse_date(written: str) -> dt.date | None:
    """A date as a dateline writes it, or None when it is not a real date (February 30).

    All-numeric dates: year first is always year-month-day; otherwise a number over 12 is
    the day, and when both could be the month, slashes and hyphens are month/day (the US
    wire convention: 03/04/2025 is March 4) and dots day.month (the European way: 03.04.2025
    is 3 April)."""
    written = _WEEKDAY_RE.sub("", written, count=1).strip()
    try:
        if match := _MDY_RE.fullmatch(written) or _DMY_RE.fullmatch(written):
            month = _month_number(match.group("month"))
            return dt.date(int(match.group("year")), month, int(match.group("day")))
        if match := _ISO_RE.fullmatch(written):
            return dt.date(*(int(match.group(k)) for k in ("year", "month", "day")))
        if match := _NUMERIC_RE.fullmatch(written):
            first, second = int(match.group("first")), int(match.group("second"))
            day_first = first > 12 or (second <= 12 and match.group("sep") == ".")
            day, month = (first, second) if day_first else (second, first)
            return dt.date(int(match.group("year")), month, day)
    except ValueError:
        return None  # February 30, month 13, day 0: looks like a date but is not one
    return None


def _parse_month_day(written: str) -> tuple[int, int] | None:
    written = _WEEKDAY_RE.sub("", written, count=1).strip()
    match = _MD_RE.fullmatch(written) or _DM_RE.fullmatch(written)
    if match is None:
        return None
    month, day = _month_number(match.group("month")), int(match.group("day"))
    try:
        dt.date(2000, month, day)  # a leap year: February 29 stays possible
    except ValueError:
        return None
    return month, day


def _month_number(name: str) -> int:
    return _MONTH_NUMBERS[name[:3].lower()]


def _closest_year(month_day: tuple[int, int], anchor: dt.date) -> dt.date | None:
    """Month and day in the year nearest the anchor, within half a year of it (a dateline
    of December 31 under a byline of January 1 is the year before; February 29 with no leap
    year that near is not read)."""
    month, day = month_day
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue  # February 29 outside a leap year
        if abs(candidate - anchor) <= _HALF_A_YEAR:
            candidates.append(candidate)
    return min(candidates, key=lambda d: abs(d - anchor), default=None)


_HALF_A_YEAR = dt.timedelta(days=183)
