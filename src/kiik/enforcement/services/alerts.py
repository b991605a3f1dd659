"""Leak alerts and their review. The ministry sees every alert; an inspectorate sees those of its
region (all of them when no region is set for it); a holder sees only that an alert concerns it:
which of its codes, the status and when it was opened, never the seizure or the case behind it.
"""

from __future__ import annotations

from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import NotAllowed, OrgKind, Permission, Principal, require
from kiik.enforcement.domain.alerts import next_status
from kiik.enforcement.services.ports import enforcement_store
from kiik.errors import NotFound


def list_alerts(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    with uow:
        store = enforcement_store(uow)
        if principal.may(Permission.LEAK_ALERTS_READ):
            region = store.region_of(principal.org_id) if principal.org_kind is OrgKind.INSPECTORATE else None
            return [_full(alert) for alert in store.alerts(region=region)]
        if principal.may(Permission.LEAK_ALERTS_OWN):
            return [_to_holder(alert) for alert in store.alerts(holder=principal.org_id)]
    raise NotAllowed(principal, Permission.LEAK_ALERTS_READ)


def show_alert(uow: UnitOfWork, principal: Principal, alert_id: int) -> dict[str, Any]:
    with uow:
        store = enforcement_store(uow)
        alert = _visible(store, principal, alert_id)
        if not principal.may(Permission.LEAK_ALERTS_READ):
            return _to_holder(alert)
        steps = store.alert_steps(alert_id)
    return _full(alert) | {"steps": [_step(s) for s in steps]}


def review_alert(
    uow: UnitOfWork, principal: Principal, alert_id: int, status: str, note: str | None = None
) -> dict[str, Any]:
    """Move an alert's review on (investigating, then explained or confirmed_leak), recording who and when."""
    require(principal, Permission.LEAK_ALERTS_REVIEW)
    with uow:
        store = enforcement_store(uow)
        alert = _visible(store, principal, alert_id)
        wanted = next_status(alert_id, alert["status"], status, note)
        store.add_alert_step(
            alert_id, wanted, note, principal.org_id, f"{principal.role} of {principal.org_name}"
        )
        uow.commit()
    return show_alert(uow, principal, alert_id)


def _visible(store: Any, principal: Principal, alert_id: int) -> dict[str, Any]:
    alert = store.alert(alert_id)
    missing = NotFound(
        f"no alert {alert_id} that you may see: check the number (GET /api/enforcement/alerts)"
    )
    if alert is None:
        raise missing
    if principal.may(Permission.LEAK_ALERTS_READ):
        if principal.org_kind is OrgKind.INSPECTORATE:
            region = store.region_of(principal.org_id)
            if region is not None and alert["region"] != region:
                raise missing
        return dict(alert)
    if principal.may(Permission.LEAK_ALERTS_OWN) and alert["holder_org_id"] == principal.org_id:
        return dict(alert)
    if principal.may(Permission.LEAK_ALERTS_OWN):
        raise missing
    raise NotAllowed(principal, Permission.LEAK_ALERTS_READ)


def _full(alert: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": alert["id"],
        "seizure": alert["reference"],
        "holder": alert["holder_name"],
        "region": alert["region"],
        "codes": alert["codes"],
        "status": alert["status"],
        "openedAt": alert["opened_at"].isoformat(),
    }


def _to_holder(alert: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": alert["id"],
        "concerns": "your organisation: items it held legally were found in a seizure",
        "codes": alert["codes"],
        "status": alert["status"],
        "openedAt": alert["opened_at"].isoformat(),
    }


def _step(step: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": step["status"],
        "note": step["note"],
        "by": step["by_actor"],
        "at": step["at"].isoformat(),
    }
