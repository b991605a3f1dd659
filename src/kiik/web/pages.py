"""The first pages: log in, the actor's home, log out, the language, and the code look-up."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.custody.services.overview import overview
from kiik.directory.services.sessions import LogIn, LoginRefused, log_in, log_out, remember_language
from kiik.http.deps import get_registry
from kiik.http.sessions import SESSION_COOKIE, caller, end_session_cookie, start_session
from kiik.web.guard import Visitor, anonymous_form_allowed, form_of, safe_next
from kiik.web.i18n import LANGUAGE_COOKIE, PUBLIC_LANGUAGES, PageText, language_of
from kiik.web.rendering import render

router = APIRouter(include_in_schema=False)
YEAR = 365 * 24 * 3600


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: Visitor, next: str = "") -> Response:
    if principal is None:
        return render(request, "login.html", {"error": None, "next": safe_next(next), "ask_code": False})
    summary = overview(get_registry(request).uow(), principal)
    return render(request, "home.html", {"principal": principal, "summary": summary})


@router.post("/login")
async def login(request: Request) -> Response:
    form = await form_of(request)
    text = PageText(language_of(request))
    target = safe_next(form.get("next"))
    context = {"error": None, "next": target, "ask_code": False, "username": form.get("username", "")}
    if not anonymous_form_allowed(request, form):
        context["error"] = text.gettext("This form has expired. It has been renewed: please log in again.")
        return render(request, "login.html", context, status_code=403)
    command = LogIn(form.get("username", ""), form.get("password", ""), form.get("code", ""))
    try:
        session = await run_in_threadpool(log_in, get_registry(request).uow(), command, _now())
    except LoginRefused as refused:
        if refused.reason == "locked" and refused.until is not None:
            minutes = max(1, int((refused.until - _now()).total_seconds() // 60) + 1)
            context["error"] = text.gettext(
                "Too many failed attempts for this account: try again in %(minutes)s minutes, or ask "
                "your administrator to reset the password.",
                minutes=minutes,
            )
        elif refused.reason == "code":
            context["ask_code"] = True
            context["error"] = text.gettext("Enter the six-digit code your authenticator app shows now.")
        else:
            context["error"] = text.gettext(
                "The username or the password is wrong. Check both and try again."
            )
        return render(request, "login.html", context, status_code=401)
    response = RedirectResponse(target, status_code=303)
    start_session(request, response, session.token)
    if session.language:
        response.set_cookie(LANGUAGE_COOKIE, session.language, max_age=YEAR, samesite="lax")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    found = await caller(request)
    token = request.cookies.get(SESSION_COOKIE)
    if found is not None and found.session is not None and token:
        await run_in_threadpool(log_out, get_registry(request).uow(), token, _now())
    response = RedirectResponse("/", status_code=303)
    end_session_cookie(response)
    return response


@router.post("/language")
async def choose_language(request: Request) -> Response:
    """The language chosen from the menu: remembered in a cookie, and on the person's account."""
    found = await caller(request)
    form = await form_of(request)
    if found is None and not anonymous_form_allowed(request, form):
        text = PageText(language_of(request))
        message = text.gettext("This form has expired. It has been renewed: please choose again.")
        return render(request, "error.html", {"message": message}, status_code=403)
    language = form.get("lang", "")
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    if language in PUBLIC_LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=YEAR, samesite="lax")
        if found is not None:
            await run_in_threadpool(remember_language, get_registry(request).uow(), found.principal, language)
    return response


@router.get("/lookup")
def lookup(code: str = "") -> Response:
    """The look-up form sends any spelling of a code; the item page takes it from there."""
    return RedirectResponse(
        f"/items/{quote(code.strip(), safe='')}" if code.strip() else "/", status_code=303
    )
