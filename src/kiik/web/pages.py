"""Server-rendered pages; they call the same services as the API."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from kiik.custody.services.overview import overview
from kiik.directory.services.auth import authenticate
from kiik.http.deps import get_registry

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
COOKIE = "kiik_token"


def _principal(request: Request):  # type: ignore[no-untyped-def]
    token = request.cookies.get(COOKIE)
    return authenticate(get_registry(request).uow(), token) if token else None


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    principal = _principal(request)
    if principal is None:
        return templates.TemplateResponse(request, "login.html", {"error": None})
    summary = overview(get_registry(request).uow(), principal)
    return templates.TemplateResponse(request, "home.html", {"principal": principal, "summary": summary})


@router.post("/login")
async def login(request: Request) -> Response:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip()
    if not token or authenticate(get_registry(request).uow(), token) is None:
        context = {"error": "That token is unknown or revoked. Ask your administrator for a new one."}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600)
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/lookup")
def lookup(code: str = "") -> Response:
    """The look-up form sends any spelling of a code; the item page takes it from there."""
    return RedirectResponse(
        f"/items/{quote(code.strip(), safe='')}" if code.strip() else "/", status_code=303
    )
