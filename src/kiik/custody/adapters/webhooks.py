"""Sending a subscription's documents to its webhook, only where the allow-list lets kiik go.

Each send resolves the destination's host once, checks every address it resolves to against the
allow-list (`kiik.epcis.domain.webhook_destinations`), and connects to the first of those very
addresses, with the host's name in the `Host` header and (for https) in TLS's server name, against
which the certificate is checked. A name that resolves to an allowed address when checked and to an
internal one a moment later (DNS rebinding) cannot move the connection: no second look-up is made.
Redirects are not followed: a subscriber cannot point kiik somewhere the allow-list does not open.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

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


def pinned_url(dest: str, address: str) -> tuple[str, str]:
    """`dest` with its host replaced by `address` (the one checked), and the Host header it had."""
    parts = urlsplit(dest)
    given = parts.netloc.rpartition("@")[2]
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc)), given


class HttpWebhookSender:
    def __init__(
        self,
        allowed: AllowList,
        *,
        timeout: float = 10.0,
        resolver: Resolver = resolve,
        trust: ssl.SSLContext | None = None,
    ) -> None:
        """`trust`: the certificates https webhooks are checked against (the system's by default)."""
        self.allowed = allowed
        self.timeout = timeout
        self.resolver = resolver
        # One client for every send: its connections are kept and reused (it is safe across threads).
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, verify=trust or True)

    def refusal(self, dest: str) -> str | None:
        try:
            host, port = destination_host(dest)
        except ValueError as exc:
            return str(exc)
        return refusal(dest, self.resolver(host, port), self.allowed)

    def send(self, dest: str, body: bytes, headers: Mapping[str, str]) -> None:
        try:
            host, port = destination_host(dest)
        except ValueError as exc:
            raise WebhookRefused(str(exc)) from exc
        addresses = list(self.resolver(host, port))
        why = refusal(dest, addresses, self.allowed)
        if why is not None:
            raise WebhookRefused(why)
        url, host_header = pinned_url(dest, addresses[0])
        extensions = {"sni_hostname": host} if url.startswith("https:") else {}
        try:
            answer = self.client.post(
                url, content=body, headers={**headers, "Host": host_header}, extensions=extensions
            )
        except httpx.HTTPError as exc:
            raise WebhookRefused(f"{dest} could not be reached: {exc}") from exc
        if not 200 <= answer.status_code < 300:
            raise WebhookRefused(f"{dest} answered {answer.status_code}")
