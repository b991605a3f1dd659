"""Where kiik may send a subscription's webhooks: only to destinations the administrator allowed.

The allow-list (`KIIK_WEBHOOK_ALLOW`, comma-separated) holds host names (`partner.example.org`,
or `*.example.org` for its subdomains) and IP networks (`203.0.113.0/24`, `127.0.0.1/32`). A
destination is allowed when its host is listed, or when each of its addresses lies in a listed
network; and even a listed host is refused when it resolves to an internal address (loopback,
private, link-local, reserved, multicast) that no listed network covers, so that a subscription
cannot turn kiik against its own network.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class AllowList:
    hosts: tuple[str, ...] = ()
    networks: tuple[Network, ...] = ()

    @classmethod
    def read(cls, entries: Iterable[str]) -> AllowList:
        hosts: list[str] = []
        networks: list[Network] = []
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.append(entry.lower().rstrip("."))
        return cls(tuple(hosts), tuple(networks))

    def names(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(
            host == entry or (entry.startswith("*.") and host.endswith(entry[1:])) for entry in self.hosts
        )

    def covers(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        return any(ip.version == network.version and ip in network for network in self.networks)


def destination_host(url: str) -> tuple[str, int]:
    """The host and port of a webhook URL; ValueError saying what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"dest: {url!r} is not an http(s) URL; give e.g. https://partner.example.org/epcis-callback"
        )
    if parts.username or parts.password:
        raise ValueError(
            "dest: a URL with a user name or password is refused; authenticate with signatureToken"
        )
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


def refusal(url: str, addresses: Sequence[str], allowed: AllowList) -> str | None:
    """Why kiik must not send to `url`, whose host resolved to `addresses`; None when it may."""
    try:
        host, _ = destination_host(url)
    except ValueError as exc:
        return str(exc)
    if not addresses:
        return f"dest: the host {host} does not resolve; check the URL"
    if not allowed.names(host) and not all(allowed.covers(a) for a in addresses):
        return (
            f"dest: {host} is not on the registry's webhook allow-list; ask the administrator to add it "
            "(KIIK_WEBHOOK_ALLOW)"
        )
    inside = [a for a in addresses if _internal(a) and not allowed.covers(a)]
    if inside:
        return (
            f"dest: {host} resolves to the internal address {inside[0]}, which the allow-list does not "
            "open; only an administrator can allow an internal network"
        )
    return None
