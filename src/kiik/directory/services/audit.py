"""The trail of administrative actions: every change to who may use the registry and how it is set
up (organisations, sites, tokens, signing keys, partner registries, permits' decisions, harvest
authorisations, settings), with who made it and when; read by the ministry's staff and auditors.

An entry is written in the transaction of the change it records, so that there is no change
without its entry and no entry without its change; entries are never changed or deleted. The
species register keeps its own, more detailed trail (before and after of each edit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require

OPERATOR = "registry operator (command line)"


def actor_name(actor: Principal | None) -> str:
    """Who acted: an organisation's member with their role, or the operator at the command line."""
    if actor is None:
        return OPERATOR
    if actor.username:
        return f"{actor.username} of {actor.org_code} ({actor.role.value})"
    return f"{actor.org_code} ({actor.role.value})"


class Audited(Protocol):
    """An entered unit of work: what `record` writes through."""

    directory: Any


def record(uow: Audited, actor: Principal | None, action: str, subject: str, **details: Any) -> None:
    """Write an entry inside the caller's unit of work (committed with the change it records)."""
    uow.directory.audit(actor_name(actor), action, subject, details)


@dataclass(frozen=True)
class AuditView:
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds") + "Z",
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "details": self.details,
        }


def read_audit(
    uow: UnitOfWork,
    principal: Principal,
    *,
    since: datetime | None = None,
    action: str | None = None,
    limit: int = 1000,
) -> list[AuditView]:
    """The newest entries first; `action` selects by its start (`permit.` for every permit decision)."""
    require(principal, Permission.AUDIT_READ)
    with uow:
        entries = uow.directory.audit_entries(since=since, action=action, limit=limit)
    return [AuditView(e.at, e.actor, e.action, e.subject, e.details) for e in entries]
