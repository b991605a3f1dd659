"""`/lists/...`: the lists behind the dashboard's figures, as pages (the API's JSON lists, read
through the same services): stock by holder, region and status; permits by status; leak alerts;
seizures; fence passages with their detections; flags awaiting review. Each pages and filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiik.custody.services.stock import ALL_STATUSES, stock_report
from kiik.directory.domain.permissions import Permission, Principal
from kiik.directory.domain.regions import regions
from kiik.enforcement.domain.alerts import STATUSES as ALERT_STATUSES
from kiik.enforcement.services.alerts import list_alerts as list_leak_alerts
from kiik.enforcement.services.seizures import list_seizures
from kiik.http.deps import get_registry
from kiik.permits.services.queries import list_permits
from kiik.web import words
from kiik.web.dashboard.dashboard_figures import AWAITING_REVIEW, passages_with_detections
from kiik.web.dashboard.stock_places import stock_places
from kiik.web.guard import Visitor, refusal
from kiik.web.i18n import N_, language_of
from kiik.web.listing import Column, Filter, Listing, chosen_filters, show

router = APIRouter(include_in_schema=False)


def _regions_filter(language: str) -> Filter:
    choices = sorted(((r.code, r.named(language)) for r in regions().values()), key=lambda c: c[1])
    return Filter("region", N_("region"), [*choices, ("none", N_("no region set"))], translate=False)


@router.get("/lists/stock", response_class=HTMLResponse)
def stock_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.STOCK_READ)) is not None:
        return refused
    assert principal is not None
    registry, language = get_registry(request), language_of(request)
    report = stock_report(registry.uow(), principal, statuses=["all"])
    places = stock_places(principal, registry)
    holder_names = sorted({(h.org.code, h.org.name) for h in report.holdings}, key=lambda c: c[1])
    statuses = [(s, words.word(words.STATUS, s)) for s in ALL_STATUSES] + [("in_stock", N_("in stock"))]
    filters = chosen_filters(
        request,
        [
            Filter("holder", N_("holder"), holder_names, translate=False),
            _regions_filter(language),
            Filter("status", N_("status"), statuses),
        ],
    )
    holder, region, status = (f.chosen for f in filters)
    wanted = ("active", "in_transit", "seized") if status in ("", "in_stock") else (status,)
    rows = []
    for h in report.holdings:
        found = places.region(h)
        code = found.code if found else "none"
        if h.status not in wanted or (holder and h.org.code != holder) or (region and code != region):
            continue
        rows.append(
            {
                "holder": h.org.name,
                "region": found.named(language) if found else (places.written_region(h) or "—"),
                "site": h.site_name or h.site or "—",
                "species": h.species or "—",
                "product": words.product(h.product_type) if h.product_type else "—",
                "status": h.status,
                "count": h.count,
                "kind": N_("items") if h.kind == "item" else N_("lots"),
                "mass_kg": h.mass_kg,
            }
        )
    columns = [
        Column(N_("holder"), "holder"),
        Column(N_("region"), "region"),
        Column(N_("site"), "site"),
        Column(N_("species"), "species"),
        Column(N_("product"), "product", words={}),
        Column(N_("status"), "status", words=words.STATUS),
        Column(N_("count"), "count", numeric=True),
        Column(N_("counted as"), "kind", words={}),
        Column(N_("mass (kg)"), "mass_kg", numeric=True, digits=3),
    ]
    return show(
        request, Listing("/lists/stock", N_("Stock by holder, region and status"), columns, filters), rows
    )


@router.get("/lists/permits", response_class=HTMLResponse)
def permit_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.PERMITS_READ)) is not None:
        return refused
    assert principal is not None
    filters = chosen_filters(request, [Filter("status", N_("status"), list(words.PERMIT_STATUS.items()))])
    status = filters[0].chosen
    permits = [] if filters[0].error else list_permits(get_registry(request).uow(), principal, status or None)
    rows = [
        {
            "number": p.number or f"#{p.id}",
            "status": p.status.value,
            "species": p.scientific_name,
            "importer": f"{p.importer_name} ({p.import_country})",
            "quantity_kg": p.quantity_kg,
            "year": p.quota_year or "—",
            "created": p.created_at,
            "href": f"/verify/permit/{p.number}" if p.number else None,
        }
        for p in sorted(permits, key=lambda p: p.created_at, reverse=True)
    ]
    columns = [
        Column(N_("permit"), "number", link="href"),
        Column(N_("status"), "status", words=words.PERMIT_STATUS),
        Column(N_("species"), "species"),
        Column(N_("importer"), "importer"),
        Column(N_("mass (kg)"), "quantity_kg", numeric=True, digits=3),
        Column(N_("quota year"), "year"),
        Column(N_("applied"), "created", date=True),
    ]
    return show(request, Listing("/lists/permits", N_("Permits by status"), columns, filters), rows)


def _leak_rows(principal: Principal, request: Request, statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = []
    for alert in list_leak_alerts(get_registry(request).uow(), principal):
        if alert["status"] not in statuses:
            continue
        rows.append(
            {
                "id": alert["id"],
                "href": f"/alerts/{alert['id']}",
                "seizure": alert.get("seizure", "—"),
                "holder": alert.get("holder") or "—",
                "region": alert.get("region") or "—",
                "codes": len(alert["codes"]),
                "status": alert["status"],
                "opened": alert["openedAt"][:10],
            }
        )
    return rows


LEAK_COLUMNS = [
    Column(N_("alert"), "id", link="href"),
    Column(N_("seizure"), "seizure"),
    Column(N_("last legal holder"), "holder"),
    Column(N_("region"), "region"),
    Column(N_("codes"), "codes", numeric=True),
    Column(N_("status"), "status", words=words.LEAK_STATUS),
    Column(N_("opened"), "opened"),
]


@router.get("/lists/leak-alerts", response_class=HTMLResponse)
def leak_alert_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.LEAK_ALERTS_READ)) is not None:
        return refused
    assert principal is not None
    filters = chosen_filters(request, [Filter("status", N_("status"), list(words.LEAK_STATUS.items()))])
    wanted = (filters[0].chosen,) if filters[0].chosen else ALERT_STATUSES
    listing = Listing(
        "/lists/leak-alerts", N_("Leak alerts: seized codes found in the registry"), LEAK_COLUMNS, filters
    )
    return show(request, listing, [] if filters[0].error else _leak_rows(principal, request, wanted))


SEIZURE_COLUMNS = [
    Column(N_("seizure"), "reference"),
    Column(N_("status"), "status", words=words.SEIZURE_STATUS),
    Column(N_("seized on"), "seizedOn"),
    Column(N_("reporting country"), "reportingCountry"),
    Column(N_("place"), "place"),
    Column(N_("species"), "species"),
    Column(N_("specimens"), "specimens"),
]


def _seizure_rows(principal: Principal, request: Request) -> list[dict[str, Any]]:
    return [
        s
        | {
            "place": ", ".join(p for p in (s["place"], s["region"]) if p) or "—",
            "specimens": "; ".join(
                f"{x['quantity']:g} {x['unit'] or ''} {x['term']}".strip() for x in s["specimens"]
            ),
        }
        for s in list_seizures(get_registry(request).uow(), principal)
    ]


@router.get("/lists/seizures", response_class=HTMLResponse)
def seizure_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.SEIZURES_READ)) is not None:
        return refused
    assert principal is not None
    rows = _seizure_rows(principal, request)
    years = sorted({s["seizedOn"][:4] for s in rows}, reverse=True)
    filters = chosen_filters(
        request,
        [
            Filter("year", N_("year"), [(y, y) for y in years], translate=False),
            Filter("status", N_("status"), list(words.SEIZURE_STATUS.items())),
        ],
    )
    year, status = (f.chosen for f in filters)
    rows = [
        r for r in rows if (not year or r["seizedOn"][:4] == year) and (not status or r["status"] == status)
    ]
    return show(request, Listing("/lists/seizures", N_("Seizures"), SEIZURE_COLUMNS, filters), rows)


@router.get("/lists/passages", response_class=HTMLResponse)
def passage_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.CAMERA_TRAPS_READ)) is not None:
        return refused
    assert principal is not None
    choices = [("yes", N_("with detections")), ("no", N_("without detections"))]
    filters = chosen_filters(request, [Filter("detections", N_("detections"), choices)])
    seen = filters[0].chosen
    rows = [
        p
        | {
            "species": ", ".join(p["species"]) or "—",
            "where": ", ".join(filter(None, (p["region"], p["border"]))),
        }
        for p in passages_with_detections(principal, get_registry(request))
        if not seen or (p["detections"] > 0) == (seen == "yes")
    ]
    columns = [
        Column(N_("passage"), "name"),
        Column(N_("where"), "where"),
        Column(N_("detections"), "detections", numeric=True),
        Column(N_("species seen"), "species"),
    ]
    listing = Listing(
        "/lists/passages", N_("Fence passages and their camera traps' detections"), columns, filters
    )
    return show(request, listing, rows)


@router.get("/lists/flags", response_class=HTMLResponse)
def flag_list(request: Request, principal: Visitor) -> Response:
    """Flags awaiting review: leak alerts open or under investigation, then seizure drafts (from a
    market inspection) waiting to be confirmed."""
    if (refused := refusal(request, principal, Permission.LEAK_ALERTS_READ)) is not None:
        return refused
    assert principal is not None
    kinds = [("leak", N_("leak alerts")), ("draft", N_("seizure drafts"))]
    filters = chosen_filters(request, [Filter("kind", N_("kind"), kinds)])
    kind = filters[0].chosen
    rows: list[dict[str, Any]] = []
    if kind in ("", "leak"):
        rows += [
            r | {"kind": N_("leak alert"), "what": r["seizure"]}
            for r in _leak_rows(principal, request, AWAITING_REVIEW)
        ]
    if kind in ("", "draft") and principal.may(Permission.SEIZURES_READ):
        rows += [
            {
                "kind": N_("seizure draft"),
                "what": s["reference"],
                "href": f"/seizures/view/{quote(s['reference'], safe='')}",
                "status": s["status"],
                "opened": s["seizedOn"],
                "holder": "—",
                "region": s["place"],
            }
            for s in _seizure_rows(principal, request)
            if s["status"] == "draft"
        ]
    columns = [
        Column(N_("kind"), "kind", words={}),
        Column(N_("what"), "what", link="href"),
        Column(N_("last legal holder"), "holder"),
        Column(N_("where"), "region"),
        Column(N_("status"), "status", words={**words.LEAK_STATUS, **words.SEIZURE_STATUS}),
        Column(N_("opened"), "opened"),
    ]
    listing = Listing("/lists/flags", N_("Flags awaiting review"), columns, filters)
    return show(request, listing, rows)
