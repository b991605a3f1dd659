"""The floor's pages: `/floor/move` (receive or ship by scanning: typed, a USB scanner, or the
phone's camera), `/floor/check` (each code's verdict at once, for the page's script) and `/stock`
(what the organisation holds, paged and filtered). The same capture as `POST /epcis/capture`, through
`kiik.custody.services.floor`; one idempotency key per page, so a resend records the work once."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.custody.services.floor import FloorError, Movement, check_codes, record_movement
from kiik.custody.services.held_items import HeldItemsQuery, held_items
from kiik.directory.domain.permissions import Permission, Principal
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.adapters.reader import validate_event
from kiik.errors import QueryError
from kiik.http.deps import get_registry
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import explained
from kiik.web.rendering import render
from kiik.web.scanning import errors_by_code, render_scan, summary, typed_codes

router = APIRouter(include_in_schema=False)
KINDS = ("receive", "ship")


def _parties(request: Request, principal: Principal) -> list[Any]:
    with get_registry(request).uow() as uow:
        organisations = [o for o in uow.directory.organisations() if o.id != principal.org_id]
        sites = uow.directory.sites()
    by_org: dict[int, list[Any]] = {}
    for site in sites:
        by_org.setdefault(site.org_id, []).append(site)
    return [(o, by_org.get(o.id, [])) for o in organisations if o.kind != "partner_authority"]


def _move_page(
    request: Request, principal: Principal, form: dict[str, str], status: int = 200, **extra: Any
) -> Response:
    kind = form.get("kind") if form.get("kind") in KINDS else "receive"
    context: dict[str, Any] = {
        "kind": kind,
        "form": form,
        "key": form.get("key") or str(uuid.uuid4()),
        "parties": _parties(request, principal) if kind == "ship" else [],
        "checks": None,
        "errors": {},
        "outcome": None,
    }
    context.update(extra)
    return render_scan(request, "floor_move.html", context, status)


@router.get("/floor/move", response_class=HTMLResponse)
def move_page(request: Request, principal: Visitor, kind: str = "receive") -> Response:
    if (refused := refusal(request, principal, Permission.EVENTS_CAPTURE)) is not None:
        return refused
    assert principal is not None
    return _move_page(request, principal, {"kind": kind})


@router.post("/floor/check", response_class=HTMLResponse)
@form_handler(Permission.ITEMS_READ)
async def check(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    """The verdict list of the codes typed so far (the page's script asks after each scan)."""
    purpose = form.get("purpose", "look")
    try:
        checks = await run_in_threadpool(
            check_codes,
            get_registry(request).uow(),
            principal,
            typed_codes(form.get("codes", "")),
            purpose,
            parse_scanned,
        )
    except FloorError as exc:
        return render(request, "error.html", {"message": explained(request, exc)}, 400)
    return render_scan(request, "_code_checks.html", {"checks": checks, "counts": summary(checks)})


@router.post("/floor/move", response_class=HTMLResponse)
@form_handler(Permission.EVENTS_CAPTURE)
async def move(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    registry = get_registry(request)
    kind = form.get("kind") if form.get("kind") in KINDS else "receive"
    codes = typed_codes(form.get("codes", ""))
    checks = await run_in_threadpool(check_codes, registry.uow(), principal, codes, kind, parse_scanned)
    if form.get("action") != "send":
        return _move_page(request, principal, form, checks=checks)
    command = Movement(kind, codes, form.get("key", ""), form.get("party") or None, form.get("site") or None)
    settings = registry.settings
    try:
        outcome = await run_in_threadpool(
            record_movement,
            registry.uow(),
            principal,
            command,
            parse_scanned,
            validate_event,
            custody_rules=settings.custody_rules,
            yields=settings.yields,
        )
    except FloorError as exc:
        errors = {exc.field_name or "codes": explained(request, exc)}
        return _move_page(request, principal, form, 400, checks=checks, errors=errors)
    if outcome.status == "refused":
        failed, general = errors_by_code(outcome.errors)
        return _move_page(
            request, principal, form, 400, checks=checks, outcome=outcome, failed=failed, general=general
        )
    registry.reads.wrote(principal.org_id)
    status = 201 if outcome.status == "recorded" else 200
    return render(request, "floor_done.html", {"kind": kind, "outcome": outcome}, status)


@router.get("/stock", response_class=HTMLResponse)
def stock_page(
    request: Request,
    principal: Visitor,
    product: str = "",
    status: str = "",
    site: str = "",
    after: str = "",
) -> Response:
    if (refused := refusal(request, principal, Permission.STOCK_READ)) is not None:
        return refused
    assert principal is not None
    query = HeldItemsQuery(product or None, status or None, site or None, after or None)
    try:
        page = held_items(get_registry(request).uow(), principal, query)
    except QueryError as exc:
        return render(request, "error.html", {"message": str(exc)}, 400)
    filters = {"product": product, "status": status, "site": site}
    return render_scan(request, "stock.html", {"page": page, "filters": filters, "after": after})
