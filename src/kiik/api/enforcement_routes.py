"""Enforcement API: seizures (entry, CSV import and export), their custody steps, live animals in
rehabilitation, leak alerts and their review, cases with penalty estimates, market inspections,
analytics and the CITES annual illegal trade report. docs/enforcement.md."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParameter
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission
from kiik.enforcement.adapters.xlsx import workbook_bytes
from kiik.enforcement.domain.cases import NewCase
from kiik.enforcement.domain.errors import EnforcementError, SeizureRowsInvalid
from kiik.enforcement.domain.seizure import NewSeizure, Route, RouteCountry, Specimen
from kiik.enforcement.services import (
    alerts,
    analytics,
    cases,
    custody,
    exchange,
    market,
    regions,
    rehabilitation,
    seizures,
)
from kiik.http.deps import PrincipalDep, RegistryDep, RowId, may
from kiik.http.problems import problem

router = APIRouter(prefix="/api/enforcement", tags=["Enforcement"])

Reference = Annotated[str, PathParameter(min_length=1, max_length=80, description="a seizure's reference")]
Text80 = Annotated[str, Field(min_length=1, max_length=80)]
Text200 = Annotated[str, Field(max_length=200)]
Country = Annotated[str, Field(min_length=2, max_length=2, description="ISO 3166 alpha-2")]
Year = Annotated[int | None, Query(ge=1975, le=2100)]


def install(app: FastAPI) -> None:
    app.include_router(router)

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


# --- alerts --------------------------------------------------------------------------------------


@router.get("/alerts", summary="Leak alerts: the reviewer's, or the holder's own (that an alert concerns it)")
def get_alerts(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"alerts": alerts.list_alerts(registry.uow(), principal)}


@router.get(
    "/alerts/{alert_id}", summary="A leak alert with its review steps (reviewers) or as its holder sees it"
)
def get_alert(alert_id: RowId, registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return alerts.show_alert(registry.uow(), principal, alert_id)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["investigating", "explained", "confirmed_leak"]
    note: str | None = Field(None, max_length=2000)


@router.post("/alerts/{alert_id}/review", summary="Move a leak alert's review on (who and when are recorded)")
def post_review(
    alert_id: RowId,
    body: ReviewIn,
    registry: RegistryDep,
    principal: may(Permission.LEAK_ALERTS_REVIEW),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return alerts.review_alert(registry.uow(), principal, alert_id, body.status, body.note)


class RegionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: str = Field(min_length=1, max_length=80)


@router.put("/regions/{org}", summary="The region an organisation works in (alerts go to its inspectorate)")
def put_region(
    org: Annotated[str, PathParameter(min_length=1, max_length=64)],
    body: RegionIn,
    registry: RegistryDep,
    principal: may(Permission.ORGANISATIONS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, str]:
    return regions.set_region(registry.uow(), principal, org, body.region)


# --- cases ---------------------------------------------------------------------------------------


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: Text80
    articlePart: str = Field(max_length=20, description="the part of Article 339: 1, 2 or 3")
    offenceOn: date
    suspects: int = Field(ge=0, le=10_000)
    suspectNationalities: list[Country] = Field(default_factory=list, max_length=50)
    seizures: list[Text80] = Field(default_factory=list, max_length=1000)
    outcome: str = Field("under investigation", max_length=200)


@router.get("/cases", summary="Cases under Article 339")
def get_cases(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"cases": cases.list_cases(registry.uow(), principal)}


@router.post(
    "/cases", status_code=201, summary="Open a case: seizures, suspects by number, the article's part"
)
def post_case(
    body: CaseCreate,
    registry: RegistryDep,
    principal: may(Permission.CASES_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    case = NewCase(
        body.number,
        body.articlePart,
        body.offenceOn,
        body.suspects,
        tuple(body.suspectNationalities),
        tuple(body.seizures),
        body.outcome,
    )
    return cases.open_case(registry.uow(), principal, case)


@router.get("/cases/{number}", summary="A case with its seizures and penalty estimate")
def get_case(
    number: Annotated[str, PathParameter(min_length=1, max_length=80)],
    registry: RegistryDep,
    principal: PrincipalDep,
) -> dict[str, Any]:
    return cases.show_case(registry.uow(), principal, number)


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(max_length=200)


@router.post("/cases/{number}/outcome", summary="Record a case's outcome")
def post_outcome(
    number: Annotated[str, PathParameter(min_length=1, max_length=80)],
    body: OutcomeIn,
    registry: RegistryDep,
    principal: may(Permission.CASES_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return cases.record_outcome(registry.uow(), principal, number, body.outcome)


@router.get("/penalty-estimate", summary="The Article 339 penalty estimate for an offence on a day")
def get_penalty(principal: PrincipalDep, offenceOn: date) -> dict[str, Any]:  # noqa: N803
    return cases.estimate_penalty(principal, offenceOn)


# --- market inspections --------------------------------------------------------------------------


class ScanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    place: str = Field(min_length=1, max_length=200)
    species: str = Field(max_length=120)
    term: str = Field(max_length=8)
    inspectedOn: date
    code: str | None = Field(None, max_length=300)
    region: str | None = Field(None, max_length=80)
    liveAnimals: int = Field(0, ge=0, le=100_000)


@router.post("/market-inspections", status_code=201, summary="Scan a product at a market: the verdict")
def post_inspection(
    body: ScanIn,
    registry: RegistryDep,
    principal: may(Permission.MARKET_INSPECT),  # type: ignore[valid-type]
) -> dict[str, Any]:
    scan = market.MarketScan(
        body.place, body.species, body.term, body.inspectedOn, body.code, body.region, body.liveAnimals
    )
    return market.inspect_market(registry.uow(), principal, scan)


# --- analytics and the annual report -------------------------------------------------------------


@router.get("/analytics", summary="Seizures over time, by species, product, route, detection; leaks; indices")
def get_analytics(
    registry: RegistryDep,
    principal: PrincipalDep,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
    rates: Annotated[str | None, Query(max_length=2000, description="COUNTRY:RATE,...")] = None,
) -> dict[str, Any]:
    return analytics.seizure_analytics(registry.uow(), principal, start, end, analytics.read_rates(rates))


@router.get("/illegal-trade-report", summary="The CITES annual illegal trade report of a year (CSV or XLSX)")
def get_report(
    registry: RegistryDep,
    principal: PrincipalDep,
    year: Annotated[int, Query(ge=1975, le=2100)],
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",  # noqa: A002
) -> Response:
    header, rows = analytics.illegal_trade_report(registry.uow(), principal, year)
    name = f"cites-illegal-trade-report-{year}"
    if format == "xlsx":
        return Response(
            workbook_bytes(f"Illegal trade {year}", header, rows),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return Response(
        analytics.as_csv(header, rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
