"""Benchmark: how quote and date checks scale with the length of the article.

    python bench/scaling.py

Articles may be up to 800 KB. For a text that repeats one sentence (the worst case for
searches that restart at every occurrence), it times locating a quote with an ellipsis that is
not there, finding the sentence of a date and resolving it, and resolving a date against one
run-on sentence of that length, at 100, 200, 400 and 800 KB.
It prints each time and its ratio to the previous size: about 2 means linear, about 4 quadratic.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from summarizer.dates import resolve
from summarizer.grounding.match import NormalizedText, locate_quote
from summarizer.grounding.sentences import sentence_with

SIZES = (100_000, 200_000, 400_000, 800_000)


def quote_search(size: int) -> Callable[[], object]:
    norm = NormalizedText("Officials said so. " * (size // 19))
    return lambda: locate_quote("Officials said ... talks will resume", norm)


def date_context(size: int) -> Callable[[], object]:
    sentence = "Officials said the ministers talked and agreed.It was fine, they said."
    article = sentence * (size // len(sentence)) + " The envoys meet in Geneva on Friday."
    norm = NormalizedText(article)

    def run() -> object:
        context = sentence_with(norm, "on Friday")
        return resolve("on Friday", published=dt.date(2022, 1, 12), context=context)

    return run


def long_sentence(size: int) -> Callable[[], object]:
    """``resolve`` called directly with a run-on sentence as context (no sentence window),
    full of tense words, names and clause breaks for the tense scan to weigh."""
    clause = "The Met Office said talks were held and Visits Met Rose; "
    context = clause * (size // len(clause)) + "and then, in the city, on Monday."
    return lambda: resolve("Monday", published=dt.date(2022, 1, 12), context=context)


def timed(job: Callable[[], object]) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def main() -> int:
    for name, make in (
        ("quote with an ellipsis", quote_search),
        ("date in context", date_context),
        ("tense over one long sentence", long_sentence),
    ):
        print(name)
        previous = None
        for size in SIZES:
            seconds = timed(make(size))
            ratio = f"{seconds / previous:6.2f}x" if previous else "      -"
            print(f"  {size // 1000:>4} KB {seconds * 1000:9.1f} ms {ratio}")
            previous = seconds
    return 0


if __name__ == "__main__":
    sys.exit(main())
