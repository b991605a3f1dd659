"""The projection of current item state (`items`), read and written in the capture transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Dialect, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import TypeDecorator

from kiik.custody.adapters.running_totals import custody_differences, refill_custody
from kiik.custody.adapters.tables import MICROGRAMS, item_totals, items
from kiik.custody.domain.running_totals import TotalDifference
from kiik.custody.domain.state import ItemState, Status
from kiik.db.bulk_insert import array_parameter, insert_rows, update_rows

CHUNK = 500
ITEM_COLUMNS = (
    "key",
    "is_class",
    "holder_org_id",
    "site",
    "status",
    "parent_key",
    "quantity",
    "uom",
    "mass_kg",
    "product_type",
    "species",
    "destination_org_id",
    "last_event_time",
)


# The most states an item store keeps from one write to the next (see `ItemStore`).
MAX_KEPT_STATES = 250_000


def chunked(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def one_of(connection: Connection, column: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN (values)`; on PostgreSQL `column IN (SELECT unnest(array))`, one parameter instead
    of one per value, which neither SQLAlchemy nor psycopg then has to expand and parse again.

    Not `column = ANY(array)`: psycopg prepares a statement run five times, and PostgreSQL's generic
    plan for it compares every row with every element of the array one by one (the array is a
    parameter, so it is not hashed). On a table whose statistics are older than its rows (the
    10,000 items an export notice has just registered) that was a whole-table scan of 5 million
    comparisons per chunk, 0.13 s each; the subquery is joined by hash or through the index."""
    if connection.dialect.name == "postgresql":
        array = bindparam(None, array_parameter(list(values)), type_=_ArrayAsGiven(column.type))
        return column.in_(select(func.unnest(array)).scalar_subquery())
    return column.in_(values)


class _ArrayAsGiven(TypeDecorator[Any]):
    """An array parameter handed to the driver as it is given (SQLAlchemy's ARRAY would copy it
    into a plain list, and a `TextArray` would lose its binary form)."""

    impl = ARRAY
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


def state_from_row(row: Any) -> ItemState:
    """An item's state from a row of the items table, by column name."""
    return ItemState(
        key=row.key,
        is_class=bool(row.is_class),
        holder=row.holder_org_id,
        site=row.site,
        status=Status(row.status),
        parent=row.parent_key,
        quantity=row.quantity,
        uom=row.uom,
        mass_kg=row.mass_kg,
        product_type=row.product_type,
        species=row.species,
        destination=row.destination_org_id,
        last_event_time=row.last_event_time,
    )


_STATE_COLUMNS = tuple(items.c[name] for name in ITEM_COLUMNS)


def _state_of(values: Sequence[Any]) -> ItemState:
    """A state from a row of _STATE_COLUMNS, by position (capture loads thousands at a time)."""
    key, is_class, holder, site, status, parent, quantity, uom, mass, product, species, to, last = values
    return ItemState(
        key,
        bool(is_class),
        holder,
        site,
        Status(status),
        parent,
        quantity,
        uom,
        mass,
        product,
        species,
        to,
        last,
    )


def _values(state: ItemState) -> tuple[Any, ...]:
    """A state as a row in the order of ITEM_COLUMNS."""
    return (
        state.key,
        state.is_class,
        state.holder,
        state.site,
        state.status.value,
        state.parent,
        state.quantity,
        state.uom,
        state.mass_kg,
        state.product_type,
        state.species,
        state.destination,
        state.last_event_time,
    )


class ItemStore:
    """Item states in one transaction.

    The states read since the store last wrote are kept, and a second read of the same keys
    answers from them: within one batch capture reads many states twice (its custody ledger, then
    a rule such as a stock count, which compares the states of every item counted). Only this store
    writes items, and a write forgets them all."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._read: dict[str, ItemState | None] = {}

    def load(self, keys: Iterable[str]) -> dict[str, ItemState]:
        wanted = list(dict.fromkeys(keys))
        found: dict[str, ItemState] = {}
        missing = []
        read = self._read
        for key in wanted:
            if key in read:
                state = read[key]
                if state is not None:
                    found[key] = state
            else:
                missing.append(key)
        if len(read) + len(missing) > MAX_KEPT_STATES:
            read.clear()
        for part in chunked(missing):
            query = select(*_STATE_COLUMNS).where(one_of(self.connection, items.c.key, part))
            for row in self.connection.execute(query):
                found[row[0]] = _state_of(row)
            for key in part:
                read[key] = found.get(key)
        return found

    def get(self, key: str) -> ItemState | None:
        return self.load([key]).get(key)

    def children(self, parent: str) -> list[str]:
        return list(self.connection.scalars(select(items.c.key).where(items.c.parent_key == parent)))

    def children_of_many(self, parents: Sequence[str]) -> dict[str, list[str]]:
        """The stored children of each parent (parents without children are left out)."""
        found: dict[str, list[str]] = {}
        for part in chunked(list(parents)):
            query = select(items.c.key, items.c.parent_key).where(
                one_of(self.connection, items.c.parent_key, part)
            )
            for key, parent in self.connection.execute(query):
                found.setdefault(parent, []).append(key)
        return found

    def save(
        self,
        states: Sequence[ItemState],
        new_keys: set[str] | None = None,
        stored: Mapping[str, ItemState] | None = None,
    ) -> None:
        """Insert new states and overwrite existing ones (the projection, not the events).

        `new_keys`, when the caller knows them, saves looking up which states exist already;
        `stored`, the states as loaded, lets an update write only the columns that changed (and
        so touch only the indexes over them)."""
        if not states:
            return
        if new_keys is None:
            existing = set(self.load(s.key for s in states))
        else:
            existing = {s.key for s in states if s.key not in new_keys}
        insert_rows(
            self.connection, items, ITEM_COLUMNS, [_values(s) for s in states if s.key not in existing]
        )
        changed: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for state in states:
            if state.key not in existing:
                continue
            values = _values(state)
            before = stored.get(state.key) if stored is not None else None
            if before is None:
                changed.setdefault(ITEM_COLUMNS, []).append(values)
                continue
            old = _values(before)
            at = tuple(n for n, (a, b) in enumerate(zip(values, old, strict=True)) if a != b)
            if at:
                columns = (ITEM_COLUMNS[0], *(ITEM_COLUMNS[n] for n in at))
                changed.setdefault(columns, []).append((values[0], *(values[n] for n in at)))
        for columns, rows in changed.items():
            update_rows(self.connection, items, "key", columns, rows)
        self._read.clear()

    def remove(self, keys: Iterable[str]) -> None:
        self._read.clear()
        for part in chunked(list(keys)):
            self.connection.execute(delete(items).where(items.c.key.in_(part)))

    def held_by(self, org_id: int, limit: int = 1000) -> list[ItemState]:
        query = select(items).where(items.c.holder_org_id == org_id).order_by(items.c.key).limit(limit)
        return [state_from_row(r) for r in self.connection.execute(query)]

    def count_by_status(self, holder_org_id: int | None) -> list[tuple[str, int, float | None]]:
        """(status, items, kg) from the running totals (`item_totals`, kept by triggers on `items`)."""
        t = item_totals.c
        query = select(t.status, func.sum(t.item_count), func.sum(t.mass_ug)).group_by(t.status)
        if holder_org_id is not None:
            query = query.where(t.holder_org_id == holder_org_id)
        rows = self.connection.execute(query.order_by(t.status))
        return [(row[0], int(row[1]), int(row[2]) / MICROGRAMS) for row in rows if row[1]]

    def total_differences(self) -> list[TotalDifference]:
        """Where custody's running totals (`item_totals`, `event_totals`) differ from a recount."""
        return custody_differences(self.connection)

    def refill_totals(self) -> None:
        """Fill custody's running totals again from a recount of the items and events."""
        refill_custody(self.connection)

    def all_states(self, chunk: int = 5000) -> Iterator[ItemState]:
        """Every item's stored state, in key order, read in chunks."""
        after: str | None = None
        while True:
            query = select(*_STATE_COLUMNS).order_by(items.c.key).limit(chunk)
            if after is not None:
                query = query.where(items.c.key > after)
            rows = list(self.connection.execute(query))
            if not rows:
                return
            yield from (_state_of(row) for row in rows)
            after = rows[-1][0]
