"""The permit desk: an exporter applies for a permit and follows it (`/permits/apply`, `/permits`,
`/permits/{id}`); the ministry reviews the queue, reads what the rules say and issues, rejects,
cancels or replaces (`/permits/{id}/...`). The same services as `/api/permits` and `kiik permit`."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission, Principal
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.permits.domain.lifecycle import PermitError, PermitStatus, TransitionRefused, parse_number
from kiik.permits.services.application import (
    PURPOSES,
    SOURCES,
    ApplyForPermit,
    apply_for_permit,
    withdraw_application,
)
from kiik.permits.services.decisions import (
    IssuePermit,
    cancel_permit,
    issue_permit,
    reject_application,
    replace_permit,
)
from kiik.permits.services.desk import PermitFilter, permit_page, permit_record, review_application
from kiik.permits.services.ports import PermitRefused
from kiik.species.services.register import read_register
from kiik.web.desk_words import desk_render, field_of_permit_error, problem_text
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import PageText, language_of
from kiik.web.rendering import render

router = APIRouter(include_in_schema=False)


def _int(text: str | None, default: int = 1) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default


@router.get("/permits", response_class=HTMLResponse)
def permits_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.PERMITS_READ)) is not None:
        return refused
    assert principal is not None
    query = request.query_params
    wanted = PermitFilter(
        status=query.get("status") or None,
        species=query.get("species") or None,
        exporter=query.get("exporter") or None,
        page=_int(query.get("page")),
    )
    registry = get_registry(request)
    found = permit_page(registry.uow(), principal, wanted)
    species = [t.scientific_name for t in read_register(registry.uow(), principal).taxa]
    with registry.uow() as uow:
        codes = {o.id: o.code for o in uow.directory.organisations()}
    context = {
        "found": found,
        "wanted": wanted,
        "statuses": [s.value for s in PermitStatus],
        "species": species,
        "codes": codes,
        "sees_all": principal.may(Permission.PERMITS_VERIFY_DETAILS),
        "applies": principal.may(Permission.PERMITS_APPLY),
        "notice": query.get("done", ""),
    }
    return desk_render(request, "permits.html", context)


def _apply_page(
    request: Request, form: dict[str, str], errors: dict[str, list[str]], status: int
) -> Response:
    context = {"form": form, "errors": errors, "purposes": sorted(PURPOSES), "sources": sorted(SOURCES)}
    return desk_render(request, "permit_apply.html", context, status)


@router.get("/permits/apply", response_class=HTMLResponse)
def apply_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.PERMITS_APPLY)) is not None:
        return refused
    return _apply_page(request, {"purpose": "T", "source": "W", "kind": "export"}, {}, 200)


@router.post("/permits/apply")
@form_handler(Permission.PERMITS_APPLY)
async def apply(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    text = PageText(language_of(request))
    codes = [line.strip() for line in form.get("items", "").replace(",", "\n").splitlines() if line.strip()]
    errors: dict[str, list[str]] = {}
    if not codes:
        errors["items"] = [text.gettext("Enter the code of at least one item, one per line.")]
    if not form.get("importer_name", "").strip():
        errors["importer_name"] = [text.gettext("Name the importer, as on the contract.")]
    if errors:
        return _apply_page(request, form, errors, 400)
    command = ApplyForPermit(
        items=codes,
        importer_name=form.get("importer_name", ""),
        import_country=form.get("import_country", ""),
        importer_address=form.get("importer_address", ""),
        purpose=form.get("purpose", "T"),
        source=form.get("source", "W"),
        kind=form.get("kind", "export"),
        special_conditions=form.get("special_conditions", ""),
    )
    try:
        permit = await run_in_threadpool(apply_for_permit, get_registry(request).uow(), principal, command)
    except PermitRefused as exc:
        for problem in exc.problems:
            errors.setdefault("items", []).append(problem_text(text, problem))
        return _apply_page(request, form, errors, 400)
    except (PermitError, InvalidIdentifier) as exc:
        field = "items" if isinstance(exc, InvalidIdentifier) else field_of_permit_error(str(exc))
        errors[field] = [text.explain(exc)]
        return _apply_page(request, form, errors, 400)
    return RedirectResponse(f"/permits/{permit.id}?done=applied", status_code=303)


def _permit_page(
    request: Request, principal: Principal, permit_id: int, status: int = 200, **extra: Any
) -> Response:
    registry = get_registry(request)
    try:
        record = permit_record(registry.uow(), principal, permit_id)
    except NotFound:
        text = PageText(language_of(request))
        message = text.gettext("There is no permit or application with this number that you may see.")
        return render(request, "error.html", {"message": message}, 404)
    review = None
    if principal.may(Permission.PERMITS_DECIDE):
        review = review_application(registry.uow(), principal, permit_id)
    context: dict[str, Any] = {
        "record": record,
        "permit": record.permit,
        "review": review,
        "decides": principal.may(Permission.PERMITS_DECIDE),
        "applies": principal.may(Permission.PERMITS_APPLY)
        and record.permit.applicant_org_id == principal.org_id,
        "errors": {},
        "notice": request.query_params.get("done", ""),
        "problem_text": problem_text,
    }
    context.update(extra)
    return desk_render(request, "permit.html", context, status)


@router.get("/permits/{permit_id:int}", response_class=HTMLResponse)
def permit_view(request: Request, principal: Visitor, permit_id: int) -> Response:
    if (refused := refusal(request, principal, Permission.PERMITS_READ)) is not None:
        return refused
    assert principal is not None
    return _permit_page(request, principal, permit_id)


async def _decide(
    request: Request, principal: Principal, form: dict[str, str], permit_id: int, action: str
) -> Response:
    """Each decision through its service; a refusal is shown next to the form that sent it."""
    registry = get_registry(request)
    text = PageText(language_of(request))
    reason = form.get("reason", "").strip()
    try:
        if action in ("reject", "cancel") and len(reason) < 3:
            raise PermitError(
                text.gettext("Write the reason (at least 3 characters): the exporter reads it.")
            )
        if action == "issue":
            valid_until = _day(form.get("valid_until", ""), text)
            command = IssuePermit(permit_id, valid_until, form.get("note", ""))
            await run_in_threadpool(issue_permit, registry.uow(), principal, command)
        elif action == "reject":
            await run_in_threadpool(reject_application, registry.uow(), principal, permit_id, reason)
        elif action == "withdraw":
            await run_in_threadpool(withdraw_application, registry.uow(), principal, permit_id)
        else:
            number = parse_number(permit_record(registry.uow(), principal, permit_id).permit.number or "")
            if action == "cancel":
                await run_in_threadpool(cancel_permit, registry.uow(), principal, number, reason)
            else:
                valid_until = _day(form.get("valid_until", ""), text)
                command = IssuePermit(0, valid_until, form.get("note", ""))
                new = await run_in_threadpool(replace_permit, registry.uow(), principal, number, command)
                return RedirectResponse(f"/permits/{new.id}?done=replaced", status_code=303)
    except PermitRefused as exc:
        messages = [problem_text(text, p) for p in exc.problems] or [text.explain(exc)]
        return await run_in_threadpool(
            _permit_page, request, principal, permit_id, 400, errors={action: messages}
        )
    except (PermitError, TransitionRefused, NotFound) as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return await run_in_threadpool(
            _permit_page, request, principal, permit_id, status, errors={action: [text.explain(exc)]}
        )
    done = {"issue": "issued", "reject": "rejected", "withdraw": "withdrawn", "cancel": "cancelled"}[action]
    return RedirectResponse(f"/permits/{permit_id}?done={done}", status_code=303)


def _day(value: str, text: PageText) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PermitError(text.gettext("Write the last valid day as a date (YYYY-MM-DD).")) from None


@router.post("/permits/{permit_id:int}/issue")
@form_handler(Permission.PERMITS_DECIDE)
async def issue(request: Request, principal: Principal, form: dict[str, str], permit_id: int) -> Response:
    return await _decide(request, principal, form, permit_id, "issue")


@router.post("/permits/{permit_id:int}/reject")
@form_handler(Permission.PERMITS_DECIDE)
async def reject(request: Request, principal: Principal, form: dict[str, str], permit_id: int) -> Response:
    return await _decide(request, principal, form, permit_id, "reject")


@router.post("/permits/{permit_id:int}/cancel")
@form_handler(Permission.PERMITS_DECIDE)
async def cancel(request: Request, principal: Principal, form: dict[str, str], permit_id: int) -> Response:
    return await _decide(request, principal, form, permit_id, "cancel")


@router.post("/permits/{permit_id:int}/replace")
@form_handler(Permission.PERMITS_DECIDE)
async def replace(request: Request, principal: Principal, form: dict[str, str], permit_id: int) -> Response:
    return await _decide(request, principal, form, permit_id, "replace")


@router.post("/permits/{permit_id:int}/withdraw")
@form_handler(Permission.PERMITS_APPLY)
async def withdraw(request: Request, principal: Principal, form: dict[str, str], permit_id: int) -> Response:
    return await _decide(request, principal, form, permit_id, "withdraw")
