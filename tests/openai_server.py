"""A small OpenAI-compatible HTTP server on 127.0.0.1 that tests start and script.

Each test gives it the replies to hand out, in order (the last one repeats), or a function of
the request; it keeps every request it received (path, headers, body) for assertions, and the
largest number of requests it was answering at the same moment (``max_in_flight``).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer: an HTTP status and JSON body, or a fault."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    # Hold the reply until this many requests have been in flight at once (at most
    # GATHER_TIMEOUT seconds): concurrent callers are answered together, serialized ones late.
    gather: int = 0


GATHER_TIMEOUT = 5.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def chat_completion(
    *,
    arguments: Any = None,
    content: str | None = None,
    model: str = "test-model",
    usage: tuple[int, int] = (100, 50),
    finish_reason: str = "stop",
    tool_name: str = "BriefingDraft",
) -> dict[str, Any]:
    """A chat.completion body: a tool call when ``arguments`` is given, else text content."""
    message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
    if arguments is not None:
        args = arguments if isinstance(arguments, str) else json.dumps(arguments)
        message["tool_calls"] = [
            {"id": "call_1", "type": "function", "function": {"name": tool_name, "arguments": args}}
        ]
    prompt, completion = usage
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        },
    }


class FakeOpenAI:
    """Start with ``with FakeOpenAI([...]) as server:``; point clients at ``server.base_url``."""

    def __init__(self, replies: list[Reply] | Callable[[Received], Reply]) -> None:
        self._replies = replies
        self.received: list[Received] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # in_flight or closing changed
        self._closing = threading.Event()  # set on exit: scripted delays end at once
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # serve_forever checks for shutdown() once per poll interval (0.5 s by default), and
        # shutdown() waits for that check: a short interval keeps each server's exit quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def _next_reply(self, received: Received) -> Reply:
        """Record the request and pick its reply; it is in flight until ``_hold`` returns."""
        with self._changed:
            self.received.append(received)
            if callable(self._replies):
                reply = self._replies(received)
            else:
                reply = self._replies[min(len(self.received), len(self._replies)) - 1]
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._changed.notify_all()
            return reply

    def _hold(self, reply: Reply) -> bool:
        """Wait as the reply says; False when the server closed meanwhile.

        A request counts as in flight until its answer is about to go out, so a client that
        waits for one answer before sending its next request never has two in flight.
        """
        try:
            if reply.gather:
                with self._changed:
                    self._changed.wait_for(
                        lambda: self.max_in_flight >= reply.gather or self._closing.is_set(),
                        timeout=GATHER_TIMEOUT,
                    )
            if reply.delay:
                self._closing.wait(reply.delay)
            return not self._closing.is_set()
        finally:
            with self._lock:
                self.in_flight -= 1

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; with Nagle's algorithm on, the body
            # waits for the client's delayed ACK, about 40 ms on every reply.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                reply = server._next_reply(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                if not server._hold(reply):
                    self.close_connection = True  # the server is closing: no answer
                    return
                if reply.drop:
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                payload = (
                    reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                )
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._changed:
            self._closing.set()
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
