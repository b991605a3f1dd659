"""Running totals (`item_totals`, `harvest_totals`, kept by triggers: migration 0021) checked against
a full recount of the rows they total, and filled again from them.

A total and its recount are both read as {key: figures}; a key with figures of zero is the same as
a key that is not there (a total that fell to zero stays as a row of zeros)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, Table, delete, text

from kiik.custody.adapters.tables import event_totals, events, item_totals, items
from kiik.custody.domain.running_totals import TotalDifference

# An item's key in item_totals, its mass in micrograms (as the triggers of migration 0021 write them).
ITEM_KEY = (
    "coalesce(holder_org_id, 0)",
    "status",
    "coalesce(site, '')",
    "coalesce(species, '')",
    "coalesce(product_type, '')",
    "is_class",
)
ITEM_FIGURES = ("count(*)", "coalesce(sum(CAST(round(coalesce(mass_kg, 0) * 1000000000) AS BIGINT)), 0)")


def _read(
    connection: Connection, query: Select[Any] | str, width: int
) -> dict[tuple[Any, ...], tuple[int, ...]]:
    rows = connection.execute(text(query) if isinstance(query, str) else query)
    found = {}
    for row in rows:
        figures = tuple(int(v) for v in row[width:])
        if any(figures):
            found[tuple(row[:width])] = figures  # SQLite's 1 and 0 are True and False as keys
    return found


def differences(
    connection: Connection, table: Table, key: Sequence[str], recount: str
) -> list[TotalDifference]:
    """Where `table` (key columns `key`, then its figures) differs from `recount` (the same shape)."""
    figures = [c for c in table.c if c.name not in key]
    kept = _read(connection, Select(*(table.c[k] for k in key), *figures), len(key))
    counted = _read(connection, recount, len(key))
    zero = (0,) * len(figures)
    return [
        TotalDifference(table.name, k, kept.get(k, zero), counted.get(k, zero))
        for k in sorted(set(kept) | set(counted), key=repr)
        if kept.get(k, zero) != counted.get(k, zero)
    ]


def refill(connection: Connection, table: Table, recount: str, locked: Sequence[Table]) -> None:
    """Fill `table` again from `recount`, the `locked` tables kept from changing meanwhile (on
    PostgreSQL; SQLite has one writer)."""
    if connection.dialect.name == "postgresql":
        names = ", ".join(t.name for t in locked)
        connection.execute(text(f"LOCK TABLE {names}, {table.name} IN SHARE ROW EXCLUSIVE MODE"))
    connection.execute(delete(table))
    connection.execute(text(f"INSERT INTO {table.name} ({', '.join(c.name for c in table.c)}) {recount}"))


def item_recount() -> str:
    keys = ", ".join(ITEM_KEY)
    return f"SELECT {keys}, {', '.join(ITEM_FIGURES)} FROM items GROUP BY {keys}"


ITEM_TOTAL_KEY = ("holder_org_id", "status", "site", "species", "product_type", "is_class")


EVENT_RECOUNT = "SELECT coalesce(org_id, 0), count(*) FROM events GROUP BY coalesce(org_id, 0)"


def custody_differences(connection: Connection) -> list[TotalDifference]:
    """Where item_totals and event_totals differ from a recount of the items and events."""
    return [
        *differences(connection, item_totals, ITEM_TOTAL_KEY, item_recount()),
        *differences(connection, event_totals, ("org_id",), EVENT_RECOUNT),
    ]


def refill_custody(connection: Connection) -> None:
    refill(connection, item_totals, item_recount(), [items])
    refill(connection, event_totals, EVENT_RECOUNT, [events])
