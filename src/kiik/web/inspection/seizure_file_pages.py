"""`/seizures/import`: a file of seizures (the CSV of `POST /api/enforcement/seizures/import`, one
row per specimen line) read first (a preview of the seizures, or every problem by its row and
column), then imported whole or not at all, through the same `import_seizures`. Each problem shows
its row (or a seizure's rows and reference), its column, and what is wrong in the page's language."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import NotAllowed, Permission
from kiik.enforcement.domain.errors import EnforcementError, SeizureRowsInvalid
from kiik.enforcement.domain.seizure_csv import COLUMNS, read_seizures
from kiik.enforcement.services.seizures import import_seizures
from kiik.errors import place_of
from kiik.http.deps import get_registry
from kiik.web.guard import Visitor, refusal, visitor
from kiik.web.rendering import render

router = APIRouter(include_in_schema=False)


def row_problem(message: object) -> dict[str, object]:
    """A problem of the file as the page shows it: the row (or a seizure's rows and its reference),
    the column, and what is wrong (kept whole for the page to explain)."""
    place, problem = place_of(message) or ({}, message)
    return {
        "row": place.get("row") or place.get("rows") or "",
        "reference": place.get("reference", ""),
        "column": place.get("column", ""),
        "message": problem,
    }


def _refused(request: Request, problems: list[object], stage: str) -> Response:
    context = {"problems": [row_problem(p) for p in problems], "stage": stage}
    return render(request, "seizure_file_result.html", context, 400)


@router.get("/seizures/import", response_class=HTMLResponse)
def seizure_file_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.SEIZURES_RECORD)) is not None:
        return refused
    return render(request, "seizure_file.html", {"columns": COLUMNS})


@router.post("/seizures/import/preview", response_class=HTMLResponse)
async def seizure_file_preview(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, Permission.SEIZURES_RECORD)) is not None:
        return refused
    parsed, problems = read_seizures((await request.body()).decode("utf-8", "replace"))
    if problems:
        return _refused(request, list(problems), "preview")
    seizures: list[dict[str, Any]] = [
        {"seizure": seizure, "rows": ", ".join(map(str, rows))} for seizure, rows in parsed
    ]
    return render(
        request, "seizure_file_result.html", {"problems": [], "stage": "preview", "seizures": seizures}
    )


@router.post("/seizures/import", response_class=HTMLResponse)
async def seizure_file_import(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, Permission.SEIZURES_RECORD)) is not None:
        return refused
    assert principal is not None
    registry = get_registry(request)
    text = (await request.body()).decode("utf-8", "replace")
    try:
        done = await run_in_threadpool(
            import_seizures,
            registry.uow(),
            principal,
            text,
            custody_rules=registry.settings.custody_rules,
            home=registry.settings.country,
        )
    except SeizureRowsInvalid as exc:
        return _refused(request, list(exc.problems), "import")
    except (EnforcementError, NotAllowed) as exc:
        return _refused(request, [exc.args[0] if exc.args else str(exc)], "import")
    context = {"problems": [], "stage": "import", "done": done}
    return render(request, "seizure_file_result.html", context, 201)
