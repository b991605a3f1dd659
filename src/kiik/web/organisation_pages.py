"""`/organisations`: the ministry's administrator lists the registry's organisations (kind, country,
region, sites, people), adds one, and sets the region an organisation works in (where leak alerts
go). The same services as `kiik org add|list` and `PUT /api/enforcement/regions/{org}`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import OrgKind, Permission, Principal
from kiik.directory.services.auth import DirectoryError, add_organisation
from kiik.directory.services.organisations import list_organisations
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.regions import organisation_regions, set_region
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.web.desk_words import desk_render
from kiik.web.guard import Visitor, form_of, refusal, visitor
from kiik.web.i18n import explained

router = APIRouter(include_in_schema=False)
NEEDED = Permission.ORGANISATIONS_MANAGE


def _page(request: Request, principal: Principal, status: int = 200, **extra: Any) -> Response:
    registry = get_registry(request)
    regions = organisation_regions(registry.uow(), principal)
    context: dict[str, Any] = {
        "organisations": list_organisations(registry.uow(), principal),
        "regions": regions,
        "known_regions": sorted(set(regions.values())),
        "kinds": [k.value for k in OrgKind],
        "form": {"kind": "trader"},
        "errors": {},
        "add_failed": False,
        "notice": request.query_params.get("done", ""),
    }
    context.update(extra)
    return desk_render(request, "organisations.html", context, status)


@router.get("/organisations", response_class=HTMLResponse)
def organisations_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    return _page(request, principal)


def _field(message: str) -> str:
    lowered = message.lower()
    for word, field in (("kind", "kind"), ("pgln", "pgln"), ("country", "country"), ("code", "code")):
        if word in lowered:
            return field
    return "name"


@router.post("/organisations")
async def add(request: Request) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    form = await form_of(request)
    registry = get_registry(request)
    try:
        await run_in_threadpool(
            add_organisation,
            registry.uow(),
            form.get("code", ""),
            form.get("name", ""),
            form.get("kind", ""),
            form.get("pgln", "").strip() or None,
            form.get("country", "").strip() or None,
            principal,
            registry.settings.country,
        )
        if form.get("region", "").strip():
            await run_in_threadpool(
                set_region, registry.uow(), principal, form["code"].strip(), form["region"]
            )
    except DirectoryError as exc:
        return await run_in_threadpool(
            _page,
            request,
            principal,
            400,
            errors={_field(str(exc)): explained(request, exc)},
            form=form,
            add_failed=True,
        )
    return RedirectResponse("/organisations?done=added", status_code=303)


@router.post("/organisations/{code}/region")
async def region(request: Request, code: str) -> Response:
    principal = await visitor(request)
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    form = await form_of(request)
    try:
        await run_in_threadpool(
            set_region, get_registry(request).uow(), principal, code, form.get("region", "")
        )
    except (EnforcementError, NotFound) as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        return await run_in_threadpool(_page, request, principal, status, errors={f"region-{code}": str(exc)})
    return RedirectResponse("/organisations?done=region", status_code=303)
