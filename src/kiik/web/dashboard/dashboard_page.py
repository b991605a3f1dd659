"""`/dashboard`: the ministry's overview. Each panel is one service's answer (see
`dashboard_figures`), each figure links to the list behind it (`/lists/...`); the map shows kiik's
own population ranges, harvest areas, holders (stock at a site with coordinates there, the rest at
its region's centre), seizure points and fence passages over Natural Earth's country outlines
(world-atlas, from npm), with a layer control, a legend and the same places as a table; the charts
show census trends, quota use, harvest against plan and seizures over time."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiik.directory.domain.permissions import Permission
from kiik.harvest.domain.populations import RANGES_FILE
from kiik.http.deps import get_registry
from kiik.web.dashboard.dashboard_figures import Dashboard, dashboard
from kiik.web.dashboard.trade_lists import trade_summary
from kiik.web.figure_cache import figure_cache
from kiik.web.guard import Visitor, refusal
from kiik.web.i18n import language_of
from kiik.web.rendering import render

router = APIRouter(include_in_schema=False)
NEEDED = Permission.REPORTS_READ


@cache
def _ranges_text() -> str:
    return resources.files("kiik.harvest").joinpath("data", RANGES_FILE).read_text("utf-8")


def _map_data(board: Dashboard, language: str) -> dict[str, Any]:
    ranges = json.loads(_ranges_text())
    latest = {row["population"]: row for row in board.offtake}
    for feature in ranges["features"]:
        row = latest.get(feature["properties"]["population"], {})
        feature["properties"].update(registered=row.get("registered"), planned=row.get("planned"))
    areas = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": a["area"],
                "properties": {
                    "number": a["number"],
                    "holder": a["harvester"],
                    "population": a["population"],
                    "label": a["areaLabel"],
                    "animals": a["animalsRegistered"],
                    "max": a["maxAnimals"],
                },
            }
            for a in board.authorisations
        ],
    }
    holders = [
        {
            "code": r["code"],
            "name": r["region"].named(language),
            "lat": r["region"].latitude,
            "lon": r["region"].longitude,
            "holders": len(r["holders"]),
            "count": r["count"],
            "kg": round(r["mass_kg"], 3),
        }
        for r in board.unlocated_regions
        if r["region"] is not None
    ]
    sites = [
        {
            "code": s["site"].sgln,
            "name": s["site"].name,
            "lat": s["site"].place.latitude,
            "lon": s["site"].place.longitude,
            "holders": len(s["holders"]),
            "count": s["count"],
            "kg": round(s["mass_kg"], 3),
        }
        for s in board.sites
    ]
    seizures = [
        {"reference": s["reference"], "lat": s["latitude"], "lon": s["longitude"], "on": s["seizedOn"]}
        for s in board.seizures
        if s["latitude"] is not None and s["longitude"] is not None
    ]
    return {
        "ranges": ranges,
        "areas": areas,
        "holders": holders,
        "sites": sites,
        "seizures": seizures,
        "passages": board.passages,
    }


def seizures_by_month(seizures: list[dict[str, Any]]) -> list[list[Any]]:
    """[[month index since year 0, "YYYY-MM", seizures], ...] for every month from the first to the last."""
    counted = Counter(s["seizedOn"][:7] for s in seizures)
    if not counted:
        return []
    first, last = min(counted), max(counted)
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        name = f"{year:04d}-{month:02d}"
        months.append([year * 12 + month - 1, name, counted.get(name, 0)])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _chart_data(board: Dashboard) -> dict[str, Any]:
    return {
        "census": {
            population: [[p["year"], p["estimate"]] for p in points]
            for population, points in board.census.items()
        },
        "quota": [[q["year"], q["cap"], q["used"], q["reserved"]] for q in board.quota_years],
        "offtake": [[r["population"], r["season"], r["planned"], r["registered"]] for r in board.offtake],
        "seizures": seizures_by_month(board.seizures),
    }


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    board = dashboard(principal, get_registry(request), figure_cache(request))
    language = language_of(request)
    context = {
        "board": board,
        "language": language,
        "map_data": _map_data(board, language),
        "chart_data": _chart_data(board),
        "seizure_months": seizures_by_month(board.seizures),
        "trade": trade_summary(principal, get_registry(request)),
    }
    return render(request, "dashboard.html", context)
