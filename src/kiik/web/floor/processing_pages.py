"""`/floor/processing`: a plant records a processing run (horns or lots scanned in, lots of one
product out with their masses). Before sending, the page shows the mass balance the capture will
apply (what the inputs weigh, what the product's yield allows) and any output mass the ministry's
bounds call implausible, next to its field; sending records one TransformationEvent through the same
capture as `POST /epcis/capture`, once per page (its idempotency key)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.custody.services.floor import FloorError, check_codes
from kiik.custody.services.floor_processing import OutputLot, Processing, record_processing, yield_check
from kiik.directory.domain.permissions import Permission, Principal
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.adapters.reader import validate_event
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.http.deps import get_registry
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import PageText, explained, language_of
from kiik.web.rendering import render
from kiik.web.scanning import errors_by_code, render_scan, typed_codes

router = APIRouter(include_in_schema=False)
NEEDED = Permission.EVENTS_CAPTURE
OUTPUT_LINES = 3


def _outputs(form: dict[str, str], errors: dict[str, str], text: PageText) -> list[OutputLot]:
    lines = []
    for n in range(OUTPUT_LINES):
        code = form.get(f"output-{n}-code", "").strip()
        mass = form.get(f"output-{n}-mass", "").strip().replace(",", ".")
        if not code and not mass:
            continue
        kg: float | None = None
        try:
            kg = float(mass) if mass else None
        except ValueError:
            errors[f"output-{n}-mass"] = text.gettext("Write the mass as a number of kilograms, e.g. 12.5.")
        if kg is None and f"output-{n}-mass" not in errors:
            errors[f"output-{n}-mass"] = text.gettext("Give the lot's mass in kilograms.")
        if not code:
            errors[f"output-{n}-code"] = text.gettext("Scan or type the output lot's code.")
        lines.append(OutputLot(code, kg))
    return lines


def _page(request: Request, form: dict[str, str], status: int = 200, **extra: Any) -> Response:
    registry = get_registry(request)
    context: dict[str, Any] = {
        "form": form,
        "key": form.get("key") or str(uuid.uuid4()),
        "products": sorted(registry.settings.yields),
        "lines": range(OUTPUT_LINES),
        "checks": None,
        "errors": {},
        "balance": None,
        "outcome": None,
    }
    context.update(extra)
    return render_scan(request, "processing.html", context, status)


@router.get("/floor/processing", response_class=HTMLResponse)
def processing_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    return _page(request, {})


def _field_of(error: dict[str, Any], outputs: list[tuple[int, str]]) -> str | None:
    """The output line an error of the capture is about (by the lot's code), if any."""
    for n, key in outputs:
        if error.get("identifier") == key:
            return f"output-{n}-mass" if error.get("rule") == "mass.implausible" else f"output-{n}-code"
    return None


@router.post("/floor/processing", response_class=HTMLResponse)
@form_handler(NEEDED)
async def record(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    registry = get_registry(request)
    text = PageText(language_of(request))
    errors: dict[str, str] = {}
    inputs = typed_codes(form.get("inputs", ""))
    checks = await run_in_threadpool(check_codes, registry.uow(), principal, inputs, "process", parse_scanned)
    outputs = _outputs(form, errors, text)
    product = form.get("product_type", "")
    if product not in registry.settings.yields:
        errors["product_type"] = text.gettext("Choose the product the run made.")
    if not inputs:
        errors["inputs"] = text.gettext("Scan or type the codes of the horns or lots used.")
    if not outputs:
        errors["output-0-code"] = text.gettext("Name at least one output lot with its mass.")
    command = Processing(inputs, product, outputs, form.get("key", ""))
    balance = None
    if not errors and any(c.ok for c in checks):
        balance = await run_in_threadpool(
            yield_check, registry.uow(), principal, command, parse_scanned, registry.settings.yields
        )
        for n, why in balance.implausible.items():
            errors[f"output-{n}-mass"] = explained(request, why)
        if balance.explanation and not balance.holds:
            errors["outputs"] = balance.explanation
    page = {"checks": checks, "errors": errors, "balance": balance}
    if errors or form.get("action") != "send":
        return _page(request, form, 400 if errors else 200, **page)
    try:
        outcome = await run_in_threadpool(
            record_processing,
            registry.uow(),
            principal,
            command,
            parse_scanned,
            validate_event,
            custody_rules=registry.settings.custody_rules,
            yields=registry.settings.yields,
        )
    except FloorError as exc:
        errors[exc.field_name or "inputs"] = explained(request, exc)
        return _page(request, form, 400, **page)
    if outcome.status == "refused":
        failed, general = errors_by_code(outcome.errors)
        keyed = list(enumerate(_lot_keys(outputs)))
        for error in outcome.errors:
            field = _field_of(error, keyed)
            if field is None and str(error.get("rule", "")).startswith("transformation.mass"):
                field = "outputs"
            if field:
                errors.setdefault(field, str(error["message"]))
        return _page(request, form, 400, outcome=outcome, failed=failed, general=general, **page)
    registry.reads.wrote(principal.org_id)
    context = {
        "kind": "process",
        "outcome": outcome,
        "outputs": _lot_keys(outputs),
        "again": "/floor/processing",
    }
    return render(request, "floor_done.html", context, 201 if outcome.status == "recorded" else 200)


def _lot_keys(outputs: list[OutputLot]) -> list[str]:
    keys = []
    for line in outputs:
        try:
            keys.append(str(parse_scanned(line.code).canonical))
        except InvalidIdentifier:
            keys.append(line.code)
    return keys
