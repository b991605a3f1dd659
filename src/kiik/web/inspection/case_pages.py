"""Cases under Article 339 as pages: `/cases` (by outcome and year), `/cases/{number}` (its
seizures, the penalty estimate in MCI and tenge, the outcome form) and `/cases/new` (a case opened
from a seizure's page). The same services as `/api/enforcement/cases`; each refusal next to its
field, in the page's language."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission, Principal
from kiik.enforcement.domain.cases import ARTICLE_PARTS, NewCase
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.cases import list_cases, open_case, record_outcome, show_case
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.web import words
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import N_, PageText, explained, language_of
from kiik.web.listing import Column, Filter, Listing, chosen_filters, show
from kiik.web.rendering import form_page, render

router = APIRouter(include_in_schema=False)

COLUMNS = [
    Column(N_("case"), "number", link="href"),
    Column(N_("part of Article 339"), "articlePart"),
    Column(N_("offence on"), "offenceOn", date=True),
    Column(N_("suspects"), "suspects", numeric=True),
    Column(N_("outcome"), "outcome", words=words.CASE_OUTCOME),
]
# The service names each problem's field first ("offenceOn: ..."): the form's field for each.
FIELD_OF = {
    "number": "number",
    "articlePart": "part",
    "offenceOn": "offence_on",
    "suspects": "suspects",
    "outcome": "outcome",
    "seizures": "seizures",
}


def case_address(number: str) -> str:
    return f"/cases/{quote(number, safe='')}"


@router.get("/cases", response_class=HTMLResponse)
def cases_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.SEIZURES_READ)) is not None:
        return refused
    assert principal is not None
    cases = list_cases(get_registry(request).uow(), principal)
    years = sorted({c["offenceOn"][:4] for c in cases}, reverse=True)
    filters = chosen_filters(
        request,
        [
            Filter("outcome", N_("outcome"), list(words.CASE_OUTCOME.items())),
            Filter("year", N_("year of the offence"), [(y, y) for y in years], translate=False),
        ],
    )
    outcome, year = (f.chosen for f in filters)
    rows = [
        c | {"href": case_address(c["number"]), "offenceOn": date.fromisoformat(c["offenceOn"])}
        for c in cases
        if (not outcome or c["outcome"] == outcome) and (not year or c["offenceOn"][:4] == year)
    ]
    action = ("/cases/new", N_("Open a case")) if principal.may(Permission.CASES_MANAGE) else None
    listing = Listing("/cases", N_("Cases under Article 339"), COLUMNS, filters, action=action)
    return show(request, listing, rows)


def _case_page(
    request: Request, principal: Principal, number: str, status: int = 200, **extra: Any
) -> Response:
    try:
        case = show_case(get_registry(request).uow(), principal, number)
    except NotFound as exc:
        return render(request, "error.html", {"message": explained(request, exc)}, 404)
    context = {
        "case": case,
        "offence_on": date.fromisoformat(case["offenceOn"]),
        "seizures": [s | {"day": date.fromisoformat(s["seizedOn"])} for s in case["seizures"]],
        "penalty": case["penaltyEstimate"],
        "outcomes": words.CASE_OUTCOME,
        "manages": principal.may(Permission.CASES_MANAGE),
        "form": {"outcome": case["outcome"]},
    }
    return form_page(request, "case.html", context, status, extra)


@router.get("/cases/new", response_class=HTMLResponse)
def new_case(request: Request, principal: Visitor) -> Response:
    """The form that opens a case, its seizure filled in when it comes from a seizure's page."""
    if (refused := refusal(request, principal, Permission.CASES_MANAGE)) is not None:
        return refused
    seizure = request.query_params.get("seizure", "").strip()
    return _new_case_page(request, {"seizures": seizure, "suspects": "0", "part": "1"})


def _new_case_page(request: Request, form: dict[str, str], status: int = 200, **extra: Any) -> Response:
    context = {"form": form, "parts": ARTICLE_PARTS, "outcomes": words.CASE_OUTCOME}
    return form_page(request, "case_new.html", context, status, {**extra, "form": form})


def _read(form: dict[str, str], errors: dict[str, str], text: PageText) -> NewCase | None:
    """The case the form describes; a day or a number that cannot be read is refused by its field."""
    try:
        offence_on = date.fromisoformat(form.get("offence_on", "").strip())
    except ValueError:
        errors["offence_on"] = text.gettext("Give the day of the offence, e.g. 2026-05-10.")
    suspects_text = form.get("suspects", "").strip() or "0"
    if not suspects_text.isdigit():
        errors["suspects"] = text.gettext(
            "Give the number of suspects as a whole number (0 when none is known)."
        )
    if errors:
        return None
    nationalities = tuple(
        n.strip().upper() for n in form.get("nationalities", "").replace(";", ",").split(",") if n.strip()
    )
    seizures = tuple(r.strip() for r in form.get("seizures", "").splitlines() if r.strip())
    return NewCase(
        form.get("number", ""),
        form.get("part", ""),
        offence_on,
        int(suspects_text),
        nationalities,
        seizures,
        form.get("outcome") or "under investigation",
    )


def problems_by_field(refused: EnforcementError, text: PageText) -> dict[str, Any]:
    """Each of the service's problems ("offenceOn: ...") explained under its field of the form."""
    found: dict[str, Any] = {}
    for problem in getattr(refused, "problems", None) or [refused.args[0] if refused.args else str(refused)]:
        field = FIELD_OF.get(str(problem).partition(":")[0].strip(), "number")  # "case N is recorded"
        shown = text.explain(problem)
        found[field] = (found[field] + Markup(" ") + shown) if field in found else shown
    return found


@router.post("/cases/new", response_class=HTMLResponse)
@form_handler(Permission.CASES_MANAGE)
async def open_new_case(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    text = PageText(language_of(request))
    errors: dict[str, str] = {}
    case = _read(form, errors, text)
    if case is None:
        return _new_case_page(request, form, 400, errors=errors)
    try:
        await run_in_threadpool(open_case, get_registry(request).uow(), principal, case)
    except EnforcementError as exc:
        return _new_case_page(request, form, 400, errors=problems_by_field(exc, text))
    return RedirectResponse(case_address(case.number.strip()) + "?done=opened", status_code=303)


@router.get("/cases/{number}", response_class=HTMLResponse)
def case_view(request: Request, principal: Visitor, number: str) -> Response:
    if (refused := refusal(request, principal, Permission.SEIZURES_READ)) is not None:
        return refused
    assert principal is not None
    return _case_page(request, principal, number)


@router.post("/cases/{number}/outcome", response_class=HTMLResponse)
@form_handler(Permission.CASES_MANAGE)
async def outcome(request: Request, principal: Principal, form: dict[str, str], number: str) -> Response:
    try:
        await run_in_threadpool(
            record_outcome, get_registry(request).uow(), principal, number, form.get("outcome", "")
        )
    except NotFound as exc:
        return render(request, "error.html", {"message": explained(request, exc)}, 404)
    except EnforcementError as exc:
        errors = {"outcome": explained(request, exc)}
        return await run_in_threadpool(_case_page, request, principal, number, 400, errors=errors, form=form)
    return RedirectResponse(case_address(number) + "?done=outcome", status_code=303)
