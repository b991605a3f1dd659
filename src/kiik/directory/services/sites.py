"""An organisation's sites as a tree: each site under the site it lies within (`kiik site add
--parent`, `kiik site move`), for the ministry's administrator to read before adding or moving one;
and where a site is (`kiik site place`: its region and coordinates), audited before and after."""

from __future__ import annotations

from dataclasses import dataclass

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.domain.places import SitePlace, read_place
from kiik.directory.services.audit import record
from kiik.directory.services.auth import registered_site
from kiik.errors import N_, NotFound


@dataclass(frozen=True)
class SiteInTree:
    sgln: str
    name: str
    depth: int  # 0: within no site of this organisation
    parent: str | None  # the SGLN of the site it lies within (which may be another organisation's)
    place: SitePlace = SitePlace()


@dataclass(frozen=True)
class OrganisationSites:
    code: str
    name: str
    sites: list[SiteInTree]


def organisation_sites(uow: UnitOfWork, principal: Principal, code: str) -> OrganisationSites:
    """The organisation's sites in tree order: each site followed by the sites within it."""
    require(principal, Permission.ORGANISATIONS_MANAGE)
    with uow:
        org = uow.directory.organisation(code)
        if org is None:
            raise NotFound(N_("no organisation with code %(code)s: see `kiik org list`", code=repr(code)))
        everywhere = uow.directory.sites()
    sgln_of = {site.id: site.sgln for site in everywhere}
    own = [site for site in everywhere if site.org_id == org.id]
    own_ids = {site.id for site in own}
    within: dict[int | None, list[int]] = {}
    for site in own:
        above = site.parent_id if site.parent_id in own_ids else None
        within.setdefault(above, []).append(site.id)
    by_id = {site.id: site for site in own}
    ordered: list[SiteInTree] = []

    def walk(above: int | None, depth: int) -> None:
        for site_id in sorted(within.get(above, []), key=lambda i: by_id[i].name.lower()):
            site = by_id[site_id]
            parent = sgln_of.get(site.parent_id) if site.parent_id is not None else None
            ordered.append(SiteInTree(site.sgln, site.name, depth, parent, site.place))
            walk(site_id, depth + 1)

    walk(None, 0)
    return OrganisationSites(org.code, org.name, ordered)


def place_site(
    uow: UnitOfWork,
    sgln: str,
    region: str | None,
    latitude: str | float | None,
    longitude: str | float | None,
    actor: Principal | None = None,
) -> dict[str, list[object]]:
    """Set where a registered site is (empty: not known); what changed, as [before, after]."""
    if actor is not None:
        require(actor, Permission.ORGANISATIONS_MANAGE)
    place = read_place(region, latitude, longitude)
    with uow:
        site = registered_site(uow, sgln, "site")
        before, after = site.place.to_json(), place.to_json()
        changed = {field: [before[field], after[field]] for field in before if before[field] != after[field]}
        if changed:
            uow.directory.set_site_place(site.id, place)
            record(uow, actor, "site.placed", site.sgln, **changed)
            uow.commit()
    return changed


@dataclass(frozen=True)
class PlacedSite:
    sgln: str
    name: str
    org_id: int
    place: SitePlace


def placed_sites(uow: UnitOfWork, principal: Principal) -> dict[str, PlacedSite]:
    """Every site whose region or coordinates are set, by SGLN (`organisations:read`)."""
    require(principal, Permission.ORGANISATIONS_READ)
    with uow:
        found = uow.directory.sites()
    return {
        s.sgln: PlacedSite(s.sgln, s.name, s.org_id, s.place)
        for s in found
        if s.place.region or s.place.located
    }
