"""`recount_figures`: the running totals the dashboard and the stock report read (`item_totals`,
`event_totals`, `harvest_totals`, kept by triggers in every transaction that writes items, events
or harvested horns)
compared with a full recount of their rows, and on asking filled again from it.

Here in harvest, the lowest capability that sees both: custody's items and events, harvest's horns."""

from __future__ import annotations

from typing import Any

from kiik.custody.domain.running_totals import TotalDifference
from kiik.db.unit_of_work import UnitOfWork
from kiik.harvest.services.ports import harvest_store


def recount_figures(uow: UnitOfWork, repair: bool = False) -> list[TotalDifference]:
    """Every running total that differs from a recount (none when they are right); with `repair`,
    the totals that differ are filled again from the recount, in the same transaction."""
    with uow:
        stores: Any = uow
        found = stores.items.total_differences()
        harvest = harvest_store(uow).total_differences()
        if repair and found:
            stores.items.refill_totals()
        if repair and harvest:
            harvest_store(uow).refill_totals()
        if repair and (found or harvest):
            uow.commit()
    return [*found, *harvest]
