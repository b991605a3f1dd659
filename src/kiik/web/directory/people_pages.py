"""`/people`: an organisation's administrator adds people, sets and resets their passwords and
ends their sessions (the ministry's administrator for every organisation). The same services as
`kiik person ...`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain.people import PersonError
from kiik.directory.domain.permissions import NotAllowed, Permission, Principal, Role
from kiik.directory.services.people import (
    AddPerson,
    add_person,
    disable_person,
    enable_person,
    end_sessions,
    list_people,
    set_password,
)
from kiik.http.deps import get_registry
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import explained
from kiik.web.rendering import form_page

router = APIRouter(include_in_schema=False)
NEEDED = Permission.PEOPLE_MANAGE


def _page(request: Request, principal: Principal, status: int = 200, **extra: Any) -> Response:
    registry = get_registry(request)
    people = list_people(registry.uow(), principal)
    with registry.uow() as uow:
        organisations = [
            o
            for o in uow.directory.organisations()
            if o.id == principal.org_id or principal.may(Permission.ORGANISATIONS_MANAGE)
        ]
    context = {"people": people, "organisations": organisations, "roles": [r.value for r in Role]}
    return form_page(request, "people.html", context, status, extra)


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, NEEDED)) is not None:
        return refused
    assert principal is not None
    return _page(request, principal)


@router.post("/people")
@form_handler(NEEDED)
async def add(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    command = AddPerson(
        form.get("org", principal.org_code),
        form.get("username", ""),
        form.get("role", ""),
        form.get("password", ""),
        form.get("full_name", ""),
    )
    try:
        await run_in_threadpool(add_person, get_registry(request).uow(), command, principal)
    except PersonError as exc:
        form.pop("password", None)
        return await run_in_threadpool(
            _page, request, principal, 400, errors={"add": explained(request, exc)}, form=form
        )
    return RedirectResponse("/people?done=added", status_code=303)


@router.post("/people/{username}/password")
@form_handler(NEEDED)
async def reset_password(
    request: Request, principal: Principal, form: dict[str, str], username: str
) -> Response:
    try:
        await run_in_threadpool(
            set_password, get_registry(request).uow(), username, form.get("password", ""), principal
        )
    except PersonError as exc:
        errors = {f"password-{username}": explained(request, exc)}
        return await run_in_threadpool(_page, request, principal, 400, errors=errors)
    return RedirectResponse("/people?done=password", status_code=303)


@router.post("/people/{username}/sessions/end")
@form_handler(NEEDED)
async def end(request: Request, principal: Principal, form: dict[str, str], username: str) -> Response:
    try:
        await run_in_threadpool(end_sessions, get_registry(request).uow(), username, principal)
    except (PersonError, NotAllowed) as exc:
        return await run_in_threadpool(
            _page, request, principal, 404, errors={"list": explained(request, exc)}
        )
    return RedirectResponse("/people?done=sessions", status_code=303)


@router.post("/people/{username}/disable")
@form_handler(NEEDED)
async def disable(request: Request, principal: Principal, form: dict[str, str], username: str) -> Response:
    return await _switch(request, principal, username, disable_person, "disabled")


@router.post("/people/{username}/enable")
@form_handler(NEEDED)
async def enable(request: Request, principal: Principal, form: dict[str, str], username: str) -> Response:
    return await _switch(request, principal, username, enable_person, "enabled")


async def _switch(request: Request, principal: Principal, username: str, change: Any, done: str) -> Response:
    """Disable a person (log-in refused, sessions ended) or enable them again."""
    try:
        await run_in_threadpool(change, get_registry(request).uow(), username, principal)
    except (PersonError, NotAllowed) as exc:
        status = 404 if "no person" in str(exc) else 400
        return await run_in_threadpool(
            _page, request, principal, status, errors={"list": explained(request, exc)}
        )
    return RedirectResponse(f"/people?done={done}", status_code=303)
