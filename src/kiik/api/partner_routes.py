"""The partner exchange over HTTP: signed messages in (authenticated by their signature, not by a
token), notices received, partners registered by the ministry."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from kiik.directory.domain.permissions import Permission
from kiik.http.deps import RegistryDep, may
from kiik.http.problems import problem
from kiik.ledger.adapters.signing import verify_with
from kiik.partners.adapters.client import HttpPartnerClient
from kiik.partners.domain.messages import MessageRefused
from kiik.partners.domain.reconciliation import Period, ReconciliationError, Side
from kiik.partners.services.imports import RecordArrival, record_arrival
from kiik.partners.services.inbox import receive_message, received_messages
from kiik.partners.services.reconciliation import Reconcile, ReconcileSettings, as_csv, reconcile_partners
from kiik.partners.services.registries import PartnerError, add_partner, list_partners
from kiik.permits.domain.lifecycle import parse_number

router = APIRouter(tags=["partners"])

STATUS = {
    "oversized": 413,
    "unsigned": 400,
    "malformed": 400,
    "misaddressed": 400,
    "unknown_sender": 403,
    "unknown_key": 403,
    "bad_signature": 403,
    "replayed": 409,
    "stale": 409,
    "inapplicable": 422,
}


class PartnerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: str
    name: str = ""
    base_url: str
    keys: dict[str, str] = {}
    collects: bool = False  # the partner collects its messages: none is delivered to base_url


@router.post("/api/partner/messages")
async def receive(request: Request, registry: RegistryDep) -> dict[str, Any]:
    """A signed message from a partner registry (JWS compact; docs/partners.md)."""
    limit = registry.settings.max_partner_message_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise MessageRefused("oversized", f"the message has {declared} bytes, more than {limit}: split it")
    text = (await request.body()).decode("utf-8", "replace")
    applied = receive_message(
        registry.uow(), text, country=registry.settings.country, max_bytes=limit, verify=verify_with
    )
    return applied.to_json()


@router.get("/api/partner/notices")
def notices(registry: RegistryDep, principal: may(Permission.PERMITS_VERIFY_DETAILS)) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    return received_messages(registry.uow(), principal, "export-notice")


class ArrivalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    permit: str
    items: list[str]
    masses: dict[str, float] = {}


@router.post("/api/partner/arrivals", status_code=201)
def arrivals(
    body: ArrivalIn, registry: RegistryDep, principal: may(Permission.PERMITS_ENDORSE)
) -> dict[str, Any]:  # type: ignore[valid-type]
    """Customs records what arrived under a partner's export permit; the confirmation goes back signed."""
    command = RecordArrival(parse_number(body.permit), body.items, body.masses)
    return record_arrival(registry.uow(), principal, command)


@router.get("/api/partner/processing")
def processing(
    registry: RegistryDep, principal: may(Permission.PERMITS_VERIFY_DETAILS)
) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    """Onward processing the importing registries reported of items exported under permits here."""
    return received_messages(registry.uow(), principal, "onward-processing")


@router.get("/api/partner/reconciliation", summary="Reconcile consignments with partner registries")
def reconciliation(
    request: Request,
    registry: RegistryDep,
    principal: may(Permission.RECONCILIATION_READ),  # type: ignore[valid-type]
    permit: str | None = None,
    start: str | None = Query(None, alias="from", description="first day of export, YYYY-MM-DD"),
    end: str | None = Query(None, alias="to", description="last day of export, YYYY-MM-DD"),
    side: Side | None = None,
    format: str | None = Query(None, pattern="^(json|csv)$"),
) -> Response:
    """Per permit: exported but not arrived, arrived but not exported, mass differences beyond the
    tolerance, confirmations overdue (docs/partners.md). CSV to `Accept: text/csv` or `format=csv`."""
    command = Reconcile(None if permit is None else parse_number(permit), Period.parse(start, end), side)
    report = reconcile_partners(registry.uow(), principal, command, ReconcileSettings.of(registry.settings))
    wants_csv = format == "csv" or (format is None and "text/csv" in request.headers.get("accept", ""))
    if wants_csv:
        headers = {"Content-Disposition": 'attachment; filename="kiik-reconciliation.csv"'}
        return Response(as_csv(report), media_type="text/csv", headers=headers)
    return JSONResponse(report.to_json())


@router.get("/api/partners")
def partners(registry: RegistryDep, principal: may(Permission.PARTNERS_MANAGE)) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    return list_partners(registry.uow())


@router.post("/api/partners", status_code=201)
def register_partner(
    body: PartnerCreate,
    registry: RegistryDep,
    principal: may(Permission.PARTNERS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    client = None if body.keys else HttpPartnerClient()
    return add_partner(
        registry.uow(),
        principal,
        body.country,
        body.name,
        body.base_url,
        list(body.keys.items()),
        client,
        collects=body.collects,
    )


def install(app: FastAPI) -> None:
    app.include_router(router)

    @app.exception_handler(MessageRefused)
    async def _refused(_: Request, exc: MessageRefused) -> JSONResponse:
        return problem(
            STATUS.get(exc.reason, 400), "Message refused", str(exc), "ValidationException", reason=exc.reason
        )

    @app.exception_handler(ReconciliationError)
    async def _reconciliation(_: Request, exc: ReconciliationError) -> JSONResponse:
        return problem(400, "Invalid reconciliation request", str(exc), "QueryParameterException")

    @app.exception_handler(PartnerError)
    async def _partner(_: Request, exc: PartnerError) -> JSONResponse:
        return problem(400, "Invalid partner", str(exc), "ValidationException")
