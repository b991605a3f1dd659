"""CITES permits: apply, decide, endorse at export, cancel, replace, expire; the PDF; the signing keys.

`{number}` is the permit number as printed (KZ/2026/000123; its slashes may stay unencoded).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kiik.directory.domain.permissions import Permission
from kiik.epcis.adapters.reader import validate_event
from kiik.http.deps import PrincipalDep, RegistryDep, RowId, may
from kiik.ledger.services.signing_keys import published_keys, rotate_signing_key
from kiik.permits.adapters.pdf import render_permit_pdf
from kiik.permits.domain.lifecycle import parse_number
from kiik.permits.services.application import ApplyForPermit, apply_for_permit, withdraw_application
from kiik.permits.services.decisions import (
    IssuePermit,
    cancel_permit,
    expire_permits,
    issue_permit,
    reject_application,
    replace_permit,
)
from kiik.permits.services.document import permit_pdf
from kiik.permits.services.endorsement import EndorseExport, endorse_export
from kiik.permits.services.queries import get_permit, list_permits, permit_json

router = APIRouter(prefix="/api", tags=["Permits"])


def public_base_url(request: Request) -> str:
    """Where the QR code points: KIIK_PUBLIC_URL when the registry is behind a proxy, else this host."""
    return os.environ.get("KIIK_PUBLIC_URL") or str(request.base_url).rstrip("/")


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[str] = Field(min_length=1, description="codes of the lots and items to export (any spelling)")
    importer_name: str = Field(min_length=1, max_length=200)
    importer_address: str = ""
    import_country: str = Field(min_length=2, max_length=2, description="ISO 3166 alpha-2")
    purpose: str = "T"
    source: str = "W"
    kind: str = "export"
    special_conditions: str = ""


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    valid_until: date | None = Field(default=None, description="last valid day; at most six months")
    note: str = ""


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=3)


class EndorsementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[str] = Field(min_length=1, description="the codes actually leaving")
    quantities: dict[str, float] = Field(default_factory=dict, description="kg that left, per lot code")
    port: str | None = None
    bill_of_lading: str | None = None
    at: datetime | None = None


@router.get("/keys", tags=["Signing keys"], summary="The registry's public signing keys (JWK set)")
def get_keys(registry: RegistryDep) -> dict[str, Any]:
    return published_keys(registry.uow())


@router.post("/keys/rotate", tags=["Signing keys"], summary="Make a new signing key; retire the current one")
def post_rotate(
    registry: RegistryDep,
    principal: may(Permission.KEYS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    new, retired = rotate_signing_key(registry.uow(), principal)
    return {"current": new, "retired": retired}


@router.get("/permits", summary="Permits and applications you may see")
def get_permits(
    registry: RegistryDep, principal: PrincipalDep, status: str | None = None
) -> list[dict[str, Any]]:
    return [permit_json(p) for p in list_permits(registry.uow(), principal, status)]


@router.post("/permits", status_code=201, summary="Apply for an export permit (trader)")
def post_application(
    body: ApplicationIn,
    registry: RegistryDep,
    principal: may(Permission.PERMITS_APPLY),  # type: ignore[valid-type]
) -> dict[str, Any]:
    command = ApplyForPermit(**body.model_dump())
    return permit_json(apply_for_permit(registry.uow(), principal, command))


@router.post("/permits/expire", summary="Expire issued permits past their last valid day (ministry)")
def post_expire(
    registry: RegistryDep,
    principal: may(Permission.PERMITS_DECIDE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return {"expired": expire_permits(registry.uow(), principal)}


@router.post("/permits/{permit_id:int}/issue", summary="Issue a permit for an application (ministry)")
def post_issue(
    permit_id: RowId,
    body: DecisionIn,
    registry: RegistryDep,
    principal: may(Permission.PERMITS_DECIDE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    command = IssuePermit(permit_id, body.valid_until, body.note)
    return permit_json(issue_permit(registry.uow(), principal, command))


@router.post("/permits/{permit_id:int}/reject", summary="Reject an application (ministry)")
def post_reject(
    permit_id: RowId,
    body: ReasonIn,
    registry: RegistryDep,
    principal: may(Permission.PERMITS_DECIDE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return permit_json(reject_application(registry.uow(), principal, permit_id, body.reason))


@router.post("/permits/{permit_id:int}/withdraw", summary="Withdraw your application (trader)")
def post_withdraw(
    permit_id: RowId,
    registry: RegistryDep,
    principal: may(Permission.PERMITS_APPLY),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return permit_json(withdraw_application(registry.uow(), principal, permit_id))


@router.post("/permits/{number:path}/cancel", summary="Cancel an issued permit (ministry)")
def post_cancel(
    number: str,
    body: ReasonIn,
    registry: RegistryDep,
    principal: may(Permission.PERMITS_DECIDE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return permit_json(cancel_permit(registry.uow(), principal, parse_number(number), body.reason))


@router.post("/permits/{number:path}/replace", summary="Issue a replacement; the old permit becomes void")
def post_replace(
    number: str,
    body: DecisionIn,
    registry: RegistryDep,
    principal: may(Permission.PERMITS_DECIDE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    command = IssuePermit(0, body.valid_until, body.note)
    return permit_json(replace_permit(registry.uow(), principal, parse_number(number), command))


@router.post("/permits/{number:path}/endorse", summary="Endorse the export (customs): what actually leaves")
def post_endorse(
    number: str,
    body: EndorsementIn,
    registry: RegistryDep,
    principal: may(Permission.PERMITS_ENDORSE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    command = EndorseExport(parse_number(number), **body.model_dump())
    settings = registry.settings
    permit, outcome = endorse_export(
        registry.uow(),
        principal,
        command,
        validate_event,
        custody_rules=settings.custody_rules,
        yields=settings.yields,
    )
    return {**permit_json(permit), "capture": {"id": outcome.capture_id, "stored": outcome.stored}}


@router.get("/permits/{number:path}/pdf", summary="The permit as a PDF on the standard form")
def get_pdf(number: str, request: Request, registry: RegistryDep, principal: PrincipalDep) -> Response:
    number = parse_number(number)
    pdf = permit_pdf(registry.uow(), principal, number, render_permit_pdf, public_base_url(request))
    filename = number.replace("/", "-") + ".pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


@router.get("/permits/{reference:path}", summary="A permit by number, or an application by id")
def get_one(reference: str, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return permit_json(get_permit(registry.uow(), principal, reference))
