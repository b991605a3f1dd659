"""EPCIS 2.0 REST binding, capture side: POST and GET /epcis/capture, GET /epcis/capture/{id}, POST
/epcis/events."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import JSONResponse, Response

from kiik.bootstrap.registry import Registry
from kiik.custody.services.capture import capture_events
from kiik.custody.services.capture_jobs import job_document, job_documents, run_job, start_job
from kiik.directory.domain.permissions import Permission, Principal
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.adapters.reader import validate_event
from kiik.http.deps import PrincipalDep, RegistryDep, may
from kiik.http.problems import problem

router = APIRouter(prefix="/epcis", tags=["EPCIS capture"])


async def _spool(request: Request, limit: int) -> str | None:
    """Write the request body to a temporary file without holding it in memory."""
    handle = tempfile.NamedTemporaryFile(prefix="kiik-capture-", delete=False)
    size = 0
    with handle:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                handle.close()
                os.unlink(handle.name)
                return None
            handle.write(chunk)
    return handle.name


def capture_file(
    registry: Registry, principal: Principal, job_id: str, path: str, media_type: str | None
) -> None:
    settings = registry.settings
    try:
        with open_capture_document(Path(path), media_type) as reader:
            run_job(
                registry.uow,
                principal,
                job_id,
                reader.events(),
                reader.document_problems,
                custody_rules=settings.custody_rules,
                yields=settings.yields,
                batch_size=settings.capture_batch_size,
                max_errors=settings.max_reported_errors,
                max_events=settings.max_events_per_document,
                leases=registry.job_leases,
            )
        registry.reads.wrote(principal.org_id)  # its next queries see what it stored
    finally:
        registry.job_leases.release(job_id)  # also when the document could not even be opened
        os.unlink(path)


@router.post("/capture", status_code=202, summary="Capture an EPCIS document (JSON-LD or XML)")
async def capture_document(
    request: Request,
    background: BackgroundTasks,
    registry: RegistryDep,
    principal: may(Permission.EVENTS_CAPTURE),  # type: ignore[valid-type]
) -> Response:
    path = await _spool(request, registry.settings.max_document_bytes)
    if path is None:
        limit = registry.settings.max_document_bytes
        return problem(
            413,
            "Document too large",
            f"the document exceeds {limit} bytes; split it",
            "CaptureLimitExceededException",
        )
    job_id = start_job(registry.uow(), principal, registry.job_leases)
    background.add_task(capture_file, registry, principal, job_id, path, request.headers.get("content-type"))
    return Response(status_code=202, headers={"Location": f"/epcis/capture/{job_id}"})


@router.get("/capture", summary="The capture jobs of your organisation, newest first")
def capture_jobs(
    request: Request,
    registry: RegistryDep,
    principal: PrincipalDep,
    per_page: Annotated[int, Query(alias="perPage", ge=1, le=1000)] = 30,
    token: Annotated[str | None, Query(alias="nextPageToken", max_length=400)] = None,
) -> JSONResponse:
    jobs, following = job_documents(registry.uow(), principal, per_page, token)
    headers = {}
    if following is not None:
        link = request.url.remove_query_params("nextPageToken").include_query_params(nextPageToken=following)
        headers = {"Link": f'<{link}>; rel="next"', "GS1-Next-Page-Token": following}
    return JSONResponse(jobs, headers=headers)


@router.get("/capture/{capture_id}", summary="The state of a capture job")
def capture_job(capture_id: str, registry: RegistryDep, principal: PrincipalDep) -> JSONResponse:
    return JSONResponse(job_document(registry.uow, principal, capture_id, registry.job_leases))


class _Single:
    def __init__(self, event: dict[str, Any], problems: list[Any]) -> None:
        self.index, self.event, self.problems = 0, event, problems


@router.post("/events", status_code=201, summary="Capture a single EPCIS event")
async def capture_single_event(
    request: Request,
    registry: RegistryDep,
    principal: may(Permission.EVENTS_CAPTURE),  # type: ignore[valid-type]
) -> Response:
    try:
        event = json.loads(await request.body())
    except ValueError as exc:
        return problem(400, "Invalid JSON", f"the body is not JSON: {exc}", "ValidationException")
    if not isinstance(event, dict):
        return problem(
            400, "Invalid event", "the body must be one EPCIS event (a JSON object)", "ValidationException"
        )
    settings = registry.settings
    outcome = capture_events(
        registry.uow(),
        principal,
        [_Single(event, validate_event(event))],
        custody_rules=settings.custody_rules,
        yields=settings.yields,
    )
    if not outcome.succeeded:
        detail = "; ".join(f"{e['rule']}: {e['message']}" for e in outcome.errors)
        return problem(400, "Event rejected", detail, "ValidationException", errors=outcome.errors)
    registry.reads.wrote(principal.org_id)
    location = "/epcis/events/" + _event_id_of(registry, event)
    return Response(status_code=201, headers={"Location": location})


def _event_id_of(registry: Registry, event: dict[str, Any]) -> str:
    from urllib.parse import quote

    from kiik.epcis.domain.event_hash import event_hash_id

    return quote(str(event.get("eventID") or event_hash_id(event)), safe="")
