"""Append-only storage of events and the identifiers they name. Nothing here updates or deletes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from kiik.adapters.item_store import chunked
from kiik.adapters.tables import erroneous_events, event_identifiers, events


@dataclass(frozen=True)
class StoredEvent:
    pk: int
    hash_id: str
    event_id: str
    event_type: str
    event_time: datetime
    record_time: datetime
    org_id: int | None
    declares_error: bool
    body: dict[str, Any]


def stored(row: Any) -> StoredEvent:
    return StoredEvent(
        pk=row.id,
        hash_id=row.hash_id,
        event_id=row.event_id,
        event_type=row.event_type,
        event_time=row.event_time,
        record_time=row.record_time,
        org_id=row.org_id,
        declares_error=row.declares_error,
        body=row.body,
    )


class EventStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def existing_hashes(self, hashes: Iterable[str], declares_error: bool = False) -> set[str]:
        wanted = list(set(hashes))
        found: set[str] = set()
        for part in chunked(wanted):
            query = select(events.c.hash_id).where(
                events.c.hash_id.in_(part), events.c.declares_error == declares_error
            )
            found.update(self.connection.scalars(query))
        return found

    def add(self, new_events: Sequence[Any]) -> list[int]:
        """Insert events (rows shaped as services.records.NewEventRow) and their identifiers;
        returns the new primary keys in order."""
        if not new_events:
            return []
        rows = [
            {
                "hash_id": e.hash_id,
                "event_id": e.event_id,
                "event_type": e.event_type,
                "event_time": e.event_time,
                "record_time": e.record_time,
                "action": e.action,
                "biz_step": e.biz_step,
                "disposition": e.disposition,
                "read_point": e.read_point,
                "biz_location": e.biz_location,
                "declares_error": e.declares_error,
                "org_id": e.org_id,
                "capture_id": e.capture_id,
                "body": e.body,
            }
            for e in new_events
        ]
        pks = self._insert_with_ids(rows)
        identifier_rows = [
            {"event_pk": pk, "role": role, "key": key}
            for pk, event in zip(pks, new_events, strict=True)
            for role, key in event.identifiers
        ]
        if identifier_rows:
            self.connection.execute(insert(event_identifiers), identifier_rows)
        return pks

    def _insert_with_ids(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert event rows and return their ids, without a RETURNING round trip per row.

        PostgreSQL hands out the ids from the table's sequence first. SQLite has one writer at a
        time: the first row is inserted alone (which takes the write lock and gives the next id),
        and the rest follow with the ids after it, which nobody else can take meanwhile."""
        if self.connection.dialect.name == "postgresql":
            allocate = text(
                "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, :n)"
            )
            pks = [int(pk) for pk in self.connection.scalars(allocate, {"n": len(rows)})]
            self.connection.execute(
                insert(events), [{**row, "id": pk} for row, pk in zip(rows, pks, strict=True)]
            )
            return pks
        first = int(self.connection.execute(insert(events).returning(events.c.id), rows[0]).scalar_one())
        pks = list(range(first, first + len(rows)))
        if len(rows) > 1:
            self.connection.execute(
                insert(events), [{**row, "id": pk} for row, pk in zip(rows[1:], pks[1:], strict=True)]
            )
        return pks

    def by_event_id(self, event_id: str, *, declarations: bool = False) -> list[StoredEvent]:
        query = select(events).where(events.c.event_id == event_id, events.c.declares_error == declarations)
        return [stored(r) for r in self.connection.execute(query.order_by(events.c.id))]

    def mark_erroneous(self, event_pk: int, declaration_pk: int) -> None:
        already = self.connection.scalar(
            select(erroneous_events.c.event_pk).where(erroneous_events.c.event_pk == event_pk)
        )
        if already is None:
            self.connection.execute(
                insert(erroneous_events).values(event_pk=event_pk, declaration_pk=declaration_pk)
            )

    def identifiers_of(self, event_pks: Sequence[int]) -> list[str]:
        keys: list[str] = []
        for part in chunked(list(event_pks)):
            query = select(event_identifiers.c.key).where(event_identifiers.c.event_pk.in_(part))
            keys.extend(self.connection.scalars(query))
        return list(dict.fromkeys(keys))

    def touching(self, keys: Sequence[str], *, include_erroneous: bool = True) -> list[StoredEvent]:
        """Every event naming any of the keys, in the order they happened (then as recorded)."""
        pks: set[int] = set()
        for part in chunked(list(keys)):
            query = select(event_identifiers.c.event_pk).where(event_identifiers.c.key.in_(part))
            pks.update(self.connection.scalars(query))
        if not pks:
            return []
        result: list[StoredEvent] = []
        for part in chunked(sorted(pks)):
            query = select(events).where(events.c.id.in_(part))
            if not include_erroneous:
                erroneous = select(erroneous_events.c.event_pk)
                query = query.where(events.c.id.not_in(erroneous), events.c.declares_error.is_(False))
            result.extend(stored(r) for r in self.connection.execute(query))
        return sorted(result, key=lambda e: (e.event_time, e.pk))

    def erroneous_pks(self, event_pks: Sequence[int]) -> set[int]:
        found: set[int] = set()
        for part in chunked(list(event_pks)):
            query = select(erroneous_events.c.event_pk).where(erroneous_events.c.event_pk.in_(part))
            found.update(self.connection.scalars(query))
        return found

    def roles_of(self, event_pks: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
        found: dict[int, list[tuple[str, str]]] = {}
        for part in chunked(list(event_pks)):
            query = select(event_identifiers).where(event_identifiers.c.event_pk.in_(part))
            for row in self.connection.execute(query):
                found.setdefault(row.event_pk, []).append((row.role, row.key))
        return found

    def count(self, org_id: int | None = None) -> int:
        query = select(func.count()).select_from(events)
        if org_id is not None:
            query = query.where(events.c.org_id == org_id)
        return int(self.connection.scalar(query) or 0)
