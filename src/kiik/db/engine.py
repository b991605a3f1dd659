"""The database engine for a URL: SQLite with its pragmas, or PostgreSQL through psycopg 3."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event

from kiik.db.bulk_insert import send_text_arrays_in_binary


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # 64 MB of page cache per connection (the default is 2 MB): capture updates the rows and
            # indexes of thousands of items at a time, and a small cache reads the same pages again.
            cursor.execute("PRAGMA cache_size=-65536")
            cursor.close()

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _postgresql_session(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # No JIT compilation: PostgreSQL turns it on for any statement it expects to be costly,
        # such as capture's one UPDATE of thousands of item states, and then spends longer
        # compiling the statement (tens of ms) than running it. Set once the connection is open
        # rather than as a start-up option, which a connection pooler such as PgBouncer refuses.
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SET jit = off")
        dbapi_connection.autocommit = False
        send_text_arrays_in_binary(dbapi_connection)

    return engine
