"""Benchmark: summarizer's date resolver against TIMEX3 gold values in real news.

    python bench/dates.py                     # every bench/data/*.jsonl
    python bench/dates.py bench/data/x.jsonl  # one set
    python bench/dates.py --errors 30         # and show the first 30 misses

Each line of a data file is one DATE expression: its text, the document's creation time, the
gold TIMEX3 value and the sentence it stands in (see bench/data/README.md). The resolver gets
the creation time as the publication date, the words around the expression as context, and
as the reference
event the last day-precise date resolved earlier in the same document (what anaphoric
expressions such as "the next day" count from; anaphoric values themselves are not
used as anchors).

It prints exact-match accuracy next to a naive use of dateparser (parse the expression with
the creation time as the relative base and take the day), on all expressions and on calendar
dates alone (gold values that are a year, month, ISO week or day), as counts and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summarizer.dates import resolve
from summarizer.dates.words import MONTH_PATTERN

DATA = Path(__file__).resolve().parent / "data"
CALENDAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")


def load(paths: Iterable[Path]) -> list[dict[str, str]]:
    rows = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def ours(rows: list[dict[str, str]], *, anchors: bool = True) -> list[str | None]:
    """Resolve in document order, anchoring anaphora on the last value fine enough for them:
    "the next day" on the last day-precise date, "that month" on the last month or day, "two
    years later" on the last year, month or day (or, with ``anchors=False``, on nothing: the
    resolver then counts them from the publication date)."""
    out: list[str | None] = []
    last: dict[tuple[str, str], dt.date] = {}  # (document, coarsest unit it serves) -> date
    for row in rows:
        published = dt.date.fromisoformat(row["dct"])
        # "two years later", "the same year", "the following month" count from the last
        # year or month named; "a year earlier" in results news counts from the report
        unit = "day"
        if re.search(
            r"\b(later|after|following|same|that|previous|preceding|prior)\b", row["text"], re.I
        ):
            unit = next(
                (u for u in ("year", "month") if re.search(rf"\b{u}s?\b", row["text"], re.I)),
                "year" if re.search(MONTH_PATTERN, row["text"], re.I) else "day",
            )
        reference = last.get((row["doc"], unit), published) if anchors else None
        result = resolve(
            row["text"], published=published, reference=reference, context=row.get("context")
        )
        out.append(result.value if result else None)
        anaphoric = result is not None and "the event it refers to" in result.derivation
        if result is None or anaphoric or result.value[0] == "X":
            continue
        # What anaphora count from: the last date fixed from the text or the publication
        # date ("the day before" and "two days later" both hang on "Monday").
        match = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", result.value)
        if match:
            year, month, day = match.group(1), match.group(2), match.group(3)
            date = dt.date(int(year), int(month or 1), int(day or 1))
            serves = ("day", "month", "year") if day else ("month", "year") if month else ("year",)
            for served in serves:
                last[(row["doc"], served)] = date
    return out


def naive_dateparser(rows: list[dict[str, str]]) -> list[str | None]:
    import dateparser

    out: list[str | None] = []
    for row in rows:
        base = dt.datetime.fromisoformat(row["dct"])
        parsed = dateparser.parse(row["text"], settings={"RELATIVE_BASE": base})
        out.append(parsed.date().isoformat() if parsed else None)
    return out


def score(rows: list[dict[str, str]], guesses: list[str | None], keep: Callable[[str], bool]):
    pairs = [(r, g) for r, g in zip(rows, guesses, strict=True) if keep(r["value"])]
    hits = sum(1 for r, g in pairs if g == r["value"])
    return hits, len(pairs)


SUBSETS: list[tuple[str, Callable[[str], bool]]] = [
    ("all DATE values", lambda v: True),
    ("calendar dates", lambda v: bool(CALENDAR.match(v))),
    ("  days", lambda v: bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v))),
    ("  months", lambda v: bool(re.fullmatch(r"\d{4}-\d{2}", v))),
    ("  ISO weeks", lambda v: bool(re.fullmatch(r"\d{4}-W\d{2}", v))),
    ("  years", lambda v: bool(re.fullmatch(r"\d{4}", v))),
    ("other values", lambda v: not CALENDAR.match(v)),
]


def hits(path: Path) -> dict[str, tuple[int, int]]:
    """The resolver's (hits, total) on one set, for each line of the table ``main`` prints
    ("all DATE values", "calendar dates", "  days", ...), without the dateparser comparison:
    what tests/test_date_bench_floors.py holds to a floor."""
    rows = load([path])
    mine = ours(rows)
    return {name: score(rows, mine, keep) for name, keep in SUBSETS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="show this many misses")
    parser.add_argument(
        "--no-anchors", action="store_true", help="give the resolver no reference events"
    )
    parser.add_argument(
        "--no-dateparser", action="store_true", help="skip the comparison with dateparser"
    )
    args = parser.parse_args()
    files = args.files or sorted(DATA.glob("*.jsonl"))
    if not files:
        print("no data: see bench/data/README.md", file=sys.stderr)
        return 2
    rows = load(files)
    mine = ours(rows, anchors=not args.no_anchors)
    theirs: list[str | None] | None = None
    if not args.no_dateparser:
        try:
            theirs = naive_dateparser(rows)
        except ImportError:
            print("(dateparser is not installed: pip install -e '.[bench]' for the comparison)")

    print(
        f"{len(rows)} DATE expressions from {len({r['doc'] for r in rows})} documents "
        f"in {', '.join(f.name for f in files)}"
    )
    header = f"{'set':<24}{'n':>6}{'summarizer':>12}{'dateparser':>12}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for name, keep in SUBSETS:
        hits, total = score(rows, mine, keep)
        if not total:
            continue
        line = f"{name:<24}{total:>6}{hits / total:>12.1%}"
        if theirs is not None:
            their_hits, _ = score(rows, theirs, keep)
            ratio = f"{hits / their_hits:.2f}x" if their_hits else "inf"
            line += f"{their_hits / total:>12.1%}{ratio:>8}"
        print(line)
    print("\ncalendar dates by source:")
    for source in sorted({r.get("source", "?") for r in rows}):
        part = [i for i, r in enumerate(rows) if r.get("source", "?") == source]
        picked = [rows[i] for i in part]
        hits, total = score(picked, [mine[i] for i in part], lambda v: bool(CALENDAR.match(v)))
        if total:
            print(f"  {source}: calendar dates {hits}/{total} = {hits / total:.1%}")
    if args.errors:
        misses = [(r, g) for r, g in zip(rows, mine, strict=True) if g != r["value"]]
        kinds = Counter(type_of(r["value"]) for r, _ in misses)
        print(f"\nmisses by gold kind: {dict(kinds)}")
        for row, guess in misses[: args.errors]:
            print(
                f"- {row['doc']} dct={row['dct']} {row['text']!r}: gold {row['value']}, "
                f"got {guess}  | {row.get('context', '')}"
            )
    return 0


def type_of(value: str) -> str:
    for name, pattern in (
        ("day", r"\d{4}-\d{2}-\d{2}"),
        ("month", r"\d{4}-\d{2}"),
        ("week", r"\d{4}-W\d{2}"),
        ("year", r"\d{4}"),
    ):
        if re.fullmatch(pattern, value):
            return name
    return "other"


if __name__ == "__main__":
    sys.exit(main())
