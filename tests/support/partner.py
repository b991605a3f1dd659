"""The importing country's cast (China) for two-registry tests: customs and a processing plant."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kiik.app import create_app
from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry, build
from kiik.config import Settings
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation, add_site, create_token
from kiik.epcis.domain.identifiers import canonical_key
from kiik.ledger.services.signing_keys import ensure_signing_key
from kiik.partners.adapters.client import HttpPartnerClient
from kiik.partners.services.registries import add_partner
from tests.support.browser import served
from tests.support.world import Member

# GS1 China prefixes 690-699; company prefixes 6900001 and 6900002.
CHINA = {
    "cn-customs": ("General Administration of Customs", OrgKind.CUSTOMS, "6900001000001"),
    "cn-plant": ("Tongrentang pharmaceutical plant", OrgKind.PROCESSOR, "6900002000000"),
    "cn-authority": (
        "National Forestry and Grassland Administration",
        OrgKind.PARTNER_AUTHORITY,
        "6900003000009",
    ),
}


def china_world(registry: Registry) -> dict[str, Member]:
    world: dict[str, Member] = {}
    for code, (name, kind, gln) in CHINA.items():
        pgln = f"urn:epc:id:pgln:{gln[:7]}.{gln[7:12]}"
        org_id = add_organisation(registry.uow(), code, name, kind.value, pgln=pgln, country="CN")
        sgln = add_site(registry.uow(), code, f"urn:epc:id:sgln:{gln[:7]}.{gln[7:12]}.0", f"{name}, site")
        issued = create_token(registry.uow(), code, "operator")
        world[code] = Member(
            code,
            org_id,
            canonical_key(pgln),
            sgln,
            issued.token,
            Principal(org_id, code, name, kind, Role.OPERATOR),
        )
    return world


def registry_at(path: Path, country: str) -> Registry:
    """A registry of `country` on a new SQLite database at `path`, with its signing key."""
    registry = build(Settings(database_url=f"sqlite:///{path}", country=country, partner_delivery_seconds=0))
    upgrade(registry.engine)
    ensure_signing_key(registry.uow())
    return registry


@dataclass
class LinkedRegistries:
    kz: Registry
    cn: Registry
    kz_url: str
    cn_url: str
    china: dict[str, Member]
    client: HttpPartnerClient


@contextmanager
def linked_registries(folder: Path) -> Iterator[LinkedRegistries]:
    """Kazakhstan's and China's registries (China with its cast), each served on a loopback port
    and registered as the other's partner."""
    kz, cn = registry_at(folder / "kz.db", "KZ"), registry_at(folder / "cn.db", "CN")
    china = china_world(cn)
    client = HttpPartnerClient(timeout=5)
    try:
        with served(create_app(kz)) as kz_url, served(create_app(cn)) as cn_url:
            add_partner(kz.uow(), None, "CN", "China wildlife registry", cn_url, client=client)
            add_partner(cn.uow(), None, "KZ", "Kazakhstan kiik", kz_url, client=client)
            yield LinkedRegistries(kz, cn, kz_url, cn_url, china, client)
    finally:
        kz.engine.dispose()
        cn.engine.dispose()
