"""Limits on what a request may ask of kiik, enforced before the application reads it.

- **Body size**: a body larger than its route allows answers 413 before it is read whole. Capture
  documents, field sheets and partner messages stream to disk and have their own (large) limits;
  every other body (JSON commands, forms) is read here up to a small limit and handed on.
- **Rate**: requests per minute from one client address, in two budgets: guessing (log-in attempts
  and requests with a token kiik does not know) and public answers (what needs no token: a scanned
  label, a permit's QR code, the published keys and log). Over budget answers 429 with
  `Retry-After`. The counts live in this process (each server worker counts its own).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kiik.config import Settings
from kiik.http.asgi import ASGIApp, Message, Receive, Scope, Send
from kiik.http.problems import problem

STREAMED = ("/epcis/capture", "/api/harvest/imports", "/api/partner/messages")
PUBLIC = ("/items/", "/verify/permit/", "/api/keys", "/api/log/", "/lookup", "/01/", "/api/trade/packs/")
WINDOW_SECONDS = 60.0


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class BodyLimits:
    """413 for a body larger than its route allows, before the application reads it whole."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def limit_for(self, path: str) -> int:
        if path.startswith("/api/partner/messages"):
            return self.settings.max_partner_message_bytes
        if path.startswith(STREAMED):
            return self.settings.max_document_bytes
        return self.settings.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = self.limit_for(path)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._too_large(scope, receive, send, limit)
            return
        if path.startswith(STREAMED):
            await self.app(scope, receive, send)  # the route spools the body and stops at its limit
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(scope, receive, send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        detail = f"the body exceeds {limit} bytes, the most this request takes"
        await problem(413, "Request too large", detail, "CaptureLimitExceededException")(scope, receive, send)


class RateLimits:
    """429 with Retry-After once a client address has used its budget of the minute."""

    def __init__(self, app: ASGIApp, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.budgets = {
            "guessing": settings.login_attempts_per_minute,
            "public": settings.public_requests_per_minute,
        }
        self.clock = clock
        self.windows: dict[tuple[str, str], tuple[float, int]] = {}

    def _spent(self, budget: str, client: str) -> float | None:
        """Seconds until the window ends when the budget is used up, else None."""
        start, count = self.windows.get((budget, client), (self.clock(), 0))
        remaining = start + WINDOW_SECONDS - self.clock()
        if remaining <= 0:
            return None
        return remaining if count >= self.budgets[budget] else None

    def _count(self, budget: str, client: str) -> None:
        now = self.clock()
        start, count = self.windows.get((budget, client), (now, 0))
        if now - start >= WINDOW_SECONDS:
            start, count = now, 0
        self.windows[(budget, client)] = (start, count + 1)
        if len(self.windows) > 100_000:  # forget finished windows now and then
            self.windows = {k: v for k, v in self.windows.items() if now - v[0] < WINDOW_SECONDS}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        path = str(scope.get("path", ""))
        credentials = _header(scope, b"authorization") is not None or "kiik_session=" in (
            _header(scope, b"cookie") or ""
        )
        login = path == "/login" and scope["method"] == "POST"
        public = path == "/" or path.startswith(PUBLIC)
        budget = "guessing" if (login or credentials) else ("public" if public else None)
        wait = self._spent(budget, client) if budget else None
        if wait is not None:
            detail = (
                "too many log-in attempts or unknown tokens from your address"
                if budget == "guessing"
                else "too many requests from your address"
            )
            retry = str(max(1, int(wait + 0.999)))
            refused = problem(
                429, "Too many requests", f"{detail}; try again in {retry} s", "ImplementationException"
            )
            refused.headers["Retry-After"] = retry
            await refused(scope, receive, send)
            return
        if budget == "public":
            self._count("public", client)
        guessing = budget == "guessing"

        async def counting(message: Message) -> None:
            # A log-in refused or a token unknown spends the guessing budget; a good one does not.
            if guessing and message["type"] == "http.response.start" and message["status"] == 401:
                self._count("guessing", client)
            await send(message)

        await self.app(scope, receive, counting)
