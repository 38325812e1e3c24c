"""Turn TimeML (.tml) files into benchmark rows for bench/dates.py.

    python bench/timeml_to_jsonl.py DIR SOURCE > bench/data/NAME.jsonl
    python bench/timeml_to_jsonl.py DIR SOURCE --sentences > /tmp/NAME.jsonl  # whole sentences

Every TIMEX3 of type DATE inside <TEXT> becomes one JSON line: the document id (the file
name), its creation time (the TIMEX3 with functionInDocument="CREATION_TIME", cut to a
day), the expression as written, the gold value, SOURCE, and a context of at most twelve
words before the expression and six after, cut from its sentence (or, with --sentences, the
whole sentence). Standard library only.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

TAG = re.compile(r"<(/?)([A-Za-z_][\w.-]*)([^>]*?)(/?)>", re.S)
ATTRIBUTE = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
WORDS_BEFORE, WORDS_AFTER = 12, 6
# Words whose full stop does not end a sentence.
_ABBREVIATION_TEXT = """
mr mrs ms dr st sen rep gov gen col lt sgt capt corp inc co ltd bros jr sr no vs etc prof rev ft
jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
u.s u.n u.k n.y d.c n.j calif fla mass conn ill mich ore pa va wash tex ariz colo ga la md mo
okla tenn wis minn ind ky ala miss neb nev del kan mt p.m a.m i.e e.g approx dept univ assn cos pct
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())
# Abbreviations that are also English words: only capitalized ("Ill.", "Wed.") are they
# abbreviations; "he fell ill." ends a sentence.
ALSO_WORDS = frozenset(
    {"ill", "no", "sun", "wed", "mass", "miss", "la", "pa", "mo", "ind", "del", "col", "gen"}
    | {"rev", "co", "ore", "mt"}
)
SENTENCE_END = re.compile(r"[.!?]+['\"`\u2019\u201d)]*(?=\s+[\"'`\u2018\u201c(]*[A-Z0-9])")


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


def sentence_spans(text: str, keep_whole: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences by a small rule: blank lines, and . ! ? before a capital or digit, except
    after a known abbreviation or an initial, and never inside a TIMEX3."""
    bounds = {0, len(text)}
    bounds.update(match.end() for match in re.finditer(r"\n\s*\n", text))
    for match in SENTENCE_END.finditer(text):
        at = match.start()
        if any(start <= at < end for start, end in keep_whole):
            continue
        word_match = re.search(r"([A-Za-z.&]+)$", text[:at])
        written = word_match.group(1) if word_match else ""
        word = written.lower()
        english = word in ALSO_WORDS and written.islower()
        if text[at] == "." and (
            (word.rstrip(".") in ABBREVIATIONS and not english)
            or re.fullmatch(r"[a-z]", word)
            or re.fullmatch(r"([a-z]\.)+[a-z]", word)
        ):
            continue
        bounds.add(match.end())
    ordered = sorted(bounds)
    return list(pairwise(ordered))


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
    sentences = sentence_spans(text, [(t.start, t.end) for t in timexes])
    rows = []
    for timex in timexes:
        attributes = timex.attributes
        if attributes.get("type") != "DATE":
            continue
        if attributes.get("functionInDocument") == "CREATION_TIME":
            continue
        sentence = next(
            (span for span in sentences if span[0] <= timex.start < span[1]),
            (timex.start, timex.end),  # an empty TIMEX3 at the very end of the text
        )
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
