"""The reviewer's pages: a leak alert at `/alerts/{id}` (the seizure, the codes, the last legal
holder, the review's steps, and the form that moves the review on), and the confirmation of a
seizure draft opened by a market inspection (a button on the seizure's page). The same services as
`/api/enforcement/alerts/{id}/review` and `/api/enforcement/seizures/{reference}/confirm`; the
holder an alert concerns sees it as the service shows it to them, without the form."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import NotAllowed, Permission, Principal
from kiik.enforcement.domain.alerts import NOTE_MISSING, allowed_next
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.alerts import review_alert, show_alert
from kiik.enforcement.services.market import confirm_seizure
from kiik.enforcement.services.seizures import show_seizure
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import explained
from kiik.web.inspection.seizure_pages import MATCH, TERMS, UNITS
from kiik.web.rendering import form_page, render

router = APIRouter(include_in_schema=False)


def _not_found(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", {"message": explained(request, exc)}, 404)


def _alert_page(
    request: Request, principal: Principal, alert_id: int, status: int = 200, **extra: Any
) -> Response:
    try:
        alert = show_alert(get_registry(request).uow(), principal, alert_id)
    except (NotFound, NotAllowed) as exc:
        return _not_found(request, exc)
    holder_view = "concerns" in alert
    reviews = principal.may(Permission.LEAK_ALERTS_REVIEW) and not holder_view
    context = {
        "alert": alert,
        "opened": datetime.fromisoformat(alert["openedAt"]),
        "steps": [s | {"when": datetime.fromisoformat(s["at"])} for s in alert.get("steps", [])],
        "holder_view": holder_view,
        "next": allowed_next(alert["status"]) if reviews else (),
        "sees_seizures": principal.may(Permission.SEIZURES_READ),
    }
    return form_page(request, "alert.html", context, status, extra)


@router.get("/alerts/{alert_id:int}", response_class=HTMLResponse)
def alert_view(request: Request, principal: Visitor, alert_id: int) -> Response:
    """The reviewers' page of an alert, or the holder's own (read-only) view of it."""
    holder = principal is not None and principal.may(Permission.LEAK_ALERTS_OWN)
    needed = None if holder else Permission.LEAK_ALERTS_READ
    if (refused := refusal(request, principal, needed)) is not None:
        return refused
    assert principal is not None
    return _alert_page(request, principal, alert_id)


@router.post("/alerts/{alert_id:int}/review", response_class=HTMLResponse)
@form_handler(Permission.LEAK_ALERTS_REVIEW)
async def review(request: Request, principal: Principal, form: dict[str, str], alert_id: int) -> Response:
    """Move the review on (who and when are recorded by the service); a refusal next to its field."""
    status, note = form.get("status", ""), form.get("note", "")
    try:
        await run_in_threadpool(
            review_alert, get_registry(request).uow(), principal, alert_id, status, note.strip() or None
        )
    except (NotFound, NotAllowed) as exc:
        return _not_found(request, exc)
    except EnforcementError as exc:
        wording = exc.args[0] if exc.args else ""
        field = "note" if getattr(wording, "template", None) in NOTE_MISSING else "status"
        errors = {field: explained(request, exc)}
        return await run_in_threadpool(
            _alert_page, request, principal, alert_id, 400, errors=errors, form=form
        )
    return RedirectResponse(f"/alerts/{alert_id}?done=reviewed", status_code=303)


@router.post("/seizures/view/{reference}/confirm", response_class=HTMLResponse)
@form_handler(Permission.SEIZURES_RECORD)
async def confirm(request: Request, principal: Principal, form: dict[str, str], reference: str) -> Response:
    """A seizure draft (from a market inspection) confirmed: its codes seized and leaks alerted."""
    registry = get_registry(request)
    try:
        await run_in_threadpool(confirm_seizure, registry.uow(), principal, reference)
    except NotFound as exc:
        return _not_found(request, exc)
    except EnforcementError as exc:
        seizure = await run_in_threadpool(show_seizure, registry.uow(), principal, reference)
        context = {"seizure": seizure, "match": MATCH, "terms": TERMS, "units": UNITS}
        errors = {"confirm": explained(request, exc)}
        return form_page(request, "seizure_result.html", context, 400, {"errors": errors})
    return RedirectResponse(f"/seizures/view/{quote(reference, safe='')}?done=confirmed", status_code=303)
