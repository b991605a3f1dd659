"""The trail of administrative actions, for the ministry's staff and auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from kiik.directory.domain.permissions import Permission
from kiik.directory.services.audit import read_audit
from kiik.http.deps import RegistryDep, may

router = APIRouter(prefix="/api", tags=["Audit"])


@router.get("/audit", summary="Administrative actions, newest first: who changed what and when")
def get_audit(
    registry: RegistryDep,
    principal: may(Permission.AUDIT_READ),  # type: ignore[valid-type]
    since: Annotated[datetime | None, Query(description="from this moment (ISO 8601)")] = None,
    action: Annotated[str | None, Query(max_length=64, description="actions starting so (permit.)")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> dict[str, Any]:
    entries = read_audit(registry.uow(), principal, since=since, action=action, limit=limit)
    return {"entries": [e.to_json() for e in entries]}
