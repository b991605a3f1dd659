"""What matching reads of the registry for many codes at once: each item's custody state, its last
event and its holder, and what else the holder still holds from that event (the same lot or
shipment). A thousand codes per query; a seizure of 10,000 codes is ten (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from kiik.custody.adapters.tables import event_identifiers, events, items
from kiik.directory.adapters.tables import organisations
from kiik.enforcement.domain.matching import RegisteredItem
from kiik.permits.domain.lifecycle import TERM_OF_PRODUCT

CHUNK = 1000


class RegistryLookup:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def registered(self, keys: Sequence[str]) -> dict[str, RegisteredItem]:
        found: dict[str, RegisteredItem] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), CHUNK):
            found.update(self._chunk(unique[start : start + CHUNK]))
        return found

    def _chunk(self, keys: list[str]) -> dict[str, RegisteredItem]:
        states = self.connection.execute(
            select(
                items.c.key,
                items.c.status,
                items.c.holder_org_id,
                items.c.species,
                items.c.product_type,
                organisations.c.name,
                organisations.c.kind,
            )
            .outerjoin(organisations, organisations.c.id == items.c.holder_org_id)
            .where(items.c.key.in_(keys))
        ).all()
        if not states:
            return {}
        last = (
            select(event_identifiers.c.key, func.max(event_identifiers.c.event_pk).label("pk"))
            .where(event_identifiers.c.key.in_([row.key for row in states]))
            .group_by(event_identifiers.c.key)
            .subquery()
        )
        events_of = {
            row.key: row
            for row in self.connection.execute(
                select(last.c.key, events.c.event_id, events.c.event_time, events.c.biz_step).join(
                    events, events.c.id == last.c.pk
                )
            )
        }
        found: dict[str, RegisteredItem] = {}
        for row in states:
            event = events_of.get(row.key)
            found[row.key] = RegisteredItem(
                key=row.key,
                status=row.status,
                holder=row.holder_org_id,
                holder_name=row.name or "an unknown holder",
                species=row.species,
                product_term=TERM_OF_PRODUCT.get(row.product_type) if row.product_type else None,
                last_event_id=event.event_id if event else None,
                last_event_time=event.event_time if event else None,
                last_step=event.biz_step if event else None,
                holder_kind=row.kind,
            )
        return found

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
