"""Shared fixtures: a registry on SQLite and on PostgreSQL, clean for every test.

Each test starts from empty tables (truncated before it runs), so no test depends on another's
order. Every pytest-xdist worker has its own SQLite file and its own PostgreSQL database, made
for the run and dropped after it. With KIIK_REQUIRE_POSTGRES=1 (CI) a missing PostgreSQL fails
the PostgreSQL tests instead of skipping them.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry
from kiik.bootstrap.schema import metadata
from kiik.config import Settings
from kiik.db.engine import make_engine

# Rich sizes its consoles from COLUMNS when they are made; tests read whole lines of CLI output.
os.environ["COLUMNS"] = "200"

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
POSTGRES_ADMIN_URL = os.environ.get("KIIK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRE_POSTGRES = os.environ.get("KIIK_REQUIRE_POSTGRES") == "1"


def pytest_configure(config: pytest.Config) -> None:
    if not REFERENCE.is_dir():
        raise pytest.UsageError(
            f"the reference files are missing: expected {REFERENCE} (../shared beside the clone)"
        )


@pytest.fixture(scope="session")
def reference() -> Path:
    return REFERENCE


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("db") / f"kiik-{_worker()}.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    import psycopg

    name = f"kiik_test_{_worker()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required (KIIK_REQUIRE_POSTGRES=1) but unreachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Names of databases that do not exist yet (`kiik init` or a restore makes them), on SQLite or
    PostgreSQL as the test asks: `new_database("sqlite", "a")`; the PostgreSQL ones are dropped after."""
    made: list[str] = []

    def name(dialect: str, label: str) -> str:
        if dialect == "sqlite":
            return f"sqlite:///{tmp_path / label}.db"
        if not _postgres_reachable():
            if REQUIRE_POSTGRES:
                pytest.fail(
                    f"PostgreSQL is required (KIIK_REQUIRE_POSTGRES=1), unreachable at {POSTGRES_ADMIN_URL}"
                )
            pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
        database = f"kiik_test_{_worker()}_{label}_{uuid.uuid4().hex[:8]}"
        made.append(database)
        return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{database}"

    yield name
    if made:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            for database in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5).close()
    except psycopg.OperationalError:
        return False
    return True


_ENGINES: dict[str, Registry] = {}


def _clean(registry: Registry) -> None:
    names = [t.name for t in reversed(metadata.sorted_tables)]
    with registry.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            # Twice: deleting items and harvested horns writes their running totals (the triggers
            # of migration 0021), which may have been emptied before them.
            for name in [*names, *names]:
                connection.execute(text(f"DELETE FROM {name}"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # The signing keys' private halves, one folder per database (they live as long as it does).
    folder = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    keys = tmp_path_factory.getbasetemp() / "signing-keys" / folder
    return Settings(database_url=database_url, key_dir=str(keys))


@pytest.fixture
def registry(settings: Settings) -> Registry:
    """A registry on a clean database; its engine is reused across tests of the same database."""
    cached = _ENGINES.get(settings.database_url)
    if cached is None:
        cached = _ENGINES[settings.database_url] = Registry(settings, make_engine(settings.database_url))
    _clean(cached)
    return Registry(settings, cached.engine)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for registry in _ENGINES.values():
        registry.engine.dispose()
    _ENGINES.clear()
