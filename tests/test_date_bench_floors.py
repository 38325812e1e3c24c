"""Date bench floors: every committed set in bench/data/ scores at least what it scored when
its floor was set, on calendar dates and on all DATE values.

The scoring is bench/dates.py's own (its ``hits``), run in-process without the dateparser
comparison. A floor is a count of exact hits on a set of known size, not a timing. When a
change raises a score, raise the floor with it; when a set is added, give it a floor here
(the test fails until it has one).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"

# set (path under bench/data/) -> floors as (hits, values): calendar dates, all DATE values
FLOORS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "aquaint-second.jsonl": ((191, 210), (201, 258)),
    "authored/set-a.jsonl": ((238, 240), (238, 240)),
    "authored/set-b.jsonl": ((232, 234), (232, 234)),
    "seeds.jsonl": ((19, 19), (20, 20)),
    "te3-platinum.jsonl": ((71, 74), (85, 96)),
    "timebank.jsonl": ((747, 803), (1027, 1185)),
}
# Files that are not sets to score, and why.
NOT_SETS = {
    "web/real-news.manifest.jsonl": "a manifest of the web sets: addresses, no sentences",
}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_dates", ROOT / "bench" / "dates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
COMMITTED = sorted(path.relative_to(DATA).as_posix() for path in DATA.rglob("*.jsonl"))
SETS = [name for name in COMMITTED if name not in NOT_SETS]


def test_the_sets_are_found() -> None:
    assert "timebank.jsonl" in SETS and "authored/set-a.jsonl" in SETS


@pytest.mark.parametrize("name", SETS)
def test_a_date_bench_set_scores_at_least_its_floor(name: str) -> None:
    assert name in FLOORS, f"bench/data/{name} has no floor: run bench/dates.py on it, add one"
    calendar_floor, all_floor = FLOORS[name]
    scores = BENCH.hits(DATA / name)
    calendar, every = scores["calendar dates"], scores["all DATE values"]
    assert (calendar[1], every[1]) == (calendar_floor[1], all_floor[1]), (
        f"bench/data/{name} changed size: measure it again and set its floors"
    )
    assert calendar[0] >= calendar_floor[0], f"{name}: calendar dates {calendar} < {calendar_floor}"
    assert every[0] >= all_floor[0], f"{name}: all DATE values {every} < {all_floor}"


def test_every_floor_belongs_to_a_committed_set() -> None:
    assert sorted(FLOORS) == SETS


@pytest.mark.parametrize("name", sorted(NOT_SETS))
def test_a_file_left_out_still_has_no_sentences(name: str) -> None:
    # once it carries the sentences the resolver reads, it is a set and needs a floor
    with (DATA / name).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    assert rows and not any("context" in row for row in rows)
