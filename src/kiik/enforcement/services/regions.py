"""The region of each organisation: a leak alert goes to the inspectorate of the holder's region."""

from __future__ import annotations

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.ports import enforcement_store
from kiik.errors import N_, NotFound


def set_region(uow: UnitOfWork, principal: Principal, org: str, region: str) -> dict[str, str]:
    require(principal, Permission.ORGANISATIONS_MANAGE)
    if not region.strip():
        raise EnforcementError(N_("region: name the region (oblast) the organisation works in"))
    if len(region.strip()) > 80:
        raise EnforcementError(N_("region: at most 80 characters, such as West Kazakhstan or KZ-27"))
    with uow:
        found = uow.directory.organisation(org)
        if found is None:
            raise NotFound(N_("no organisation %(code)s: check its code (`kiik org list`)", code=repr(org)))
        enforcement_store(uow).set_region(found.id, region.strip())
        uow.commit()
    return {"organisation": found.code, "region": region.strip()}


def organisation_regions(uow: UnitOfWork, principal: Principal) -> dict[str, str]:
    """Organisation code -> the region it works in, for those whose region is set."""
    require(principal, Permission.ORGANISATIONS_READ)
    with uow:
        codes = {o.id: o.code for o in uow.directory.organisations()}
        found = enforcement_store(uow).regions(codes)
    return {codes[org_id]: region for org_id, region in found.items()}
