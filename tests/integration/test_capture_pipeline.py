"""A large document is read ahead by a worker process; what capture decides must not depend on it.

Each test captures documents read in this process and read ahead by the worker, on SQLite and
PostgreSQL, and compares what capture reports and what it stores.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.bootstrap.schema import metadata
from kiik.custody.adapters.tables import event_identifiers, events, items
from kiik.custody.services.capture import CaptureOutcome, capture_events
from kiik.directory.domain.permissions import Principal
from kiik.epcis.adapters import capture_pipeline
from kiik.epcis.adapters.capture_pipeline import ReadAheadReader
from kiik.epcis.adapters.capture_source import READ_AHEAD_MIN_BYTES, open_capture_document
from kiik.epcis.domain import event_builders as build
from tests.support.harvest import authorised_origin
from tests.support.world import Member, make_world

T0 = datetime(2025, 9, 12, 8, 0, tzinfo=UTC)
CREATED = datetime(2025, 9, 20, 12, 0, tzinfo=UTC)


def horn(n: int) -> str:
    return f"urn:epc:id:sgtin:4870002.000001.{n}"


def encoded(events_: list[dict[str, Any]]) -> bytes:
    return json.dumps(build.document(events_, created=CREATED)).encode()


def harvest(origin: dict[str, Any], horns: range, site: str) -> list[dict[str, Any]]:
    return [
        build.commissioning(
            [horn(n)],
            T0 + timedelta(seconds=n),
            site,
            ilmd={**origin, "animalID": f"A-{n // 2}", "massKg": 0.25, "productType": "whole_horn"},
        )
        for n in horns
    ]


def capture(registry: Registry, principal: Principal, document: bytes, read_ahead: bool) -> CaptureOutcome:
    with open_capture_document(document, read_ahead=read_ahead) as reader:
        assert isinstance(reader, ReadAheadReader) == read_ahead
        return capture_events(
            registry.uow(),
            principal,
            reader.events(),
            custody_rules=True,
            yields=registry.settings.yields,
            batch_size=100,  # several batches, each written while the worker reads the next
            document_problems=reader.document_problems,
        )


def reported(outcome: CaptureOutcome) -> dict[str, Any]:
    return {
        "events": outcome.event_count,
        "stored": outcome.stored,
        "duplicates": outcome.duplicates,
        "errors": outcome.errors,
        "unreported": outcome.unreported_errors,
    }


def stored(registry: Registry) -> dict[str, list[Any]]:
    """Everything capture wrote, without the ids, times and capture ids that differ between runs."""
    kept = [c for c in events.c if c.name not in ("id", "record_time", "capture_id")]
    with registry.engine.connect() as connection:
        return {
            "events": [tuple(r) for r in connection.execute(select(*kept).order_by(events.c.id))],
            "identifiers": [
                tuple(r)
                for r in connection.execute(
                    select(events.c.hash_id, event_identifiers.c.role, event_identifiers.c.key)
                    .join(events, events.c.id == event_identifiers.c.event_pk)
                    .order_by(events.c.id, event_identifiers.c.role, event_identifiers.c.key)
                )
            ],
            "items": [tuple(r) for r in connection.execute(select(items).order_by(items.c.key))],
        }


def empty(registry: Registry) -> None:
    names = [t.name for t in reversed(metadata.sorted_tables)]
    with registry.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                connection.execute(text(f"DELETE FROM {name}"))


def season(registry: Registry, read_ahead: bool) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
    """A harvester commissions 600 horns and ships 300 of them; the warehouse receives them."""
    world = make_world(registry)
    team, warehouse = world["harvester"], world["warehouse"]
    origin = authorised_origin(registry, world)
    shipped = [horn(n) for n in range(300)]
    shipments = [
        build.shipping(
            shipped[n : n + 50], T0 + timedelta(days=1, minutes=n), team.sgln, team.pgln, warehouse.pgln
        )
        for n in range(0, 300, 50)
    ]
    arrivals = [
        build.receiving(shipped[n : n + 50], T0 + timedelta(days=2, minutes=n), warehouse.sgln)
        for n in range(0, 300, 50)
    ]
    outcomes = [
        capture(
            registry, team.principal, encoded(harvest(origin, range(600), team.sgln) + shipments), read_ahead
        ),
        capture(registry, warehouse.principal, encoded(arrivals), read_ahead),
        capture(registry, warehouse.principal, encoded(arrivals), read_ahead),  # already recorded
    ]
    return [reported(o) for o in outcomes], stored(registry)


def test_a_document_read_ahead_is_captured_as_when_read_in_process(registry: Registry) -> None:
    in_process = season(registry, read_ahead=False)
    empty(registry)
    read_ahead = season(registry, read_ahead=True)
    assert read_ahead == in_process
    reports, rows = read_ahead
    assert [r["stored"] for r in reports] == [606, 6, 0] and reports[2]["duplicates"] == 6
    assert len(rows["events"]) == 612 and len(rows["items"]) == 600


def refused(registry: Registry, read_ahead: bool) -> tuple[dict[str, Any], int]:
    """A document with a schema problem, custody violations, a repeated event and a cut-off end."""
    world = make_world(registry)
    team: Member = world["harvester"]
    origin = authorised_origin(registry, world)
    document = harvest(origin, range(400), team.sgln)
    document[7]["action"] = "CREATE"
    document[150] = build.receiving([horn(3)], T0 + timedelta(days=1), team.sgln)  # never shipped
    document[250] = dict(document[249])  # the same event twice: recorded once
    document[300]["epcList"] = [horn(299)]  # commissioned twice
    data = encoded(document)
    cut = data[: data.rindex(b"{", 0, len(data) - 2000)]  # the document ends inside an event
    outcome = capture(registry, team.principal, cut, read_ahead)
    with registry.engine.connect() as connection:
        written = int(connection.scalar(select(func.count()).select_from(events)) or 0)
    return reported(outcome), written


def test_a_refused_document_reports_the_same_errors_either_way(registry: Registry) -> None:
    in_process = refused(registry, read_ahead=False)
    empty(registry)
    read_ahead = refused(registry, read_ahead=True)
    assert read_ahead == in_process
    report, written = read_ahead
    assert written == 0 and report["stored"] == 0
    assert [(e["eventIndex"], e["rule"]) for e in report["errors"] if e["eventIndex"] is not None][:3] == [
        (7, "schema"),
        (150, "receiving.not_shipped"),
        (300, "identifier.already_commissioned"),
    ]
    assert report["errors"][-1]["eventIndex"] is None  # the cut-off end, a problem of the document


def test_a_large_document_is_read_ahead_unless_told_otherwise(registry: Registry) -> None:
    world = make_world(registry)
    team = world["harvester"]
    document = encoded(harvest(authorised_origin(registry, world, animals=1500), range(2500), team.sgln))
    assert len(document) >= READ_AHEAD_MIN_BYTES
    with open_capture_document(document) as reader:
        assert isinstance(reader, ReadAheadReader)
        outcome = capture_events(
            registry.uow(),
            team.principal,
            reader.events(),
            custody_rules=True,
            yields=registry.settings.yields,
            document_problems=reader.document_problems,
        )
    assert outcome.succeeded and outcome.stored == 2500
    assert not isinstance(open_capture_document(document, read_ahead=False), ReadAheadReader)
    assert not isinstance(open_capture_document(document[:1000]), ReadAheadReader)


def test_a_large_document_posted_over_http_is_captured(registry: Registry) -> None:
    world = make_world(registry)
    team = world["harvester"]
    document = encoded(harvest(authorised_origin(registry, world, animals=1500), range(2500), team.sgln))
    headers = {"Authorization": f"Bearer {team.token}", "Content-Type": "application/ld+json"}
    with TestClient(create_app(registry)) as client:
        answer = client.post("/epcis/capture", content=document, headers=headers)
        assert answer.status_code == 202, answer.text
        job = client.get(answer.headers["location"], headers=headers).json()
    assert job["success"] is True and job["storedCount"] == 2500, job["errors"][:3]


def test_stopping_early_stops_the_worker() -> None:
    document = encoded([build.receiving([horn(n)], T0, None) for n in range(10)])
    with ReadAheadReader(document) as reader:
        events_ = reader.events()
        assert next(events_).index == 0
        worker = reader._worker
        assert worker is not None and worker.poll() is None
    assert worker.poll() is not None


def test_a_document_the_worker_cannot_open_raises_as_in_process(tmp_path: Path) -> None:
    path = tmp_path / "gone.jsonld"
    path.write_bytes(encoded([]))
    reader = open_capture_document(path, read_ahead=True)
    path.unlink()
    with pytest.raises(FileNotFoundError):
        list(reader.events())


def test_a_worker_reads_one_document_after_another() -> None:
    document = encoded([build.receiving([horn(n)], T0, None) for n in range(10)])
    workers = []
    for _ in range(2):
        with ReadAheadReader(document) as reader:
            events_ = reader.events()
            first = next(events_)
            workers.append(reader._worker)
            assert [first.index, *(e.index for e in events_)] == list(range(10))
    assert workers[0] is workers[1] and workers[0] is not None and workers[0].poll() is None


def test_without_an_interpreter_to_start_the_document_is_read_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_interpreter() -> None:
        raise FileNotFoundError("no python")

    monkeypatch.setattr(capture_pipeline._WORKERS, "take", no_interpreter)
    document = encoded([build.receiving([horn(n)], T0, None) for n in range(3)])
    with ReadAheadReader(document[:-3]) as reader:  # cut off after the last event
        assert [e.index for e in reader.events()] == [0, 1, 2]
        assert [p.rule for p in reader.document_problems()] == ["json"]


def test_without_a_spare_core_the_document_is_read_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capture_pipeline, "_spare_cores", lambda: 0)
    document = encoded([build.receiving([horn(n)], T0, None) for n in range(3)])
    with ReadAheadReader(document) as reader:
        events_ = reader.events()
        assert next(events_).index == 0 and reader._worker is None
        assert [e.index for e in events_] == [1, 2]
