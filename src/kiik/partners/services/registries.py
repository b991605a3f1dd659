"""Partner registries: registered by the ministry with their country, base URL and public keys.

Keys are only ever added: a partner that rotates its key keeps its old keys here, so that messages
it signed before still verify.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.audit import record
from kiik.errors import NotFound


class PartnerClient(Protocol):
    def keys(self, base_url: str) -> dict[str, Any]: ...
    def checkpoint(self, base_url: str) -> dict[str, Any]: ...
    def consistency(self, base_url: str, old: int, new: int) -> dict[str, Any]: ...
    def inclusion(self, base_url: str, event: str, size: int) -> dict[str, Any]: ...
    def deliver(self, base_url: str, message: str) -> dict[str, Any]: ...


class PartnerError(ValueError):
    """A partner registration that cannot be made as asked; says what to change."""


def _keys_from_jwks(published: dict[str, Any]) -> list[tuple[str, str]]:
    found = [(str(k["kid"]), str(k["x"])) for k in published.get("keys", []) if k.get("crv") == "Ed25519"]
    if not found:
        raise PartnerError(
            "the partner publishes no Ed25519 key at /api/keys: ask it to run `kiik keys ensure`"
        )
    return found


def add_partner(
    uow: UnitOfWork,
    principal: Principal | None,
    country: str,
    name: str,
    base_url: str,
    keys: Sequence[tuple[str, str]] = (),
    client: PartnerClient | None = None,
    *,
    collects: bool = False,
) -> dict[str, Any]:
    """Register (or update the URL of) a partner; keys given, or fetched from its /api/keys.

    A partner that `collects` its messages has none delivered to its URL: they stay in the outbox
    until it collects them (`kiik partner outbox`), with no attempt and no retry."""
    if principal is not None:
        require(principal, Permission.PARTNERS_MANAGE)
    country = country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise PartnerError(f"{country!r} is not a country code: give ISO 3166 alpha-2, such as CN")
    if not base_url.startswith(("http://", "https://")):
        raise PartnerError(
            f"{base_url!r} is not a URL: give the partner's base URL, such as https://kiik.gov.cn"
        )
    wanted = list(keys)
    if not wanted and client is not None:
        wanted = _keys_from_jwks(client.keys(base_url))
    if not wanted:
        raise PartnerError("give the partner's public key (--key KID=X) or let kiik fetch it (--fetch)")
    with uow:
        store: Any = uow.partners  # type: ignore[attr-defined]
        partner = store.by_country(country)
        partner_id = partner.id if partner else store.add(country, name or country, base_url, collects)
        if partner is not None:
            store.set_url(partner_id, base_url, collects)
        added = [kid for kid, x in wanted if store.add_key(partner_id, kid, x)]
        action = "partner.updated" if partner is not None else "partner.added"
        details = {"name": name or country, "base_url": base_url, "collects": collects, "keys_added": added}
        record(uow, principal, action, country, **details)
        uow.commit()
    return {"country": country, "base_url": base_url, "collects": collects, "keys_added": added}


def refresh_keys(
    uow: UnitOfWork, principal: Principal | None, country: str, client: PartnerClient
) -> list[str]:
    """Fetch the partner's published keys and keep the new ones (older ones stay)."""
    if principal is not None:
        require(principal, Permission.PARTNERS_MANAGE)
    with uow:
        partner = uow.partners.by_country(country)  # type: ignore[attr-defined]
    if partner is None:
        raise NotFound(f"no partner {country}: add it with `kiik partner add`")
    fetched = _keys_from_jwks(client.keys(partner.base_url))
    with uow:
        added = [kid for kid, x in fetched if uow.partners.add_key(partner.id, kid, x)]  # type: ignore[attr-defined]
        record(uow, principal, "partner.keys_refreshed", country, keys_added=added)
        uow.commit()
    return added


def list_partners(uow: UnitOfWork) -> list[dict[str, Any]]:
    with uow:
        return [
            {
                "country": p.country,
                "name": p.name,
                "base_url": p.base_url,
                "collects": p.collects,
                "keys": sorted(p.keys),
            }
            for p in uow.partners.all()  # type: ignore[attr-defined]
        ]
