"""An organisation's sites as a tree: each site under the site it lies within (`kiik site add
--parent`, `kiik site move`), for the ministry's administrator to read before adding or moving one."""

from __future__ import annotations

from dataclasses import dataclass

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import N_, NotFound


@dataclass(frozen=True)
class SiteInTree:
    sgln: str
    name: str
    depth: int  # 0: within no site of this organisation
    parent: str | None  # the SGLN of the site it lies within (which may be another organisation's)


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
            ordered.append(SiteInTree(site.sgln, site.name, depth, parent))
            walk(site_id, depth + 1)

    walk(None, 0)
    return OrganisationSites(org.code, org.name, ordered)
