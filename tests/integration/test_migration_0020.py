"""Migration 0020 on a database with events and a subscription already in it: events are numbered in
(record time, id) order, and a subscription's position (the id of the last event it was given)
becomes that event's number, so it resumes where it was. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import insert, text

from kiik.bootstrap.migrate import drift, is_current, upgrade
from kiik.cli.db_commands import ensure_database
from kiik.custody.adapters.tables import events, query_subscriptions
from kiik.db.engine import make_engine
from kiik.directory.adapters.tables import organisations

T = [datetime(2025, 9, 12, 8, minute) for minute in range(4)]


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_events_are_numbered_and_subscriptions_keep_their_place(new_database: Any, dialect: str) -> None:
    url = new_database(dialect, "m20")
    if dialect == "postgres":
        ensure_database(url)
    engine = make_engine(url)
    upgrade(engine, "0019")
    with engine.begin() as connection:
        # Only the columns revision 0019 has (an insert names only the columns it is given).
        connection.execute(
            insert(organisations).values(
                id=1, code="m", name="M", kind="ministry", country="KZ", created_at=T[0]
            )
        )
        # Stored in an order other than their record times: ids 1..4 recorded at T[2], T[0], T[3], T[1].
        for pk, moment in zip((1, 2, 3, 4), (T[2], T[0], T[3], T[1]), strict=True):
            connection.execute(
                insert(events).values(
                    id=pk,
                    hash_id=f"ni:///{pk}",
                    event_id=f"ni:///{pk}",
                    event_type="ObjectEvent",
                    event_time=moment,
                    record_time=moment,
                    declares_error=False,
                    org_id=1,
                    body={},
                )
            )
        connection.execute(
            insert(query_subscriptions).values(
                id="s",
                query_name="q",
                org_id=1,
                role="viewer",
                dest="http://x",
                stream=True,
                report_if_empty=False,
                created_at=T[2],
                due_at=T[2],
                after_time=T[2],
                after_event=1,
                attempts=0,
            )
        )
    upgrade(engine)
    assert is_current(engine) and drift(engine) == []
    with engine.connect() as connection:
        numbers = dict(connection.execute(text("SELECT event_pk, seq FROM delivery_order")).all())
        position = connection.execute(text("SELECT after_event FROM query_subscriptions")).scalar()
    assert numbers == {2: 1, 4: 2, 1: 3, 3: 4}
    assert position == numbers[1]  # after event 1 (recorded at T[2]), which is number 3
    engine.dispose()
