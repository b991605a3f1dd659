"""The inspector's phone: `/scan` (type a code or read it with the camera, and go to its page at
`/items/{code}`) and `/seizures/new` (record a seizure: place, day, agency, species, what was seized,
the codes found by scanning), through the same `record_seizure` as `POST /api/enforcement/seizures`.
Each problem is shown next to its field; after recording, each code's match (leak, forgery or re-use,
foreign) is shown with the seizure."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
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
}
# A specimen line's problem ("specimens[2].codes: ..."): the line's field for each of its parts.
LINE_PROBLEM = re.compile(r"^specimens\[(\d+)\]\.(\w+)$")
LINE_FIELD = {"term": "term", "unit": "quantity", "quantity": "quantity", "codes": "codes"}
MOST_LINES = 20


def _today() -> date:
    return datetime.now(UTC).date()


@router.get("/scan", response_class=HTMLResponse)
def scan_page(request: Request, principal: Visitor) -> Response:
    """Any logged-in person: a code typed or read by the camera leads to the item's page."""
    if (refused := refusal(request, principal, Permission.ITEMS_READ)) is not None:
        return refused
    return render(request, "scan.html", {})


def suffix(line: int) -> str:
    """A specimen line's fields: `term`, `quantity`, `unit`, `codes` for the first, `term-2`... after."""
    return "" if line == 1 else f"-{line}"


def lines_of(form: dict[str, str]) -> int:
    try:
        return min(MOST_LINES, max(1, int(form.get("lines", "1"))))
    except ValueError:
        return 1


def _lines(form: dict[str, str], count: int) -> list[dict[str, Any]]:
    return [
        {
            "n": n,
            "suffix": suffix(n),
            "term": form.get(f"term{suffix(n)}") or "HOR",
            "quantity": form.get(f"quantity{suffix(n)}", ""),
            "unit": form.get(f"unit{suffix(n)}") or "NAR",
            "codes": form.get(f"codes{suffix(n)}", ""),
        }
        for n in range(1, count + 1)
    ]


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
    }
    count = lines_of(form)
    context: dict[str, Any] = {
        "form": {**defaults, **{k: v for k, v in form.items() if v}},
        "lines": _lines(form, count),
        "more_lines": count < MOST_LINES,
        "species": species,
        "terms": TERMS,
        "units": UNITS,
        "methods": METHODS,
        "errors": {},
        "checks": None,
    }
    context.update(extra)
    return render_scan(request, "seizure_form.html", context, status)


def _reshaped(form: dict[str, str], action: str) -> dict[str, str] | None:
    """The form after "add a line" or "remove line n" (None for any other action: send it)."""
    count = lines_of(form)
    if action == "add-line":
        return {**form, "lines": str(min(MOST_LINES, count + 1))}
    removed = re.fullmatch(r"remove-(\d+)", action)
    if removed is None:
        return None
    gone = int(removed.group(1))
    kept = {k: v for k, v in form.items() if not re.fullmatch(r"(term|quantity|unit|codes)(-\d+)?", k)}
    lines = [line for line in _lines(form, count) if line["n"] != gone] or _lines({}, 1)
    for n, line in enumerate(lines, start=1):
        for part in ("term", "quantity", "unit", "codes"):
            kept[f"{part}{suffix(n)}"] = line[part]
    kept["lines"] = str(len(lines))
    return kept


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


def _specimens(
    form: dict[str, str], errors: dict[str, str], text: PageText
) -> tuple[tuple[Specimen, ...], list[int]]:
    """The specimen lines filled in (a line with no quantity and no codes is left out, unless it is
    the only one) and the form's line number of each."""
    specimens: list[Specimen] = []
    numbers: list[int] = []
    count = lines_of(form)
    for line in _lines(form, count):
        typed = line["quantity"].strip()
        codes = tuple(typed_codes(line["codes"]))
        if count > 1 and not typed and not codes:
            continue
        quantity = _number(typed)
        if quantity is None:
            if line["unit"] == "NAR" and codes and not typed:
                quantity = float(len(codes))  # pieces: by default, one per code found
            else:
                errors[f"quantity{line['suffix']}"] = text.gettext(
                    "Give how many pieces, or how many kilograms, were seized."
                )
                continue
        specimens.append(Specimen(line["term"], quantity, line["unit"], codes))
        numbers.append(line["n"])
    return tuple(specimens), numbers


def _seizure(
    form: dict[str, str], errors: dict[str, str], text: PageText
) -> tuple[NewSeizure | None, list[int]]:
    try:
        seized_on = date.fromisoformat(form.get("seized_on", ""))
    except ValueError:
        errors["seized_on"] = text.gettext("Give the day of the seizure, e.g. 2026-06-23.")
        seized_on = _today()
    specimens, numbers = _specimens(form, errors, text)
    latitude, longitude = _number(form.get("latitude", "")), _number(form.get("longitude", ""))
    if errors:
        return None, numbers
    seizure = NewSeizure(
        reference=form.get("reference", ""),
        seized_on=seized_on,
        agency=form.get("agency", ""),
        detection_method=form.get("method", ""),
        species=form.get("species", ""),
        specimens=specimens,
        place=form.get("place") or None,
        region=form.get("region") or None,
        latitude=latitude,
        longitude=longitude,
        notes=form.get("notes") or None,
    )
    return seizure, numbers


def problems_by_field(
    refusal: EnforcementError, numbers: list[int] | None = None, text: PageText | None = None
) -> dict[str, str]:
    """The service's problems ("field: what is wrong"), each under the form's field and explained in
    the page's language (`text`); a specimen line's (`specimens[2].codes`) under that line's field
    (`numbers`: the form's line of each). A refusal without its list is split at "; "."""
    found: dict[str, str] = {}
    listed = getattr(refusal, "problems", None)
    if listed is None:
        _, _, joined = str(refusal).partition(" cannot be recorded: ")
        listed = (joined or str(refusal)).split("; ")
    for problem in listed:
        name, _, _ = str(problem).partition(":")
        line = LINE_PROBLEM.match(name.strip())
        if line is not None:
            index = int(line.group(1)) - 1
            number = numbers[index] if numbers and index < len(numbers) else index + 1
            field = LINE_FIELD.get(line.group(2), "codes") + suffix(number)
        else:
            field = FIELD_OF.get(name.strip(), "form")
        shown = text.explain(problem) if text is not None else str(problem)
        found[field] = (found[field] + Markup(" ") + shown) if field in found else shown
    return found


@router.post("/seizures/new", response_class=HTMLResponse)
async def record(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, Permission.SEIZURES_RECORD)) is not None:
        return refused
    assert principal is not None
    form = await form_of(request)
    reshaped = _reshaped(form, form.get("action", ""))
    if reshaped is not None:
        return _form_page(request, principal, reshaped)
    text = PageText(language_of(request))
    errors: dict[str, str] = {}
    seizure, numbers = _seizure(form, errors, text)
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
        errors = problems_by_field(exc, numbers, text)
        return _form_page(request, principal, form, 400, errors=errors)
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
