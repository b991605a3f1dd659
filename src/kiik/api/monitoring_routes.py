"""Monitoring API: census, offtake plans and their report, fence passages, Camtrap DP packages
(import as a zip, export as a zip), detection rates (JSON or CSV) and alerts. docs/monitoring.md."""

from __future__ import annotations

import base64
import binascii
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParameter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission
from kiik.harvest.services.offtake_report import offtake_report
from kiik.http.deps import PrincipalDep, RegistryDep, may
from kiik.http.problems import problem
from kiik.monitoring.adapters.camtrap_reader import read_package
from kiik.monitoring.adapters.camtrap_writer import FolderWriter, unzip_package, zip_folder
from kiik.monitoring.domain.analysis import AnalysisRequest
from kiik.monitoring.domain.census import CensusSurvey
from kiik.monitoring.domain.errors import MonitoringError, PackageInvalid, PlanExceeded
from kiik.monitoring.domain.passages import FencePassage
from kiik.monitoring.services import analysis, census, passages, plans
from kiik.monitoring.services.camtrap_export import export_package
from kiik.monitoring.services.camtrap_import import import_package

router = APIRouter(prefix="/api/monitoring", tags=["Monitoring"])


def install(app: FastAPI) -> None:
    app.include_router(router)

    @app.exception_handler(PackageInvalid)
    async def _invalid_package(_: Request, exc: PackageInvalid) -> JSONResponse:
        return problem(
            422, "Invalid Camtrap DP package", str(exc), "ValidationException", problems=exc.problems
        )

    @app.exception_handler(PlanExceeded)
    async def _beyond_plan(_: Request, exc: PlanExceeded) -> JSONResponse:
        return problem(422, "Beyond the offtake plan", str(exc), "ValidationException")

    @app.exception_handler(MonitoringError)
    async def _monitoring(_: Request, exc: MonitoringError) -> JSONResponse:
        return problem(400, "Invalid monitoring request", str(exc), "ValidationException")


class SurveyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    population: str = Field(description="Ural, Betpakdala, Ustyurt or Kazakhstan (the national total)")
    year: int
    method: str
    estimate: int
    source: str = Field(description="the source document: a reference or an address")
    startedOn: date | None = None
    endedOn: date | None = None
    ciLower: int | None = None
    ciUpper: int | None = None
    standardError: float | None = None


@router.get("/census", summary="Census surveys per population, with the change between surveys")
def get_census(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"populations": census.census_trends(registry.uow(), principal)}


@router.post("/census", status_code=201, summary="Record a census survey by hand")
def post_survey(
    body: SurveyCreate,
    registry: RegistryDep,
    principal: may(Permission.CENSUS_RECORD),  # type: ignore[valid-type]
) -> dict[str, Any]:
    survey = CensusSurvey(
        population=body.population,
        year=body.year,
        method=body.method,
        estimate=body.estimate,
        source=body.source,
        started_on=body.startedOn,
        ended_on=body.endedOn,
        ci_lower=body.ciLower,
        ci_upper=body.ciUpper,
        standard_error=body.standardError,
    )
    return census.survey_json(census.record_survey(registry.uow(), principal, survey))


@router.post("/census/import", summary="Import the census CSV (body: text/csv)")
async def post_census_csv(
    request: Request,
    registry: RegistryDep,
    principal: may(Permission.CENSUS_RECORD),  # type: ignore[valid-type]
) -> dict[str, int]:
    text = (await request.body()).decode("utf-8", "replace")
    done = await run_in_threadpool(census.import_census, registry.uow(), principal, text)
    return {"added": done.added, "unchanged": done.unchanged}


class JustificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filename: str
    mediaType: str = "application/pdf"
    contentBase64: str


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    population: str
    season: int
    maxAnimals: int
    ruleBasis: str = Field(description="lower_bound (of the latest census's 95 % interval) or estimate")
    ruleShare: float = Field(description="a fraction: 0.05 is 5 %")
    justification: JustificationIn


@router.get("/plans", summary="Offtake plans in force, per population and season")
def get_plans(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"plans": [plans.plan_json(p) for p in plans.season_plans(registry.uow(), principal)]}


@router.post("/plans", status_code=201, summary="Record a season's offtake plan (ministry)")
def post_plan(
    body: PlanCreate,
    registry: RegistryDep,
    principal: may(Permission.OFFTAKE_PLANS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    try:
        content = base64.b64decode(body.justification.contentBase64, validate=True)
    except (binascii.Error, ValueError):
        raise MonitoringError(
            "justification.contentBase64 is not base64: encode the document's bytes"
        ) from None
    command = plans.RecordPlan(
        population=body.population,
        season=body.season,
        max_animals=body.maxAnimals,
        rule_basis=body.ruleBasis,
        rule_share=body.ruleShare,
        justification_name=body.justification.filename,
        justification_type=body.justification.mediaType,
        justification=content,
    )
    return plans.plan_json(plans.record_plan(registry.uow(), principal, command))


@router.get("/plans/{population}/{season}/justification", summary="The plan's justification document")
def get_justification(
    population: str,
    season: Annotated[int, PathParameter(ge=1900, le=2200, description="the season's year")],
    registry: RegistryDep,
    principal: PrincipalDep,
) -> Response:
    plan, content = plans.plan_justification(registry.uow(), principal, population, season)
    headers = {
        "Content-Disposition": f'attachment; filename="{plan.justification.filename}"',
        "X-Content-SHA256": plan.justification.sha256,
    }
    return Response(content, media_type=plan.justification.media_type, headers=headers)


@router.get("/offtake-report", summary="Plan, authorised, registered and census per population and season")
def get_offtake_report(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"seasons": offtake_report(registry.uow(), principal)}


class PassageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    locationID: str
    name: str
    region: str
    fence: str
    border: str
    latitude: float
    longitude: float
    openedOn: date | None = None


@router.get("/passages", summary="Fence passages watched by camera traps")
def get_passages(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"passages": [passages.passage_json(p) for p in passages.list_passages(registry.uow(), principal)]}


@router.post("/passages", status_code=201, summary="Register a fence passage")
def post_passage(
    body: PassageCreate,
    registry: RegistryDep,
    principal: may(Permission.CAMERA_TRAPS_IMPORT),  # type: ignore[valid-type]
) -> dict[str, Any]:
    passage = FencePassage(
        body.locationID,
        body.name,
        body.region,
        body.fence,
        body.border,
        body.latitude,
        body.longitude,
        body.openedOn,
    )
    return passages.passage_json(passages.register_passage(registry.uow(), principal, passage))


@router.post("/camtrap-packages", status_code=201, summary="Import a Camtrap DP package (body: a zip)")
async def post_package(
    request: Request,
    registry: RegistryDep,
    principal: may(Permission.CAMERA_TRAPS_IMPORT),  # type: ignore[valid-type]
) -> JSONResponse:
    with tempfile.TemporaryDirectory(prefix="kiik-camtrap-") as work:
        archive = Path(work) / "package.zip"
        with open(archive, "wb") as out:
            async for chunk in request.stream():
                out.write(chunk)
        done = await run_in_threadpool(_import_zip, registry, principal, archive, Path(work) / "package")
    body = {
        "id": done.package_key,
        "deployments": done.deployments,
        "media": done.media,
        "observations": done.observations,
        "malfunctions": done.malfunctions,
        "passagesAdded": done.passages_added,
        "alerts": done.alerts,
    }
    return JSONResponse(
        body, status_code=201, headers={"Location": f"/api/monitoring/camtrap-packages/{done.package_key}"}
    )


def _import_zip(registry: Any, principal: Any, archive: Path, folder: Path) -> Any:
    import zipfile

    try:
        root = unzip_package(archive, folder)
    except (zipfile.BadZipFile, ValueError) as exc:
        raise PackageInvalid([f"the body is not a usable zip of a Camtrap DP package: {exc}"]) from None
    return import_package(registry.uow(), principal, read_package(root))


@router.get("/camtrap-packages", summary="Camera-trap packages imported")
def get_packages(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    return {"packages": passages.list_packages(registry.uow(), principal)}


@router.get("/camtrap-packages/{package_id}/export", summary="The package as a Camtrap DP zip")
def get_export(package_id: str, registry: RegistryDep, principal: PrincipalDep) -> Response:
    with tempfile.TemporaryDirectory(prefix="kiik-export-") as work:
        folder = Path(work) / "package"
        export_package(registry.uow(), principal, package_id, FolderWriter(folder))
        content = zip_folder(folder, Path(work) / "package.zip").read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="{package_id}.zip"'}
    return Response(content, media_type="application/zip", headers=headers)


@router.get("/detection-rates", summary="Events per 100 trap-nights per passage, species and period")
def get_rates(
    registry: RegistryDep,
    principal: PrincipalDep,
    threshold: Annotated[
        float, Query(ge=1, le=525_600, description="minutes between independent events (1 to a year)")
    ] = 30,
    species: Annotated[list[str] | None, Query()] = None,
    location: Annotated[list[str] | None, Query(description="locationID of a passage")] = None,
    start: datetime | None = None,
    end: datetime | None = None,
    compareOpening: bool = False,
    utcOffset: int = 5,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> Any:
    request = AnalysisRequest(
        threshold=timedelta(minutes=threshold),
        start=start,
        end=end,
        species=tuple(species or ()),
        locations=tuple(location or ()),
        compare_opening=compareOpening,
        utc_offset_hours=utcOffset,
    )
    rows = analysis.detection_rates(registry.uow(), principal, request)
    if format == "csv":
        headers = {"Content-Disposition": 'attachment; filename="detection-rates.csv"'}
        return Response(analysis.rates_csv(rows), media_type="text/csv", headers=headers)
    return {"thresholdMinutes": threshold, "rows": [analysis.rate_json(r) for r in rows]}


@router.get("/alerts", summary="People, vehicles and leopards at passages (border service, scientists)")
def get_alerts(
    registry: RegistryDep,
    principal: PrincipalDep,
    since: datetime | None = None,
) -> dict[str, Any]:
    return {"alerts": passages.list_alerts(registry.uow(), principal, since)}
