"""A suite run as text for people (a table, then each changed case's fields), and as a report
file for CI: JUnit XML (``.xml``; one test case per suite case) or JSON (``.json``).

In the JUnit report a regressed case is a ``failure`` (an ``error`` when it could not be
briefed at all); a changed or improved case is a ``failure`` only when the run fails on
changes (``--fail-on changed``, the default), else it passes with its changes in
``system-out``. Every case's changes are in its ``system-out``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..output import atomic_write_text
from .compare import MISSING, format_change
from .suite import CaseResult, FailOn, SuiteRun, origin_of

REPORT_KINDS = {".xml": "JUnit XML", ".json": "JSON"}


def check_report_path(path: Path) -> None:
    """Before the run: a report is .xml or .json, in a folder that exists."""
    if path.suffix.lower() not in REPORT_KINDS:
        raise UsageError(
            f"--report {path}: unknown report kind {path.suffix or '(no extension)'}",
            hint="name a .xml file (JUnit XML) or a .json file",
        )
    if not path.parent.is_dir():
        raise UsageError(f"--report {path}: folder {path.parent} does not exist")


def _tokens(result: CaseResult) -> str:
    usage = result.comparison.usage if result.comparison else {}
    tokens = usage.get("total_tokens")
    attempts = usage.get("attempts")
    parts = []
    if tokens is not None:
        parts.append(f"{tokens[0]}→{tokens[1]}" if tokens[0] != tokens[1] else str(tokens[0]))
    if attempts is not None:
        parts.append(
            f"{attempts[0]}→{attempts[1]} att."
            if attempts[0] != attempts[1]
            else f"{attempts[0]} att."
        )
    return ", ".join(parts) or "-"


def _expected(result: CaseResult) -> str:
    if not result.before and not result.after:
        return "-"
    before = sum(o.met for o in result.before)
    after = sum(o.met for o in result.after)
    return f"{before}→{after}/{len(result.before)}"


def table_lines(run: SuiteRun) -> list[str]:
    """One row per case: id, status, number of changed fields, expectations met (baseline →
    now, of all), tokens and attempts (reported, never counted as a change)."""
    rows = [("case", "status", "changes", "expectations met", "tokens, attempts", "answers")]
    for result in run.results:
        origin = origin_of(result.briefing) if result.briefing else "-"
        changes = (
            "error"
            if result.error
            else str(len(result.comparison.changes) if result.comparison else 0)
        )
        rows.append(
            (result.case.id, result.status, changes, _expected(result), _tokens(result), origin)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    counts = run.counts()
    summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    lines.append(f"{len(run.results)} case(s): {summary}")
    authored = sum(1 for r in run.results if r.briefing and origin_of(r.briefing) == "authored")
    if authored:
        lines.append(
            f"{authored} case(s) replayed authored answers (written by hand, not by a model)"
        )
    return lines


def detail_lines(result: CaseResult) -> list[str]:
    """What changed in one case: the error, lost and gained expectations, each field."""
    lines: list[str] = []
    if result.error is not None:
        lines.append(f"  error: {result.error.hint_line()}")
    for outcome in result.lost:
        lines.append(f"  expectation no longer met: {outcome.expectation} ({outcome.detail})")
    for outcome in result.gained:
        lines.append(f"  expectation now met: {outcome.expectation}")
    if result.comparison is not None:
        lines.extend(f"  {format_change(change)}" for change in result.comparison.changes)
    return lines


def text_report(run: SuiteRun) -> list[str]:
    lines = table_lines(run)
    for result in run.results:
        if result.status != "unchanged":
            lines.append(f"\n{result.case.id}: {result.status}")
            lines.extend(detail_lines(result))
    if run.updated:
        lines.append(f"\naccepted {len(run.updated)} new baseline(s): {', '.join(run.updated)}")
    return lines


def _jsonable(value: Any) -> Any:
    return None if value is MISSING else value


def report_data(run: SuiteRun, fail_on: FailOn) -> dict[str, Any]:
    cases = []
    for result in run.results:
        old, new = result.scores()
        cases.append(
            {
                "id": result.case.id,
                "status": result.status,
                "error": result.error.hint_line() if result.error else None,
                "changes": [
                    {
                        "path": c.path,
                        "kind": c.kind,
                        "old": _jsonable(c.old),
                        "new": _jsonable(c.new),
                    }
                    for c in (result.comparison.changes if result.comparison else ())
                ],
                "usage": {
                    name: {"baseline": pair[0], "now": pair[1]}
                    for name, pair in (result.comparison.usage if result.comparison else {}).items()
                },
                "expectations": [
                    {"expectation": o.expectation, "met": o.met, "detail": o.detail}
                    for o in result.after
                ],
                "scores": {
                    "baseline": dict(old.rows()),
                    "now": dict(new.rows()) if new is not None else None,
                },
                "latency_seconds": result.latency,
            }
        )
    return {
        "suite": run.suite.name,
        "live": run.live,
        "fail_on": fail_on,
        "counts": run.counts(),
        "exit_code": run.exit_code(fail_on),
        "cases": cases,
    }


def junit_xml(run: SuiteRun, fail_on: FailOn) -> str:
    counts = run.counts()
    failing = {"regressed"} if fail_on == "regressed" else {"changed", "improved", "regressed"}
    errors = sum(1 for r in run.results if r.error is not None)
    failures = sum(1 for r in run.results if r.error is None and r.status in failing)
    time_total = sum(r.latency or 0.0 for r in run.results)
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"summarizer regress {run.suite.name}",
        tests=str(len(run.results)),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
        time=f"{time_total:.3f}",
    )
    properties = ET.SubElement(suite, "properties")
    for status, n in counts.items():
        ET.SubElement(properties, "property", name=status, value=str(n))
    for result in run.results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"regress.{run.suite.name}",
            name=result.case.id,
            time=f"{result.latency or 0.0:.3f}",
        )
        detail = "\n".join(line.strip() for line in detail_lines(result))
        if result.error is not None:
            ET.SubElement(
                case, "error", message=result.error.hint_line(), type="error"
            ).text = detail
        elif result.status in failing:
            count = len(result.comparison.changes) if result.comparison else 0
            ET.SubElement(
                case,
                "failure",
                message=f"{result.status}: {count} field(s) changed",
                type=result.status,
            ).text = detail
        if detail:
            ET.SubElement(case, "system-out").text = detail
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def write_report(run: SuiteRun, path: Path, fail_on: FailOn) -> None:
    if path.suffix.lower() == ".xml":
        text = junit_xml(run, fail_on)
    else:
        text = json.dumps(report_data(run, fail_on), indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(path, text)


def score_lines(run: SuiteRun) -> list[str]:
    """Baseline and new run side by side, per case with expectations, for --live runs."""
    lines: list[str] = []
    for result in run.results:
        old, new = result.scores()
        new_rows = dict(new.rows()) if new is not None else {}
        lines.append(f"\n{result.case.id}: scores (baseline | this run)")
        rows = old.rows()
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            lines.append(f"  {label.ljust(width)}  {value:>8} | {new_rows.get(label, 'error'):>8}")
    return lines
