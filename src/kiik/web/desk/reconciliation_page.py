"""GET /partner/reconciliation: the ministry's page of consignments reconciled with the partner
registries. Summary counts first, then each permit that needs attention with what is wrong, then
those that agree. The same service as GET /api/partner/reconciliation; a person's session (or a
Bearer token) authenticates, and the reconciliation permission decides."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kiik import errors
from kiik.directory.domain.permissions import NotAllowed
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.partners.domain.reconciliation import Kind, Period, ReconciliationError, Side
from kiik.partners.services.reconciliation import Reconcile, ReconcileSettings, reconcile_partners
from kiik.permits.domain.lifecycle import PermitError, parse_number
from kiik.web.guard import Visitor
from kiik.web.i18n import N_, explained
from kiik.web.rendering import render

router = APIRouter(include_in_schema=False)

# What each kind of discrepancy means to the official reading the page.
KIND_WORDS = {
    Kind.NOT_ARRIVED.value: N_("exported, not arrived"),
    Kind.NOT_EXPORTED.value: N_("arrived, not exported"),
    Kind.MASS_DIFFERENCE.value: N_("mass differs"),
    Kind.CONFIRMATION_OVERDUE.value: N_("confirmation overdue"),
    Kind.NOT_NOTIFIED.value: N_("partner not notified"),
}


@router.get("/partner/reconciliation", response_class=HTMLResponse)
def reconciliation_page(request: Request, principal: Visitor, permit: str = "", side: str = "") -> Response:
    if principal is None:
        return RedirectResponse("/", status_code=303)
    # The period's fields are named from/to, as the API's parameters (from is a Python keyword).
    start = request.query_params.get("from", "")
    end = request.query_params.get("to", "")
    context: dict[str, Any] = {
        "principal": principal,
        "form": {"permit": permit, "from": start, "to": end, "side": side},
        "kind_words": KIND_WORDS,
        "problem": None,
        "report": None,
    }
    registry = get_registry(request)
    try:
        if side and side not in {s.value for s in Side}:
            raise ReconciliationError(
                errors.N_("side=%(side)s is neither 'export' nor 'import'", side=repr(side))
            )
        command = Reconcile(
            parse_number(permit) if permit.strip() else None,
            Period.parse(start, end),
            Side(side) if side else None,
        )
        report = reconcile_partners(
            registry.uow(), principal, command, ReconcileSettings.of(registry.settings)
        )
    except NotAllowed as exc:
        context["problem"] = explained(request, exc)
        return render(request, "reconciliation.html", context, status_code=403)
    except (ReconciliationError, PermitError) as exc:
        context["problem"] = explained(request, exc)
        return render(request, "reconciliation.html", context, status_code=400)
    except NotFound as exc:
        context["problem"] = explained(request, exc)
        return render(request, "reconciliation.html", context, status_code=404)
    permits = sorted(report.permits, key=lambda p: (p.status != "discrepancies", p.consignment.permit))
    context.update(report=report, summary=report.summary(), permits=permits)
    return render(request, "reconciliation.html", context)
