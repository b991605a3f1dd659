"""A server killed during a capture leaves its job marked running; at the next start each such job is
told how it ended: succeeded when its document was committed, else failed with what to do. Never
left running for a client to poll for ever."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry, build
from kiik.config import Settings
from kiik.custody.adapters.tables import events
from kiik.custody.services.capture_jobs import job_document, settle_interrupted_jobs, start_job
from kiik.epcis.domain import event_builders as build_events
from tests.support.documents import capture
from tests.support.world import make_world


def test_jobs_left_running_are_settled_by_what_was_stored(registry: Registry) -> None:
    world = make_world(registry)
    team = world["harvester"]
    committed = start_job(registry.uow(), team.principal)
    lost = start_job(registry.uow(), team.principal)
    # The committed one's document was stored (as capture does, under the job's id) before the kill.
    event = build_events.commissioning(
        ["urn:epc:id:sgtin:4870002.000001.5"], datetime(2025, 9, 12, tzinfo=UTC), None
    )
    assert capture(registry, team.principal, [event]).succeeded
    with registry.engine.begin() as connection:
        connection.execute(update(events).values(capture_id=committed))

    assert settle_interrupted_jobs(registry.uow()) == {committed: "succeeded", lost: "failed"}
    done = job_document(registry.uow, team.principal, committed)
    assert not done["running"] and done["success"] and done["storedCount"] == 1
    failed = job_document(registry.uow, team.principal, lost)
    assert not failed["running"] and not failed["success"]
    [error] = failed["errors"]
    assert error["rule"] == "capture.interrupted" and "send the document again" in error["message"]
    assert settle_interrupted_jobs(registry.uow()) == {}


def test_serve_settles_them_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kiik.db'}"
    registry = build(Settings(database_url=url))
    upgrade(registry.engine)
    team = make_world(registry)["harvester"]
    job = start_job(registry.uow(), team.principal)
    server = subprocess.Popen(
        [sys.executable, "-m", "kiik.cli.main", "serve", "--db", url, "--port", "8997"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    try:
        assert server.stdout is not None
        for line in server.stdout:  # until the server says it serves: the jobs are settled before
            lines.append(line)
            if "kiik serving on" in line:
                break
        assert not job_document(registry.uow, team.principal, job)["running"]
    finally:
        server.terminate()
        server.communicate(timeout=30)
        registry.engine.dispose()
    assert "capture jobs a stopped server left running: 1 settled, 1 failed" in "".join(lines)


def test_a_job_whose_worker_died_is_settled_when_polled_and_a_live_one_is_not(registry: Registry) -> None:
    """Two workers (two lease holders on one database): the one polling settles what the dead one
    left, never what a live one runs. On PostgreSQL the dead worker's lease is a lock that its
    connection's end frees; on SQLite (one server process) a job this process does not run is dead."""
    from kiik.custody.adapters.job_leases import JobLeases

    team = make_world(registry)["harvester"]
    polling, other = JobLeases(registry.engine), JobLeases(registry.engine)
    live = start_job(registry.uow(), team.principal, polling)
    dead = start_job(registry.uow(), team.principal, other)
    assert polling.alive(live) and other.alive(dead)
    postgres = registry.engine.dialect.name == "postgresql"
    # The other worker is killed: its connections end, and PostgreSQL frees their locks.
    for connection in list(other._held.values()):
        if connection is not None:
            connection.invalidate()  # dropped as a killed process drops it: no unlock is sent
    other._held.clear()

    assert polling.alive(live)
    assert not polling.alive(dead)
    document = job_document(registry.uow, team.principal, dead, polling)
    assert not document["running"] and document["errors"][0]["rule"] == "capture.interrupted"
    assert job_document(registry.uow, team.principal, live, polling)["running"]
    # A worker that starts settles only what no live process runs.
    assert settle_interrupted_jobs(registry.uow(), JobLeases(registry.engine)) == (
        {} if postgres else {live: "failed"}
    )
    polling.release(live)
