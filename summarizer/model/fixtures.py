"""Record and replay model exchanges at the openai client's HTTP transport.

A fixture (a cassette) is one JSON file per distinct request, named by a hash of the canonical
request: method, path below the base URL, and the JSON body with sorted keys. Headers, the API
key and the base URL never enter the key or the file. Because replay happens below the SDK, a
replayed answer still goes through the openai SDK's response parsing and instructor's
validation.

A file holds the ordered answers its request received within one briefing. A model may be
asked the very same thing twice in one run (the same conversation, asked again); replay plays
each stored answer once, in order, so a replayed run sees what the recorded run saw: the same
attempts, tokens and validation report. Which answers are played is counted per briefing (per
``ExchangeTrace``), so briefing the same article twice replays it twice from the start.

File layout (``fixtures/<key[:20]>.json``, ``"format": 2``)::

    {"format": 2, "key": ..., "meta": {"origin": "recorded" | "authored", "model", "created",
                                       "template_hash", "summarizer_version", "facets": {...}},
     "request": {"method", "path", "body"},
     "responses": [{"status", "body", "origin", "created"}, ...]}

Files of format 1 (one ``"response"``) are read as a list of one answer, and rewritten in
format 2 when a new answer is recorded for them.

Modes:

- ``replay``: answers come only from fixtures. A request with no file, or asked more often
  than its file holds answers, is an error that names the closest fixture and what differs.
- ``record``: always call the model; the answers a briefing receives replace the file's.
- ``missing``: replay while stored answers last; a request with no file, or asked once more
  than stored (a repeat within this run included), goes to the model and its answer is added.
- ``live``: pass through and store nothing; the transport then only notes what answered and
  the tokens used.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .._version import __version__
from ..config import FixtureMode
from ..errors import FixtureCorrupt, FixtureError, FixtureMiss
from ..output import atomic_write_text

FACET_ORDER = ("model", "mode", "template", "schema", "article", "params", "conversation")
FACET_WORDS = {
    "model": "model",
    "mode": "instructor mode",
    "template": "prompt template",
    "schema": "response schema",
    "article": "article text",
    "params": "request parameters",
    "conversation": "conversation (re-ask turns)",
}
KEY_FILENAME_CHARS = 20

Describer = Callable[[dict[str, Any]], dict[str, str]]


def canonical_request(method: str, path: str, body: bytes) -> dict[str, Any]:
    try:
        parsed: Any = json.loads(body) if body else None
    except ValueError:
        parsed = body.decode("utf-8", "replace")
    return {"method": method.upper(), "path": path, "body": parsed}


def request_key(canonical: dict[str, Any]) -> str:
    blob = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_SCHEMA_KEYS = frozenset({"tools", "tool_choice", "response_format", "functions"})


def default_facets(body: dict[str, Any]) -> dict[str, str]:
    """Facets any chat request has; the pipeline supplies a richer describer."""
    return {
        "model": str(body.get("model")),
        "schema": short_hash({k: v for k, v in body.items() if k in _SCHEMA_KEYS}),
        "params": short_hash(
            {k: v for k, v in body.items() if k not in {"messages", "model", *_SCHEMA_KEYS}}
        ),
        "conversation": short_hash(body.get("messages")),
    }


def short_hash(value: Any) -> str:
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


FORMAT = 2


@dataclass(frozen=True)
class StoredAnswer:
    """One answer a request received, in the order it came."""

    status: int
    body: Any
    origin: str
    created: str | None = None

    def to_json(self) -> dict[str, Any]:
        stored: dict[str, Any] = {"status": self.status, "body": self.body, "origin": self.origin}
        if self.created:
            stored["created"] = self.created
        return stored


@dataclass(frozen=True)
class Exchange:
    """One stored request and the ordered answers it received."""

    key: str
    path: Path
    meta: dict[str, Any]
    request: dict[str, Any]
    responses: tuple[StoredAnswer, ...]
    format: int = FORMAT

    @property
    def origin(self) -> str:
        return str(self.meta.get("origin", "recorded"))

    @property
    def status(self) -> int:
        return self.responses[0].status

    @property
    def body(self) -> Any:
        return self.responses[0].body


@dataclass
class ExchangeTrace:
    """What answered the calls made for one article (set per task through a contextvar)."""

    origins: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    requests: list[Any] = field(default_factory=list)
    usages: list[dict[str, int]] = field(default_factory=list)
    answered_by: list[str] = field(default_factory=list)  # "model" of each response
    last_response: Any = None
    # How many stored or live answers each request key has had in this briefing, and which
    # keys a live answer was recorded for: replay plays answers in order, record replaces a
    # file's answers with this briefing's.
    played: dict[str, int] = field(default_factory=dict)
    # Told of each answer's usage (None when the answer reports none) as it arrives, so a
    # run-wide token budget sees concurrent articles' spending at once.
    listener: Callable[[dict[str, int] | None], None] | None = None

    def note(self, origin: str, key: str | None, request: Any, response: Any) -> None:
        self.origins.append(origin)
        self.last_response = response
        if key:
            self.keys.append(key)
        self.requests.append(request)
        model = response.get("model") if isinstance(response, dict) else None
        if isinstance(model, str) and model not in self.answered_by:
            self.answered_by.append(model)
        usage = response.get("usage") if isinstance(response, dict) else None
        counted = _token_counts(usage)
        if counted is not None:
            self.usages.append(counted)
        if self.listener is not None:
            self.listener(counted)

    def usage_totals(self) -> dict[str, int]:
        """Tokens summed over every answer, failed attempts included."""
        keys = ("prompt_tokens", "completion_tokens", "total_tokens")
        return {key: sum(u[key] for u in self.usages) for key in keys}

    @property
    def total_tokens(self) -> int:
        return sum(u["total_tokens"] for u in self.usages)

    @property
    def origin(self) -> str:
        """live if any call went to a model now, else authored if any answer was authored."""
        if "live" in self.origins:
            return "live"
        return "authored" if "authored" in self.origins else "recorded"


def _token_counts(usage: Any) -> dict[str, int] | None:
    """An answer's token counts, or None when it reports none it can be held to (a server or
    a hand-edited fixture may write anything there)."""
    if not isinstance(usage, dict):
        return None
    counted: dict[str, int] = {}
    for name in ("prompt_tokens", "completion_tokens", "total_tokens"):
        value = usage.get(name) or 0
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            return None
        counted[name] = int(value)
    return counted


current_trace: contextvars.ContextVar[ExchangeTrace | None] = contextvars.ContextVar(
    "summarizer_exchange_trace", default=None
)


def _note(origin: str, key: str | None, request: Any, response: Any) -> None:
    trace = current_trace.get()
    if trace is not None:
        trace.note(origin, key, request, response)


class FixtureStore:
    """A folder of exchange files."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path_for(self, key: str) -> Path:
        return self.directory / f"{key[:KEY_FILENAME_CHARS]}.json"

    def load(self, key: str) -> Exchange | None:
        path = self.path_for(key)
        if not path.is_file():
            return None
        exchange = self._read(path)
        if exchange.key != key:
            return None
        return exchange

    def read(self, path: Path) -> Exchange:
        """One fixture file, or FixtureCorrupt."""
        return self._read(path)

    def _read(self, path: Path) -> Exchange:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            meta = data.get("meta", {})
            origin = str(meta.get("origin", "recorded"))
            if "responses" in data:
                stored, version = data["responses"], int(data.get("format", FORMAT))
            else:
                stored, version = [data["response"]], 1
            responses = tuple(
                StoredAnswer(
                    status=int(answer["status"]),
                    body=answer["body"],
                    origin=str(answer.get("origin", origin)),
                    created=answer.get("created"),
                )
                for answer in stored
            )
            if not responses:
                raise ValueError("it holds no answers")
            return Exchange(
                key=data["key"],
                path=path,
                meta=meta,
                request=data["request"],
                responses=responses,
                format=version,
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise FixtureCorrupt(
                f"fixture {path} is not a readable exchange ({exc})",
                hint="delete it and record again",
            ) from exc

    def __iter__(self) -> Iterator[Exchange]:
        if not self.directory.is_dir():
            return
        for path in sorted(self.directory.glob("*.json")):
            try:
                yield self._read(path)
            except FixtureCorrupt:
                continue

    def save(
        self,
        *,
        key: str,
        canonical: dict[str, Any],
        responses: list[StoredAnswer],
        meta: dict[str, Any],
    ) -> Path:
        path = self.path_for(key)
        document = {
            "format": FORMAT,
            "key": key,
            "meta": meta,
            "request": canonical,
            "responses": [answer.to_json() for answer in responses],
        }
        atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return path

    def migrate(self) -> list[Path]:
        """Rewrite every format-1 file in format 2 (same key, same answer); return those."""
        rewritten = []
        for exchange in self:
            if exchange.format < FORMAT:
                rewritten.append(
                    self.save(
                        key=exchange.key,
                        canonical=exchange.request,
                        responses=list(exchange.responses),
                        meta=exchange.meta,
                    )
                )
        return rewritten

    def closest(
        self, facets: dict[str, str], body: dict[str, Any] | None = None
    ) -> tuple[Exchange | None, list[str]]:
        """The stored exchange whose facets differ from ``facets`` in the fewest places; among
        equals, the one whose messages read most like ``body``'s (an edited article finds the
        fixture of the original)."""
        from rapidfuzz import fuzz  # lazy: only a replay miss needs it

        wanted = _message_text(body or {})
        best: tuple[int, float, Exchange] | None = None
        best_diff: list[str] = []
        for exchange in self:
            stored = exchange.meta.get("facets") or {}
            diff = [
                name for name in FACET_ORDER if name in facets and stored.get(name) != facets[name]
            ]
            stored_body = exchange.request.get("body")
            likeness = fuzz.ratio(
                wanted, _message_text(stored_body if isinstance(stored_body, dict) else {})
            )
            rank = (len(diff), -likeness)
            if best is None or rank < best[:2]:
                best = (*rank, exchange)
                best_diff = diff
        return (best[2], best_diff) if best else (None, [])


def _message_text(body: dict[str, Any]) -> str:
    messages = body.get("messages") or []
    return "\n".join(
        str(m.get("content")) for m in messages if isinstance(m, dict) and m.get("content")
    )


class FixtureRecorder:
    """The mode logic shared by the sync and async transports."""

    def __init__(
        self,
        *,
        mode: FixtureMode,
        store: FixtureStore,
        base_path: str,
        describe: Describer = default_facets,
        extra_meta: dict[str, Any] | None = None,
    ) -> None:
        self.mode = mode
        self.store = store
        self.base_path = base_path.rstrip("/")
        self.describe = describe
        self.extra_meta = extra_meta or {}
        # Answers played per key when no briefing's trace is active (a bare client's calls).
        self._untraced: dict[str, int] = {}

    def _played(self) -> dict[str, int]:
        trace = current_trace.get()
        return trace.played if trace is not None else self._untraced

    def canonicalize(self, request: httpx.Request) -> tuple[str, dict[str, Any]]:
        path = request.url.path
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :]
        canonical = canonical_request(request.method, path.lstrip("/"), request.content)
        return request_key(canonical), canonical

    def lookup(self, request: httpx.Request) -> tuple[str, dict[str, Any], httpx.Response | None]:
        key, canonical = self.canonicalize(request)
        if self.mode in ("replay", "missing"):
            hit = self.store.load(key)
            played = self._played()
            turn = played.get(key, 0)
            if hit is not None and turn < len(hit.responses):
                played[key] = turn + 1
                answer = hit.responses[turn]
                _note(answer.origin, key, canonical["body"], answer.body)
                return key, canonical, _response_from(answer, request)
            if self.mode == "replay" and hit is not None:
                raise self.exhausted(hit, turn)
        if self.mode == "replay":
            raise self.miss(key, canonical)
        return key, canonical, None

    def exhausted(self, hit: Exchange, turn: int) -> FixtureMiss:
        """This briefing asks a stored request once more than the recording did."""
        held = len(hit.responses)
        return FixtureMiss(
            f"this request (key {hit.key[:12]}) was asked {turn + 1} times in this briefing, "
            f"but {hit.path} holds {held} answer{'s' if held != 1 else ''}: the recorded run "
            "asked it fewer times",
            key=hit.key,
            closest=hit.path,
            differences=["repeats"],
            hint="record it again with --fixture-mode record (or missing, to add the answer)",
        )

    def miss(self, key: str, canonical: dict[str, Any]) -> FixtureMiss:
        body = canonical["body"] if isinstance(canonical["body"], dict) else {}
        facets = self.describe(body)
        closest, diff = self.store.closest(facets, body)
        where = self.store.directory
        message = f"no stored answer for this request (key {key[:12]}) in {where}"
        if closest is None:
            message += (
                "; that is not a folder"
                if where.exists() and not where.is_dir()
                else "; the folder holds no fixtures"
            )
        else:
            stored = closest.meta.get("facets") or {}
            parts = [
                f"{FACET_WORDS[name]} ({stored.get(name, '?')} stored, {facets.get(name)} now)"
                for name in diff
            ]
            what = "; ".join(parts) if parts else "details outside the recorded facets"
            message += (
                f"; closest is {closest.path.name} ({closest.origin}), which differs in: {what}"
            )
        hint = (
            "record it against a live endpoint with --fixture-mode record (or missing), "
            "or pass --fixtures DIR where it was recorded"
        )
        return FixtureMiss(
            message,
            key=key,
            closest=closest.path if closest else None,
            differences=diff,
            hint=hint,
        )

    def after_live(self, key: str, canonical: dict[str, Any], status: int, content: bytes) -> None:
        """Note a live answer, and store it when recording."""
        body_in = canonical["body"] if isinstance(canonical["body"], dict) else {}
        try:
            body = json.loads(content)
        except ValueError:
            body = None
        if not 200 <= status < 300:
            return  # a fault, not an answer: the retry layer above decides what happens next
        _note("live", key if self.mode != "live" else None, canonical["body"], body)
        if self.mode not in ("record", "missing") or body is None:
            return
        played = self._played()
        turn = played.get(key, 0)
        played[key] = turn + 1
        created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        meta = {
            "origin": "recorded",
            "model": body_in.get("model"),
            "created": created,
            "summarizer_version": __version__,
            **self.extra_meta,
            "facets": self.describe(body_in),
        }
        # The answers this briefing already had for this request (stored ones played first in
        # missing mode, or earlier live ones in record mode) stay before the new one; in record
        # mode whatever an earlier run left is replaced.
        earlier = self.store.load(key) if turn else None
        responses = list(earlier.responses[:turn]) if earlier is not None else []
        responses.append(StoredAnswer(status, body, str(meta["origin"]), str(meta["created"])))
        try:
            self.store.save(key=key, canonical=canonical, responses=responses, meta=meta)
        except OSError as exc:
            raise FixtureError(
                f"the model answered, but the fixture could not be saved in "
                f"{self.store.directory}: {exc.strerror or exc}",
                hint="pass --fixtures with a writable folder",
            ) from exc


def _response_from(answer: StoredAnswer, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        answer.status,
        headers={"content-type": "application/json"},
        content=json.dumps(answer.body).encode("utf-8"),
        request=request,
    )


def _passthrough(
    response: httpx.Response, content: bytes, request: httpx.Request
) -> httpx.Response:
    """A copy of a live response whose body has already been read and decoded."""
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
    ]
    return httpx.Response(response.status_code, headers=headers, content=content, request=request)


class FixtureTransport(httpx.BaseTransport):
    """Sync transport: answers from fixtures, or passes through to ``inner`` and records."""

    def __init__(self, recorder: FixtureRecorder, inner: httpx.BaseTransport | None = None):
        self.recorder = recorder
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key, canonical, hit = self.recorder.lookup(request)
        if hit is not None:
            return hit
        inner = self.inner or httpx.HTTPTransport()
        self.inner = inner
        response = inner.handle_request(request)
        content = response.read()
        self.recorder.after_live(key, canonical, response.status_code, content)
        return _passthrough(response, content, request)

    def close(self) -> None:
        if self.inner is not None:
            self.inner.close()


class AsyncFixtureTransport(httpx.AsyncBaseTransport):
    """Async twin of :class:`FixtureTransport`, for concurrent batch runs."""

    def __init__(self, recorder: FixtureRecorder, inner: httpx.AsyncBaseTransport | None = None):
        self.recorder = recorder
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        key, canonical, hit = self.recorder.lookup(request)
        if hit is not None:
            return hit
        inner = self.inner or httpx.AsyncHTTPTransport()
        self.inner = inner
        response = await inner.handle_async_request(request)
        content = await response.aread()
        self.recorder.after_live(key, canonical, response.status_code, content)
        return _passthrough(response, content, request)

    async def aclose(self) -> None:
        if self.inner is not None:
            await self.inner.aclose()
