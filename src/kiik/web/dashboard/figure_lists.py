"""`/lists/quota-use`, `/lists/offtake`, `/lists/census`: the lists behind the dashboard's quota,
harvest-against-plan and census figures, as pages (the same services as `GET /api/reports/quota-use`,
`/api/monitoring/offtake-report` and `/api/monitoring/census`). Read-only; the pages that set quotas,
plans and record surveys are the ministry's and the scientists' own."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiik.directory.domain.permissions import Permission
from kiik.harvest.services.offtake_report import offtake_report
from kiik.http.deps import get_registry
from kiik.monitoring.services.census import census_trends
from kiik.permits.services.reports import quota_use
from kiik.web.guard import Visitor, refusal
from kiik.web.i18n import N_
from kiik.web.listing import Column, Filter, Listing, chosen_filters, show

router = APIRouter(include_in_schema=False)


@router.get("/lists/quota-use", response_class=HTMLResponse)
def quota_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.REPORTS_READ)) is not None:
        return refused
    assert principal is not None
    report = quota_use(get_registry(request).uow(), principal)
    years = sorted({str(r["year"]) for r in report["years"]}, reverse=True)
    filters = chosen_filters(request, [Filter("year", N_("year"), [(y, y) for y in years], translate=False)])
    year = filters[0].chosen
    rows: list[dict[str, Any]] = [
        {**r, "who": N_("every exporter"), "cap": r["cap"]}
        for r in report["years"]
        if not year or str(r["year"]) == year
    ]
    rows += [
        {**e, "who": e["exporter"]["name"], "cap": None, "remaining": None}
        for e in report["exporters"]
        if not year or str(e["year"]) == year
    ]
    columns = [
        Column(N_("year"), "year"),
        Column(N_("species"), "species"),
        Column(N_("who"), "who", words={}),
        Column(N_("cap"), "cap", numeric=True, digits=1),
        Column(N_("reserved"), "reserved", numeric=True, digits=1),
        Column(N_("used"), "used", numeric=True, digits=1),
        Column(N_("remaining"), "remaining", numeric=True, digits=1),
    ]
    listing = Listing("/lists/quota-use", N_("Export quota use per year"), columns, filters)
    return show(request, listing, rows)


@router.get("/lists/offtake", response_class=HTMLResponse)
def offtake_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.CENSUS_READ)) is not None:
        return refused
    assert principal is not None
    report = offtake_report(get_registry(request).uow(), principal)
    populations = sorted({r["population"] for r in report})
    filters = chosen_filters(
        request, [Filter("population", N_("population"), [(p, p) for p in populations], translate=False)]
    )
    chosen = filters[0].chosen
    rows = [
        {**r, "census_estimate": r["census"]["estimate"] if r["census"] else None}
        for r in report
        if not chosen or r["population"] == chosen
    ]
    columns = [
        Column(N_("population"), "population"),
        Column(N_("season"), "season"),
        Column(N_("planned"), "planned", numeric=True),
        Column(N_("authorised"), "authorised", numeric=True),
        Column(N_("registered"), "registered", numeric=True),
        Column(N_("census"), "census_estimate", numeric=True),
    ]
    listing = Listing("/lists/offtake", N_("Harvest against plan and census"), columns, filters)
    return show(request, listing, rows)


@router.get("/lists/census", response_class=HTMLResponse)
def census_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.CENSUS_READ)) is not None:
        return refused
    assert principal is not None
    trends = census_trends(get_registry(request).uow(), principal)
    filters = chosen_filters(
        request, [Filter("population", N_("population"), [(p, p) for p in trends], translate=False)]
    )
    chosen = filters[0].chosen
    rows = [
        point
        for population, points in trends.items()
        if not chosen or population == chosen
        for point in points
    ]
    columns = [
        Column(N_("population"), "population"),
        Column(N_("year"), "year"),
        Column(N_("estimate"), "estimate", numeric=True),
        Column(N_("lower bound"), "ciLower", numeric=True),
        Column(N_("upper bound"), "ciUpper", numeric=True),
        Column(N_("method"), "method"),
        Column(N_("source"), "source"),
    ]
    listing = Listing("/lists/census", N_("Census surveys"), columns, filters)
    return show(request, listing, rows)
