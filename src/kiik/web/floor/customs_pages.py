"""Customs at the border: `/customs/endorse` (scan the permit's QR code or type its number, scan the
codes actually leaving, endorse: the same `endorse_export` as `POST /permits/{number}/endorse`) and
`/customs/arrivals` (the importing side: scan what arrived under a partner's permit; the same
`record_arrival` as `POST /api/partner/arrivals`). Each refusal is shown next to its field or code."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from kiik.custody.services.floor import check_codes
from kiik.directory.domain.permissions import Permission, Principal
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.adapters.reader import validate_event
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.partners.services.imports import RecordArrival, record_arrival
from kiik.permits.domain.lifecycle import PermitError, parse_number
from kiik.permits.services.endorsement import EndorseExport, endorse_export
from kiik.permits.services.ports import PermitRefused
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import PageText, language_of
from kiik.web.scanning import render_scan, typed_codes

router = APIRouter(include_in_schema=False)
NEEDED = Permission.PERMITS_ENDORSE
QR_PATH = "/verify/permit/"


def permit_of(scanned: str) -> str:
    """The permit number of what was scanned: the number itself, or the address its QR code holds."""
    text = scanned.strip()
    if QR_PATH in text:
        text = text.split(QR_PATH, 1)[1].split("?", 1)[0]
    return parse_number(text)


def _page(request: Request, kind: str, form: dict[str, str], status: int = 200, **extra: Any) -> Response:
    context: dict[str, Any] = {"kind": kind, "form": form, "errors": {}, "checks": None, "done": None}
    context.update(extra)
    return render_scan(request, "customs.html", context, status)


@router.get("/customs/endorse", response_class=HTMLResponse)
def endorse_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    return _page(request, "endorse", {})


@router.get("/customs/arrivals", response_class=HTMLResponse)
def arrival_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    return _page(request, "arrival", {})


async def _common(request: Request, principal: Principal, form: dict[str, str]) -> dict[str, Any]:
    """What both forms send: the permit's number and the codes scanned, each code's verdict."""
    text = PageText(language_of(request))
    errors: dict[str, str] = {}
    codes = typed_codes(form.get("codes", ""))
    number = ""
    try:
        number = permit_of(form.get("permit", ""))
    except PermitError:
        errors["permit"] = text.gettext("Scan the permit's QR code or type its number, e.g. KZ/2026/000123.")
    if not codes:
        errors["codes"] = text.gettext("Scan the codes of the goods.")
    # Any code may be scanned (what leaves, or a partner's codes arriving): its verdict says what kiik knows.
    checks = await run_in_threadpool(
        check_codes, get_registry(request).uow(), principal, codes, "look", parse_scanned
    )
    return {"form": form, "errors": errors, "codes": codes, "number": number, "checks": checks}


def _refused(request: Request, kind: str, state: dict[str, Any], exc: Exception) -> Response:
    """Nothing was recorded: each refusal beside the code it names, the others beside the permit."""
    errors: dict[str, str] = dict(state["errors"])
    failed: dict[str, list[dict[str, Any]]] = {}
    text = PageText(language_of(request))
    problems = (
        exc.to_json() if isinstance(exc, PermitRefused) else [{"message": exc.args[0] if exc.args else ""}]
    )
    about_permit = []
    for problem in problems:
        if problem.get("identifier"):
            failed.setdefault(str(problem["identifier"]), []).append(problem)
        else:
            about_permit.append(text.explain(problem["message"]))
    if about_permit:
        errors["permit"] = Markup(" ").join([errors.get("permit", ""), *about_permit]).strip()
    if isinstance(exc, PermitRefused) and "permit" not in errors and not failed:
        errors["permit"] = text.explain(exc)
    return _page(
        request, kind, state["form"], 400, errors=errors, failed=failed, checks=state["checks"], refused=True
    )


@router.post("/customs/endorse", response_class=HTMLResponse)
@form_handler(NEEDED)
async def endorse(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    state = await _common(request, principal, form)
    if state["errors"] or state["form"].get("action") == "check":
        return _page(
            request,
            "endorse",
            state["form"],
            400 if state["errors"] else 200,
            errors=state["errors"],
            checks=state["checks"],
        )
    registry = get_registry(request)
    command = EndorseExport(
        state["number"],
        state["codes"],
        port=form.get("port") or None,
        bill_of_lading=form.get("bill") or None,
    )
    try:
        permit, outcome = await run_in_threadpool(
            endorse_export,
            registry.uow(),
            principal,
            command,
            validate_event,
            custody_rules=registry.settings.custody_rules,
            yields=registry.settings.yields,
        )
    except (PermitRefused, PermitError, NotFound, InvalidIdentifier) as exc:
        return _refused(request, "endorse", state, exc)
    done = {"number": state["number"], "count": len(state["codes"]), "status": permit.status}
    return _page(request, "endorse", {}, 201, done=done)


@router.post("/customs/arrivals", response_class=HTMLResponse)
@form_handler(NEEDED)
async def arrival(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    state = await _common(request, principal, form)
    if state["errors"]:
        return _page(request, "arrival", state["form"], 400, errors=state["errors"], checks=state["checks"])
    command = RecordArrival(state["number"], state["codes"])
    try:
        body = await run_in_threadpool(record_arrival, get_registry(request).uow(), principal, command)
    except (PermitRefused, PermitError, NotFound, InvalidIdentifier) as exc:
        return _refused(request, "arrival", state, exc)
    done = {"number": state["number"], "count": len(state["codes"]), "body": body}
    return _page(request, "arrival", {}, 201, done=done)
