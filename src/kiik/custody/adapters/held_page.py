"""A page of the items an organisation holds, filtered by status, product type and site, in key
order (keyset paging: the next page starts after the last key shown), for the stock page."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, func, select

from kiik.custody.adapters.item_store import state_from_row
from kiik.custody.adapters.tables import items
from kiik.custody.domain.state import ItemState


class HeldPage:
    """One page of the items an organisation holds, filtered, in key order (keyset paging)."""

    connection: Connection

    def held_page(
        self,
        org_id: int,
        *,
        statuses: Sequence[str],
        product_type: str | None,
        site: str | None,
        after: str | None,
        limit: int,
    ) -> tuple[list[ItemState], int]:
        """Up to `limit` items after the key `after`, and how many match in all."""
        where: list[ColumnElement[bool]] = [
            items.c.holder_org_id == org_id,
            items.c.status.in_(list(statuses)),
        ]
        if product_type:
            where.append(items.c.product_type == product_type)
        if site:
            where.append(items.c.site == site)
        total = int(self.connection.scalar(select(func.count()).select_from(items).where(*where)) or 0)
        query = select(items).where(*where)
        if after:
            query = query.where(items.c.key > after)
        rows = self.connection.execute(query.order_by(items.c.key).limit(limit))
        return [state_from_row(r) for r in rows], total

    def product_types(self, org_id: int) -> list[str]:
        query = (
            select(items.c.product_type)
            .where(items.c.holder_org_id == org_id, items.c.product_type.is_not(None))
            .distinct()
            .order_by(items.c.product_type)
        )
        return [str(r[0]) for r in self.connection.execute(query)]
