"""A small cast of organisations, sites and tokens for tests, made through the services."""

from __future__ import annotations

from dataclasses import dataclass

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation, add_site, create_token

# GS1 Kazakhstan prefix 487; company prefix 4870001 and friends, check digits computed by hand.
CAST = {
    "ministry": ("Committee of Forestry and Wildlife", OrgKind.MINISTRY, "4870001000008"),
    "harvester": ("Ural harvest team 1", OrgKind.HARVESTER, "4870002000007"),
    "warehouse": ("State horn warehouse, Almaty", OrgKind.WAREHOUSE, "4870003000006"),
    "plant": ("Processing plant, Oral", OrgKind.PROCESSOR, "4870004000005"),
    "trader": ("Saiga Export LLP", OrgKind.TRADER, "4870005000004"),
    "customs": ("State Revenue Committee, customs", OrgKind.CUSTOMS, "4870006000003"),
    "inspector": ("Forestry and wildlife inspectorate", OrgKind.INSPECTORATE, "4870007000002"),
}


@dataclass
class Member:
    code: str
    org_id: int
    pgln: str
    sgln: str
    token: str
    principal: Principal


def make_world(registry: Registry, role: str = "operator") -> dict[str, Member]:
    world: dict[str, Member] = {}
    for code, (name, kind, gln) in CAST.items():
        org_id = add_organisation(
            registry.uow(), code, name, kind.value, pgln=f"urn:epc:id:pgln:{gln[:7]}.{gln[7:12]}"
        )
        sgln = add_site(
            registry.uow(), code, f"urn:epc:id:sgln:{gln[:7]}.{gln[7:12]}.0", f"{name}, main site"
        )
        issued = create_token(registry.uow(), code, role)
        from kiik.epcis.domain.identifiers import canonical_key

        world[code] = Member(
            code=code,
            org_id=org_id,
            pgln=canonical_key(f"urn:epc:id:pgln:{gln[:7]}.{gln[7:12]}"),
            sgln=sgln,
            token=issued.token,
            principal=Principal(org_id, code, name, kind, Role(role)),
        )
    return world
