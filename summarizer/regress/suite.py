"""Regression suites: a folder of cases a user commits, replayed through the current code and
compared with their baselines.

A suite folder holds::

    suite.toml            the manifest: the cases, their publication dates, their expectations
    articles/<id>.txt     each case's article text, as briefed (normalised)
    cassettes/*.json      the model exchanges of every case (fixture files, format 2)
    baselines/<id>.json   each case's accepted briefing

``record_cases`` adds or refreshes cases: it briefs each article live (fixture mode record into
``cassettes/``) when an endpoint is configured, or else replays it from the configured fixture
folder and copies the fixtures it used, so a suite can be made offline from fixtures that
already exist. ``run_suite`` briefs every case again, from the cassettes (no model call) or
live, and compares each new briefing with its baseline (:mod:`summarizer.regress.compare`) and
with the case's expectations (:mod:`summarizer.regress.expect`).

A case is ``unchanged``, ``changed``, ``improved`` or ``regressed``:

- regressed: it failed now (an error), an expectation met by the baseline is no longer met, or
  more items fail grounding (dropped or flagged) than in the baseline;
- improved: it changed, nothing regressed, and an expectation is newly met or fewer items fail;
- changed: any other difference in a compared field (tokens and attempts never count).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, Table

from ..articles import Article, read_article
from ..config import Settings
from ..errors import SummarizerError, UsageError
from ..notes.merge import build_note
from ..notes.model import Note
from ..output import atomic_write_text
from ..pipeline import Summarizer
from ..render import briefing_json, note_json
from ..schemas import Briefing
from .compare import Comparison, compare_documents
from .expect import Expectations, Outcome, Scores, check, score

MANIFEST = "suite.toml"
FORMAT = 1
Status = Literal["unchanged", "changed", "improved", "regressed"]
FailOn = Literal["changed", "regressed"]

_HEADER = """\
# A summarizer regression suite. `summarizer regress record` adds or refreshes cases;
# `summarizer regress run` replays them and compares each with its baseline.
# Expectations are yours to write: under a case, add a [cases.expect] table, e.g.
#   parties = ["NATO"]            quotes = ["legally binding"]     numbers = ["two hours"]
#   [[cases.expect.meetings]]  date = "2022-01-12"  place = "Brussels"  status = "scheduled"
"""


class BrokenSuite(UsageError):
    """The suite folder or its manifest cannot be used as it is (exit 2)."""


@dataclass(frozen=True)
class Case:
    """One article of a suite (or, for a note case, several articles of one story), with its
    optional publication date and expectations."""

    id: str
    article: str  # path relative to the suite folder; a note case's first article
    published: dt.date | None
    expect: Expectations
    model: str | None = None  # what the cassettes were recorded with
    mode: str | None = None
    articles: tuple[str, ...] = ()  # a note case's articles

    @property
    def is_note(self) -> bool:
        return bool(self.articles)

    @property
    def all_articles(self) -> tuple[str, ...]:
        return self.articles or (self.article,)


@dataclass
class Suite:
    """A suite folder and its parsed manifest (kept as a tomlkit document, so that what a
    person wrote there, comments included, survives a rewrite)."""

    root: Path
    document: tomlkit.TOMLDocument
    cases: list[Case]

    @property
    def name(self) -> str:
        return self.root.resolve().name

    @property
    def cassettes(self) -> Path:
        return self.root / "cassettes"

    def baseline_path(self, case: Case) -> Path:
        return self.root / "baselines" / f"{case.id}.json"

    def article_path(self, case: Case) -> Path:
        return self.root / case.article

    def case(self, case_id: str) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)

    def save(self) -> None:
        text = re.sub(r"([^\n])\n\[\[cases\]\]", "\\1\n\n[[cases]]", tomlkit.dumps(self.document))
        atomic_write_text(self.root / MANIFEST, text)


def load_suite(root: Path, *, create: bool = False) -> Suite:
    """Read ``root/suite.toml``; with ``create``, a missing suite is started empty."""
    manifest = root / MANIFEST
    if not manifest.is_file():
        if not create:
            what = "does not exist" if not root.exists() else f"has no {MANIFEST}"
            raise BrokenSuite(
                f"suite {root}: {what}",
                hint="make one with: summarizer regress record SUITE ARTICLE...",
            )
        if root.exists() and not root.is_dir():
            raise BrokenSuite(f"suite {root}: not a folder")
        document = tomlkit.parse(_HEADER)
        document.add("suite", _table({"format": FORMAT}))
        document.add(tomlkit.nl())
        return Suite(root, document, [])
    try:
        document = tomlkit.parse(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise BrokenSuite(f"{manifest}: not a readable TOML manifest ({exc})") from exc
    cases = [_case(raw, manifest, n) for n, raw in enumerate(document.get("cases", []), 1)]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise BrokenSuite(f"{manifest}: two cases are called {case.id!r}")
        seen.add(case.id)
    return Suite(root, document, cases)


def _case(raw: Any, manifest: Path, number: int) -> Case:
    if not isinstance(raw, dict):
        raise BrokenSuite(f"{manifest}: case {number} is not a table")
    case_id, article, articles = raw.get("id"), raw.get("article"), raw.get("articles")
    if raw.get("kind", "briefing") == "note":
        if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
            raise BrokenSuite(f"{manifest}: note case {case_id!r} needs a list of articles")
        article = articles[0] if articles else None
    else:
        articles = []
    if not isinstance(case_id, str) or not isinstance(article, str):
        raise BrokenSuite(f"{manifest}: case {number} needs an id and an article path")
    published = raw.get("published")
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published)
        except ValueError:
            published = object()
    if published is not None and not isinstance(published, dt.date):
        raise BrokenSuite(f"{manifest}: case {case_id!r}: published must be a date YYYY-MM-DD")
    where = f"{manifest.name}, case {case_id!r}"
    recorded = raw.get("recorded") or {}
    return Case(
        id=case_id,
        article=article,
        published=published,
        expect=Expectations.from_table(raw.get("expect"), where=where),
        model=recorded.get("model"),
        mode=recorded.get("mode"),
        articles=tuple(str(a) for a in articles),
    )


def _table(values: dict[str, Any]) -> Table:
    table = tomlkit.table()
    for key, value in values.items():
        if value is not None:
            table[key] = value
    return table


# --- recording ------------------------------------------------------------------------------


@dataclass
class Recorded:
    """What ``record_cases`` did: the cases written and the articles that failed."""

    written: list[Case] = field(default_factory=list)
    failed: list[tuple[str, SummarizerError]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return max((error.exit_code for _, error in self.failed), default=0)


def case_id_for(path: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(path).stem).strip("-.") or "case"
    found, n = stem, 2
    while found in taken:
        found, n = f"{stem}-{n}", n + 1
    return found


def record_cases(
    root: Path,
    paths: Sequence[str],
    settings: Settings,
    *,
    published: dt.date | None = None,
    note: str | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> Recorded:
    """Add each article to the suite at ``root`` (or refresh the case already made from the
    same file name): brief it, keep its cassettes and write its baseline. With ``note`` (a
    case id), the articles make one note case instead, whose baseline is their note."""
    if note is not None:
        return _record_note(root, paths, settings, note_id=note, published=published, say=say)
    suite = load_suite(root, create=True)
    articles = [read_article(path) for path in paths]  # every input checked before any call
    live = settings.endpoint_configured
    source = settings.fixtures_dir
    run_settings = _recording_settings(suite, settings)
    result = Recorded()
    with Summarizer(run_settings) as summarizer:
        summarizer.preflight(articles)
        for path, article in zip(paths, articles, strict=True):
            case = _case_for(suite, path, published)
            old_keys = _fixture_keys(suite, case)
            _write_article(suite, case, article)
            started = time.perf_counter()
            try:
                briefing = summarizer.summarize(
                    read_article(str(suite.article_path(case))), published=case.published
                )
            except SummarizerError as error:
                result.failed.append((path, error))
                say(f"summarizer: {path}: not recorded: {error.hint_line()}")
                continue
            elapsed = time.perf_counter() - started
            data = json.loads(briefing_json(briefing))
            if not live:
                _copy_fixtures(source, suite.cassettes, data["provenance"]["fixtures"])
            _forget_unused(suite, case, old_keys, set(data["provenance"]["fixtures"]))
            atomic_write_text(suite.baseline_path(case), briefing_json(briefing) + "\n")
            _note_case(suite, case, data, elapsed if live else None, path)
            result.written.append(case)
            origin = data["provenance"]["origin"]
            say(f"summarizer: {suite.root}: case {case.id} recorded ({origin})")
    suite.save()
    return result


def _recording_settings(suite: Suite, settings: Settings) -> Settings:
    live = settings.endpoint_configured
    return dataclasses.replace(
        settings,
        fixture_mode="record" if live else "replay",
        fixtures_dir=suite.cassettes if live else settings.fixtures_dir,
    )


def _record_note(
    root: Path,
    paths: Sequence[str],
    settings: Settings,
    *,
    note_id: str,
    published: dt.date | None,
    say: Callable[[str], None],
) -> Recorded:
    """One note case from several articles: each briefed as a briefing case is, then merged."""
    suite = load_suite(root, create=True)
    if not re.fullmatch(r"[A-Za-z0-9._-]+", note_id):
        raise UsageError(f"--note {note_id!r}: a case id is letters, digits, '.', '_' or '-'")
    articles = [read_article(path) for path in paths]
    stored: list[str] = []
    for path, article in zip(paths, articles, strict=True):
        stem = case_id_for(path, set())
        target = suite.root / "articles" / f"{stem}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, article.text)
        stored.append(f"articles/{stem}.txt")
    existing = suite.case(note_id)
    case = Case(
        note_id,
        stored[0],
        published or (existing.published if existing else None),
        existing.expect if existing else Expectations.from_table(None, where=""),
        articles=tuple(stored),
    )
    if existing is None:
        suite.cases.append(case)
    else:
        suite.cases[suite.cases.index(existing)] = case
    live = settings.endpoint_configured
    result = Recorded()
    started = time.perf_counter()
    try:
        made = _note_of(suite, case, _recording_settings(suite, settings))
    except SummarizerError as error:
        result.failed.append((note_id, error))
        say(f"summarizer: note case {note_id}: not recorded: {error.hint_line()}")
        suite.save()
        return result
    elapsed = time.perf_counter() - started
    data = json.loads(note_json(made.note))
    if not live:
        _copy_fixtures(settings.fixtures_dir, suite.cassettes, made.fixtures)
    atomic_write_text(suite.baseline_path(case), note_json(made.note))
    _note_case(suite, case, made.provenance, elapsed if live else None, ", ".join(paths))
    table = next(t for t in suite.document["cases"] if t.get("id") == note_id)
    table["kind"] = "note"
    table["articles"] = list(stored)
    if "article" in table:
        del table["article"]
    result.written.append(case)
    say(f"summarizer: {suite.root}: note case {note_id} recorded ({data['title']})")
    suite.save()
    return result


@dataclass
class _Made:
    note: Note
    fixtures: list[str]
    provenance: dict[str, Any]


def _note_of(suite: Suite, case: Case, settings: Settings) -> _Made:
    """Brief each of a note case's articles with ``settings``, then merge them."""
    briefings: list[Briefing] = []
    with Summarizer(settings) as summarizer:
        articles = [read_article(str(suite.root / a)) for a in case.all_articles]
        summarizer.preflight(articles)
        for article in articles:
            briefings.append(summarizer.summarize(article, published=case.published))
    fixtures = [name for b in briefings for name in b.provenance.fixtures]
    origins = {b.provenance.origin for b in briefings}
    origin = "live" if "live" in origins else "authored" if "authored" in origins else "recorded"
    first = briefings[0].provenance
    provenance = {"provenance": {"model": first.model, "mode": first.mode, "origin": origin}}
    return _Made(build_note(briefings), fixtures, provenance)


def _case_for(suite: Suite, path: str, published: dt.date | None) -> Case:
    """The case an article file makes: an existing one of the same id is refreshed, keeping
    its expectations (and its publication date unless a new one is given)."""
    case_id = case_id_for(path, set())
    existing = suite.case(case_id)
    if existing is not None:
        return dataclasses.replace(existing, published=published or existing.published)
    case = Case(
        case_id, f"articles/{case_id}.txt", published, Expectations.from_table(None, where="")
    )
    suite.cases.append(case)
    return case


def _write_article(suite: Suite, case: Case, article: Article) -> None:
    target = suite.article_path(case)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, article.text)


def _fixture_keys(suite: Suite, case: Case) -> set[str]:
    """The cassettes a case's baseline was made from (a note case keeps them apart: a
    refreshed briefing case never removes what a note case uses)."""
    baseline = suite.baseline_path(case)
    if case.is_note:
        return {p.stem for p in suite.cassettes.glob("*.json")}
    if not baseline.is_file():
        return set()
    try:
        return set(json.loads(baseline.read_text("utf-8"))["provenance"]["fixtures"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _copy_fixtures(source: Path, cassettes: Path, names: list[str]) -> None:
    cassettes.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(source / f"{name}.json", cassettes / f"{name}.json")


def _forget_unused(suite: Suite, case: Case, old: set[str], new: set[str]) -> None:
    """Remove the cassettes a refreshed case no longer uses, unless another case does."""
    others = set()
    for other in suite.cases:
        if other.id != case.id:
            others |= _fixture_keys(suite, other)
    for name in old - new - others:
        (suite.cassettes / f"{name}.json").unlink(missing_ok=True)


def _note_case(
    suite: Suite, case: Case, briefing: dict[str, Any], latency: float | None, source: str
) -> None:
    cases = suite.document.get("cases")
    if not isinstance(cases, AoT):
        cases = tomlkit.aot()
        suite.document.append("cases", cases)
    table = next((t for t in cases if t.get("id") == case.id), None)
    if table is None:
        table = _table({"id": case.id, "article": case.article, "source": source})
        cases.append(table)
    if case.published is not None:
        table["published"] = case.published
    provenance = briefing["provenance"]
    recorded = {
        "model": provenance["model"],
        "mode": provenance["mode"],
        "origin": provenance["origin"],
        "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "latency_seconds": round(latency, 3) if latency is not None else None,
    }
    table["recorded"] = _table(recorded)
    index = suite.cases.index(next(c for c in suite.cases if c.id == case.id))
    suite.cases[index] = dataclasses.replace(
        case, model=provenance["model"], mode=provenance["mode"]
    )


# --- running --------------------------------------------------------------------------------


@dataclass
class CaseResult:
    """One case replayed (or run live) and compared with its baseline."""

    case: Case
    baseline: dict[str, Any]
    briefing: dict[str, Any] | None = None
    error: SummarizerError | None = None
    comparison: Comparison | None = None
    before: list[Outcome] = field(default_factory=list)
    after: list[Outcome] = field(default_factory=list)
    latency: float | None = None
    baseline_latency: float | None = None

    @property
    def lost(self) -> list[Outcome]:
        """Expectations the baseline met that the new briefing does not."""
        met = {o.expectation for o in self.before if o.met}
        return [o for o in self.after if not o.met and o.expectation in met]

    @property
    def gained(self) -> list[Outcome]:
        unmet = {o.expectation for o in self.before if not o.met}
        return [o for o in self.after if o.met and o.expectation in unmet]

    def failing(self, briefing: dict[str, Any] | None) -> int:
        if briefing is None or "timeline" in briefing:  # a note holds no validation report
            return 0
        scored = score(Expectations.from_table(None, where=""), briefing)
        return scored.dropped + scored.flagged

    @property
    def status(self) -> Status:
        if self.error is not None or self.briefing is None:
            return "regressed"
        before, after = self.failing(self.baseline), self.failing(self.briefing)
        if self.lost or after > before:
            return "regressed"
        if self.comparison is not None and self.comparison.same and not self.gained:
            return "unchanged"
        return "improved" if self.gained or after < before else "changed"

    def scores(self) -> tuple[Scores, Scores | None]:
        old = score(
            self.case.expect, as_briefing(self.baseline), latency_seconds=self.baseline_latency
        )
        new = (
            score(self.case.expect, as_briefing(self.briefing), latency_seconds=self.latency)
            if self.briefing is not None
            else None
        )
        return old, new


@dataclass
class SuiteRun:
    suite: Suite
    results: list[CaseResult]
    live: bool
    updated: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted = dict.fromkeys(("unchanged", "changed", "improved", "regressed"), 0)
        for result in self.results:
            counted[result.status] += 1
        return counted

    def exit_code(self, fail_on: FailOn = "changed") -> int:
        if self.updated:
            return 1 if any(r.error for r in self.results) else 0
        failing = {"regressed"} if fail_on == "regressed" else {"changed", "improved", "regressed"}
        return 1 if any(r.status in failing for r in self.results) else 0


def run_suite(
    root: Path,
    settings: Settings,
    *,
    live: bool = False,
    record_to: Path | None = None,
    update: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> SuiteRun:
    """Brief every case again and compare it with its baseline. Offline (the default) each
    case replays its own cassettes with the model and mode it was recorded with; ``live``
    asks the configured endpoint instead (recording into ``record_to`` when given)."""
    suite = load_suite(root)
    if not suite.cases:
        raise BrokenSuite(f"suite {root}: it has no cases", hint="add some with regress record")
    prepared = [(case, _baseline(suite, case), _articles(suite, case)) for case in suite.cases]
    results = []
    for case, baseline, articles in prepared:
        case_settings = _settings_for(settings, suite, case, live=live, record_to=record_to)
        result = CaseResult(case, baseline, baseline_latency=_recorded_latency(suite, case))
        started = time.perf_counter()
        try:
            if case.is_note:
                result.briefing = json.loads(note_json(_note_of(suite, case, case_settings).note))
            else:
                with Summarizer(case_settings) as summarizer:
                    summarizer.preflight(articles)
                    briefing = summarizer.summarize(articles[0], published=case.published)
                result.briefing = json.loads(briefing_json(briefing))
        except SummarizerError as error:
            result.error = error
        else:
            result.latency = time.perf_counter() - started
            result.comparison = compare_documents(baseline, result.briefing)
        result.before = check(case.expect, as_briefing(baseline))
        result.after = check(case.expect, as_briefing(result.briefing)) if result.briefing else []
        say(f"summarizer: {case.id}: {result.status}")
        results.append(result)
    run = SuiteRun(suite, results, live=live)
    if update:
        for result in results:
            if result.briefing is not None and result.status != "unchanged":
                text = json.dumps(result.briefing, indent=2, ensure_ascii=False) + "\n"
                atomic_write_text(suite.baseline_path(result.case), text)
                run.updated.append(result.case.id)
    return run


def _settings_for(
    settings: Settings, suite: Suite, case: Case, *, live: bool, record_to: Path | None
) -> Settings:
    if live:
        if not settings.endpoint_configured:
            raise UsageError(
                "regress run --live needs a model endpoint; none is configured",
                hint="pass --base-url, or set OPENAI_API_KEY or OPENAI_BASE_URL",
            )
        if record_to is not None:
            return dataclasses.replace(settings, fixture_mode="record", fixtures_dir=record_to)
        return dataclasses.replace(settings, fixture_mode="live")
    return dataclasses.replace(
        settings,
        model=case.model or settings.model,
        mode=case.mode or settings.mode,  # type: ignore[arg-type]
        fixture_mode="replay",
        fixtures_dir=suite.cassettes,
    )


def _baseline(suite: Suite, case: Case) -> dict[str, Any]:
    path = suite.baseline_path(case)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BrokenSuite(
            f"suite {suite.root}: case {case.id!r} has no baseline ({path})",
            hint=f"record it: summarizer regress record {suite.root} {case.article}",
        ) from None
    except (OSError, ValueError) as exc:
        raise BrokenSuite(f"{path}: not a readable briefing ({exc})") from exc
    if not isinstance(data, dict) or "provenance" not in data:
        raise BrokenSuite(f"{path}: not a briefing")
    return data


def _articles(suite: Suite, case: Case) -> list[Article]:
    found = []
    for name in case.all_articles:
        path = suite.root / name
        if not path.is_file():
            raise BrokenSuite(f"suite {suite.root}: case {case.id!r}: article {path} is missing")
        found.append(read_article(str(path)))
    return found


def origin_of(document: dict[str, Any]) -> str:
    """Where a briefing's answer came from; for a note, the least trustworthy of its sources'
    (live, then authored, then recorded)."""
    provenance = document.get("provenance") or {}
    if "origin" in provenance:
        return str(provenance["origin"])
    origins = provenance.get("origins") or {}
    return next((o for o in ("live", "authored", "recorded") if origins.get(o)), "-")


def as_briefing(document: dict[str, Any]) -> dict[str, Any]:
    """A note seen as one briefing, so a note case's expectations are checked and scored as a
    briefing case's are: its timeline as the meetings (each with every report's quotes), its
    parties' positions as claims, its sources' headlines and ledes as the summary."""
    if "timeline" not in document:
        return document
    meetings = [
        {
            "name": m["name"],
            "status": m["status"],
            "date": {"value": m["date_value"], "flags": []},
            "place": m["place"],
            "participants": m["participants"],
            "forum": m["forum"],
            "evidence": [e for r in m["reports"] for e in r["evidence"]],
        }
        for m in document["timeline"]
    ]
    parties = [
        {"name": p["name"], "aliases": p["aliases"], "claims": p["positions"]}
        for p in document["parties"]
    ]
    sentences = [{"text": s["lede"], "evidence": [], "flags": []} for s in document["sources"]]
    return {
        "summary": {
            "headline": document["title"],
            "lede_sentences": sentences,
            "key_points": [
                {"text": s["headline"], "evidence": [], "flags": []} for s in document["sources"]
            ],
        },
        "parties": parties,
        "meetings": meetings,
        "provenance": {
            "validation": {"dropped": 0},
            "usage": document["provenance"]["usage"],
            "attempts": 0,
        },
    }


def _recorded_latency(suite: Suite, case: Case) -> float | None:
    for table in suite.document.get("cases", []):
        if table.get("id") == case.id:
            value = (table.get("recorded") or {}).get("latency_seconds")
            return float(value) if isinstance(value, int | float) else None
    return None
