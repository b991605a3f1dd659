"""Sending a subscription's documents to its webhook, only where the allow-list lets kiik go.

Each send resolves the destination's host again and checks every address it resolves to against the
allow-list (`kiik.epcis.domain.webhook_destinations`), so that a host that later resolves inside the
registry's network is refused then too. Redirects are not followed: a subscriber cannot point kiik
somewhere the allow-list does not open.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Mapping, Sequence

import httpx

from kiik.epcis.domain.webhook_destinations import AllowList, destination_host, refusal

Resolver = Callable[[str, int], Sequence[str]]


class WebhookRefused(RuntimeError):
    """The destination is not allowed (or no longer allowed)."""


def resolve(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return sorted({str(info[4][0]) for info in found})


class HttpWebhookSender:
    def __init__(self, allowed: AllowList, *, timeout: float = 10.0, resolver: Resolver = resolve) -> None:
        self.allowed = allowed
        self.timeout = timeout
        self.resolver = resolver

    def refusal(self, dest: str) -> str | None:
        try:
            host, port = destination_host(dest)
        except ValueError as exc:
            return str(exc)
        return refusal(dest, self.resolver(host, port), self.allowed)

    def send(self, dest: str, body: bytes, headers: Mapping[str, str]) -> None:
        why = self.refusal(dest)
        if why is not None:
            raise WebhookRefused(why)
        try:
            answer = httpx.post(dest, content=body, headers=dict(headers), timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise WebhookRefused(f"{dest} could not be reached: {exc}") from exc
        if not 200 <= answer.status_code < 300:
            raise WebhookRefused(f"{dest} answered {answer.status_code}")
