"""HTTP to a partner registry (httpx): its published keys, its log, and delivery of messages."""

from __future__ import annotations

from typing import Any

import httpx


class PartnerUnreachable(Exception):
    """The partner registry did not answer or answered with an error; the text says which."""


class HttpPartnerClient:
    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout

    def _get(self, base_url: str, path: str, **params: Any) -> Any:
        try:
            response = httpx.get(base_url.rstrip("/") + path, params=params, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise PartnerUnreachable(f"{base_url}{path}: {exc}") from exc
        if response.status_code != 200:
            raise PartnerUnreachable(
                f"{base_url}{path} answered {response.status_code}: {response.text[:300]}"
            )
        return response.json()

    def keys(self, base_url: str) -> dict[str, Any]:
        return self._get(base_url, "/api/keys")  # type: ignore[no-any-return]

    def checkpoint(self, base_url: str) -> dict[str, Any]:
        return self._get(base_url, "/api/log/checkpoint")  # type: ignore[no-any-return]

    def consistency(self, base_url: str, old: int, new: int) -> dict[str, Any]:
        return self._get(base_url, "/api/log/consistency", **{"from": old, "to": new})  # type: ignore[no-any-return]

    def inclusion(self, base_url: str, event: str, size: int) -> dict[str, Any]:
        return self._get(base_url, "/api/log/inclusion", event=event, size=size)  # type: ignore[no-any-return]

    def deliver(self, base_url: str, message: str) -> dict[str, Any]:
        """POST a signed message; returns the partner's answer, raises PartnerUnreachable otherwise."""
        url = base_url.rstrip("/") + "/api/partner/messages"
        try:
            response = httpx.post(
                url,
                content=message.encode("ascii"),
                headers={"Content-Type": "application/jose"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise PartnerUnreachable(f"{url}: {exc}") from exc
        if response.status_code not in (200, 201):
            raise PartnerUnreachable(f"{url} answered {response.status_code}: {response.text[:500]}")
        return response.json()  # type: ignore[no-any-return]
