"""`/dashboard`: the ministry's overview. Each panel is one service's answer (the same the API and
the command line give), each figure links to the list behind it; the map shows the population
ranges (kiik's own) over Natural Earth's country outlines (world-atlas, from npm), with the fence
passages; the charts show census trends, quota use and harvest against plan."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiik.custody.services.overview import overview
from kiik.custody.services.stock import stock_report
from kiik.directory.domain.permissions import Permission, Principal
from kiik.harvest.domain.populations import RANGES_FILE
from kiik.harvest.services.offtake_report import offtake_report
from kiik.http.deps import get_registry
from kiik.monitoring.services.census import census_trends
from kiik.monitoring.services.passages import list_alerts, list_passages
from kiik.permits.services.queries import list_permits
from kiik.permits.services.reports import quota_use
from kiik.web.guard import Visitor, refusal
from kiik.web.rendering import render

router = APIRouter(include_in_schema=False)
NEEDED = Permission.REPORTS_READ


@dataclass
class Dashboard:
    items_by_status: list[Any]
    events: int
    holders: list[dict[str, Any]]
    permits_by_status: dict[str, int]
    quota_years: list[dict[str, Any]]
    offtake: list[dict[str, Any]]
    census: dict[str, list[dict[str, Any]]]
    alerts: dict[str, int]
    passages: list[dict[str, Any]] = field(default_factory=list)


def _holders(principal: Principal, registry: Any) -> list[dict[str, Any]]:
    """Stock per holder: items, lots and kg, the largest first."""
    totals: dict[str, dict[str, Any]] = defaultdict(lambda: {"count": 0, "mass_kg": 0.0})
    for holding in stock_report(registry.uow(), principal).holdings:
        row = totals[holding.org.code]
        row.update(code=holding.org.code, name=holding.org.name)
        row["count"] += holding.count if holding.kind == "item" else 0
        row["mass_kg"] += holding.mass_kg
    return sorted(totals.values(), key=lambda r: -r["mass_kg"])


def dashboard(principal: Principal, registry: Any) -> Dashboard:
    summary = overview(registry.uow(), principal)
    permits = Counter(p.status.value for p in list_permits(registry.uow(), principal))
    may_see_traps = principal.may(Permission.CAMERA_TRAPS_READ)
    alerts = (
        Counter(a["kind"] for a in list_alerts(registry.uow(), principal)) if may_see_traps else Counter()
    )
    passages = list_passages(registry.uow(), principal) if may_see_traps else []
    return Dashboard(
        summary.items_by_status,
        summary.event_count,
        _holders(principal, registry),
        dict(sorted(permits.items())),
        quota_use(registry.uow(), principal)["years"],
        offtake_report(registry.uow(), principal),
        census_trends(registry.uow(), principal),
        dict(alerts),
        [
            {"name": p.name, "region": p.region, "border": p.border, "lat": p.latitude, "lon": p.longitude}
            for p in passages
        ],
    )


def _map_data(board: Dashboard) -> dict[str, Any]:
    ranges = json.loads(resources.files("kiik.harvest").joinpath("data", RANGES_FILE).read_text("utf-8"))
    latest = {row["population"]: row for row in board.offtake}
    for feature in ranges["features"]:
        row = latest.get(feature["properties"]["population"], {})
        feature["properties"].update(registered=row.get("registered"), planned=row.get("planned"))
    return {"ranges": ranges, "passages": board.passages}


def _chart_data(board: Dashboard) -> dict[str, Any]:
    return {
        "census": {
            population: [[p["year"], p["estimate"]] for p in points]
            for population, points in board.census.items()
        },
        "quota": [[q["year"], q["cap"], q["used"], q["reserved"]] for q in board.quota_years],
        "offtake": [[r["population"], r["season"], r["planned"], r["registered"]] for r in board.offtake],
    }


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    board = dashboard(principal, get_registry(request))
    context = {
        "board": board,
        "map_data": _map_data(board),
        "chart_data": _chart_data(board),
    }
    return render(request, "dashboard.html", context)
