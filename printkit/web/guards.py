"""The service's guards: security headers, the upload size limit, the job rate limit, the token.

:class:`BodyLimit` counts the request body while it streams in: a declared
``Content-Length`` over the limit is answered 413 before anything is read,
and a body that grows past it (chunked, or a lying header) is cut off at the
limit and answered 413 too, without keeping what was sent.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections import deque
from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The Content-Security-Policy of every answer: nothing but this origin, no frames.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make browsers send Origin: null
    (b"cross-origin-opener-policy", b"same-origin"),
)
#: Bytes read and thrown away after a 413, so that the client reads the answer.
DRAIN_LIMIT = 256 * 1024 * 1024


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(Exception):
    pass


def _error_body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


class BodyLimit:
    """Answers 413 to request bodies over ``limit`` bytes, counting as they stream in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        expects_continue = headers.get("expect", "").lower() == "100-continue"
        if declared.isdigit() and int(declared) > self.limit:
            await self._reject(receive, send, drain=not expects_continue)
            return
        state: MutableMapping[str, Any] = {"received": 0, "over": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.limit:
                    state["over"] = True
                    raise _TooLarge
            return message

        async def guarded(message: Message) -> None:
            if state["over"]:
                return  # the app's error answer to the cut-off body: ours goes instead
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await self._reject(receive, send, drain=True)

    async def _reject(self, receive: Receive, send: Send, *, drain: bool) -> None:
        """Answer 413. Unless the client waits for ``100 Continue``, the rest of its body is
        read and thrown away before the answer ends (the server cannot read once the answer
        is complete, and closing on unread data resets the connection before the client has
        read the 413)."""
        mb = self.limit / 1_000_000
        body = _error_body(
            f"the upload is larger than the limit of {mb:g} MB; split the list, or ask the "
            "organiser of this service to raise --max-upload-mb"
        )
        await send({
            "type": "http.response.start", "status": 413,
            "headers": [(b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close")],
        })
        if drain:
            drained = 0
            while drained < DRAIN_LIMIT:
                message = await receive()
                if message["type"] != "http.request":
                    break
                drained += len(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        await send({"type": "http.response.body", "body": body})


class RateLimit:
    """At most ``count`` job creations per ``window`` seconds and client (a sliding window)."""

    def __init__(self, count: int, window: float = 60.0) -> None:
        self.count = count
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> float:
        """0 when ``client`` may go on (and counts it), else the seconds to wait."""
        if self.count <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.count:
                return max(0.1, hits[0] + self.window - now)
            hits.append(now)
            if len(self._hits) > 10_000:  # forget clients idle for a whole window
                for key in [k for k, v in self._hits.items() if v[-1] <= now - self.window]:
                    del self._hits[key]
            return 0.0


def token_matches(expected: str | None, given: str | None) -> bool:
    """Whether the organiser token was given (always True when the service has none)."""
    if not expected:
        return True
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
