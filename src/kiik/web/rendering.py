"""Rendering a page: the templates, and what every page's context holds (the language and its
text functions, the menu for the caller, the form's CSRF token)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response

from kiik.http.sessions import Caller
from kiik.web import words
from kiik.web.i18n import PUBLIC_LANGUAGES, STAFF_LANGUAGES, PageText, language_of
from kiik.web.navigation import menu_for

LOGIN_CSRF_COOKIE = "kiik_login_csrf"


def caller_of(request: Request) -> Caller | None:
    """The caller resolved earlier in this request (`kiik.http.sessions.caller`), if any."""
    found: Caller | None = request.scope.get("kiik_caller")
    return found


def login_csrf(request: Request) -> str:
    """The anonymous form's token (double-submit: a cookie and the same value in the form)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or request.scope.get("kiik_login_csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.scope["kiik_login_csrf"] = token
    return str(token)


def page_context(request: Request) -> dict[str, Any]:
    found = caller_of(request)
    public = bool(request.scope.get("kiik_public_page"))
    text = PageText(language_of(request, public=public))
    csrf = found.session.csrf_token if found and found.session else login_csrf(request)
    return {
        "_": text.gettext,
        "gettext": text.gettext,
        "ngettext": text.ngettext,
        "text": text,
        "lang": text.language,
        "languages": PUBLIC_LANGUAGES if public else STAFF_LANGUAGES,
        "menu": menu_for(found.principal if found else None),
        "current_path": request.url.path,
        "csrf_field": Markup('<input type="hidden" name="csrf" value="{}">').format(escape(csrf)),
        "csrf_token": csrf,
        "words": words,
    }


TEMPLATE_FOLDER = Path(__file__).parent / "templates"
_environment = Environment(
    loader=FileSystemLoader(TEMPLATE_FOLDER),
    autoescape=True,
    extensions=["jinja2.ext.i18n"],
)
# New-style gettext: `{% trans %}` and `_()` call the page's own functions with named values.
_environment.newstyle_gettext = True  # type: ignore[attr-defined]
templates = Jinja2Templates(env=_environment, context_processors=[page_context])


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    """A page, and the anonymous form token's cookie when one was made for it."""
    found = caller_of(request)
    context.setdefault("principal", found.principal if found else None)
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    made = request.scope.get("kiik_login_csrf")
    if made and not request.cookies.get(LOGIN_CSRF_COOKIE):
        response.set_cookie(
            LOGIN_CSRF_COOKIE, made, httponly=True, samesite="strict", secure=request.url.scheme == "https"
        )
    return response


def public_page(request: Request) -> None:
    """Marks the request's page as public: Chinese is offered beside the staff languages."""
    request.scope["kiik_public_page"] = True


def form_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    extra: dict[str, Any] | None = None,
    renderer: Any = None,
) -> Response:
    """A page of forms: `context`, with no field sent and no refusal yet unless `extra` (what a
    refused form sent back, its errors by field) says otherwise, and the notice of the change just
    made (`?done=`). `renderer`: `render` by default, or a capability's own (`desk_render`)."""
    full = {
        "form": {},
        "errors": {},
        "notice": request.query_params.get("done", ""),
        **context,
        **(extra or {}),
    }
    return (renderer or render)(request, template, full, status)
