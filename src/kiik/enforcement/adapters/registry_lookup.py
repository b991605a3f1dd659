"""What matching reads of the registry for many codes at once: each item's custody state, its last
event and its holder, and what else the holder still holds from that event (the same lot or
shipment). 5,000 codes per query; a seizure of 10,000 codes is two (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from kiik.custody.adapters.item_store import chunked, one_of
from kiik.custody.adapters.tables import event_identifiers, events, items
from kiik.directory.adapters.tables import organisations
from kiik.enforcement.domain.matching import RegisteredItem
from kiik.permits.domain.lifecycle import TERM_OF_PRODUCT

CHUNK = 5000


class RegistryLookup:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def registered(self, keys: Sequence[str]) -> dict[str, RegisteredItem]:
        found: dict[str, RegisteredItem] = {}
        for part in chunked(list(dict.fromkeys(keys)), CHUNK):
            found.update(self._chunk(part))
        return found

    def _chunk(self, keys: Sequence[str]) -> dict[str, RegisteredItem]:
        """One query: each item's state and holder, and its last event through the (key, event)
        index of `event_identifiers`, looked up once per item found."""
        last = (
            select(func.max(event_identifiers.c.event_pk))
            .where(event_identifiers.c.key == items.c.key)
            .correlate(items)
            .scalar_subquery()
        )
        rows = self.connection.execute(
            select(
                items.c.key,
                items.c.status,
                items.c.holder_org_id,
                items.c.species,
                items.c.product_type,
                organisations.c.name,
                organisations.c.kind,
                events.c.event_id,
                events.c.event_time,
                events.c.biz_step,
            )
            .outerjoin(organisations, organisations.c.id == items.c.holder_org_id)
            .outerjoin(events, events.c.id == last)
            .where(one_of(self.connection, items.c.key, keys))
        )
        return {
            row[0]: RegisteredItem(
                row[0],
                row[1],
                row[2],
                row[5] or "an unknown holder",
                row[3],
                TERM_OF_PRODUCT.get(row[4]) if row[4] else None,
                row[7],
                row[8],
                row[9],
                row[6],
            )
            for row in rows
        }

    def still_held(
        self, event_id: str, holder: int, besides: Sequence[str], limit: int = 20
    ) -> dict[str, Any]:
        """What `holder` still holds (active) of the items named by the event `event_id`."""
        named = (
            select(event_identifiers.c.key)
            .join(events, events.c.id == event_identifiers.c.event_pk)
            .where(events.c.event_id == event_id)
        )
        held = and_(items.c.key.in_(named), items.c.holder_org_id == holder, items.c.status == "active")
        if besides:
            held = and_(held, items.c.key.not_in(list(besides)))
        count = self.connection.execute(select(func.count()).select_from(items).where(held)).scalar_one()
        some = self.connection.execute(select(items.c.key).where(held).order_by(items.c.key).limit(limit))
        return {"event": event_id, "stillHeld": int(count), "some": [row.key for row in some]}

    @staticmethod
    def days_between(earlier: datetime | None, later: datetime) -> int | None:
        return None if earlier is None else (later - earlier).days
