"""Shared set-up for benchmarks: a fresh database on SQLite or PostgreSQL, and generated documents."""

from __future__ import annotations

import json
import socket
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import uvicorn

from kiik.app import create_app
from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry
from kiik.config import Settings
from kiik.custody.services.capture import CaptureOutcome, capture_events
from kiik.db.engine import make_engine, normalise_url
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation, add_site, create_token
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.domain import event_builders as build
from kiik.harvest.domain.authorisations import SAIGA
from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest


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


HARVESTER_SITE = "urn:epc:id:sgln:4870002.00000.0"


def harvest_setup(
    registry: Registry, animals: int, team: str = "harvest", prefix: str = "4870002"
) -> tuple[Principal, str, dict[str, str]]:
    """A ministry (the one there is, else a new one) and a harvest team (`team`, GS1 company prefix
    `prefix`: its site is urn:epc:id:sgln:<prefix>.00000.0) with an authorisation for `animals` Ural
    saigas in autumn 2025.

    Returns the team's principal, an API token of it, and the ILMD that places a horn inside the
    authorisation (to which each event adds its animal and mass)."""
    with registry.uow() as uow:
        found = uow.directory.organisation("ministry")
    ministry_id = (
        found.id
        if found is not None
        else add_organisation(
            registry.uow(), "ministry", "Ministry", "ministry", "urn:epc:id:pgln:4870001.00000"
        )
    )
    org_id = add_organisation(
        registry.uow(), team, "Harvest team", "harvester", f"urn:epc:id:pgln:{prefix}.00000"
    )
    add_site(registry.uow(), team, f"urn:epc:id:sgln:{prefix}.00000.0", "Camp")
    token = create_token(registry.uow(), team, "operator").token
    ministry = Principal(ministry_id, "ministry", "Ministry", OrgKind.MINISTRY, Role.ADMIN)
    command = AuthoriseHarvest(team, "Ural", date(2025, 8, 1), date(2025, 12, 31), animals)
    number = authorise_harvest(registry.uow(), ministry, command).authorisation.identifier
    origin = {
        "species": SAIGA,
        "population": "Ural",
        "sex": "male",
        "harvestPoint": "50.95,51.35",
        "harvestAuthorisation": number,
    }
    return Principal(org_id, team, "Harvest team", OrgKind.HARVESTER, Role.OPERATOR), token, origin


def commissioning_document(
    path: Path,
    count: int,
    item_reference: str,
    site: str,
    origin: dict[str, str] | None = None,
    prefix: str = "4870002",
) -> Path:
    """A document of `count` horn commissioning events, one horn each (two per animal), with origin ILMD."""
    start = datetime(2025, 9, 1, 6, 0, tzinfo=UTC)
    with path.open("w") as out:
        head = build.document([])
        out.write(json.dumps(head)[: -len("[]}}")] + "[")
        for n in range(count):
            event = build.commissioning(
                [f"urn:epc:id:sgtin:{prefix}.{item_reference}.{n + 1}"],
                start + timedelta(seconds=n),
                site,
                ilmd={
                    **(origin or {}),
                    **_animal_point(origin, n // 2),
                    "animalID": f"A{item_reference}-{n // 2}",
                    "harvestDate": "2025-09-01",
                    "massKg": 0.25,
                    "productType": "whole_horn",
                },
            )
            out.write(("," if n else "") + json.dumps(event))
        out.write("]}}")
    return path


def _animal_point(origin: dict[str, str] | None, animal: int) -> dict[str, str]:
    """Each animal taken at its own place (both its horns carry it), a little south and west of the
    origin's harvest point: still well inside the Ural population's range."""
    if not origin or "harvestPoint" not in origin:
        return {}
    latitude, longitude = (float(v) for v in origin["harvestPoint"].split(","))
    latitude -= (animal % 499) * 0.001
    longitude -= (animal % 97) * 0.002
    return {"harvestPoint": f"{latitude:.4f},{longitude:.4f}"}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return statistics.median(ordered), p95


def capture_file(registry: Registry, principal: Principal, source: Path | bytes) -> CaptureOutcome:
    """A document captured as `kiik capture` captures it: read ahead, every rule on, committed."""
    with open_capture_document(source) as reader:
        return capture_events(
            registry.uow(),
            principal,
            reader.events(),
            custody_rules=True,
            yields=registry.settings.yields,
            document_problems=reader.document_problems,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(registry: Registry) -> Iterator[str]:
    """kiik's app served on a free local port in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(registry), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
