"""What an organisation holds, item by item: a page of its stock filtered by product type, status
and site, for the stock page (the totals per kind are `stock.stock_report`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiik.custody.domain.state import ItemState
from kiik.custody.services.stock import ALL_STATUSES, IN_STOCK, StockUnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import QueryError

PAGE_SIZE = 50


@dataclass(frozen=True)
class HeldItemsQuery:
    product_type: str | None = None
    status: str | None = None  # None: in stock (active, in transit, seized)
    site: str | None = None
    after: str | None = None  # the last key of the page before
    limit: int = PAGE_SIZE


@dataclass
class HeldItems:
    items: list[ItemState]
    total: int
    next_after: str | None
    product_types: list[str]
    sites: list[tuple[str, str]]  # (sgln, name)


def held_items(uow: StockUnitOfWork, principal: Principal, query: HeldItemsQuery) -> HeldItems:
    require(principal, Permission.STOCK_READ)
    if query.status is not None and query.status not in ALL_STATUSES:
        raise QueryError(f"status: {query.status} is no status; use one of {', '.join(ALL_STATUSES)}")
    statuses = (query.status,) if query.status else IN_STOCK
    limit = max(1, min(query.limit, 500))
    stores: Any = uow
    with uow:
        found, total = stores.stock.held_page(
            principal.org_id,
            statuses=statuses,
            product_type=query.product_type or None,
            site=query.site or None,
            after=query.after or None,
            limit=limit + 1,
        )
        product_types = stores.stock.product_types(principal.org_id)
        sites = [(s.sgln, s.name) for s in uow.directory.sites(principal.org_id)]
        uow.commit()  # a read
    following = found[limit - 1].key if len(found) > limit else None
    return HeldItems(found[:limit], total, following, product_types, sites)
