"""Many rows written at once, the way each database takes them fastest: COPY on PostgreSQL, the
driver's own executemany on SQLite.

SQLAlchemy's `insert()` with many rows converts every row's parameters one at a time in Python,
and psycopg then sends one statement per row. Capture writes tens of thousands of rows to a few
tables, so those go through here instead. Values are converted exactly as the columns' SQLAlchemy
types convert them (on SQLite, times become text in SQLAlchemy's format), except JSON columns,
which take text that is already encoded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Connection, Dialect, Table
from sqlalchemy.exc import DBAPIError

Convert = Callable[[Any], Any]


class TextArray(list[str | None]):
    """Text values sent to PostgreSQL as one array parameter in binary form.

    psycopg writes an array parameter as text by default, quoting each element in Python: for the
    thousands of item keys of a shipment that cost a tenth of a PostgreSQL season. Its binary
    form is built nine times faster. Only arrays of this class are sent so (registered by
    `send_text_arrays_in_binary`), so that every other parameter keeps the form it had."""


def send_text_arrays_in_binary(dbapi_connection: Any) -> None:
    """Make a new psycopg connection send `TextArray` parameters in binary form."""
    from psycopg.types.array import ListBinaryDumper

    dbapi_connection.adapters.register_dumper(TextArray, ListBinaryDumper)


def array_parameter(values: list[Any]) -> list[Any]:
    """Values as one PostgreSQL array parameter: in binary form when they are all text; numbers
    that mix int and float all as float (psycopg refuses a list of mixed types either way)."""
    kinds = {value.__class__ for value in values if value is not None}
    if kinds <= {str}:
        return TextArray(values)
    if kinds == {int, float}:
        return [None if value is None else float(value) for value in values]
    return values


@lru_cache(maxsize=64)
def _conversions(table: Table, columns: tuple[str, ...], dialect: Dialect) -> tuple[tuple[int, Convert], ...]:
    found = []
    for position, name in enumerate(columns):
        kind = table.c[name].type
        if isinstance(kind, JSON):
            continue  # given as encoded text
        convert = kind.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            found.append((position, convert))
    return tuple(found)


def _converted(
    rows: Iterable[tuple[Any, ...]], conversions: tuple[tuple[int, Convert], ...]
) -> list[tuple[Any, ...]]:
    if not conversions:
        return list(rows)
    converted = []
    for row in rows:
        values = list(row)
        for position, convert in conversions:
            values[position] = convert(values[position])
        converted.append(tuple(values))
    return converted


def insert_rows(
    connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert rows (values in the order of `columns`) in the connection's transaction."""
    dialect = connection.dialect
    names = tuple(columns)
    values = _converted(rows, _conversions(table, names, dialect))
    if not values:
        return
    if dialect.name == "postgresql":
        quote = dialect.identifier_preparer.quote
        listed = ", ".join(quote(name) for name in names)
        _copy(connection, f"COPY {quote(table.name)} ({listed}) FROM STDIN", values)
        return
    connection.exec_driver_sql(_insert_statement(dialect, table, names), values)


def update_rows(
    connection: Connection, table: Table, key: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Overwrite rows found by their `key` column (values in the order of `columns`, which holds `key`).

    On PostgreSQL one statement joins the rows given as arrays (`unnest`), planned and sent once;
    on SQLite one statement is executed for every row by the driver itself."""
    dialect = connection.dialect
    names = tuple(columns)
    values = _converted(rows, _conversions(table, names, dialect))
    if not values:
        return
    at = names.index(key)
    if len(names) == 1:
        return  # nothing to change
    quote = dialect.identifier_preparer.quote
    if dialect.name == "postgresql":
        arrays = ", ".join(f"%s::{table.c[name].type.compile(dialect)}[]" for name in names)
        assignments = ", ".join(f"{quote(name)} = v.{quote(name)}" for name in names if name != key)
        listed = ", ".join(quote(name) for name in names)
        statement = (
            f"UPDATE {quote(table.name)} AS t SET {assignments} FROM unnest({arrays}) AS v({listed}) "
            f"WHERE t.{quote(key)} = v.{quote(key)}"
        )
        arrays_given = tuple(array_parameter(list(column)) for column in zip(*values, strict=True))
        # Each row is found through the key's index. Left to itself, PostgreSQL hashes the given
        # rows and reads the whole table past them (for each batch of a shipment, every item of
        # the registry), unless its statistics are fresh and say how large the table has grown.
        connection.exec_driver_sql("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
        try:
            connection.exec_driver_sql(statement, arrays_given)
        finally:
            connection.exec_driver_sql(
                "SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT"
            )
        return
    marker = _marker(dialect)
    assignments = ", ".join(f"{quote(name)} = {marker}" for name in names if name != key)
    statement = f"UPDATE {quote(table.name)} SET {assignments} WHERE {quote(key)} = {marker}"
    connection.exec_driver_sql(statement, [(*row[:at], *row[at + 1 :], row[at]) for row in values])


def insert_row_returning_id(
    connection: Connection, table: Table, columns: Sequence[str], row: tuple[Any, ...]
) -> int:
    """Insert one row (values in the order of `columns`) and return the id the database gave it."""
    dialect = connection.dialect
    names = tuple(columns)
    [values] = _converted([row], _conversions(table, names, dialect))
    [key] = table.primary_key.columns
    returning = f" RETURNING {dialect.identifier_preparer.quote(key.name)}"
    return int(
        connection.exec_driver_sql(_insert_statement(dialect, table, names) + returning, values).scalar_one()
    )


def _insert_statement(dialect: Dialect, table: Table, names: tuple[str, ...]) -> str:
    quote = dialect.identifier_preparer.quote
    marker = _marker(dialect)
    listed = ", ".join(quote(name) for name in names)
    return f"INSERT INTO {quote(table.name)} ({listed}) VALUES ({', '.join([marker] * len(names))})"


def _copy(connection: Connection, statement: str, rows: list[tuple[Any, ...]]) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None, "the connection is closed"
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except connection.dialect.loaded_dbapi.Error as error:
        # Raised as SQLAlchemy raises what it executes itself, so callers catch one kind of error.
        raise DBAPIError.instance(statement, None, error, connection.dialect.loaded_dbapi.Error) from error


def _marker(dialect: Dialect) -> str:
    """The driver's parameter placeholder: sqlite3 takes `?`, psycopg `%s`."""
    return "?" if dialect.paramstyle == "qmark" else "%s"
