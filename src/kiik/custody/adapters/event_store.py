"""Append-only storage of events and the identifiers they name. Nothing here updates or deletes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text, tuple_

from kiik.custody.adapters.item_store import chunked, one_of
from kiik.custody.adapters.tables import (
    erroneous_events,
    event_identifiers,
    event_totals,
    events,
    events_to_number,
)
from kiik.db.bulk_insert import insert_row_returning_id, insert_rows

# The columns of an event row as `add` builds it (the id is given apart).
EVENT_COLUMNS = (
    "hash_id",
    "event_id",
    "event_type",
    "event_time",
    "record_time",
    "action",
    "biz_step",
    "disposition",
    "read_point",
    "biz_location",
    "declares_error",
    "org_id",
    "capture_id",
    "body",
)
IDENTIFIER_COLUMNS = ("event_pk", "role", "key")


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


def _encoded(body: dict[str, Any] | None) -> str:
    if body is None:
        raise ValueError("an event row needs its body, or its body already encoded")
    return json.dumps(body)


class EventStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def existing_hashes(self, hashes: Iterable[str], declares_error: bool = False) -> set[str]:
        wanted = list(set(hashes))
        found: set[str] = set()
        for part in chunked(wanted):
            query = select(events.c.hash_id).where(
                one_of(self.connection, events.c.hash_id, part), events.c.declares_error == declares_error
            )
            found.update(self.connection.scalars(query))
        return found

    def add(self, new_events: Sequence[Any], bodies_json: Sequence[str | None] | None = None) -> list[int]:
        """Insert events (rows shaped as kiik.epcis.services.records.NewEventRow) and their identifiers;
        returns the new primary keys in order.

        `bodies_json` may hold bodies already encoded (`json.dumps(body)`, what the JSON column
        would store), one per event or None where the body is still to be encoded."""
        if not new_events:
            return []
        encoded = bodies_json if bodies_json is not None else [None] * len(new_events)
        rows = [
            (
                e.hash_id,
                e.event_id,
                e.event_type,
                e.event_time,
                e.record_time,
                e.action,
                e.biz_step,
                e.disposition,
                e.read_point,
                e.biz_location,
                e.declares_error,
                e.org_id,
                e.capture_id,
                body if body is not None else _encoded(e.body),
            )
            for e, body in zip(new_events, encoded, strict=True)
        ]
        pks = self._insert_with_ids(rows)
        identifier_rows = [
            (pk, role, key)
            for pk, event in zip(pks, new_events, strict=True)
            for role, key in event.identifiers
        ]
        insert_rows(self.connection, event_identifiers, IDENTIFIER_COLUMNS, identifier_rows)
        # Numbered for delivery once committed (see EventQueryStore.number_new_events).
        insert_rows(self.connection, events_to_number, ("event_pk",), [(pk,) for pk in pks])
        return pks

    def _insert_with_ids(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert event rows and return their ids, without a RETURNING round trip per row.

        PostgreSQL hands out the ids from the table's sequence first. SQLite has one writer at a
        time: the first row is inserted alone (which takes the write lock and gives the next id),
        and the rest follow with the ids after it, which nobody else can take meanwhile."""
        if self.connection.dialect.name == "postgresql":
            allocate = text(
                "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, :n)"
            )
            pks = [int(pk) for pk in self.connection.scalars(allocate, {"n": len(rows)})]
            with_ids = zip(pks, rows, strict=True)
        else:
            first = insert_row_returning_id(self.connection, events, EVENT_COLUMNS, rows[0])
            pks = list(range(first, first + len(rows)))
            with_ids = zip(pks[1:], rows[1:], strict=True)
        insert_rows(self.connection, events, ("id", *EVENT_COLUMNS), [(pk, *row) for pk, row in with_ids])
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
        """Events captured (by one organisation): the running totals kept by triggers on `events`."""
        query = select(func.coalesce(func.sum(event_totals.c.event_count), 0))
        if org_id is not None:
            query = query.where(event_totals.c.org_id == org_id)
        return int(self.connection.scalar(query) or 0)

    def last_pk(self) -> int:
        """The newest event's key (0 when there is none): one look-up in the primary key's index, so
        that a page can tell cheaply whether anything was captured since it last counted."""
        return int(self.connection.scalar(select(func.max(events.c.id))) or 0)

    def valid_in_order(self, chunk: int = 5000) -> Iterator[StoredEvent]:
        """Every event that is not an error declaration nor declared erroneous, in the order they
        happened (then as recorded): what an item's state is rebuilt from."""
        erroneous = select(erroneous_events.c.event_pk)
        after: tuple[datetime, int] | None = None
        while True:
            query = select(events).where(events.c.declares_error.is_(False), events.c.id.not_in(erroneous))
            if after is not None:
                query = query.where(tuple_(events.c.event_time, events.c.id) > tuple_(*after))
            rows = list(
                self.connection.execute(query.order_by(events.c.event_time, events.c.id).limit(chunk))
            )
            if not rows:
                return
            yield from (stored(row) for row in rows)
            after = (rows[-1].event_time, rows[-1].id)
