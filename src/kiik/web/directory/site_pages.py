"""`/organisations/{code}/sites`: the ministry's administrator reads an organisation's sites as a
tree (each under the site it lies within, with its region and coordinates), adds a site (its GLN,
name, the site it lies within, region and coordinates), moves one under another site or under none
and sets where one is. The same services as `kiik site add|move|place`: a site placed within itself
or within a site inside it, under a site nobody registered, in a region kiik cannot read or at
coordinates out of range, is refused next to the field."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.permissions import Permission, Principal
from kiik.directory.domain.regions import regions
from kiik.directory.services.auth import DirectoryError, add_site, set_site_parent
from kiik.directory.services.sites import organisation_sites, place_site
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.web.desk_words import desk_render
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import PageText, language_of
from kiik.web.rendering import form_page

router = APIRouter(include_in_schema=False)
NEEDED = Permission.ORGANISATIONS_MANAGE


def _page(request: Request, principal: Principal, code: str, status: int = 200, **extra: Any) -> Response:
    try:
        found = organisation_sites(get_registry(request).uow(), principal, code)
    except NotFound:
        message = PageText(language_of(request)).gettext("No organisation has the code %(code)s.", code=code)
        return desk_render(request, "error.html", {"message": message}, 404)
    language = language_of(request)
    named = {code: region.named(language) for code, region in regions().items()}
    context = {"organisation": found, "sites": found.sites, "regions": named}
    return form_page(request, "sites.html", context, status, extra, desk_render)


@router.get("/organisations/{code}/sites", response_class=HTMLResponse)
def sites_page(request: Request, principal: Visitor, code: str) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    return _page(request, principal, code)


PLACE_FIELDS = ("region", "latitude", "longitude")


def _added_field(message: str) -> str:
    if message.startswith(("parent", *PLACE_FIELDS)):
        return message.partition(":")[0]
    if message.startswith("name the site"):
        return "name"
    return "sgln"


@router.post("/organisations/{code}/sites")
@form_handler(NEEDED)
async def add(request: Request, principal: Principal, form: dict[str, str], code: str) -> Response:
    try:
        await run_in_threadpool(
            add_site,
            get_registry(request).uow(),
            code,
            form.get("sgln", "").strip(),
            form.get("name", ""),
            principal,
            parent=form.get("parent", "").strip() or None,
            **{field: form.get(field, "") for field in PLACE_FIELDS},
        )
    except DirectoryError as exc:
        if str(exc).startswith("no organisation"):
            return await run_in_threadpool(_page, request, principal, code)
        errors = {_added_field(str(exc)): PageText(language_of(request)).explain(exc)}
        return await run_in_threadpool(_page, request, principal, code, 400, errors=errors, form=form)
    return RedirectResponse(f"/organisations/{code}/sites?done=added", status_code=303)


@router.post("/organisations/{code}/sites/move")
@form_handler(NEEDED)
async def move(request: Request, principal: Principal, form: dict[str, str], code: str) -> Response:
    try:
        await run_in_threadpool(
            set_site_parent,
            get_registry(request).uow(),
            form.get("site", "").strip(),
            form.get("to", "").strip() or None,
            principal,
        )
    except DirectoryError as exc:
        field = "to" if str(exc).startswith("parent") else "site"
        errors = {field: PageText(language_of(request)).explain(exc)}
        return await run_in_threadpool(_page, request, principal, code, 400, errors=errors, form=form)
    return RedirectResponse(f"/organisations/{code}/sites?done=moved", status_code=303)


@router.post("/organisations/{code}/sites/place")
@form_handler(NEEDED)
async def place(request: Request, principal: Principal, form: dict[str, str], code: str) -> Response:
    try:
        await run_in_threadpool(
            place_site,
            get_registry(request).uow(),
            form.get("site", "").strip(),
            *(form.get(field, "") for field in PLACE_FIELDS),
            principal,
        )
    except DirectoryError as exc:
        named = str(exc).partition(":")[0]
        field = f"place-{named}" if named in PLACE_FIELDS else "place-site"
        errors = {field: PageText(language_of(request)).explain(exc)}
        return await run_in_threadpool(_page, request, principal, code, 400, errors=errors, form=form)
    return RedirectResponse(f"/organisations/{code}/sites?done=placed", status_code=303)
