"""Who is looking at a page, and the answer when they may not: the log-in page for nobody, a
page saying what is missing for someone whose role does not allow it."""

from __future__ import annotations

import hmac
import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from kiik.directory.domain.permissions import Permission, Principal
from kiik.http.form_data import PostedForm, read_form
from kiik.http.sessions import caller
from kiik.web.i18n import PageText, language_of
from kiik.web.rendering import LOGIN_CSRF_COOKIE, render


async def visitor(request: Request) -> Principal | None:
    found = await caller(request)
    return found.principal if found else None


Visitor = Annotated[Principal | None, Depends(visitor)]


def refusal(request: Request, principal: Principal | None, permission: Permission | None) -> Response | None:
    """None when `principal` may open the page; else the answer to send instead."""
    if principal is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/?next={quote(target, safe='')}", status_code=303)
    if permission is not None and not principal.may(permission):
        text = PageText(language_of(request))
        message = text.gettext("Your role does not allow this page. Ask your organisation's administrator.")
        return render(request, "error.html", {"message": message, "needed": permission.value}, 403)
    return None


async def form_of(request: Request) -> dict[str, str]:
    """A posted form's fields (URL-encoded or multipart), each field's first value."""
    return (await posted_form(request)).fields


async def posted_form(request: Request) -> PostedForm:
    """A posted form with the files sent with it (`multipart/form-data`)."""
    return read_form(request.headers.get("content-type", ""), await request.body())


async def posted(
    request: Request, permission: Permission | None
) -> tuple[Principal, dict[str, str]] | Response:
    """A form sent by someone who may send it (the CSRF token checked; `None`: anyone logged in): who
    sent it and the form; else the answer to send instead (the log-in page, or the page saying what
    is missing)."""
    principal = await visitor(request)
    if (refused := refusal(request, principal, permission)) is not None:
        return refused
    assert principal is not None
    return principal, await form_of(request)


FormHandler = Callable[..., Awaitable[Response]]


def form_handler(permission: Permission | None) -> Callable[[FormHandler], FormHandler]:
    """A route for a form: the handler is called as `handle(request, principal, form, **path)` only
    when the sender may send it (`posted`); its path parameters are the route's."""

    def wrap(handle: FormHandler) -> FormHandler:
        async def endpoint(request: Request, **path: Any) -> Response:
            sent = await posted(request, permission)
            if isinstance(sent, Response):
                return sent
            return await handle(request, *sent, **path)

        signature = inspect.signature(handle)
        kept = [p for name, p in signature.parameters.items() if name not in ("principal", "form")]
        endpoint.__signature__ = signature.replace(parameters=kept)  # type: ignore[attr-defined]
        endpoint.__name__, endpoint.__doc__ = handle.__name__, handle.__doc__
        return endpoint

    return wrap


def anonymous_form_allowed(request: Request, form: dict[str, str]) -> bool:
    """An anonymous form (log in, language) shows the token of its cookie (double submit)."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    sent = form.get("csrf", "")
    return bool(cookie) and hmac.compare_digest(cookie, sent)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never another site's address)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def stale_form(request: Request, detail: str) -> Response:
    """A page's form whose CSRF token no longer matches the session (an older tab, a new log-in):
    the person is told to reload, in their language, as a page rather than a JSON problem."""
    text = PageText(language_of(request))
    message = text.gettext(
        "This form is out of date (you may have logged in again since). Reload the page and send it again."
    )
    return render(request, "error.html", {"message": message}, 403)
