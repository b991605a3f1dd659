"""`/account`: a person's own account: change the password, and for a ministry administrator the
second factor (TOTP), shown as a QR code for the authenticator app."""

from __future__ import annotations

import time
from typing import Any

import segno
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kiik.directory.domain import totp
from kiik.directory.domain.people import PersonError
from kiik.directory.domain.permissions import Principal
from kiik.directory.services.people import change_own_password, enrol_second_factor, may_use_second_factor
from kiik.errors import N_
from kiik.http.deps import get_registry
from kiik.web.guard import Visitor, form_handler, refusal
from kiik.web.i18n import explained
from kiik.web.rendering import render

router = APIRouter(include_in_schema=False)


def _context(principal: Principal, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"principal": principal, "errors": {}, "notice": None, "totp": None}
    if principal.username and may_use_second_factor(principal):
        secret = totp.new_secret()
        uri = totp.provisioning_uri(secret, principal.username)
        context["totp"] = {"secret": secret, "qr": segno.make(uri, error="m").svg_data_uri(scale=4)}
    context.update(extra)
    return context


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, None)) is not None:
        return refused
    assert principal is not None
    return render(request, "account.html", _context(principal))


@router.post("/account/password")
@form_handler(None)
async def change_password(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    try:
        if form.get("new_password", "") != form.get("repeat_password", ""):
            raise PersonError(N_("the two new passwords differ: type the same one twice"))
        await run_in_threadpool(
            change_own_password,
            get_registry(request).uow(),
            principal,
            form.get("current_password", ""),
            form.get("new_password", ""),
        )
    except PersonError as exc:
        return render(
            request, "account.html", _context(principal, errors={"password": explained(request, exc)}), 400
        )
    return RedirectResponse("/account?changed=password", status_code=303)


@router.post("/account/second-factor")
@form_handler(None)
async def add_second_factor(request: Request, principal: Principal, form: dict[str, str]) -> Response:
    try:
        await run_in_threadpool(
            enrol_second_factor,
            get_registry(request).uow(),
            principal,
            form.get("secret", ""),
            form.get("code", ""),
            time.time(),
        )
    except PersonError as exc:
        return render(
            request, "account.html", _context(principal, errors={"code": explained(request, exc)}), 400
        )
    return RedirectResponse("/account?changed=second-factor", status_code=303)
