"""Bulk writes and key look-ups on both databases, with values that are awkward to send.

On PostgreSQL, columns of text go as binary arrays (`TextArray`) and others in the driver's text
form; both must give back exactly what was written, including a column of masses that mixes whole
numbers and fractions (which psycopg refused as a list of mixed types before `array_parameter`)."""

from __future__ import annotations

from sqlalchemy import select

from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.item_store import one_of
from kiik.custody.adapters.tables import items
from kiik.db.bulk_insert import TextArray, array_parameter, insert_rows, update_rows

AWKWARD_KEYS = [
    'urn:kiik:odd:"quoted"',
    "urn:kiik:odd:back\\slash",
    "urn:kiik:odd:{braces},comma",
    "urn:kiik:odd:NULL",
    "urn:kiik:odd:сайгак",
    "https://id.gs1.org/01/04870002000010/21/1",
]
COLUMNS = ("key", "is_class", "status", "site", "mass_kg", "quantity")


def _site(n: int) -> str | None:
    return f'site "{n}" \\ {{x}}' if n % 2 else None


def _rows() -> list[tuple[object, ...]]:
    return [(key, False, "active", None, 0.25, None) for key in AWKWARD_KEYS]


def test_a_column_is_sent_as_a_text_array_only_when_it_holds_text() -> None:
    assert isinstance(array_parameter(["a", None, "b"]), TextArray)
    assert isinstance(array_parameter([None, None]), TextArray)
    assert not isinstance(array_parameter(["a", 1]), TextArray)
    assert array_parameter([1, 2.5, None]) == [1.0, 2.5, None]
    assert [type(v) for v in array_parameter([1, 2.5])] == [float, float]
    assert array_parameter([True, False]) == [True, False]


def test_updated_rows_read_back_as_written(registry: Registry) -> None:
    with registry.engine.begin() as connection:
        insert_rows(connection, items, COLUMNS, _rows())
        changed = [
            (key, False, "in_transit", _site(n), n if n % 3 else n + 0.5, None)
            for n, key in enumerate(AWKWARD_KEYS)
        ]
        update_rows(connection, items, "key", COLUMNS, changed)
    with registry.engine.connect() as connection:
        found = connection.execute(select(*(items.c[name] for name in COLUMNS))).all()
    assert sorted(tuple(row) for row in found) == sorted(changed)


def test_keys_are_found_by_one_array_parameter(registry: Registry) -> None:
    with registry.engine.begin() as connection:
        insert_rows(connection, items, COLUMNS, _rows())
    wanted = AWKWARD_KEYS[:4] + ["urn:kiik:odd:absent"]
    with registry.engine.connect() as connection:
        found = connection.scalars(select(items.c.key).where(one_of(connection, items.c.key, wanted))).all()
    assert sorted(found) == sorted(AWKWARD_KEYS[:4])


def test_postgresql_connections_run_without_jit_and_send_text_arrays_in_binary(postgres_url: str) -> None:
    """Each pooled connection is set up once, when it opens, and keeps it after a rollback."""
    from psycopg.adapt import PyFormat
    from psycopg.types.array import ListBinaryDumper
    from sqlalchemy import text

    from kiik.db.engine import make_engine

    engine = make_engine(postgres_url)
    try:
        for _ in range(2):
            with engine.connect() as connection:
                assert connection.execute(text("SHOW jit")).scalar() == "off"
                raw = connection.connection.dbapi_connection
                dumper = raw.adapters.get_dumper(TextArray, PyFormat.AUTO)
                assert issubclass(dumper, ListBinaryDumper)
                connection.rollback()
                assert connection.execute(text("SHOW jit")).scalar() == "off"
    finally:
        engine.dispose()
