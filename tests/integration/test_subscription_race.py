"""A streaming subscription skips nothing when captures commit out of the order of their record times.

Two captures run at once on PostgreSQL: the first takes its record time, writes its events and is held
before it commits; the second, recorded later, commits; a delivery round gives the subscriber the
second's events; then the first commits, and the next round gives the subscriber its events too. A walk
by (recordTime, id) would have passed the first's record time already and skipped them; kiik walks by
a number given after commit (`number_new_events`). SQLite runs one writer at a time, so the race
cannot happen there (the second capture would wait for the first); the test runs on PostgreSQL.
Custody rules are off in both captures: with them, the harvest rule's lock on the authorisation
would make the second wait for the first, as it should, and there would be no race to show."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import events
from kiik.custody.services.capture import CaptureOutcome, capture_events
from kiik.custody.services.subscription_delivery import deliver_subscriptions
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from tests.integration.test_subscriptions import LOOPBACK, _subscribe, delivered_hashes, horns, sender
from tests.support.documents import capture
from tests.support.webhook import Receiver, start_receiver
from tests.support.world import make_world


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = start_receiver()
    yield started
    started.server.shutdown()
    started.server.server_close()


class HeldBeforeCommit:
    """A unit of work whose commit waits until the test lets it go (the capture is written, not yet
    visible to anyone else)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.written = threading.Event()
        self.go = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __enter__(self) -> HeldBeforeCommit:
        self.inner.__enter__()
        return self

    def __exit__(self, *args: object) -> None:
        self.inner.__exit__(*args)

    def commit(self) -> None:
        self.written.set()
        assert self.go.wait(60), "the test never let the capture commit"
        self.inner.commit()


# The race needs two writers at once: PostgreSQL only (SQLite runs one writer at a time).
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_an_event_committed_late_with_an_earlier_record_time_is_delivered(
    registry: Registry, receiver: Receiver
) -> None:
    allowed = replace(registry, settings=replace(registry.settings, webhook_allow=LOOPBACK))
    world = make_world(allowed)
    ministry, team = world["ministry"], world["harvester"]
    with TestClient(create_app(allowed)) as client:
        _subscribe(
            client, ministry, {"EQ_bizStep": ["commissioning"]}, {"dest": receiver.url, "stream": True}
        )

    # The second capture is another organisation's: two captures of one organisation's items
    # take the same rows of the running totals (migration 0021), so the second would wait for the
    # first to commit, as with custody rules on both wait for the Merkle log's lock.
    other = world["warehouse"]
    early, late = horns(team, 100, 3), horns(other, 200, 2)
    held = HeldBeforeCommit(allowed.uow())
    outcome: list[CaptureOutcome] = []
    failed: list[BaseException] = []

    def first_capture() -> None:
        reader = open_capture_document(json.dumps(build.document(early)).encode())
        settings = allowed.settings
        captured = capture_events(
            held, team.principal, reader.events(), custody_rules=False, yields=settings.yields
        )
        outcome.append(captured)

    thread = threading.Thread(target=first_capture)
    thread.start()
    try:
        assert held.written.wait(60) and not failed, failed
        # The second capture, recorded after the first, commits first; a round delivers it.
        assert capture(allowed, other.principal, late, rules=False).succeeded
        deliver_subscriptions(allowed.uow, sender())
        assert delivered_hashes(receiver) == sorted(event_hash_id(e) for e in late)
    finally:
        held.go.set()
        thread.join(60)
    assert not failed, failed
    assert outcome and outcome[0].succeeded, outcome
    # The race as it happened: the first capture's record time is before the second's.
    with allowed.engine.connect() as connection:
        recorded = {row.hash_id: row.record_time for row in connection.execute(select(events))}
    first, second = ([recorded[event_hash_id(e)] for e in batch] for batch in (early, late))
    assert max(first) < min(second)
    # The first capture's events, recorded earlier but committed later, come in the next round.
    deliver_subscriptions(allowed.uow, sender())
    assert delivered_hashes(receiver) == sorted(event_hash_id(e) for e in early + late)
    assert len(receiver.received) == 2  # each event once
