"""Harvest API: authorisations (the ministry issues, each harvester reads its own) and field sheets.

`POST /api/harvest/imports` takes the CSV sheet as the body (docs/harvest-sheet.md) under an
`Idempotency-Key` header (default: the sheet's SHA-256). As the IETF idempotency-key draft
(draft-ietf-httpapi-idempotency-key-header) describes, a repeated request is answered with the
first result, and a key reused for a different sheet is refused with 422.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.harvest.domain.authorisations import SAIGA
from kiik.harvest.services.authorisations import (
    AuthoriseHarvest,
    authorise_harvest,
    get_authorisation,
    list_authorisations,
)
from kiik.harvest.services.sheet_import import CapturePath, ImportHarvestSheet, import_harvest_sheet
from kiik.http.deps import PrincipalDep, RegistryDep, may
from kiik.http.problems import problem

router = APIRouter(prefix="/api/harvest", tags=["Harvest"])


class AuthorisationCreate(BaseModel):
    """The ministry's decision. Without `area`, the population's approximate range is used."""

    model_config = ConfigDict(extra="forbid")

    harvester: str = Field(description="organisation code of the harvester")
    population: str = Field(description="Ural, Betpakdala or Ustyurt")
    validFrom: date
    validTo: date = Field(description="the last day of the harvest (inclusive)")
    maxAnimals: int = Field(ge=1)
    area: dict[str, Any] | None = Field(
        None, description="GeoJSON Polygon or MultiPolygon, positions [longitude, latitude]"
    )
    areaLabel: str | None = None
    number: str | None = Field(None, description="default: the next KZ-<year>-<URL|BPD|UST>-<serial>")
    species: str = SAIGA


@router.post("/authorisations", status_code=201, summary="Issue a harvest authorisation (ministry)")
def create_authorisation(
    body: AuthorisationCreate,
    registry: RegistryDep,
    principal: may(Permission.HARVEST_AUTHORISATIONS_ISSUE),  # type: ignore[valid-type]
) -> JSONResponse:
    command = AuthoriseHarvest(
        harvester=body.harvester,
        population=body.population,
        valid_from=body.validFrom,
        valid_to=body.validTo,
        max_animals=body.maxAnimals,
        area=body.area,
        area_label=body.areaLabel,
        number=body.number,
        species=body.species,
    )
    view = authorise_harvest(registry.uow(), principal, command)
    location = f"/api/harvest/authorisations/{view.authorisation.number}"
    return JSONResponse(view.to_json(), status_code=201, headers={"Location": location})


@router.get("/authorisations", summary="Harvest authorisations you may see, with what was taken under each")
def get_authorisations(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"authorisations": [v.to_json() for v in list_authorisations(registry.uow(), principal)]}


@router.get("/authorisations/{number}", summary="One harvest authorisation, by number or URN")
def get_one_authorisation(number: str, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return get_authorisation(registry.uow(), principal, number).to_json()


@router.post(
    "/imports",
    summary="Import a field sheet (CSV, one row per horn) once per Idempotency-Key",
    responses={
        200: {"description": "the same key and sheet were recorded before: the first result"},
        201: {"description": "recorded: one commissioning event per horn"},
        400: {"description": "refused whole, with every problem by row and column; nothing stored"},
        422: {"description": "the key recorded a different sheet"},
    },
)
async def import_sheet(
    request: Request,
    registry: RegistryDep,
    principal: may(Permission.EVENTS_CAPTURE),  # type: ignore[valid-type]
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    sheet = await request.body()
    limit = registry.settings.max_document_bytes
    if len(sheet) > limit:
        return problem(
            413,
            "Sheet too large",
            f"the sheet exceeds {limit} bytes; split it",
            "CaptureLimitExceededException",
        )
    settings = registry.settings
    path = CapturePath(
        open_document=open_capture_document,
        custody_rules=settings.custody_rules,
        yields=settings.yields,
        read_code=parse_scanned,
        batch_size=settings.capture_batch_size,
        max_errors=settings.max_reported_errors,
    )
    command = ImportHarvestSheet(sheet, idempotency_key)
    outcome = await run_in_threadpool(import_harvest_sheet, registry.uow(), principal, command, path)
    body = outcome.to_json()
    if outcome.status == "rejected":
        detail = "; ".join(f"row {e.row}, {e.column or 'sheet'}: {e.message}" for e in outcome.errors[:20])
        # In a problem document `status` is the HTTP status (RFC 7807); the outcome's own is implied.
        extra = {k: v for k, v in body.items() if k != "status"}
        return problem(400, "Sheet refused", f"{outcome.summary()}. {detail}", "ValidationException", **extra)
    headers = {"Idempotency-Key": outcome.idempotency_key}
    if outcome.status == "replayed":
        return JSONResponse(body, status_code=200, headers={**headers, "Idempotent-Replayed": "true"})
    return JSONResponse(body, status_code=201, headers=headers)
