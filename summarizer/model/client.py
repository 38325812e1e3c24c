"""The model client: openai SDK + instructor over a transport stack of retry and fixtures.

    openai SDK (retries off) → httpx client → RetryTransport → FixtureTransport → network

It asks for any pydantic response model and knows nothing of what is inside it: the caller
passes the model (whose validators may fail an answer so that instructor re-asks) and a hook
called before each attempt. openai and instructor are imported inside functions, only when a
client is built, so that ``summarizer --help`` and library imports stay fast.

Errors: what the SDK, the transport, instructor and pydantic raise becomes one
:class:`~summarizer.errors.ModelError` with a fix (``translate_error``); anything else is a bug
in summarizer and propagates unchanged, with its traceback.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlparse

import httpx

from ..config import Settings, redact_url
from ..errors import (
    BriefingValidationError,
    ModelError,
    NoModelConfigured,
    SummarizerError,
    TokenBudgetExhausted,
)
from .fixtures import (
    AsyncFixtureTransport,
    Describer,
    ExchangeTrace,
    FixtureRecorder,
    FixtureStore,
    FixtureTransport,
    current_trace,
)
from .retry import AsyncRetryTransport, RetryPolicy, RetryTransport

if TYPE_CHECKING:
    import instructor  # lazy: only a model call needs it

OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
# The SDK insists on a key; local servers (Ollama, llama.cpp) ignore it, replay never sends it.
PLACEHOLDER_KEY = "no-key-configured"
logger = logging.getLogger("summarizer.client")

# Called before each model attempt (transport retries happen below it, uncounted).
AttemptHook = Callable[[], None]


@dataclass
class ModelAnswer:
    """What one structured call produced: the validated value, the attempts it took, and
    what answered each attempt (origins, fixture keys, usage)."""

    trace: ExchangeTrace
    value: Any = None
    attempts: int = 0


def bound_messages(messages: list[Any]) -> list[Any]:
    """The original request plus only the latest answer and its errors.

    instructor appends every failed answer and its errors to the conversation; sending all of
    it makes each re-ask larger than the last. The model needs only its last answer and what
    was wrong with it.
    """
    roles = [m.get("role") if isinstance(m, dict) else getattr(m, "role", None) for m in messages]
    assistants = [i for i, role in enumerate(roles) if role == "assistant"]
    if len(assistants) < 2:
        return messages
    return messages[: assistants[0]] + messages[assistants[-1] :]


@dataclass
class RunBudget:
    """Tokens spent by one client across articles, against an optional limit."""

    limit: int | None = None
    spent: int = 0
    blind: bool = False  # an answer came without usage: the budget cannot see it

    def observe(self, usage: dict[str, int] | None) -> None:
        """Count an answer's tokens the moment it arrives (shared by concurrent articles)."""
        if usage is None:
            if self.limit is not None and not self.blind:
                logger.warning(
                    "the endpoint reports no token usage; --max-tokens-per-run cannot count it"
                )
            self.blind = True
            return
        self.spent += usage["total_tokens"]

    def check(self) -> None:
        """Refuse the next model call once the run has spent its budget."""
        if self.limit is None:
            return
        used = self.spent
        if used >= self.limit:
            raise TokenBudgetExhausted(
                f"the run's token budget is spent ({used:,} of {self.limit:,} tokens)",
                hint="raise --max-tokens-per-run to go on",
            )


_current_call: contextvars.ContextVar[ModelAnswer | None] = contextvars.ContextVar(
    "summarizer_model_call", default=None
)
_current_hook: contextvars.ContextVar[AttemptHook | None] = contextvars.ContextVar(
    "summarizer_attempt_hook", default=None
)


def _next_attempt(kwargs: dict[str, Any], budget: RunBudget) -> dict[str, Any]:
    """Called once per model attempt (transport retries happen below, uncounted)."""
    budget.check()
    answer = _current_call.get()
    if answer is not None:
        answer.attempts += 1
    hook = _current_hook.get()
    if hook is not None:
        hook()
    if "messages" in kwargs:
        kwargs = {**kwargs, "messages": bound_messages(list(kwargs["messages"]))}
    return kwargs


def _instructor_mode(name: str) -> instructor.Mode:
    import instructor  # lazy: only a model call needs it

    return {
        "tools": instructor.Mode.TOOLS,
        "json_schema": instructor.Mode.JSON_SCHEMA,
        "json": instructor.Mode.JSON,
        "md_json": instructor.Mode.MD_JSON,
    }[name]


logger = logging.getLogger("summarizer.client")


def _quiet_instructor_logs() -> None:
    """instructor logs every failed attempt at ERROR; summarizer reports failures itself."""
    logger = logging.getLogger("instructor")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False


def check_endpoint(settings: Settings) -> None:
    """Refuse a live call (record, missing, live) when no endpoint is configured."""
    if settings.fixture_mode != "replay" and not settings.endpoint_configured:
        raise NoModelConfigured(
            f"fixture mode {settings.fixture_mode!r} needs a model endpoint; none is configured",
            hint="set OPENAI_API_KEY, or --base-url for a local server (Ollama, vLLM, llama.cpp)",
        )


def _recorder(
    settings: Settings, describe: Describer, extra_meta: dict[str, Any]
) -> FixtureRecorder:
    base_url = settings.base_url or OPENAI_DEFAULT_BASE_URL
    return FixtureRecorder(
        mode=settings.fixture_mode,
        store=FixtureStore(settings.fixtures_dir),
        base_path=urlparse(base_url).path,
        describe=describe,
        extra_meta=extra_meta,
    )


def _policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        max_retries=settings.max_retries,
        total_seconds=settings.timeout * (settings.max_retries + 1),
    )


class _ClientBase:
    """What the sync and async clients share: settings, budget, SDK and call arguments."""

    def __init__(self, settings: Settings) -> None:
        check_endpoint(settings)
        _quiet_instructor_logs()
        self.settings = settings
        self.budget = RunBudget(settings.max_tokens_per_run)

    def _sdk_options(self, http: httpx.Client | httpx.AsyncClient) -> dict[str, Any]:
        return {
            "api_key": self.settings.api_key or PLACEHOLDER_KEY,
            "base_url": self.settings.base_url or OPENAI_DEFAULT_BASE_URL,
            "max_retries": 0,  # the transport's RetryTransport is the one retry layer
            "timeout": self.settings.timeout,
            # openai 3 accepts an httpx (not only httpx2) client; its stubs name only httpx2.
            "http_client": cast(Any, http),
        }

    def _patch(self, create: Callable[..., Any]) -> Callable[..., Any]:
        import instructor  # lazy: only a model call needs it

        patched: Callable[..., Any] = instructor.patch(
            create=create, mode=_instructor_mode(self.settings.mode)
        )
        return patched

    def _call_options(
        self, messages: list[dict[str, str]], response_model: type[Any]
    ) -> dict[str, Any]:
        return {
            "model": self.settings.model,
            "response_model": response_model,
            "messages": messages,
            "max_retries": self.settings.max_reasks,
        }

    @contextlib.contextmanager
    def _answering(self, before_attempt: AttemptHook | None) -> Iterator[ModelAnswer]:
        """One call's answer: current while the call runs (per thread or task), its tokens
        charged to the run as they arrive, and its errors translated."""
        answer = ModelAnswer(trace=ExchangeTrace(listener=self.budget.observe))
        tokens = (
            current_trace.set(answer.trace),
            _current_call.set(answer),
            _current_hook.set(before_attempt),
        )
        try:
            yield answer
        except Exception as exc:
            bug = our_bug(exc)
            if bug is not None:
                # Ours, not the model's: its own traceback and cause say where; what wrapped it
                # on the way out (instructor's retry) is left out of the report.
                raise bug from bug.__cause__
            error = translate_error(exc, self.settings, answer.trace)
            error.fixture_keys = error.fixture_keys or list(answer.trace.keys)
            raise error from exc
        finally:
            _current_hook.reset(tokens[2])
            _current_call.reset(tokens[1])
            current_trace.reset(tokens[0])


class BriefingClient(_ClientBase):
    """Sync client for one run; reuse it across articles."""

    def __init__(
        self,
        settings: Settings,
        *,
        describe: Describer,
        extra_meta: dict[str, Any],
        sleep: Callable[[float], None] | None = None,
        network: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(settings)
        import openai  # lazy: only a model call needs it

        fixture = FixtureTransport(_recorder(settings, describe, extra_meta), network)
        retry = RetryTransport(fixture, _policy(settings), sleep=sleep or time.sleep)
        self._http = httpx.Client(transport=retry, timeout=httpx.Timeout(settings.timeout))
        chat = openai.OpenAI(**self._sdk_options(self._http)).chat.completions

        def create(*args: Any, **kwargs: Any) -> Any:
            return chat.create(*args, **_next_attempt(kwargs, self.budget))

        self._create = self._patch(create)

    def ask(
        self,
        messages: list[dict[str, str]],
        response_model: type[Any],
        *,
        before_attempt: AttemptHook | None = None,
    ) -> ModelAnswer:
        """Ask for an answer that validates as ``response_model``; instructor re-asks with the
        validation errors, within ``settings.max_reasks``. ``before_attempt`` is called before
        each attempt, in the caller's thread or task."""
        with self._answering(before_attempt) as answer:
            answer.value = self._create(**self._call_options(messages, response_model))
        return answer

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BriefingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncBriefingClient(_ClientBase):
    """Async client, so a batch runner can brief many articles concurrently."""

    def __init__(
        self, settings: Settings, *, describe: Describer, extra_meta: dict[str, Any]
    ) -> None:
        super().__init__(settings)
        import openai  # lazy: only a model call needs it

        fixture = AsyncFixtureTransport(_recorder(settings, describe, extra_meta))
        retry = AsyncRetryTransport(fixture, _policy(settings))
        self._http = httpx.AsyncClient(transport=retry, timeout=httpx.Timeout(settings.timeout))
        chat = openai.AsyncOpenAI(**self._sdk_options(self._http)).chat.completions

        async def create(*args: Any, **kwargs: Any) -> Any:
            return await chat.create(*args, **_next_attempt(kwargs, self.budget))

        self._create = self._patch(create)

    async def ask(
        self,
        messages: list[dict[str, str]],
        response_model: type[Any],
        *,
        before_attempt: AttemptHook | None = None,
    ) -> ModelAnswer:
        """Async twin of :meth:`BriefingClient.ask`."""
        with self._answering(before_attempt) as answer:
            answer.value = await self._create(**self._call_options(messages, response_model))
        return answer

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncBriefingClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


_PACKAGE = Path(__file__).resolve().parent.parent
# Where summarizer only hands a request on to the SDK or the network: what is raised below
# these is the SDK's, httpx's or the socket's, not a bug of ours (a non-ASCII key in a header,
# a host name IDNA cannot encode).
_HAND_ON = frozenset(
    {
        ("model/client.py", "create"),
        ("model/retry.py", "_attempt"),
        ("model/fixtures.py", "handle_request"),
        ("model/fixtures.py", "handle_async_request"),
    }
)


def _ours(exc: BaseException) -> bool:
    """True when ``exc`` was raised in summarizer's own code, or in what summarizer's code
    called for its own work (a validator's helper); not when it was raised below a place that
    only hands the request on."""
    deepest: tuple[str, str] | None = None
    innermost = True
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename).resolve()
        if path.is_relative_to(_PACKAGE):
            deepest = (path.relative_to(_PACKAGE).as_posix(), tb.tb_frame.f_code.co_name)
            innermost = tb.tb_next is None
        else:
            innermost = False
        tb = tb.tb_next
    if deepest is None:
        return False
    return innermost or deepest not in _HAND_ON


def our_bug(exc: BaseException) -> BaseException | None:
    """The exception behind ``exc`` when it is a bug of summarizer's (a ``KeyError`` in a
    validator, say) rather than a fault of the model, the endpoint or the network; else None.

    instructor wraps whatever an attempt raised in ``InstructorRetryException``, and the openai
    SDK wraps whatever its transport raised in ``APIConnectionError``: both are looked through
    to what they wrap. What is left is ours when it is none of the SDK's, the transport's,
    instructor's or pydantic's errors and was raised by summarizer's own code or what that
    code called for its own work (instructor itself raises a bare ``AssertionError`` for a
    refusal, which is the model's doing; httpx a ``UnicodeEncodeError`` for a key that is not
    ASCII, which is the setting's).
    """
    import openai  # lazy: only a model call needs it
    import pydantic
    from instructor.core import InstructorError, InstructorRetryException

    expected = (
        SummarizerError,
        openai.APIError,
        httpx.HTTPError,
        pydantic.ValidationError,
        json.JSONDecodeError,
        InstructorError,
    )
    wrappers = (InstructorRetryException, openai.APIConnectionError)
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, wrappers) and current.__cause__ is not None:
            current = current.__cause__
            continue
        if isinstance(current, expected) or not _ours(current):
            return None
        return current
    return None


def translate_error(
    exc: BaseException, settings: Settings, trace: ExchangeTrace
) -> SummarizerError:
    """One domain error with a fix for what the SDK, the transport, instructor or pydantic
    raised (callers first let :func:`our_bug` through)."""
    import openai  # lazy: only a model call needs it
    from instructor.core import IncompleteOutputException, InstructorRetryException

    chain = _causes(exc)
    for cause in chain:
        if isinstance(cause, SummarizerError):
            cause.usage = cause.usage or trace.usage_totals()
            cause.attempts = cause.attempts or len(trace.origins)
            return cause
    context: dict[str, Any] = {
        "model": settings.model,
        "attempts": len(trace.origins),
        "usage": trace.usage_totals(),
    }
    where = redact_url(settings.base_url) if settings.base_url else "the OpenAI API"
    for cause in chain:
        if isinstance(cause, openai.APIStatusError):
            hint = {
                401: "check OPENAI_API_KEY",
                403: "check the key's permissions for this model",
                404: "check --model and --base-url",
            }.get(cause.status_code, "try again later, or raise --max-retries")
            return ModelError(
                f"the model endpoint ({where}) answered HTTP {cause.status_code}: "
                f"{_short(cause.message)}",
                hint=hint,
                **context,
            )
        if isinstance(cause, openai.APITimeoutError):
            return ModelError(
                f"the model endpoint ({where}) did not answer within {settings.timeout:g}s",
                hint="raise --timeout, or check that the server is running",
                **context,
            )
        if isinstance(cause, openai.APIConnectionError):
            return ModelError(
                f"the connection to the model endpoint ({where}) failed",
                hint="check --base-url and that the server is running",
                **context,
            )
    last = getattr(exc, "last_completion", None)
    raw = trace.last_response if isinstance(trace.last_response, dict) else {}
    choices = raw.get("choices")
    if isinstance(exc, IncompleteOutputException):
        return ModelError(
            "the model's answer was cut off (finish_reason: length)",
            last_output=last,
            hint="use a model with a larger output limit",
            **context,
        )
    if choices is not None and not choices:
        return ModelError(
            "the model endpoint returned an answer with no choices",
            last_output=last,
            hint="check that the server supports chat completions for this model",
            **context,
        )
    first = choices[0] if isinstance(choices, list) and choices else {}
    refusal = (first.get("message") or {}).get("refusal") if isinstance(first, dict) else None
    if refusal:
        return ModelError(
            f"the model refused to answer: {_short(str(refusal), 200)}",
            last_output=last,
            hint="try another model",
            **context,
        )
    if isinstance(exc, InstructorRetryException):
        failed = exc.failed_attempts or []
        reason = str(failed[-1].exception) if failed else str(exc)
        return BriefingValidationError(
            f"the model's answer failed validation after {context['attempts']} attempt(s): "
            f"{_short(reason)}",
            last_output=last,
            hint="raise --max-reasks or try a stronger model",
            **context,
        )
    return ModelError(f"the model call failed: {type(exc).__name__}: {_short(str(exc))}", **context)


def _short(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
