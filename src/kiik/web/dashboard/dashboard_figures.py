"""The dashboard's figures, each a service's answer (the same the API and the command line give).

Four of them total every item or every harvested animal (items by status, stock by holder, harvest
against plan, the harvest authorisations' use): they are read from running totals that capture
keeps in its own transaction (`item_totals`, `harvest_totals`, migration 0021), a few hundred rows
whatever the season's size, so the first request after a capture costs what the others do. Only
the fence passages' detections, counted over the camera-trap packages, are kept in a `FigureCache`
until the next package.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from kiik.custody.services.overview import overview
from kiik.custody.services.stock import Holding, stock_report
from kiik.directory.domain.permissions import Permission, Principal
from kiik.enforcement.services.alerts import list_alerts as list_leak_alerts
from kiik.enforcement.services.seizures import list_seizures
from kiik.harvest.services.authorisations import list_authorisations
from kiik.harvest.services.offtake_report import offtake_report
from kiik.monitoring.domain.analysis import AnalysisRequest
from kiik.monitoring.services.analysis import detection_rates
from kiik.monitoring.services.census import census_trends
from kiik.monitoring.services.passages import list_alerts, list_packages, list_passages
from kiik.permits.services.queries import list_permits
from kiik.permits.services.reports import quota_use
from kiik.web.dashboard.stock_places import StockPlaces, stock_places
from kiik.web.figure_cache import FigureCache

AWAITING_REVIEW = ("open", "investigating")


@dataclass
class Dashboard:
    items_by_status: list[Any]
    events: int
    holders: list[dict[str, Any]]
    regions: list[dict[str, Any]]
    permits_by_status: dict[str, int]
    quota_years: list[dict[str, Any]]
    offtake: list[dict[str, Any]]
    census: dict[str, list[dict[str, Any]]]
    alerts: dict[str, int]
    passages: list[dict[str, Any]] = field(default_factory=list)
    seizures: list[dict[str, Any]] = field(default_factory=list)
    leak_alerts: dict[str, int] = field(default_factory=dict)
    authorisations: list[dict[str, Any]] = field(default_factory=list)
    sites: list[dict[str, Any]] = field(default_factory=list)  # stock at sites with coordinates
    # Stock by region at sites without coordinates: the map puts it at the region's centre.
    unlocated_regions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def awaiting_review(self) -> int:
        """Flags awaiting review: leak alerts open or under investigation, seizure drafts to confirm."""
        drafts = sum(1 for s in self.seizures if s["status"] == "draft")
        return sum(self.leak_alerts.get(status, 0) for status in AWAITING_REVIEW) + drafts

    @property
    def passages_with_detections(self) -> int:
        return sum(1 for p in self.passages if p["detections"])


def holders(holdings: list[Holding]) -> list[dict[str, Any]]:
    """Stock per holder: items, lots and kg, the largest first."""
    totals: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0, "lots": 0, "mass_kg": 0.0})
    for holding in holdings:
        row = totals[holding.org.code]
        row.update(code=holding.org.code, name=holding.org.name)
        row["count" if holding.kind == "item" else "lots"] += holding.count
        row["mass_kg"] += holding.mass_kg
    return sorted(totals.values(), key=lambda r: -r["mass_kg"])


def _add(total: dict[str, Any], holding: Holding) -> None:
    total["count" if holding.kind == "item" else "lots"] += holding.count
    total["mass_kg"] += holding.mass_kg
    if holding.org.code not in total["holders"]:
        total["holders"].append(holding.org.code)


def by_region(holdings: list[Holding], places: StockPlaces) -> list[dict[str, Any]]:
    """Stock per region (ISO 3166-2): each holding in its site's region, else its holder's region;
    stock in no region kiik can read under the code "" (shown as such)."""
    totals: dict[str, dict[str, Any]] = {}
    for holding in holdings:
        region = places.region(holding)
        code = region.code if region else ""
        total = totals.setdefault(
            code, {"code": code, "region": region, "holders": [], "count": 0, "lots": 0, "mass_kg": 0.0}
        )
        _add(total, holding)
    return sorted(totals.values(), key=lambda r: (r["code"] == "", -r["mass_kg"]))


def by_located_site(holdings: list[Holding], places: StockPlaces) -> list[dict[str, Any]]:
    """Stock at each site whose coordinates are set (the map places it there), the largest first."""
    totals: dict[str, dict[str, Any]] = {}
    for holding in holdings:
        site = places.located_site(holding)
        if site is None:
            continue
        total = totals.setdefault(
            site.sgln, {"site": site, "holders": [], "count": 0, "lots": 0, "mass_kg": 0.0}
        )
        _add(total, holding)
    return sorted(totals.values(), key=lambda r: -r["mass_kg"])


def passages_with_detections(principal: Principal, registry: Any) -> list[dict[str, Any]]:
    """Every fence passage with its camera traps' detection events (all species, whole period)."""
    events: Counter[str] = Counter()
    species: dict[str, set[str]] = defaultdict(set)
    for row in detection_rates(registry.uow(), principal, AnalysisRequest()):
        events[row.location_id] += row.events
        if row.events:
            species[row.location_id].add(row.species)
    return [
        {
            "id": p.location_id,
            "name": p.name,
            "region": p.region,
            "border": p.border,
            "lat": p.latitude,
            "lon": p.longitude,
            "detections": events.get(p.location_id, 0),
            "species": sorted(species.get(p.location_id, ())),
        }
        for p in list_passages(registry.uow(), principal)
    ]


def dashboard(principal: Principal, registry: Any, cache: FigureCache) -> Dashboard:
    who = (principal.org_id, principal.role)
    summary = overview(registry.uow(), principal)
    holdings = stock_report(registry.uow(), principal).holdings
    places = stock_places(principal, registry)
    held = holders(holdings)
    offtake = offtake_report(registry.uow(), principal)
    permits = Counter(p.status.value for p in list_permits(registry.uow(), principal))
    may_see_traps = principal.may(Permission.CAMERA_TRAPS_READ)
    alerts = (
        Counter(a["kind"] for a in list_alerts(registry.uow(), principal)) if may_see_traps else Counter()
    )
    passages: list[dict[str, Any]] = []
    if may_see_traps:
        packages = len(list_packages(registry.uow(), principal))
        passages = cache.get("passages", who, packages, lambda: passages_with_detections(principal, registry))
    seizures = list_seizures(registry.uow(), principal) if principal.may(Permission.SEIZURES_READ) else []
    leaks = (
        Counter(a["status"] for a in list_leak_alerts(registry.uow(), principal))
        if principal.may(Permission.LEAK_ALERTS_READ)
        else Counter()
    )
    areas = [v.to_json() for v in list_authorisations(registry.uow(), principal)]
    return Dashboard(
        summary.items_by_status,
        summary.event_count,
        held,
        by_region(holdings, places),
        dict(sorted(permits.items())),
        quota_use(registry.uow(), principal)["years"],
        offtake,
        census_trends(registry.uow(), principal),
        dict(alerts),
        passages,
        seizures,
        dict(leaks),
        areas,
        by_located_site(holdings, places),
        by_region([h for h in holdings if places.located_site(h) is None], places),
    )
