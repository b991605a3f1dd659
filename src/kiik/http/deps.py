"""Request dependencies: the registry, the authenticated principal, and permission checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.http.sessions import CsrfRefused as CsrfRefused
from kiik.http.sessions import Unauthenticated as Unauthenticated
from kiik.http.sessions import caller

bearer = HTTPBearer(auto_error=False, description="An API token made with `kiik token create`")

def get_registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


RegistryDep = Annotated[Registry, Depends(get_registry)]


async def current_principal(
    request: Request,
    # Declared so that the API's description offers the Bearer scheme; `caller` reads the header.
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    found = await caller(request)
    if found is None:
        raise Unauthenticated(
            "this needs an API token ('Authorization: Bearer <token>') or a log-in (the page at /)"
        )
    return found.principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def allowed(permission: Permission) -> Callable[[Principal], Principal]:
    """A dependency that yields the principal only when its role grants `permission`."""

    def check(principal: PrincipalDep) -> Principal:
        require(principal, permission)
        return principal

    return check


def may(permission: Permission) -> type[Principal]:
    return Annotated[Principal, Depends(allowed(permission))]  # type: ignore[return-value]


# A row id in a path: both databases store it as a 32-bit integer at least; anything larger names no
# row, and is refused as a bad request before it reaches the database.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="a row id")]
