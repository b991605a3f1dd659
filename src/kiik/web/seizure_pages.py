"""The inspector's phone: `/scan` (type a code or read it with the camera, and go to its page at
`/items/{code}`) and `/seizures/new` (record a seizure: place, day, agency, species, what was seized,
the codes found by scanning), through the same `record_seizure` as `POST /api/enforcement/seizures`.
Each problem is shown next to its field; after recording, each code's match (leak, forgery or re-use,
foreign) is shown with the seizure."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission, Principal
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.domain.seizure import NewSeizure, Specimen
from kiik.enforcement.services.ports import species_register
from kiik.enforcement.services.seizures import record_seizure, show_seizure
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.web.guard import Visitor, form_of, refusal, visitor
from kiik.web.i18n import N_, PageText, language_of
from kiik.web.rendering import render
from kiik.web.scanning import render_scan, typed_codes

router = APIRouter(include_in_schema=False)

# The CITES terms an inspector meets most (any other is refused by the service, saying so).
TERMS = {
    "HOR": N_("horns"),
    "POW": N_("powder"),
    "DER": N_("derivatives"),
    "CAR": N_("carvings"),
    "LIV": N_("live animals"),
    "MEA": N_("meat"),
    "SKI": N_("skins"),
    "TRO": N_("trophies"),
}
UNITS = {"NAR": N_("pieces"), "KGM": N_("kilograms")}
METHODS = {
    "x-ray": N_("x-ray"),
    "document check": N_("document check"),
    "physical search": N_("physical search"),
    "sniffer dog": N_("sniffer dog"),
    "intelligence": N_("intelligence"),
    "patrol": N_("patrol"),
    "market inspection": N_("market inspection"),
    "partner alert": N_("partner alert"),
    "other": N_("other"),
}
MATCH = {
    "leak": N_("leaked from legal stock"),
    "forgery": N_("forged or re-used code"),
    "foreign": N_("another country's code"),
    "unknown": N_("not in the registry"),
}
# The service names each problem's field first ("agency: ..."); the form's field for each.
FIELD_OF = {
    "reference": "reference",
    "seizedOn": "seized_on",
    "agency": "agency",
    "detectionMethod": "method",
    "species": "species",
    "latitude/longitude": "place",
    "latitude": "place",
    "longitude": "place",
    "specimens": "term",
    "specimens[1].term": "term",
    "specimens[1].unit": "quantity",
    "specimens[1].quantity": "quantity",
    "specimens[1].codes": "codes",
}


def _today() -> date:
    return datetime.now(UTC).date()


@router.get("/scan", response_class=HTMLResponse)
def scan_page(request: Request, principal: Visitor) -> Response:
    """Any logged-in person: a code typed or read by the camera leads to the item's page."""
    if (refused := refusal(request, principal, Permission.ITEMS_READ)) is not None:
        return refused
    return render(request, "scan.html", {})


def _form_page(
    request: Request, principal: Principal, form: dict[str, str], status: int = 200, **extra: Any
) -> Response:
    with get_registry(request).uow() as uow:
        species = sorted(species_register(uow))
    defaults = {
        "reference": f"INS-{_today():%Y%m%d}-{secrets.token_hex(3)}",
        "seized_on": _today().isoformat(),
        "agency": principal.org_name,
        "species": "Saiga tatarica" if "Saiga tatarica" in species else "",
        "term": "HOR",
        "unit": "NAR",
    }
    context: dict[str, Any] = {
        "form": {**defaults, **{k: v for k, v in form.items() if v}},
        "species": species,
        "terms": TERMS,
        "units": UNITS,
        "methods": METHODS,
        "errors": {},
        "checks": None,
    }
    context.update(extra)
    return render_scan(request, "seizure_form.html", context, status)


@router.get("/seizures/new", response_class=HTMLResponse)
def seizure_form(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.SEIZURES_RECORD)) is not None:
        return refused
    assert principal is not None
    return _form_page(request, principal, {})


def _number(value: str) -> float | None:
    try:
        return float(value.replace(",", ".")) if value.strip() else None
    except ValueError:
        return None


def _seizure(form: dict[str, str], errors: dict[str, str], text: PageText) -> NewSeizure | None:
    try:
        seized_on = date.fromisoformat(form.get("seized_on", ""))
    except ValueError:
        errors["seized_on"] = text.gettext("Give the day of the seizure, e.g. 2026-06-23.")
        seized_on = _today()
    quantity = _number(form.get("quantity", ""))
    codes = tuple(typed_codes(form.get("codes", "")))
    if quantity is None:
        if form.get("unit", "NAR") == "NAR" and codes and not form.get("quantity", "").strip():
            quantity = float(len(codes))  # pieces: by default, one per code found
        else:
            errors["quantity"] = text.gettext("Give how many pieces, or how many kilograms, were seized.")
    latitude, longitude = _number(form.get("latitude", "")), _number(form.get("longitude", ""))
    if errors:
        return None
    return NewSeizure(
        reference=form.get("reference", ""),
        seized_on=seized_on,
        agency=form.get("agency", ""),
        detection_method=form.get("method", ""),
        species=form.get("species", ""),
        specimens=(Specimen(form.get("term", ""), quantity or 0.0, form.get("unit", "NAR"), codes),),
        place=form.get("place") or None,
        region=form.get("region") or None,
        latitude=latitude,
        longitude=longitude,
        notes=form.get("notes") or None,
    )


def problems_by_field(message: str) -> dict[str, str]:
    """The service's problems ("field: what is wrong; ..."), each under the form's field."""
    found: dict[str, str] = {}
    _, _, listed = message.partition(" cannot be recorded: ")
    for problem in (listed or message).split("; "):
        name, _, _ = problem.partition(":")
        field = FIELD_OF.get(name.strip(), "codes" if ".codes" in name else "form")
        found[field] = (found[field] + " " + problem) if field in found else problem
    return found


@router.post("/seizures/new", response_class=HTMLResponse)
async def record(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, Permission.SEIZURES_RECORD)) is not None:
        return refused
    assert principal is not None
    form = await form_of(request)
    text = PageText(language_of(request))
    errors: dict[str, str] = {}
    seizure = _seizure(form, errors, text)
    if seizure is None:
        return _form_page(request, principal, form, 400, errors=errors)
    registry = get_registry(request)
    try:
        recorded = await run_in_threadpool(
            record_seizure,
            registry.uow(),
            principal,
            seizure,
            custody_rules=registry.settings.custody_rules,
            home=registry.settings.country,
        )
    except EnforcementError as exc:
        return _form_page(request, principal, form, 400, errors=problems_by_field(str(exc)))
    return _shown(request, recorded, 201)


def _shown(request: Request, seizure: dict[str, Any], status: int = 200) -> Response:
    return render(
        request,
        "seizure_result.html",
        {"seizure": seizure, "match": MATCH, "terms": TERMS, "units": UNITS},
        status,
    )


@router.get("/seizures/view/{reference}", response_class=HTMLResponse)
def seizure_view(request: Request, principal: Visitor, reference: str) -> Response:
    if (refused := refusal(request, principal, Permission.SEIZURES_READ)) is not None:
        return refused
    try:
        seizure = show_seizure(get_registry(request).uow(), principal, reference)  # type: ignore[arg-type]
    except NotFound as exc:
        return render(request, "error.html", {"message": str(exc)}, 404)
    return _shown(request, seizure)
