"""Request dependencies: the registry, the authenticated principal, and permission checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.auth import authenticate

bearer = HTTPBearer(auto_error=False, description="An API token made with `kiik token create`")


class Unauthenticated(Exception):
    """No valid token (mapped to 401)."""


def get_registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


RegistryDep = Annotated[Registry, Depends(get_registry)]


def current_principal(
    request: Request,
    registry: RegistryDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    token = credentials.credentials if credentials else request.cookies.get("kiik_token")
    if not token:
        raise Unauthenticated("this needs an API token: send 'Authorization: Bearer <token>'")
    principal = authenticate(registry.uow(), token)
    if principal is None:
        raise Unauthenticated("the API token is unknown or revoked: ask for a new one (`kiik token create`)")
    return principal


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
