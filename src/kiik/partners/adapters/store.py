"""Partner registries, their published keys, the outbox of signed messages to them, the inbox of
messages applied from them and the partner log checkpoints seen (tables in tables_partners.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kiik.partners.adapters.tables import (
    partner_checkpoints,
    partner_inbox,
    partner_keys,
    partner_outbox,
    partners,
)
from kiik.permits.adapters.tables import permit_items, permits


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Partner:
    id: int
    country: str
    name: str
    base_url: str
    keys: dict[str, str]  # key id -> public key (base64url raw Ed25519)
    collects: bool = False  # collects the messages kept for it: none is delivered to its address


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    message_id: str
    partner_id: int
    kind: str
    permit_number: str | None
    message: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class InboxMessage:
    message_id: str
    partner_id: int
    kind: str
    permit_number: str | None
    message: str
    received_at: datetime


class PartnerStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, country: str, name: str, base_url: str, collects: bool = False) -> int:
        values = {"country": country, "name": name, "base_url": base_url, "collects": collects}
        result = self.connection.execute(insert(partners).values(**values, created_at=now()))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def set_url(self, partner_id: int, base_url: str, collects: bool = False) -> None:
        values = {"base_url": base_url, "collects": collects}
        self.connection.execute(update(partners).where(partners.c.id == partner_id).values(**values))

    def add_key(self, partner_id: int, key_id: str, public_key: str) -> bool:
        """Keep a key; False when it is already kept (keys are never dropped: old messages verify)."""
        known = self.connection.scalar(
            select(partner_keys.c.public_key).where(
                partner_keys.c.partner_id == partner_id, partner_keys.c.key_id == key_id
            )
        )
        if known is not None:
            return False
        self.connection.execute(
            insert(partner_keys).values(
                partner_id=partner_id, key_id=key_id, public_key=public_key, added_at=now()
            )
        )
        return True

    def all(self) -> list[Partner]:
        return [
            self._partner(r) for r in self.connection.execute(select(partners).order_by(partners.c.country))
        ]

    def by_country(self, country: str) -> Partner | None:
        row = self.connection.execute(select(partners).where(partners.c.country == country.upper())).first()
        return None if row is None else self._partner(row)

    def by_id(self, partner_id: int) -> Partner | None:
        row = self.connection.execute(select(partners).where(partners.c.id == partner_id)).first()
        return None if row is None else self._partner(row)

    def _partner(self, row: Any) -> Partner:
        keys = {
            k.key_id: k.public_key
            for k in self.connection.execute(select(partner_keys).where(partner_keys.c.partner_id == row.id))
        }
        return Partner(row.id, row.country, row.name, row.base_url, keys, row.collects)

    # outbox
    def enqueue(
        self, message_id: str, partner_id: int, kind: str, permit_number: str | None, message: str
    ) -> None:
        moment = now()
        self.connection.execute(
            insert(partner_outbox).values(
                message_id=message_id,
                partner_id=partner_id,
                kind=kind,
                permit_number=permit_number,
                message=message,
                created_at=moment,
                attempts=0,
                next_attempt_at=moment,
            )
        )

    def due(self, at: datetime, limit: int = 50) -> list[OutboxMessage]:
        """Messages to deliver now: not delivered, their time come, to a partner that does not
        collect its messages itself."""
        delivered_to = select(partners.c.id).where(partners.c.collects.is_(False))
        query = (
            select(partner_outbox)
            .where(
                partner_outbox.c.delivered_at.is_(None),
                partner_outbox.c.next_attempt_at <= at,
                partner_outbox.c.partner_id.in_(delivered_to),
            )
            .order_by(partner_outbox.c.id)
            .limit(limit)
        )
        return [OutboxMessage(**r._mapping) for r in self.connection.execute(query)]

    def outbox(self, permit_number: str | None = None) -> list[OutboxMessage]:
        query = select(partner_outbox).order_by(partner_outbox.c.id)
        if permit_number is not None:
            query = query.where(partner_outbox.c.permit_number == permit_number)
        return [OutboxMessage(**r._mapping) for r in self.connection.execute(query)]

    def delivered(self, outbox_id: int) -> None:
        self.connection.execute(
            update(partner_outbox)
            .where(partner_outbox.c.id == outbox_id)
            .values(delivered_at=now(), attempts=partner_outbox.c.attempts + 1, last_error=None)
        )

    def failed(self, outbox_id: int, error: str, retry_at: datetime) -> None:
        self.connection.execute(
            update(partner_outbox)
            .where(partner_outbox.c.id == outbox_id)
            .values(attempts=partner_outbox.c.attempts + 1, last_error=error[:2000], next_attempt_at=retry_at)
        )

    # inbox
    def received(self, message_id: str) -> InboxMessage | None:
        row = self.connection.execute(
            select(partner_inbox).where(partner_inbox.c.message_id == message_id)
        ).first()
        return None if row is None else InboxMessage(**row._mapping)

    def receive(
        self, message_id: str, partner_id: int, kind: str, permit_number: str | None, message: str
    ) -> None:
        self.connection.execute(
            insert(partner_inbox).values(
                message_id=message_id,
                partner_id=partner_id,
                kind=kind,
                permit_number=permit_number,
                message=message,
                received_at=now(),
            )
        )

    def inbox(self, kind: str | None = None, permit_number: str | None = None) -> list[InboxMessage]:
        query = select(partner_inbox).order_by(partner_inbox.c.received_at, partner_inbox.c.message_id)
        if kind is not None:
            query = query.where(partner_inbox.c.kind == kind)
        if permit_number is not None:
            query = query.where(partner_inbox.c.permit_number == permit_number)
        return [InboxMessage(**r._mapping) for r in self.connection.execute(query)]

    def inbox_for_items(self, kind: str, keys: list[str]) -> list[InboxMessage]:
        """Messages of `kind` about permits that list any of `keys`, oldest first."""
        if not keys:
            return []
        # Most registries have received no message of this kind: one look-up in the inbox then
        # spares matching hundreds of a lineage's items against every permit's items.
        anything = select(partner_inbox.c.message_id).where(partner_inbox.c.kind == kind).limit(1)
        if self.connection.scalar(anything) is None:
            return []
        numbers = (
            select(permits.c.number)
            .join(permit_items, permit_items.c.permit_id == permits.c.id)
            .where(permit_items.c.item_key.in_(keys))
        )
        query = (
            select(partner_inbox)
            .where(partner_inbox.c.kind == kind, partner_inbox.c.permit_number.in_(numbers))
            .order_by(partner_inbox.c.received_at, partner_inbox.c.message_id)
        )
        return [InboxMessage(**r._mapping) for r in self.connection.execute(query)]

    # the partner's log checkpoints
    def latest_checkpoint(self, partner_id: int) -> Any:
        query = (
            select(partner_checkpoints)
            .where(partner_checkpoints.c.partner_id == partner_id)
            .order_by(partner_checkpoints.c.tree_size.desc())
            .limit(1)
        )
        return self.connection.execute(query).first()

    def keep_checkpoint(self, partner_id: int, checkpoint: Any) -> None:
        exists = self.connection.scalar(
            select(partner_checkpoints.c.root).where(
                partner_checkpoints.c.partner_id == partner_id,
                partner_checkpoints.c.tree_size == checkpoint.tree_size,
            )
        )
        if exists is None:
            self.connection.execute(
                insert(partner_checkpoints).values(
                    partner_id=partner_id,
                    tree_size=checkpoint.tree_size,
                    root=checkpoint.root,
                    issued_at=checkpoint.issued_at,
                    key_id=checkpoint.key_id,
                    signature=checkpoint.signature,
                    seen_at=now(),
                )
            )
