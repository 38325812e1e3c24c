"""The one retry policy for transport faults, as an httpx transport layer (tenacity inside).

It sits below the openai SDK (whose own retries are switched off, so the layers do not
multiply) and below instructor, so a transport fault is retried as the same HTTP request and
never reaches the model as re-ask text. Validation re-asks are a separate budget, in
``client.py``.

Retried: 429 (honouring ``Retry-After``), 408, 409 and 5xx answers, connection errors and
timeouts, with exponential backoff and jitter, capped in attempts and in total time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

logger = logging.getLogger("summarizer.retry")
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one HTTP request before giving up."""

    max_retries: int = 4
    total_seconds: float = 600.0
    initial_wait: float = 1.0
    max_wait: float = 30.0


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The server's requested wait, from ``retry-after-ms`` or ``Retry-After`` (seconds or
    an HTTP date)."""
    millis = response.headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def _should_retry_response(response: httpx.Response) -> bool:
    return response.status_code in RETRY_STATUSES or response.status_code >= 500


class _Wait:
    """Exponential backoff with jitter, unless the server said how long to wait."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.backoff = wait_exponential_jitter(initial=policy.initial_wait, max=policy.max_wait)

    def __call__(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            response = outcome.result()
            if isinstance(response, httpx.Response):
                asked = retry_after_seconds(response)
                if asked is not None:
                    return min(asked, MAX_RETRY_AFTER)
        return float(self.backoff(state))


def _give_up(state: RetryCallState) -> httpx.Response:
    """Out of retries: re-raise a transport error, or hand the last error answer to the SDK,
    which reports it with its status and message."""
    assert state.outcome is not None
    if state.outcome.failed:
        exc = state.outcome.exception()
        assert exc is not None
        raise exc
    result = state.outcome.result()
    assert isinstance(result, httpx.Response)
    return result


_RETRY_ON = retry_if_exception_type(httpx.TransportError) | retry_if_result(_should_retry_response)


def _stop(policy: RetryPolicy) -> Any:
    return stop_after_attempt(policy.max_retries + 1) | stop_after_delay(policy.total_seconds)


class RetryTransport(httpx.BaseTransport):
    """Retries ``inner`` per :class:`RetryPolicy`; ``sleep`` is injectable for tests."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner
        self.policy = policy
        self.sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        retrying = Retrying(
            sleep=self.sleep,
            stop=_stop(self.policy),
            wait=_Wait(self.policy),
            retry=_RETRY_ON,
            retry_error_callback=_give_up,
            before_sleep=self._before_sleep,
        )
        result: httpx.Response = retrying(self._attempt, request)
        return result

    def _attempt(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if _should_retry_response(response):
            response.read()
        return response

    def _before_sleep(self, state: RetryCallState) -> None:
        _log_retry(state, self.policy)

    def close(self) -> None:
        self.inner.close()


class AsyncRetryTransport(httpx.AsyncBaseTransport):
    """Async twin of :class:`RetryTransport`."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.inner = inner
        self.policy = policy
        self.sleep = sleep

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        retrying = AsyncRetrying(
            sleep=self.sleep or asyncio.sleep,
            stop=_stop(self.policy),
            wait=_Wait(self.policy),
            retry=_RETRY_ON,
            retry_error_callback=_give_up,
            before_sleep=lambda state: _log_retry(state, self.policy),
        )
        result: httpx.Response = await retrying(self._attempt, request)
        return result

    async def _attempt(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if _should_retry_response(response):
            await response.aread()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _log_retry(state: RetryCallState, policy: RetryPolicy) -> None:
    """One warning per retry, so a slow run says why it is slow."""
    wait = state.next_action.sleep if state.next_action is not None else 0.0
    logger.warning(
        "retrying after %s in %.1fs (attempt %d of %d)",
        _describe(state),
        wait,
        state.attempt_number + 1,
        policy.max_retries + 1,
    )


def _describe(state: RetryCallState) -> str:
    outcome = state.outcome
    if outcome is None:
        return "unknown fault"
    if outcome.failed:
        return type(outcome.exception()).__name__
    result = outcome.result()
    return f"HTTP {result.status_code}" if isinstance(result, httpx.Response) else "bad answer"
