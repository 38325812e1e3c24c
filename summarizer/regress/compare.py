"""Two briefings compared field by field, with list items matched by identity.

A model answers in any order and numbers its meetings as it likes, so a comparison that went
by position would report noise. Every list is matched by what its items *are*; a reordering is
never a change, and an item with no partner is one ``added`` or ``removed`` change carrying the
whole item. The identity rules, and the labels that name items in a change's path:

- ``meetings``: scored over four parts: ``date.value``, the place (city, country, venue: the
  parts both sides give must agree), the participants' names (half of them in common) and the
  name (half of its words in common), plus ``forum``. Best pairs are made first, and a pair
  needs two agreeing parts of which one says *what* the meeting is (name, participants or
  forum) - so a meeting whose status or date changed is one meeting with a changed field,
  while two meetings on one day in one city are never taken for each other. A meeting known by
  its name alone pairs on an identical name when no part disagrees.
  Label: ``meetings["NATO-Russia Council meeting" 2022-01-12]`` (name, date value).
- ``parties``: the canonical name (casefolded), else any name or alias in common.
  Label: ``parties["Russia"]``.
- ``claims``: their evidence's offsets (start, end), falling back to the quote text, then the
  position text. Label: ``claims[quote@1203-1260]`` (the first quote's offsets).
- ``evidence``: offsets, then quote text, then spans overlapping by half. Label:
  ``evidence[@1203-1260]``.
- ``lede_sentences`` and ``key_points``: their evidence offsets, then their text.
  Label: the sentence, shortened: ``key_points["Stoltenberg: Kiev has the right…"]``.
- ``aliases``, ``speakers``, ``participants``: by name, as sets. Label: ``["Wendy Sherman"]``.
- ``flags`` and any other list of strings: as a multiset. Label: the string.
- ``provenance.validation.issues``: as a multiset of their ``problem`` text (``item`` holds
  index paths, which move when the lists do).

A label shared by two items of one list gets `` #2``, `` #3``... Paired items are named by the
earlier (old) briefing's label.

Not compared, because they change without the briefing changing: the top-level
``schema_version``, ``source.path``, ``summary.lede`` (its sentences are compared one by one
in ``lede_sentences``), meeting
``id`` (a ``relative_to`` that names a meeting compares the meeting it names, not its id),
and from ``provenance``: ``summarizer_version``, ``template_hash``, ``schema_version``,
``origin``, ``fixtures``, ``answered_by`` and ``validation.rounds``, ``.reask_tokens``,
``.attempts``. Token usage and ``attempts`` go to :attr:`Comparison.usage`, reported but never
a change. Everything else is compared, ``validation.checked``, ``failed``, ``dropped`` and
``fixed_by_reask`` included.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from ..errors import UsageError

__all__ = [
    "MISSING",
    "Change",
    "Comparison",
    "changes_json",
    "compare_briefings",
    "compare_documents",
    "compare_files",
    "compare_notes",
    "diff_lines",
    "format_change",
    "load_briefings",
    "usage_line",
]


class _Missing:
    """The value on the side where an item or key does not exist."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()


@dataclass(frozen=True)
class Change:
    """One difference: where it is, and the value before and after (MISSING when absent)."""

    path: str
    old: Any
    new: Any

    @property
    def kind(self) -> Literal["changed", "added", "removed"]:
        if self.old is MISSING:
            return "added"
        if self.new is MISSING:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class Comparison:
    """The changes between two briefings, and their token usage (old, new) kept apart."""

    changes: tuple[Change, ...]
    usage: dict[str, tuple[Any, Any]]

    @property
    def same(self) -> bool:
        """No change in a compared field; tokens and attempts do not count."""
        return not self.changes


Where = tuple[str, ...]  # the field names leading to a value, list labels left out

_IGNORED: Final[frozenset[Where]] = frozenset(
    {
        ("schema_version",),
        ("source", "path"),
        # The lede's sentences joined: each is compared in lede_sentences.
        ("summary", "lede"),
        ("meetings", "id"),
        ("provenance", "summarizer_version"),
        ("provenance", "template_hash"),
        ("provenance", "schema_version"),
        ("provenance", "origin"),
        ("provenance", "fixtures"),
        ("provenance", "answered_by"),
        ("provenance", "validation", "rounds"),
        ("provenance", "validation", "reask_tokens"),
        ("provenance", "validation", "attempts"),
        # Reported in Comparison.usage instead.
        ("provenance", "usage"),
        ("provenance", "attempts"),
        # A note's: the same, for each of its sources.
        ("sources", "path"),
        ("sources", "origin"),
        ("provenance", "origins"),
        ("provenance", "briefing_schema_version"),
    }
)
_USAGE: Final = {
    "total_tokens": ("provenance", "usage", "total_tokens"),
    "prompt_tokens": ("provenance", "usage", "prompt_tokens"),
    "completion_tokens": ("provenance", "usage", "completion_tokens"),
    "attempts": ("provenance", "attempts"),
}
_LABEL_CHARS = 40
_MEETING_ID = re.compile(r"m\d+")


# --------------------------------------------------------------------------- small helpers


def _get(item: Any, *keys: str) -> Any:
    """A nested value, or None when any step is missing or not an object."""
    for key in keys:
        if not isinstance(item, Mapping):
            return None
        item = item.get(key)
    return item


def _fold(text: Any) -> str:
    return " ".join(str(text).casefold().split()) if text is not None else ""


def _words(text: Any) -> set[str]:
    return set(re.findall(r"\w+", _fold(text)))


def _jaccard(a: set[Any], b: set[Any]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _quoted(text: Any, limit: int = _LABEL_CHARS) -> str:
    """A string as a short JSON literal: quoted, escaped, cut with an ellipsis."""
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return json.dumps(text, ensure_ascii=False)


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true and 1 differ, as they do in the file."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _spans(item: Any) -> list[tuple[int, int]]:
    """The (start, end) offsets of an item's evidence that has them."""
    evidence = _get(item, "evidence")
    spans = []
    for quote in evidence if isinstance(evidence, list) else []:
        start, end = _get(quote, "start"), _get(quote, "end")
        if isinstance(start, int) and isinstance(end, int):
            spans.append((start, end))
    return spans


def _quotes(item: Any) -> set[str]:
    evidence = _get(item, "evidence")
    return {_fold(_get(q, "quote")) for q in (evidence if isinstance(evidence, list) else [])}


# --------------------------------------------------------------------------- identity rules

Score = Callable[[Any, Any], float | None]  # None: never the same item
Label = Callable[[Any], str]


def _meeting_place(meeting: Any) -> dict[str, str]:
    place = _get(meeting, "place")
    parts = {key: _fold(_get(place, key)) for key in ("city", "country", "venue")}
    return {key: value for key, value in parts.items() if value}


def _participant_names(meeting: Any) -> set[str]:
    people = _get(meeting, "participants")
    return {_fold(_get(p, "name")) for p in (people if isinstance(people, list) else [])}


def _meeting_score(a: Any, b: Any) -> float | None:
    """Agreeing parts (date, place, participants, name, forum), and how closely they agree."""
    agree: set[str] = set()
    disagree: set[str] = set()

    def judge(part: str, known: bool, same: bool) -> None:
        if known:
            (agree if same else disagree).add(part)

    date_a, date_b = _get(a, "date", "value"), _get(b, "date", "value")
    judge("date", bool(date_a and date_b), date_a == date_b)
    place_a, place_b = _meeting_place(a), _meeting_place(b)
    shared = place_a.keys() & place_b.keys()
    judge("place", bool(shared), all(place_a[k] == place_b[k] for k in shared))
    people_a, people_b = _participant_names(a), _participant_names(b)
    people = _jaccard(people_a, people_b)
    judge("participants", bool(people_a and people_b), people >= 0.5)
    name = _jaccard(_words(_get(a, "name")), _words(_get(b, "name")))
    judge("name", True, name >= 0.5)
    forum_a, forum_b = _fold(_get(a, "forum")), _fold(_get(b, "forum"))
    judge("forum", bool(forum_a and forum_b), forum_a == forum_b)

    says_what = bool(agree & {"name", "participants", "forum"})
    by_name_alone = _fold(_get(a, "name")) == _fold(_get(b, "name")) and not disagree
    if not (len(agree) >= 2 and says_what) and not by_name_alone:
        return None
    tie_break = sum(0.05 for key in ("kind", "status") if _get(a, key) == _get(b, key))
    return len(agree) + name / 2 + people / 4 + tie_break


def _meeting_label(meeting: Any) -> str:
    date = _get(meeting, "date", "value")
    return _quoted(_get(meeting, "name")) + (f" {date}" if date else "")


def _party_names(party: Any) -> set[str]:
    aliases = _get(party, "aliases")
    names = {_fold(a) for a in (aliases if isinstance(aliases, list) else [])}
    return (names | {_fold(_get(party, "name"))}) - {""}


def _party_score(a: Any, b: Any) -> float | None:
    if _fold(_get(a, "name")) == _fold(_get(b, "name")):
        return 2.0
    common = _jaccard(_party_names(a), _party_names(b))
    return 1.0 + common if common else None


def _claim_score(a: Any, b: Any) -> float | None:
    spans = _jaccard(set(_spans(a)), set(_spans(b)))
    if spans:
        return 2.0 + spans
    quotes = _jaccard(_quotes(a) - {""}, _quotes(b) - {""})
    if quotes:
        return 1.0 + quotes
    position = _fold(_get(a, "position"))
    return 0.5 if position and position == _fold(_get(b, "position")) else None


def _claim_label(claim: Any) -> str:
    spans = _spans(claim)
    if spans:
        return f"quote@{spans[0][0]}-{spans[0][1]}"
    evidence = _get(claim, "evidence")
    if isinstance(evidence, list) and evidence:
        return f"quote {_quoted(_get(evidence[0], 'quote'))}"
    return f"position {_quoted(_get(claim, 'position'))}"


def _evidence_score(a: Any, b: Any) -> float | None:
    start_a, end_a = _get(a, "start"), _get(a, "end")
    start_b, end_b = _get(b, "start"), _get(b, "end")
    offsets = all(isinstance(n, int) for n in (start_a, end_a, start_b, end_b))
    if offsets and (start_a, end_a) == (start_b, end_b):
        return 3.0
    if _fold(_get(a, "quote")) == _fold(_get(b, "quote")):
        return 2.0
    if offsets:
        overlap: int = min(end_a, end_b) - max(start_a, start_b)
        union: int = max(end_a, end_b) - min(start_a, start_b)
        if union > 0 and overlap / union >= 0.5:
            return 1.0 + overlap / union
    return None


def _evidence_label(evidence: Any) -> str:
    start, end = _get(evidence, "start"), _get(evidence, "end")
    if isinstance(start, int) and isinstance(end, int):
        return f"@{start}-{end}"
    return _quoted(_get(evidence, "quote"))


def _sentence_score(a: Any, b: Any) -> float | None:
    spans = _jaccard(set(_spans(a)), set(_spans(b)))
    if spans:
        return 2.0 + spans
    return 1.0 if _fold(_get(a, "text")) == _fold(_get(b, "text")) else None


def _by_name(a: Any, b: Any) -> float | None:
    return 1.0 if _fold(_name(a)) == _fold(_name(b)) else None


def _name(item: Any) -> Any:
    return item if isinstance(item, str) else _get(item, "name")


def _by_value(a: Any, b: Any) -> float | None:
    return 1.0 if _equal(a, b) else None


def _value_label(item: Any) -> str:
    return _quoted(item) if isinstance(item, str) else _quoted(json.dumps(item))


# --- notes: sources by text hash, timeline meetings by uid, reports and positions by source


def _source_score(a: Any, b: Any) -> float | None:
    if isinstance(a, str) or isinstance(b, str):
        return _by_value(a, b)
    return 1.0 if _get(a, "sha256") == _get(b, "sha256") else None


def _source_label(item: Any) -> str:
    return _quoted(item) if isinstance(item, str) else str(_get(item, "id"))


def _timeline_score(a: Any, b: Any) -> float | None:
    if _get(a, "uid") == _get(b, "uid"):
        return 2.0
    return 1.0 if _fold(_get(a, "name")) == _fold(_get(b, "name")) else None


def _timeline_label(meeting: Any) -> str:
    date = _get(meeting, "date_value")
    return _quoted(_get(meeting, "name")) + (f" {date}" if date else "")


def _report_score(a: Any, b: Any) -> float | None:
    return 1.0 if _get(a, "source") == _get(b, "source") else None


def _position_score(a: Any, b: Any) -> float | None:
    if _get(a, "source") != _get(b, "source"):
        return None
    return _claim_score(a, b)


def _position_label(position: Any) -> str:
    return f"{_get(position, 'source')} {_claim_label(position)}"


_RULES: Final[dict[str, tuple[Score, Label]]] = {
    "sources": (_source_score, _source_label),
    "timeline": (_timeline_score, _timeline_label),
    "reports": (_report_score, lambda r: str(_get(r, "source"))),
    "positions": (_position_score, _position_label),
    "status_history": (
        lambda a, b: 1.0 if _get(a, "source") == _get(b, "source") else None,
        lambda h: str(_get(h, "source")),
    ),
    "disagreements": (
        lambda a, b: 1.0 if _get(a, "field") == _get(b, "field") else None,
        lambda d: str(_get(d, "field")),
    ),
    "meetings": (_meeting_score, _meeting_label),
    "parties": (_party_score, lambda party: _quoted(_get(party, "name"))),
    "claims": (_claim_score, _claim_label),
    "evidence": (_evidence_score, _evidence_label),
    "lede_sentences": (_sentence_score, lambda s: _quoted(_get(s, "text"))),
    "key_points": (_sentence_score, lambda s: _quoted(_get(s, "text"))),
    "aliases": (_by_name, lambda item: _quoted(_name(item))),
    "speakers": (_by_name, lambda item: _quoted(_name(item))),
    "participants": (_by_name, lambda item: _quoted(_name(item))),
}


def _pair(old: Sequence[Any], new: Sequence[Any], score: Score) -> list[tuple[int, int]]:
    """The best pairs first; each item in at most one pair. Ordered by old position."""
    candidates = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            value = score(a, b)
            if value is not None:
                candidates.append((-value, i, j))
    candidates.sort()
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def _labels(items: Sequence[Any], label: Label) -> list[str]:
    """Each item's label, made unique within its list by `` #2``, `` #3``..."""
    raw = [label(item) for item in items]
    seen: Counter[str] = Counter()
    labels = []
    for text in raw:
        seen[text] += 1
        labels.append(text if seen[text] == 1 else f"{text} #{seen[text]}")
    return labels


# --------------------------------------------------------------------------- the walk


class _Differ:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def value(self, path: str, where: Where, old: Any, new: Any) -> None:
        if where in _IGNORED:
            return
        if isinstance(old, Mapping) and isinstance(new, Mapping):
            for key in [*old, *(k for k in new if k not in old)]:
                child = f"{path}.{key}" if path else str(key)
                self.value(child, (*where, str(key)), old.get(key, MISSING), new.get(key, MISSING))
        elif isinstance(old, list) and isinstance(new, list):
            self.sequence(path, where, old, new)
        elif {type(old), type(new)} == {_Missing, type(None)}:
            return  # a field a newer schema added, empty: nothing was said either way
        elif not _equal(old, new):
            self.changes.append(Change(path, old, new))

    def sequence(self, path: str, where: Where, old: list[Any], new: list[Any]) -> None:
        field = where[-1] if where else ""
        if field == "meetings":
            old, new = _meetings_by_reference(old, new)
        if where == ("provenance", "validation", "issues"):
            old, new = [_get(i, "problem") for i in old], [_get(i, "problem") for i in new]
        score, label = _RULES.get(field, (_by_value, _value_label))
        self.items(path, where, old, new, score, label)

    def items(
        self, path: str, where: Where, old: list[Any], new: list[Any], score: Score, label: Label
    ) -> None:
        pairs = _pair(old, new, score)
        old_labels, new_labels = _labels(old, label), _labels(new, label)
        for i, j in pairs:
            self.value(f"{path}[{old_labels[i]}]", where, old[i], new[j])
        paired_old = {i for i, _ in pairs}
        paired_new = {j for _, j in pairs}
        for i, item in enumerate(old):
            if i not in paired_old:
                self.changes.append(Change(f"{path}[{old_labels[i]}]", _raw(item), MISSING))
        for j, item in enumerate(new):
            if j not in paired_new:
                self.changes.append(Change(f"{path}[{new_labels[j]}]", MISSING, _raw(item)))


class _Referring(dict[str, Any]):
    """A meeting whose ``relative_to`` names another meeting by label, not by id; it keeps the
    meeting as written for an ``added``/``removed`` change."""

    raw: Any


def _raw(item: Any) -> Any:
    return item.raw if isinstance(item, _Referring) else item


def _meetings_by_reference(old: list[Any], new: list[Any]) -> tuple[list[Any], list[Any]]:
    """Meetings whose ``relative_to`` ids are replaced by the label of the meeting they point
    to - its old label when it is paired - so that renumbering m1, m2... is no change."""
    pairs = _pair(old, new, _meeting_score)
    old_labels, new_labels = _labels(old, _meeting_label), _labels(new, _meeting_label)
    old_refs = {_get(m, "id"): f"meetings[{old_labels[i]}]" for i, m in enumerate(old)}
    new_refs = {_get(m, "id"): f"meetings[{new_labels[j]}]" for j, m in enumerate(new)}
    new_refs.update({_get(new[j], "id"): old_refs[_get(old[i], "id")] for i, j in pairs})
    return _refer(old, old_refs), _refer(new, new_refs)


def _refer(meetings: list[Any], refs: dict[Any, str]) -> list[Any]:
    done: list[Any] = []
    for meeting in meetings:
        target = _get(meeting, "date", "relative_to")
        if not isinstance(meeting, Mapping) or not isinstance(target, str):
            done.append(meeting)
            continue
        if target in refs:
            target = refs[target]
        elif _MEETING_ID.fullmatch(target):
            target = "an unknown meeting"
        copy = _Referring(meeting)
        copy["date"] = {**meeting["date"], "relative_to": target}
        copy.raw = meeting
        done.append(copy)
    return done


def compare_briefings(old: Mapping[str, Any], new: Mapping[str, Any]) -> Comparison:
    """Every difference between two briefings (dicts as ``summarize`` writes them) in a
    compared field; token usage and attempts apart, in ``usage``."""
    differ = _Differ()
    differ.value("", (), old, new)
    usage = {name: (_get(old, *keys), _get(new, *keys)) for name, keys in _USAGE.items()}
    return Comparison(tuple(differ.changes), usage)


def compare_notes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Comparison:
    """Every difference between two notes (``summarizer note -f json``): sources paired by
    text hash, timeline meetings by ``uid``, reports by source, parties by name and alias,
    positions by source and quote offsets. Paths, origins, versions and tokens are ignored;
    the summed tokens are in ``usage``."""
    differ = _Differ()
    differ.value("", (), old, new)
    usage = {
        name: (_get(old, *keys), _get(new, *keys))
        for name, keys in _USAGE.items()
        if keys[1] == "usage"
    }
    return Comparison(tuple(differ.changes), usage)


def compare_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> Comparison:
    """Two briefings, or two notes (a note has a ``timeline``)."""
    if "timeline" in old and "timeline" in new:
        return compare_notes(old, new)
    return compare_briefings(old, new)


# --------------------------------------------------------------------------- files


def _is_briefing(value: Any) -> bool:
    """A briefing, or a note (which ``diff`` compares the same way)."""
    if not isinstance(value, dict):
        return False
    keys = set(value)
    return {"source", "summary", "parties", "meetings"} <= keys or {
        "sources",
        "timeline",
        "parties",
    } <= keys


def load_briefings(path: Path) -> list[dict[str, Any]]:
    """The briefings of a JSON file: one object, or an array of them (several articles)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file", hint="name a briefing JSON file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{path}: cannot be read ({reason})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path}: not JSON ({exc.msg}, line {exc.lineno})",
            hint="give the output of summarizer summarize --format json",
        ) from None
    briefings = data if isinstance(data, list) else [data]
    if not all(_is_briefing(item) for item in briefings):
        raise UsageError(
            f"{path}: not a briefing (one needs source, summary, parties and meetings) nor a note",
            hint="give the output of summarizer summarize --format json",
        )
    return briefings


def _file_label(briefing: Mapping[str, Any], index: int) -> str:
    if "timeline" in briefing and briefing.get("title"):
        return str(briefing["title"])
    for key in ("title", "path"):
        value = _get(briefing, "source", key)
        if value:
            return str(value)
    sha = _get(briefing, "source", "sha256")
    return str(sha)[:12] if sha else f"#{index + 1}"


def _pair_files(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Pairs by source.sha256, then source.path, then position among those left."""
    pairs: list[tuple[int, int]] = []
    for key in ("sha256", "path"):
        left_old = [i for i in range(len(old)) if i not in {p[0] for p in pairs}]
        left_new = [j for j in range(len(new)) if j not in {p[1] for p in pairs}]
        for i in left_old:
            value = _get(old[i], "source", key)
            match = next(
                (j for j in left_new if value and _get(new[j], "source", key) == value), None
            )
            if match is not None:
                pairs.append((i, match))
                left_new.remove(match)
    left_old = [i for i in range(len(old)) if i not in {p[0] for p in pairs}]
    left_new = [j for j in range(len(new)) if j not in {p[1] for p in pairs}]
    pairs.extend(zip(left_old, left_new, strict=False))
    return sorted(pairs)


def compare_files(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[tuple[str, Comparison]]:
    """Each briefing of one file compared with its partner in the other; a briefing on one
    side only is a single change at ``briefing[<label>]``."""
    pairs = _pair_files(old, new)
    results = [(_file_label(old[i], i), compare_documents(old[i], new[j])) for i, j in pairs]
    paired_old, paired_new = {i for i, _ in pairs}, {j for _, j in pairs}
    for i, briefing in enumerate(old):
        if i not in paired_old:
            label = _file_label(briefing, i)
            results.append(
                (label, Comparison((Change(f"briefing[{label}]", briefing, MISSING),), {}))
            )
    for j, briefing in enumerate(new):
        if j not in paired_new:
            label = _file_label(briefing, j)
            results.append(
                (label, Comparison((Change(f"briefing[{label}]", MISSING, briefing),), {}))
            )
    return results


# --------------------------------------------------------------------------- presentation


_MIN_ROOM = 30  # a value is worth more than a line that fits: a date is never cut


def _short(value: Any, limit: int) -> str:
    """A value as short JSON: strings quoted, anything too long cut with an ellipsis."""
    limit = max(limit, 8)
    if isinstance(value, str):
        return _quoted(value, limit - 2)
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_change(change: Change, width: int = 80) -> str:
    """``path: old -> new``, or ``added: path = value`` / ``removed: path = value``, with
    the values shortened to keep the line near ``width``."""
    if change.kind == "changed":
        room = width - len(change.path) - len(": ") - len(" -> ")
        old = _short(change.old, max(room // 2, _MIN_ROOM))
        return f"{change.path}: {old} -> {_short(change.new, max(room - len(old), _MIN_ROOM))}"
    value = change.new if change.kind == "added" else change.old
    head = f"{change.kind}: {change.path} = "
    return head + _short(value, max(width - len(head), _MIN_ROOM))


_USAGE_NAMES: Final = {
    "total_tokens": "tokens",
    "prompt_tokens": "prompt tokens",
    "completion_tokens": "completion tokens",
    "attempts": "attempts",
}


def usage_line(comparison: Comparison) -> str | None:
    """Token and attempt differences on one line, marked as not counted; None when none."""
    differ = {k: v for k, v in comparison.usage.items() if v[0] != v[1]}
    if "total_tokens" in differ:
        differ.pop("prompt_tokens", None)
        differ.pop("completion_tokens", None)
    if not differ:
        return None
    parts = [f"{_USAGE_NAMES.get(k, k)} {old} -> {new}" for k, (old, new) in differ.items()]
    return ", ".join(parts) + " (not counted as changes)"


def diff_lines(results: list[tuple[str, Comparison]], width: int = 80) -> list[str]:
    """What ``summarizer diff`` prints: per briefing with changes (or usage differences) a
    header line, then one line per change, then the usage line."""
    lines: list[str] = []
    for label, comparison in results:
        usage = usage_line(comparison)
        if comparison.same and usage is None:
            continue
        lines.append(label)
        lines.extend(f"  {format_change(change, width - 2)}" for change in comparison.changes)
        if usage is not None:
            lines.append(f"  {usage}")
    return lines


def changes_json(results: list[tuple[str, Comparison]]) -> list[dict[str, Any]]:
    """The changes as JSON objects: briefing (its label), path, kind, old, new (null when
    missing)."""
    return [
        {
            "briefing": label,
            "path": change.path,
            "kind": change.kind,
            "old": None if change.old is MISSING else change.old,
            "new": None if change.new is MISSING else change.new,
        }
        for label, comparison in results
        for change in comparison.changes
    ]
