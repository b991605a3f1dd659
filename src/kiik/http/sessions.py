"""Who is asking: an API token (`Authorization: Bearer`, for machines) or a person's session cookie
(for browsers) resolve to the same principal, so one authorization matrix covers pages and routes.

A request authenticated by its cookie that changes something (any method but GET, HEAD, OPTIONS)
must also carry the session's CSRF token, as the form field `csrf` or the header `X-CSRF-Token`
(htmx sends the header); the cookie alone, which a browser attaches to any site's request, is never
enough. The cookie is HttpOnly, SameSite=Strict, and Secure when the request came over HTTPS.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kiik.directory.domain.permissions import Principal
from kiik.directory.services.auth import authenticate
from kiik.directory.services.sessions import ActiveSession, active_session
from kiik.http.form_data import read_form

SESSION_COOKIE = "kiik_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Unauthenticated(Exception):
    """No valid token or session (mapped to 401)."""


# The forms a browser posts: their `csrf` field carries the token when no header does.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfRefused(Exception):
    """A form sent with a session cookie but without the session's CSRF token (mapped to 403)."""


@dataclass(frozen=True)
class Caller:
    principal: Principal
    session: ActiveSession | None  # None when an API token authenticated


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def caller(request: Request) -> Caller | None:
    """The request's caller, or None; refuses (CsrfRefused) a changing request whose cookie
    session does not show its CSRF token. Resolved once per request."""
    if "kiik_caller" in request.scope:
        cached: Caller | None = request.scope["kiik_caller"]
        return cached
    # The look-ups read the database: in the thread pool, never on the event loop.
    found = await run_in_threadpool(_resolve, request)
    if found is not None and found.session is not None and request.method not in SAFE_METHODS:
        await _check_csrf(request, found.session)
    request.scope["kiik_caller"] = found
    return found


def _resolve(request: Request) -> Caller | None:
    registry = request.app.state.registry
    token = _bearer(request)
    if token is not None:
        principal = authenticate(registry.uow(), token)
        if principal is None:
            raise Unauthenticated(
                "the API token is unknown or revoked: ask for a new one (`kiik token create`)"
            )
        return Caller(principal, None)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    session = active_session(registry.uow(), cookie, utcnow(), registry.settings.session_lifetime)
    return Caller(session.principal, session) if session is not None else None


async def _check_csrf(request: Request, session: ActiveSession) -> None:
    sent = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(FORM_TYPES):
        sent = read_form(content_type, await request.body()).fields.get("csrf")
    if not sent or not hmac.compare_digest(sent, session.csrf_token):
        raise CsrfRefused(
            "this form's security token does not match your session (it may be from an older page): "
            "reload the page and send it again"
        )


def start_session(request: Request, response: Response, token: str) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")


def end_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
