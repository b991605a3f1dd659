"""`/lists/passage-alerts`: what the camera traps at the fence passages saw that someone must act on
(people, vehicles, leopards and other species of concern), as a page for the border service, the
scientists and the ministry: when, what, at which passage, in which photo of which package; filtered
by kind and passage (the same service as `GET /api/monitoring/alerts`). The dashboard's "Fence
passages: alerts" figures link here, one kind each."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiik.directory.domain.permissions import Permission
from kiik.http.deps import get_registry
from kiik.monitoring.services.passages import list_alerts, list_passages
from kiik.web.guard import Visitor, refusal
from kiik.web.i18n import N_
from kiik.web.listing import Column, Filter, Listing, chosen_filters, show

router = APIRouter(include_in_schema=False)

KIND = {
    "person": N_("person"),
    "vehicle": N_("vehicle"),
    "species of concern": N_("species of concern"),
}


@router.get("/lists/passage-alerts", response_class=HTMLResponse)
def passage_alert_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.MONITORING_ALERTS_READ)) is not None:
        return refused
    assert principal is not None
    registry = get_registry(request)
    names = {p.location_id: p.name for p in list_passages(registry.uow(), principal)}
    filters = chosen_filters(
        request,
        [
            Filter("kind", N_("alert"), list(KIND.items())),
            Filter("passage", N_("passage"), sorted(names.items(), key=lambda n: n[1]), translate=False),
        ],
    )
    kind, passage = (f.chosen for f in filters)
    rows = [
        a
        | {
            "at": datetime.fromisoformat(a["observedAt"]),
            "passage": names.get(a["locationID"], a["locationID"]),
            "what": a["subject"] if a["subject"] != a["kind"] else None,
        }
        for a in list_alerts(registry.uow(), principal)
        if (not kind or a["kind"] == kind) and (not passage or a["locationID"] == passage)
    ]
    rows.sort(key=lambda r: r["at"], reverse=True)
    columns = [
        Column(N_("seen at"), "at", moment=True),
        Column(N_("alert"), "kind", words=KIND),
        Column(N_("species"), "what"),
        Column(N_("passage"), "passage"),
        Column(N_("camera trap"), "deploymentID"),
        Column(N_("photo"), "photo"),
        Column(N_("package"), "package"),
    ]
    listing = Listing(
        "/lists/passage-alerts",
        N_("Fence passages: people, vehicles and species of concern seen"),
        columns,
        filters,
    )
    listing.note = N_("The newest first. The photo is named as in the camera-trap package it came in.")
    return show(request, listing, rows)
