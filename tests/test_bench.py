"""The benchmark tools: TimeML extraction, and the date benchmark run end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>XYZ20000105.0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2000-01-05" functionInDocument="CREATION_TIME">
2000-01-05</TIMEX3></DCT>
<TEXT>
HAVANA (AP) -- Cuba's leaders <EVENT eid="e1" class="OCCURRENCE">met</EVENT> <TIMEX3 tid="t1"
type="DATE" value="2000-01-03">Monday</TIMEX3> with Mr. Smith of the U.S. embassy. They
talked for <TIMEX3 tid="t2" type="DURATION" value="PT2H">two hours</TIMEX3>.

Another round is due <TIMEX3 tid="t3" type="DATE" value="2000-W02">next week</TIMEX3>, an
official said &amp; added nothing.

He fell ill. On <TIMEX3 tid="t4" type="DATE" value="1999-12-31">Dec. 31</TIMEX3> he was
flown home.<TIMEX3 tid="t5" type="DATE" value="XXXX"></TIMEX3>
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/>
</TimeML>
"""


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_timeml_extraction_keeps_date_timexes_with_their_context(tmp_path: Path) -> None:
    (tmp_path / "XYZ20000105.0001.tml").write_text(TML, encoding="utf-8")
    done = run(str(ROOT / "bench" / "timeml_to_jsonl.py"), str(tmp_path), "test")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["text"], r["value"]) for r in rows] == [
        ("Monday", "2000-01-03"),
        ("next week", "2000-W02"),
        ("Dec. 31", "1999-12-31"),
        ("", "XXXX"),  # an empty TIMEX3 at the very end
    ]  # the DURATION and the creation time are left out
    assert {r["dct"] for r in rows} == {"2000-01-05"}
    assert {r["doc"] for r in rows} == {"XYZ20000105.0001"}
    # "Mr." and "U.S." do not end the sentence; tags and entities are gone from the context
    assert rows[0]["context"] == (
        "HAVANA (AP) -- Cuba's leaders met Monday with Mr. Smith of the U.S."
    )
    assert rows[1]["context"] == "Another round is due next week, an official said & added"
    assert rows[2]["context"] == "On Dec. 31 he was flown home."  # "ill." ends a sentence


def test_timeml_extraction_cuts_sentences_as_the_package_does(tmp_path: Path) -> None:
    # one sentence splitter (summarizer.grounding.sentences): a date that opens its sentence
    # takes nothing from the sentence before
    tml = TML.replace("He fell ill. On <TIMEX3", "He fell ill. <TIMEX3").replace(
        "Dec. 31</TIMEX3> he", "Dec. 31</TIMEX3>, he"
    )
    (tmp_path / "XYZ20000105.0001.tml").write_text(tml, encoding="utf-8")
    done = run(str(ROOT / "bench" / "timeml_to_jsonl.py"), str(tmp_path), "test", "--sentences")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[2]["text"] == "Dec. 31"
    assert rows[2]["context"] == "Dec. 31, he was flown home."


def test_date_benchmark_runs_and_the_seed_dates_all_resolve() -> None:
    seeds = str(ROOT / "bench" / "data" / "seeds.jsonl")
    done = run(str(ROOT / "bench" / "dates.py"), seeds, "--no-dateparser")
    assert done.returncode == 0, done.stderr
    seeds = next(line for line in done.stdout.splitlines() if line.strip().startswith("seeds"))
    assert "calendar dates 19/19 = 100.0%" in seeds


def test_timeml_extraction_can_keep_whole_sentences(tmp_path: Path) -> None:
    (tmp_path / "XYZ20000105.0001.tml").write_text(TML, encoding="utf-8")
    done = run(str(ROOT / "bench" / "timeml_to_jsonl.py"), str(tmp_path), "test", "--sentences")
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout.splitlines()[0])
    assert first["context"] == (
        "HAVANA (AP) -- Cuba's leaders met Monday with Mr. Smith of the U.S. embassy."
    )


def test_the_bench_anchors_anaphora_on_a_date_fine_enough_for_them(tmp_path: Path) -> None:
    # "two years later" counts from the year last named, "the next day" from the last day
    rows = [
        ("2009", "2009", "She won in Berlin in 2009."),
        ("two years later", "2011", "She took silver two years later."),
        ("March 3", "2016-03-03", "The vote was held on March 3."),
        ("the next day", "2016-03-04", "Results came the next day."),
        ("the previous month", "2016-02", "Turnout was lower than the previous month."),
    ]
    data = tmp_path / "anchors.jsonl"
    data.write_text(
        "".join(
            json.dumps(
                {
                    "doc": "d1",
                    "dct": "2016-06-01",
                    "text": text,
                    "value": value,
                    "source": "test",
                    "context": context,
                }
            )
            + "\n"
            for text, value, context in rows
        ),
        encoding="utf-8",
    )
    done = run(str(ROOT / "bench" / "dates.py"), str(data), "--no-dateparser")
    assert done.returncode == 0, done.stderr
    assert "test: calendar dates 5/5 = 100.0%" in done.stdout
