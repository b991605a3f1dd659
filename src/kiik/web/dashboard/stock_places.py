"""Where stock is, for the dashboard's map and stock by region and for the stock list: a holding
lies in its site's region when the site's region is set, else in its holder's region (as written on
`/organisations`, read by `region_of`); it sits at its site's coordinates when they are set."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiik.custody.services.stock import Holding
from kiik.directory.domain.permissions import Permission, Principal
from kiik.directory.domain.regions import Region, region_of, regions
from kiik.directory.services.sites import PlacedSite, placed_sites
from kiik.enforcement.services.regions import organisation_regions


@dataclass(frozen=True)
class StockPlaces:
    written: dict[str, str] = field(default_factory=dict)  # holder's code -> its region as written
    sites: dict[str, PlacedSite] = field(default_factory=dict)  # SGLN -> a site whose place is set

    def region(self, holding: Holding) -> Region | None:
        site = self.sites.get(holding.site or "")
        if site is not None and site.place.region:
            return regions().get(site.place.region)
        return region_of(self.written.get(holding.org.code))

    def written_region(self, holding: Holding) -> str:
        """The region as a person wrote it, when kiik cannot read it ("" for none)."""
        return self.written.get(holding.org.code, "")

    def located_site(self, holding: Holding) -> PlacedSite | None:
        site = self.sites.get(holding.site or "")
        return site if site is not None and site.place.located else None


def stock_places(principal: Principal, registry: Any) -> StockPlaces:
    """The holders' regions and the sites' places, for one who may read organisations (else none)."""
    if not principal.may(Permission.ORGANISATIONS_READ):
        return StockPlaces()
    return StockPlaces(
        organisation_regions(registry.uow(), principal), placed_sites(registry.uow(), principal)
    )
