"""Fence passages, camera-trap packages and alerts as their readers see them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.monitoring.domain.alerts import AUDIENCE
from kiik.monitoring.domain.errors import MonitoringError
from kiik.monitoring.domain.passages import FencePassage, checked_passage
from kiik.monitoring.services.ports import camera_trap_store


def register_passage(uow: UnitOfWork, principal: Principal, passage: FencePassage) -> FencePassage:
    require(principal, Permission.CAMERA_TRAPS_IMPORT)
    passage = checked_passage(passage)
    with uow:
        store = camera_trap_store(uow)
        if store.passage(passage.location_id) is not None:
            raise MonitoringError(f"a passage with location id {passage.location_id} is registered already")
        store.add_passage(passage)
        uow.commit()
    return passage


def list_passages(uow: UnitOfWork, principal: Principal) -> list[FencePassage]:
    require(principal, Permission.CAMERA_TRAPS_READ)
    with uow:
        return camera_trap_store(uow).passages()


def list_packages(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    require(principal, Permission.CAMERA_TRAPS_READ)
    with uow:
        found = camera_trap_store(uow).packages()
    return [
        {
            "id": p.package_key,
            "title": p.title,
            "observations": p.observations,
            "importedAt": p.imported_at.isoformat(),
        }
        for p in found
    ]


def list_alerts(uow: UnitOfWork, principal: Principal, since: datetime | None = None) -> list[dict[str, Any]]:
    """Alerts for the border service, scientists and the ministry: what, where, when, which photo."""
    require(principal, Permission.MONITORING_ALERTS_READ)
    with uow:
        rows = camera_trap_store(uow).alerts(since.timestamp() if since else None)
    return [
        {
            "kind": row["kind"],
            "subject": row["subject"],
            "locationID": row["location_id"],
            "deploymentID": row["deployment_id"],
            "observedAt": datetime.fromtimestamp(row["observed_at"], UTC).isoformat(),
            "observationID": row["observation_id"],
            "mediaID": row["media_id"],
            "photo": row["photo"],
            "package": row["package_key"],
            "for": list(AUDIENCE),
        }
        for row in rows
    ]


def passage_json(passage: FencePassage) -> dict[str, Any]:
    return {
        "locationID": passage.location_id,
        "name": passage.name,
        "region": passage.region,
        "fence": passage.fence,
        "border": passage.border,
        "latitude": passage.latitude,
        "longitude": passage.longitude,
        "openedOn": passage.opened_on.isoformat() if passage.opened_on else None,
    }
