"""`/organisations`: the ministry's administrator lists the registry's organisations (kind, country,
region, sites, people), adds one, changes one (`/organisations/{code}`: name, kind, country, PGLN,
region, contact person, telephone, e-mail, postal address) and sets the region an organisation
works in (where leak alerts go). The same services as `kiik org add|change|list` and
`PUT /api/enforcement/regions/{org}`; the change is `change_organisation`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.contact import FIELDS as CONTACT_FIELDS
from kiik.directory.domain.contact import REFUSED_FIELD, read_contact
from kiik.directory.domain.permissions import OrgKind, Permission, Principal
from kiik.directory.domain.regions import regions
from kiik.directory.services.auth import DirectoryError, add_organisation
from kiik.directory.services.organisation_changes import ChangeOrganisation, change_organisation
from kiik.directory.services.organisations import list_organisations
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.regions import organisation_regions, set_region
from kiik.errors import NotFound
from kiik.http.deps import get_registry
from kiik.web.desk_words import desk_render
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import PageText, language_of
from kiik.web.rendering import form_page

router = APIRouter(include_in_schema=False)
NEEDED = Permission.ORGANISATIONS_MANAGE


def region_names(request: Request, known: list[str]) -> list[str]:
    """Regions to offer in a field: ISO 3166-2's, named in the page's language, and those in use."""
    language = language_of(request)
    return sorted({region.named(language) for region in regions().values()} | set(known))


def _page(request: Request, principal: Principal, status: int = 200, **extra: Any) -> Response:
    registry = get_registry(request)
    regions_in_use = organisation_regions(registry.uow(), principal)
    context: dict[str, Any] = {
        "organisations": list_organisations(registry.uow(), principal),
        "regions": regions_in_use,
        "known_regions": region_names(request, list(regions_in_use.values())),
        "kinds": [k.value for k in OrgKind],
        "form": {"kind": "trader"},
        "add_failed": False,
    }
    return form_page(request, "organisations.html", context, status, extra, desk_render)


@router.get("/organisations", response_class=HTMLResponse)
def organisations_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    return _page(request, principal)


def _field(message: str) -> str:
    """The field a directory refusal is about: a contact's refusal names its field first."""
    named = message.partition(":")[0]
    if named in REFUSED_FIELD:
        return REFUSED_FIELD[named]
    lowered = message.lower()
    for word, field in (("kind", "kind"), ("pgln", "pgln"), ("country", "country"), ("code", "code")):
        if word in lowered:
            return field
    return "name"


@router.post("/organisations")
@form_handler(NEEDED)
async def add(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    registry = get_registry(request)
    try:
        contact = read_contact(*(form.get(name, "") for name in CONTACT_FIELDS))
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
            contact,
        )
    except DirectoryError as exc:
        errors = {_field(str(exc)): PageText(language_of(request)).explain(exc)}
        return await run_in_threadpool(
            _page, request, principal, 400, errors=errors, form=form, add_failed=True
        )
    code = form["code"].strip()
    if form.get("region", "").strip():
        try:
            await run_in_threadpool(set_region, registry.uow(), principal, code, form["region"])
        except EnforcementError as exc:  # added, but not its region: say so on its own page
            errors = {"region": PageText(language_of(request)).explain(exc)}
            return await run_in_threadpool(_edit_page, request, principal, code, 400, errors=errors)
    return RedirectResponse("/organisations?done=added", status_code=303)


@router.post("/organisations/{code}/region")
@form_handler(NEEDED)
async def region(request: Request, principal: Principal, form: dict[str, str], code: str) -> Response:
    try:
        await run_in_threadpool(
            set_region, get_registry(request).uow(), principal, code, form.get("region", "")
        )
    except (EnforcementError, NotFound) as exc:
        status = 404 if isinstance(exc, NotFound) else 400
        errors = {f"region-{code}": PageText(language_of(request)).explain(exc)}
        return await run_in_threadpool(_page, request, principal, status, errors=errors)
    return RedirectResponse("/organisations?done=region", status_code=303)


def _edit_page(
    request: Request, principal: Principal, code: str, status: int = 200, **extra: Any
) -> Response:
    registry = get_registry(request)
    found = [o for o in list_organisations(registry.uow(), principal) if o.code == code]
    if not found:
        message = PageText(language_of(request)).gettext("No organisation has the code %(code)s.", code=code)
        return desk_render(request, "error.html", {"message": message}, 404)
    regions_in_use = organisation_regions(registry.uow(), principal)
    organisation = found[0]
    form = {
        "name": organisation.name,
        "kind": organisation.kind,
        "country": organisation.country,
        "pgln": organisation.pgln or "",
        "region": regions_in_use.get(code, ""),
        **organisation.contact.to_json(),
    }
    context = {
        "organisation": organisation,
        "form": form,
        "kinds": [k.value for k in OrgKind],
        "known_regions": region_names(request, list(regions_in_use.values())),
    }
    return form_page(request, "organisation_edit.html", context, status, extra, desk_render)


@router.get("/organisations/{code}", response_class=HTMLResponse)
def edit_page(request: Request, principal: Visitor, code: str) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    return _edit_page(request, principal, code)


@router.post("/organisations/{code}")
@form_handler(NEEDED)
async def change(request: Request, principal: Principal, form: dict[str, str], code: str) -> Response:
    """Set the region, then change the rest (each refusal shown next to its field): two services,
    two transactions, so a refused region changes nothing and a refused name keeps a new region."""
    registry = get_registry(request)
    command = ChangeOrganisation(
        code,
        form.get("name", ""),
        form.get("kind", ""),
        form.get("pgln", "").strip() or None,
        form.get("country", "").strip() or None,
        *(form.get(name, "") for name in CONTACT_FIELDS),
    )
    text = PageText(language_of(request))
    try:
        if form.get("region", "").strip():
            await run_in_threadpool(set_region, registry.uow(), principal, code, form["region"])
        await run_in_threadpool(
            change_organisation, registry.uow(), command, principal, registry.settings.country
        )
    except NotFound:
        return await run_in_threadpool(_edit_page, request, principal, code)
    except (DirectoryError, EnforcementError) as exc:
        field = "region" if isinstance(exc, EnforcementError) else _field(str(exc))
        errors = {field: text.explain(exc)}
        return await run_in_threadpool(_edit_page, request, principal, code, 400, errors=errors, form=form)
    return RedirectResponse(f"/organisations/{code}?done=changed", status_code=303)
