"""Scientists' pages: `/monitoring/census` imports the census CSV (a preview first, the problem
named by row and column, nothing stored unless every row is right) and shows each population's
trend as a chart; `/monitoring/camera-traps` imports a Camtrap DP package (checked whole first,
every problem by table, row and field) and shows the detection rates at the fence passages, with
activity by hour of day as a chart. The same services as `/api/monitoring/census/import`,
`/api/monitoring/camtrap-packages` and `/api/monitoring/detection-rates`."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import NotAllowed, Permission, Principal
from kiik.errors import N_, Wording, place_of
from kiik.http.deps import get_registry
from kiik.monitoring.adapters.camtrap_reader import read_package
from kiik.monitoring.adapters.camtrap_writer import unzip_package
from kiik.monitoring.domain.analysis import AnalysisRequest
from kiik.monitoring.domain.census_csv import read_census_csv
from kiik.monitoring.domain.errors import MonitoringError, PackageInvalid
from kiik.monitoring.services.analysis import detection_rates
from kiik.monitoring.services.camtrap_import import import_package
from kiik.monitoring.services.census import census_trends, import_census
from kiik.monitoring.services.passages import list_packages
from kiik.web.desk.camtrap_preview import preview_of
from kiik.web.desk_words import desk_render
from kiik.web.guard import Visitor, refusal, visitor

router = APIRouter(include_in_schema=False)
TABLES = ("deployments", "media", "observations")


def census_problem(exc: Exception) -> dict[str, object]:
    """A census error as the page shows it: the row and the column, and what is wrong."""
    worded = exc.args[0] if exc.args else str(exc)
    place, problem = place_of(worded) or ({}, worded)
    return {"row": place.get("row", ""), "column": place.get("column", ""), "message": problem}


def package_problem(message: str) -> dict[str, object]:
    """A Camtrap DP problem: the table (or datapackage.json), the row, the field, and what is wrong
    (a `kiik.errors.Wording` placed by `kiik.errors.at`, its problem kept whole for the page to explain)."""
    place, problem = place_of(message) or ({}, message)
    return {
        "table": place.get("table", ""),
        "row": place.get("row", ""),
        "field": place.get("field", ""),
        "message": problem,
    }


def _census_chart(trends: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    years = sorted({point["year"] for points in trends.values() for point in points})
    series = []
    for population, points in trends.items():
        by_year = {p["year"]: p["estimate"] for p in points}
        series.append({"label": population, "values": [by_year.get(year) for year in years]})
    return {"x": years, "series": series, "bars": False, "xLabel": N_("Year")}


@router.get("/monitoring/census", response_class=HTMLResponse)
def census_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.CENSUS_READ)) is not None:
        return refused
    assert principal is not None
    trends = census_trends(get_registry(request).uow(), principal)
    context = {
        "trends": trends,
        "chart": _census_chart(trends),
        "imports": principal.may(Permission.CENSUS_RECORD),
    }
    return desk_render(request, "census.html", context)


@router.post("/monitoring/census/preview", response_class=HTMLResponse)
async def census_preview(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, Permission.CENSUS_RECORD)) is not None:
        return refused
    text = (await request.body()).decode("utf-8", "replace")
    try:
        surveys = read_census_csv(text)
    except MonitoringError as exc:
        context = {"surveys": [], "problem": census_problem(exc), "stage": "preview"}
        return desk_render(request, "census_result.html", context, 400)
    return desk_render(
        request, "census_result.html", {"surveys": surveys, "problem": None, "stage": "preview"}
    )


@router.post("/monitoring/census", response_class=HTMLResponse)
async def census_import(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, Permission.CENSUS_RECORD)) is not None:
        return refused
    assert principal is not None
    text = (await request.body()).decode("utf-8", "replace")
    try:
        done = await run_in_threadpool(import_census, get_registry(request).uow(), principal, text)
    except MonitoringError as exc:
        context = {"surveys": [], "problem": census_problem(exc), "stage": "import"}
        return desk_render(request, "census_result.html", context, 400)
    context = {"surveys": [], "problem": None, "stage": "import", "done": done}
    return desk_render(request, "census_result.html", context)


def _rates_chart(rows: list[Any]) -> dict[str, Any]:
    by_species: dict[str, list[int]] = {}
    for row in rows:
        if row.period != "all":
            continue
        hours = by_species.setdefault(row.species, [0] * 24)
        for hour, count in enumerate(row.by_hour):
            hours[hour] += count
    series = [{"label": species, "values": hours} for species, hours in sorted(by_species.items())]
    return {"x": list(range(24)), "series": series, "bars": True, "xLabel": N_("Hour")}


@router.get("/monitoring/camera-traps", response_class=HTMLResponse)
def camera_traps_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.CAMERA_TRAPS_READ)) is not None:
        return refused
    assert principal is not None
    registry = get_registry(request)
    rows = detection_rates(registry.uow(), principal, AnalysisRequest())
    context = {
        "packages": list_packages(registry.uow(), principal),
        "rates": [r for r in rows if r.period == "all"],
        "chart": _rates_chart(rows),
        "imports": principal.may(Permission.CAMERA_TRAPS_IMPORT),
    }
    return desk_render(request, "camera_traps.html", context)


def _counted(root: Path, descriptor: dict[str, Any]) -> dict[str, int]:
    counts = {}
    for resource in descriptor.get("resources", []):
        name, path = resource.get("name"), resource.get("path")
        if name in TABLES and isinstance(path, str):
            with open(root / path, encoding="utf-8") as table:
                counts[name] = max(0, sum(1 for _ in table) - 1)
    return counts


def _package(
    body: bytes, principal: Principal, store: Any | None, page: str | None = None
) -> tuple[dict[str, Any], Any]:
    """Check the zip (and with `store`, a unit of work: import it); the package's facts and outcome.
    Without `store`, the facts hold the preview too: deployments and a `page` of observations."""
    with tempfile.TemporaryDirectory(prefix="kiik-camtrap-page-") as work:
        archive = Path(work) / "package.zip"
        archive.write_bytes(body)
        try:
            root = unzip_package(archive, Path(work) / "package")
        except (zipfile.BadZipFile, ValueError) as exc:
            unusable = N_("the file is not a usable zip of a Camtrap DP package: %(reason)s", reason=str(exc))
            raise PackageInvalid([unusable]) from None
        source = read_package(root, background=False)
        facts = {
            "id": str(source.descriptor.get("id") or source.descriptor.get("name") or ""),
            "title": str(source.descriptor.get("title") or ""),
            "counts": _counted(root, source.descriptor),
            "preview": preview_of(source, page) if store is None else None,
        }
        outcome = import_package(store, principal, source) if store is not None else None
    return facts, outcome


async def _camtrap(request: Request, store: bool) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, Permission.CAMERA_TRAPS_IMPORT)) is not None:
        return refused
    assert principal is not None
    body = await request.body()
    uow = get_registry(request).uow() if store else None
    page = request.query_params.get("page")
    try:
        facts, outcome = await run_in_threadpool(_package, body, principal, uow, page)
    except PackageInvalid as exc:
        context = {"problems": [package_problem(p) for p in exc.problems], "facts": None, "outcome": None}
        return desk_render(request, "camtrap_result.html", context, 400)
    except (MonitoringError, NotAllowed) as exc:
        worded = exc.args[0] if exc.args and isinstance(exc.args[0], Wording) else str(exc)
        context = {"problems": [package_problem(worded)], "facts": None, "outcome": None}
        return desk_render(request, "camtrap_result.html", context, 400)
    context = {"problems": [], "facts": facts, "outcome": outcome}
    return desk_render(request, "camtrap_result.html", context, 201 if outcome else 200)


@router.post("/monitoring/camera-traps/preview", response_class=HTMLResponse)
async def camtrap_preview(request: Request) -> Response:
    return await _camtrap(request, store=False)


@router.post("/monitoring/camera-traps", response_class=HTMLResponse)
async def camtrap_import(request: Request) -> Response:
    return await _camtrap(request, store=True)
