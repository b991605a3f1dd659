"""What reconciliation reads, in a few bulk queries whatever the number of items: the permits this
registry endorsed with the items that left, the export notices it received with their items, and
the latest partner message of a kind per permit (tables in tables_permits.py, tables_partners.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, func, insert, select

from kiik.custody.adapters.item_store import chunked
from kiik.db.bulk_insert import insert_rows
from kiik.partners.adapters.tables import partner_inbox, partner_notice_items, partner_notices, partner_outbox
from kiik.partners.domain.import_events import NotifiedItem, ReceivedNotice
from kiik.permits.adapters.tables import permit_items, permits


@dataclass(frozen=True)
class ConsignmentRecord:
    """One permit's consignment: its export and the items that left with their kilograms."""

    permit: str
    partner: str
    exported_at: datetime | None
    items: dict[str, float | None]


@dataclass(frozen=True)
class MessageRecord:
    permit_number: str
    message: str
    at: datetime  # created (outbox) or received (inbox)
    delivered_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None


def _within(column: Any, number: str | None, low: datetime | None, high: datetime | None) -> list[Any]:
    return [
        c
        for c in (
            None if number is None else column[0] == number,
            None if low is None else column[1] >= low,
            None if high is None else column[1] < high,
        )
        if c is not None
    ]


class ConsignmentStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record_notice(self, notice: ReceivedNotice) -> None:
        """Keep what an applied export notice said left (in the inbox's transaction)."""
        self.connection.execute(
            insert(partner_notices).values(
                message_id=notice.message_id,
                permit_number=notice.permit_number,
                sender=notice.sender,
                recipient=notice.recipient,
                exported_at=notice.exported_at,
            )
        )
        items = {i.key: i.kg for i in notice.items}
        rows = ((notice.message_id, key, kg) for key, kg in items.items())
        insert_rows(self.connection, partner_notice_items, ("message_id", "item_key", "notified_kg"), rows)

    def exported(
        self, number: str | None, low: datetime | None, high: datetime | None
    ) -> list[ConsignmentRecord]:
        """Permits this registry endorsed for export (in the period), with the items that left."""
        where = _within((permits.c.number, permits.c.endorsed_at), number, low, high)
        head = select(permits.c.id, permits.c.number, permits.c.import_country, permits.c.endorsed_at).where(
            permits.c.endorsed_at.is_not(None), *where
        )
        found = {
            row.id: ConsignmentRecord(row.number, row.import_country, row.endorsed_at, {})
            for row in self.connection.execute(head.order_by(permits.c.endorsed_at, permits.c.id))
        }
        if not found:
            return []
        lines = (
            select(permit_items.c.permit_id, permit_items.c.item_key, permit_items.c.actual_quantity)
            .join(permits, permits.c.id == permit_items.c.permit_id)
            .where(permits.c.endorsed_at.is_not(None), permit_items.c.actual_quantity.is_not(None), *where)
        )
        for permit_id, key, kg in self.connection.execute(lines):
            found[permit_id].items[key] = kg
        return list(found.values())

    def notice(self, permit_number: str) -> ReceivedNotice | None:
        """The latest export notice applied here for a permit, with its items."""
        head = (
            select(partner_notices)
            .join(partner_inbox, partner_inbox.c.message_id == partner_notices.c.message_id)
            .where(partner_notices.c.permit_number == permit_number)
            .order_by(partner_inbox.c.received_at.desc(), partner_notices.c.message_id.desc())
            .limit(1)
        )
        row = self.connection.execute(head).first()
        if row is None:
            return None
        lines = select(partner_notice_items.c.item_key, partner_notice_items.c.notified_kg).where(
            partner_notice_items.c.message_id == row.message_id
        )
        items = [NotifiedItem(key, kg) for key, kg in self.connection.execute(lines)]
        return ReceivedNotice(
            row.message_id, row.permit_number, row.sender, row.recipient, row.exported_at, items
        )

    def notified(
        self, number: str | None, low: datetime | None, high: datetime | None
    ) -> list[ConsignmentRecord]:
        """Export notices applied here (exports in the period), the latest per permit, with their items."""
        where = _within((partner_notices.c.permit_number, partner_notices.c.exported_at), number, low, high)
        head = (
            select(
                partner_notices.c.message_id,
                partner_notices.c.permit_number,
                partner_notices.c.exported_at,
                partner_notices.c.sender,
            )
            .join(partner_inbox, partner_inbox.c.message_id == partner_notices.c.message_id)
            .where(*where)
            .order_by(
                partner_notices.c.exported_at, partner_inbox.c.received_at, partner_notices.c.message_id
            )
        )
        latest: dict[str, tuple[str, ConsignmentRecord]] = {}
        for row in self.connection.execute(head):
            latest[row.permit_number] = (
                row.message_id,
                ConsignmentRecord(row.permit_number, row.sender, row.exported_at, {}),
            )
        if not latest:
            return []
        by_message = {message_id: record for message_id, record in latest.values()}
        lines = (
            select(
                partner_notice_items.c.message_id,
                partner_notice_items.c.item_key,
                partner_notice_items.c.notified_kg,
            )
            .join(partner_notices, partner_notices.c.message_id == partner_notice_items.c.message_id)
            .where(*where)
        )
        for message_id, key, kg in self.connection.execute(lines):
            record = by_message.get(message_id)
            if record is not None:
                record.items[key] = kg
        return [record for _, record in latest.values()]

    def sent(self, kind: str, numbers: Iterable[str]) -> dict[str, MessageRecord]:
        """The latest message of `kind` in the outbox for each permit."""
        return self._latest(partner_outbox, partner_outbox.c.created_at, kind, numbers)

    def received(self, kind: str, numbers: Iterable[str]) -> dict[str, MessageRecord]:
        """The latest message of `kind` applied from a partner for each permit."""
        return self._latest(partner_inbox, partner_inbox.c.received_at, kind, numbers)

    def _latest(self, table: Table, at: Any, kind: str, numbers: Iterable[str]) -> dict[str, MessageRecord]:
        wanted = sorted(set(numbers))
        found: dict[str, MessageRecord] = {}
        outbox = table is partner_outbox
        columns = [table.c.permit_number, table.c.message, at.label("at")]
        if outbox:
            columns += [table.c.delivered_at, table.c.attempts, table.c.last_error]
        for part in chunked(wanted, 500):
            newest = (
                select(table.c.permit_number, func.max(at).label("newest"))
                .where(table.c.kind == kind, table.c.permit_number.in_(part))
                .group_by(table.c.permit_number)
                .subquery()
            )
            query = (
                select(*columns)
                .join(newest, and_(newest.c.permit_number == table.c.permit_number, newest.c.newest == at))
                .where(table.c.kind == kind)
            )
            for row in self.connection.execute(query):
                extra = (row.delivered_at, row.attempts, row.last_error) if outbox else ()
                found[row.permit_number] = MessageRecord(row.permit_number, row.message, row.at, *extra)
        return found
