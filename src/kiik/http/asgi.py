"""What kiik's ASGI middlewares share: the shapes of ASGI's callables, and adding headers to an
answer as it is sent (each header only when the application did not set its own)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def adding_headers(send: Send, headers: Sequence[tuple[bytes, bytes]]) -> Send:
    """`send`, with `headers` (lower-case names) added to the answer's start where it lacks them."""

    async def with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            message["headers"] = [
                *message.get("headers", []),
                *((name, value) for name, value in headers if name not in present),
            ]
        await send(message)

    return with_headers
