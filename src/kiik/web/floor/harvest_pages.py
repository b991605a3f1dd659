"""`/harvest/sheets`: a harvest team uploads its field sheet (docs/harvest-sheet.md). The page
previews the sheet (rows, animals, every problem by row and column) before it is sent, shows the
upload's progress at an address of its own (`/harvest/sheets/uploads/{key}`, reopened after leaving
the page; the latest are listed on the page), and sends it under one idempotency key made with the
page, so that sending again after a lost connection records it once. The same reading (`read_sheet`)
and the same use case (`import_harvest_sheet`) as `POST /api/harvest/imports` and `kiik harvest
import`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission
from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.harvest.domain.authorisations import HarvestError
from kiik.harvest.domain.sheet import read_sheet
from kiik.harvest.services.sheet_import import (
    CapturePath,
    IdempotencyKeyReused,
    ImportHarvestSheet,
    find_import,
    import_harvest_sheet,
    recent_imports,
)
from kiik.http.deps import get_registry
from kiik.web.guard import Visitor, refusal, visitor
from kiik.web.rendering import render

router = APIRouter(include_in_schema=False)
NEEDED = Permission.EVENTS_CAPTURE
PREVIEW_ROWS = 20


@router.get("/harvest/sheets", response_class=HTMLResponse)
def sheet_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    recent = recent_imports(get_registry(request).uow(), principal)
    # One key per page: every send from this page (a retry after a lost connection) is one upload.
    return render(request, "harvest_sheet.html", {"key": str(uuid.uuid4()), "recent": recent})


@router.get("/harvest/sheets/uploads/{key}", response_class=HTMLResponse)
def upload_page(request: Request, principal: Visitor, key: str) -> Response:
    """An upload's own address (the page moves there when it sends a sheet): reopened after leaving,
    it says whether the sheet under this key is recorded, and what it recorded."""
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    outcome = find_import(get_registry(request).uow(), principal, key)
    recorded_at = _moment(outcome.recorded_at) if outcome else None
    context = {"key": key, "outcome": outcome, "recorded_at": recorded_at}
    return render(request, "harvest_sheet_upload.html", context, 200 if outcome else 404)


def _moment(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


@router.post("/harvest/sheets/preview", response_class=HTMLResponse)
async def preview(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    sheet = read_sheet(await request.body(), parse_scanned)
    context: dict[str, Any] = {"sheet": sheet, "rows": sheet.rows[:PREVIEW_ROWS]}
    return render(request, "harvest_sheet_preview.html", context, 200 if not sheet.errors else 400)


@router.post("/harvest/sheets", response_class=HTMLResponse)
async def upload(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    registry = get_registry(request)
    settings = registry.settings
    path = CapturePath(
        open_document=open_capture_document,
        custody_rules=settings.custody_rules,
        yields=settings.yields,
        read_code=parse_scanned,
        batch_size=settings.capture_batch_size,
        max_errors=settings.max_reported_errors,
    )
    command = ImportHarvestSheet(await request.body(), request.headers.get("idempotency-key"))
    try:
        outcome = await run_in_threadpool(import_harvest_sheet, registry.uow(), principal, command, path)
    except (HarvestError, IdempotencyKeyReused) as exc:
        status = 422 if isinstance(exc, IdempotencyKeyReused) else 400
        return render(request, "harvest_sheet_result.html", {"outcome": None, "problem": exc}, status)
    status = {"recorded": 201, "replayed": 200}.get(outcome.status, 400)
    return render(request, "harvest_sheet_result.html", {"outcome": outcome, "problem": None}, status)
