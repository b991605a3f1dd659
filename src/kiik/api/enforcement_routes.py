"""Enforcement API: seizures (entry, CSV import and export), their custody steps, live animals in
rehabilitation, leak alerts and their review, cases with penalty estimates, market inspections,
analytics and the CITES annual illegal trade report. docs/enforcement.md."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParameter
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission
from kiik.enforcement.domain.errors import EnforcementError, SeizureRowsInvalid
from kiik.enforcement.domain.seizure import NewSeizure, Route, RouteCountry, Specimen
from kiik.enforcement.services import (
    custody,
    exchange,
    market,
    rehabilitation,
    seizures,
)
from kiik.http.deps import PrincipalDep, RegistryDep, may
from kiik.http.problems import problem

router = APIRouter(prefix="/api/enforcement", tags=["Enforcement"])

Reference = Annotated[str, PathParameter(min_length=1, max_length=80, description="a seizure's reference")]
Text80 = Annotated[str, Field(min_length=1, max_length=80)]
Text200 = Annotated[str, Field(max_length=200)]
Country = Annotated[str, Field(min_length=2, max_length=2, description="ISO 3166 alpha-2")]
Year = Annotated[int | None, Query(ge=1975, le=2100)]


def install(app: FastAPI) -> None:
    from kiik.api import enforcement_review_routes

    app.include_router(router)
    app.include_router(enforcement_review_routes.router)

    @app.exception_handler(SeizureRowsInvalid)
    async def _rows(_: Request, exc: SeizureRowsInvalid) -> JSONResponse:
        return problem(422, "Invalid seizure file", str(exc), "ValidationException", problems=exc.problems)

    @app.exception_handler(EnforcementError)
    async def _enforcement(_: Request, exc: EnforcementError) -> JSONResponse:
        return problem(400, "Invalid enforcement request", str(exc), "ValidationException")


class RouteCountryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: Country
    known: bool = Field(False, description="known from documents or a confession; false when suspected")


class RouteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    origin: RouteCountryIn | None = None
    export: RouteCountryIn | None = None
    transit: list[RouteCountryIn] = Field(default_factory=list, max_length=20)
    destination: RouteCountryIn | None = None


class SpecimenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str = Field(min_length=1, max_length=8, description="CITES term code: HOR, LIV, POW, ...")
    quantity: float = Field(gt=0, le=1e9, allow_inf_nan=False)
    unit: str = Field(
        "NAR", min_length=1, max_length=8, description="CITES unit code: NAR (pieces), KGM (kg)"
    )
    codes: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list, max_length=20000
    )


class SeizureCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reference: Text80
    seizedOn: date
    agency: Text200
    detectionMethod: str = Field(max_length=60)
    species: str = Field(max_length=120)
    specimens: list[SpecimenIn] = Field(min_length=1, max_length=100)
    reportingCountry: Country = "KZ"
    region: str | None = Field(None, max_length=80)
    place: str | None = Field(None, max_length=200)
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    agencyCaseNumber: str | None = Field(None, max_length=80)
    route: RouteIn = Field(default_factory=RouteIn)
    transportMode: str | None = Field(None, max_length=40)
    concealment: str | None = Field(None, max_length=200)
    legalAction: str | None = Field(None, max_length=200)
    specimenFate: str | None = Field(None, max_length=200)
    offenders: int | None = Field(None, ge=0, le=100_000)
    offenderNationalities: list[Country] = Field(default_factory=list, max_length=50)
    notes: str | None = Field(None, max_length=4000)


def _country(value: RouteCountryIn | None) -> RouteCountry | None:
    return None if value is None else RouteCountry(value.country.upper(), value.known)


def _seizure(body: SeizureCreate) -> NewSeizure:
    return NewSeizure(
        reference=body.reference,
        seized_on=body.seizedOn,
        agency=body.agency,
        detection_method=body.detectionMethod,
        species=body.species,
        specimens=tuple(Specimen(s.term, s.quantity, s.unit, tuple(s.codes)) for s in body.specimens),
        reporting_country=body.reportingCountry,
        region=body.region,
        place=body.place,
        latitude=body.latitude,
        longitude=body.longitude,
        agency_case_number=body.agencyCaseNumber,
        route=Route(
            _country(body.route.origin),
            _country(body.route.export),
            tuple(c for c in (_country(t) for t in body.route.transit) if c is not None),
            _country(body.route.destination),
        ),
        transport_mode=body.transportMode,
        concealment=body.concealment,
        legal_action=body.legalAction,
        specimen_fate=body.specimenFate,
        offenders=body.offenders,
        offender_nationalities=tuple(body.offenderNationalities),
        notes=body.notes,
    )


# --- seizures ------------------------------------------------------------------------------------


@router.get("/seizures", summary="Seizures, newest first (enforcement authorities)")
def get_seizures(registry: RegistryDep, principal: PrincipalDep, year: Year = None) -> dict[str, Any]:
    return {"seizures": seizures.list_seizures(registry.uow(), principal, year)}


@router.post("/seizures", status_code=201, summary="Record a seizure; every code is matched at once")
def post_seizure(
    body: SeizureCreate,
    registry: RegistryDep,
    principal: may(Permission.SEIZURES_RECORD),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return seizures.record_seizure(
        registry.uow(),
        principal,
        _seizure(body),
        custody_rules=registry.settings.custody_rules,
        home=registry.settings.country,
    )


@router.post("/seizures/import", summary="Import seizures from CSV (body: text/csv), whole or not at all")
async def post_seizures_csv(
    request: Request,
    registry: RegistryDep,
    principal: may(Permission.SEIZURES_RECORD),  # type: ignore[valid-type]
) -> dict[str, Any]:
    text = (await request.body()).decode("utf-8", "replace")
    return await run_in_threadpool(
        seizures.import_seizures,
        registry.uow(),
        principal,
        text,
        custody_rules=registry.settings.custody_rules,
    )


@router.get("/seizures/export", summary="Seizures as CSV, in the format the import reads")
def get_seizures_csv(registry: RegistryDep, principal: PrincipalDep, year: Year = None) -> StreamingResponse:
    lines = seizures.export_seizures(registry.uow(), principal, year)
    headers = {"Content-Disposition": f'attachment; filename="seizures-{year or "all"}.csv"'}
    return StreamingResponse(lines, media_type="text/csv", headers=headers)


@router.get(
    "/seizures/{reference}", summary="A seizure: incident, specimens, each code's verdict, custody, alerts"
)
def get_seizure(reference: Reference, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return seizures.show_seizure(registry.uow(), principal, reference)


@router.post("/seizures/{reference}/confirm", summary="Confirm a seizure draft opened by a market inspection")
def post_confirm(
    reference: Reference,
    registry: RegistryDep,
    principal: may(Permission.SEIZURES_RECORD),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return market.confirm_seizure(registry.uow(), principal, reference)


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    step: Literal["evidence", "court", "destroyed", "science", "returned"]
    place: str = Field(min_length=1, max_length=200)
    note: str | None = Field(None, max_length=2000)


@router.post("/seizures/{reference}/custody", summary="The seized goods' next custody step (an EPCIS event)")
def post_custody_step(
    reference: Reference,
    body: StepIn,
    registry: RegistryDep,
    principal: may(Permission.SEIZURES_RECORD),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return custody.record_step(
        registry.uow(),
        principal,
        reference,
        body.step,
        body.place,
        body.note,
        custody_rules=registry.settings.custody_rules,
    )


@router.post(
    "/seizures/{reference}/partner-alerts",
    summary="Send partner registries the codes of theirs in this seizure",
)
def post_partner_alerts(
    reference: Reference,
    registry: RegistryDep,
    principal: may(Permission.SEIZURES_RECORD),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return exchange.send_seizure_alerts(registry.uow(), principal, reference, registry.settings.country)


@router.get(
    "/partner-exchanges", summary="Seizure alerts sent to and received from partners, with the answers"
)
def get_exchanges(
    registry: RegistryDep,
    principal: PrincipalDep,
    partner: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
) -> dict[str, Any]:
    return {"exchanges": exchange.exchanges(registry.uow(), principal, partner)}


# --- live animals --------------------------------------------------------------------------------


class AdmitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    marks: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(min_length=1, max_length=10000)
    centre: str = Field(min_length=1, max_length=200)
    admittedOn: date


@router.post(
    "/seizures/{reference}/animals", status_code=201, summary="Admit a seizure's live animals to a centre"
)
def post_animals(
    reference: Reference,
    body: AdmitIn,
    registry: RegistryDep,
    principal: may(Permission.REHABILITATION_RECORD),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return rehabilitation.admit_animals(
        registry.uow(), principal, reference, body.marks, body.centre, body.admittedOn
    )


class AnimalRecordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["health_check", "death", "release"]
    on: date
    note: str | None = Field(None, max_length=2000)
    place: str | None = Field(None, max_length=200)
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)


@router.post(
    "/animals/{mark}/records", summary="A health check, death or release of an animal in rehabilitation"
)
def post_animal_record(
    mark: Annotated[str, PathParameter(min_length=1, max_length=80)],
    body: AnimalRecordIn,
    registry: RegistryDep,
    principal: may(Permission.REHABILITATION_RECORD),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return rehabilitation.record_animal(
        registry.uow(),
        principal,
        mark,
        body.kind,
        body.on,
        body.note,
        body.place,
        body.latitude,
        body.longitude,
    )


@router.get("/releases", summary="How many seized animals were released where")
def get_releases(registry: RegistryDep, principal: PrincipalDep, year: Year = None) -> dict[str, Any]:
    return rehabilitation.released_where(registry.uow(), principal, year)
