"""Turn TimeML (.tml) files into benchmark rows for bench/dates.py.

    python bench/timeml_to_jsonl.py DIR SOURCE > bench/data/NAME.jsonl
    python bench/timeml_to_jsonl.py DIR SOURCE --sentences > /tmp/NAME.jsonl  # whole sentences

Every TIMEX3 of type DATE inside <TEXT> becomes one JSON line: the document id (the file
name), its creation time (the TIMEX3 with functionInDocument="CREATION_TIME", cut to a
day), the expression as written, the gold value, SOURCE, and a context of at most twelve
words before the expression and six after, cut from its sentence (or, with --sentences, the
whole sentence). Sentences are cut by the package's one sentence splitter
(``summarizer.grounding.sentences``), the one the resolver's callers use.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summarizer.grounding.sentences import sentence_bounds

TAG = re.compile(r"<(/?)([A-Za-z_][\w.-]*)([^>]*?)(/?)>", re.S)
ATTRIBUTE = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
WORDS_BEFORE, WORDS_AFTER = 12, 6


@dataclass
class Timex:
    attributes: dict[str, str]
    start: int
    end: int = -1


def attributes_of(tag_body: str) -> dict[str, str]:
    return {key: html.unescape(value) for key, value in ATTRIBUTE.findall(tag_body)}


def plain_text(markup: str) -> tuple[str, list[Timex]]:
    """The text with every tag removed, and the TIMEX3 spans as offsets into it."""
    parts: list[str] = []
    length, last = 0, 0
    open_timexes: list[Timex] = []
    done: list[Timex] = []
    for tag in TAG.finditer(markup):
        chunk = html.unescape(markup[last : tag.start()])
        parts.append(chunk)
        length += len(chunk)
        last = tag.end()
        closing, name, body, empty = tag.groups()
        if name != "TIMEX3" or empty:
            continue
        if closing:
            if open_timexes:
                timex = open_timexes.pop()
                timex.end = length
                done.append(timex)
        else:
            open_timexes.append(Timex(attributes_of(body), length))
    parts.append(html.unescape(markup[last:]))
    return "".join(parts), sorted(done, key=lambda t: t.start)


def window(text: str, sentence: tuple[int, int], timex: Timex) -> str:
    """At most WORDS_BEFORE words before the expression and WORDS_AFTER after it, within
    its sentence, keeping punctuation attached as it stands."""
    before = text[sentence[0] : timex.start]
    after = text[timex.end : sentence[1]]
    kept_before = " ".join(before.split()[-WORDS_BEFORE:])
    kept_after = " ".join(after.split()[:WORDS_AFTER])
    glue_left = "" if before and not before[-1].isspace() else " "
    glue_right = "" if after and not after[0].isspace() else " "
    joined = (kept_before + glue_left if kept_before else "") + text[timex.start : timex.end]
    joined += glue_right + kept_after if kept_after else ""
    return " ".join(joined.split())


def rows_of(path: Path, source: str, *, whole: bool = False) -> list[dict[str, str]]:
    raw = path.read_text(encoding="utf-8")
    creation = next(
        (
            attributes_of(match.group(1))
            for match in re.finditer(r"<TIMEX3\b([^>]*)>", raw)
            if 'functionInDocument="CREATION_TIME"' in match.group(1)
        ),
        None,
    )
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if creation is None or body is None:
        print(f"{path}: no creation time or no TEXT; skipped", file=sys.stderr)
        return []
    text, timexes = plain_text(body.group(1))
    rows = []
    for timex in timexes:
        attributes = timex.attributes
        if attributes.get("type") != "DATE":
            continue
        if attributes.get("functionInDocument") == "CREATION_TIME":
            continue
        sentence = sentence_bounds(text, timex.start, timex.end)
        rows.append(
            {
                "doc": path.stem,
                "dct": creation.get("value", "")[:10],
                "text": " ".join(text[timex.start : timex.end].split()),
                "value": attributes.get("value", ""),
                "context": (
                    " ".join(text[sentence[0] : sentence[1]].split())
                    if whole
                    else window(text, sentence, timex)
                ),
                "source": source,
            }
        )
    return rows


def main() -> int:
    args = [arg for arg in sys.argv[1:] if arg != "--sentences"]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder, source = Path(args[0]), args[1]
    count = 0
    for path in sorted(folder.glob("*.tml")):
        for row in rows_of(path, source, whole="--sentences" in sys.argv):
            print(json.dumps(row, ensure_ascii=False))
            count += 1
    print(f"{count} DATE expressions from {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
