"""Enforcement API, what follows seizures: leak alerts and their review, regions, cases with penalty
estimates, market inspections, analytics and the CITES annual illegal trade report
(docs/enforcement.md; the seizures themselves are in `enforcement_routes`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParameter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kiik.directory.domain.permissions import Permission
from kiik.enforcement.adapters.xlsx import workbook_bytes
from kiik.enforcement.domain.cases import NewCase
from kiik.enforcement.services import alerts, analytics, cases, market, regions
from kiik.http.deps import PrincipalDep, RegistryDep, RowId, may

router = APIRouter(prefix="/api/enforcement", tags=["Enforcement"])

Text80 = Annotated[str, Field(min_length=1, max_length=80)]
Country = Annotated[str, Field(min_length=2, max_length=2, description="ISO 3166 alpha-2")]


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
