"""Shared set-up for benchmarks: a fresh database on SQLite or PostgreSQL, and generated documents."""

from __future__ import annotations

import json
import statistics
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiik.adapters.migrate import upgrade
from kiik.bootstrap import Registry, make_engine, normalise_url
from kiik.config import Settings
from kiik.domain import event_builders as build


@contextmanager
def fresh_registry(db: str | None, **settings: object) -> Iterator[Registry]:
    """A new, migrated database for one benchmark run, removed afterwards."""
    if db is None or db.startswith("sqlite"):
        folder = tempfile.TemporaryDirectory(prefix="kiik-bench-")
        url = f"sqlite:///{folder.name}/bench.db"
        engine = make_engine(url)
        upgrade(engine)
        try:
            yield Registry(Settings(database_url=url, **settings), engine)  # type: ignore[arg-type]
        finally:
            engine.dispose()
            folder.cleanup()
        return
    import psycopg

    admin = normalise_url(db).replace("postgresql+psycopg://", "postgresql://")
    name = f"kiik_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield Registry(Settings(database_url=url, **settings), engine)  # type: ignore[arg-type]
    finally:
        engine.dispose()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def commissioning_document(path: Path, count: int, item_reference: str, site: str) -> Path:
    """A document of `count` horn commissioning events, one horn each, with origin ILMD."""
    start = datetime(2025, 9, 1, 6, 0, tzinfo=UTC)
    with path.open("w") as out:
        head = build.document([])
        out.write(json.dumps(head)[: -len("[]}}")] + "[")
        for n in range(count):
            event = build.commissioning(
                [f"urn:epc:id:sgtin:4870002.{item_reference}.{n + 1}"],
                start + timedelta(seconds=n),
                site,
                ilmd={
                    "species": "Saiga tatarica",
                    "population": "Ural",
                    "animalID": f"A{n // 2}",
                    "sex": "male",
                    "massKg": 0.25,
                    "productType": "whole_horn",
                },
            )
            out.write(("," if n else "") + json.dumps(event))
        out.write("]}}")
    return path


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95
