"""The importing country's cast (China) for two-registry tests: customs and a processing plant."""

from __future__ import annotations

from kiik.bootstrap import Registry
from kiik.domain.identifiers import canonical_key
from kiik.domain.permissions import OrgKind, Principal, Role
from kiik.services.auth import add_organisation, add_site, create_token
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
