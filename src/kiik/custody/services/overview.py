"""The first page's figures: items by status and events, within what the actor may see, read from
the running totals capture keeps (`item_totals`, `event_totals`: migration 0021)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int
    mass_kg: float


@dataclass
class Overview:
    everything: bool
    event_count: int = 0
    items_by_status: list[StatusCount] = field(default_factory=list)


def overview(uow: UnitOfWork, principal: Principal) -> Overview:
    require(principal, Permission.ITEMS_READ)
    org = None if principal.sees_everything else principal.org_id
    with uow:
        counts = uow.items.count_by_status(org)
        events = uow.events.count(org)
    return Overview(
        everything=principal.sees_everything,
        event_count=events,
        items_by_status=[StatusCount(status, count, mass or 0.0) for status, count, mass in counts],
    )


def last_capture(uow: UnitOfWork, principal: Principal) -> int:
    """A number that grows with every captured event: figures counted from the events stay right
    while it is unchanged (an item page keeps its lineage that long, see kiik.web.figure_cache)."""
    require(principal, Permission.ITEMS_READ)
    with uow:
        return int(uow.events.last_pk())
