"""The Merkle log of captured events on SQLite and PostgreSQL: a leaf per event in capture order,
signed checkpoints, proofs that verify, and `verify_log` finding rows changed behind kiik's back."""

from __future__ import annotations

import json

from sqlalchemy import text

from kiik.epcis.domain.identifiers import canonical_key
from kiik.ledger.adapters.signing import verify_with
from kiik.ledger.domain import merkle
from kiik.ledger.services.log_verification import verify_log
from kiik.ledger.services.merkle_log import (
    consistency,
    inclusion,
    publish_checkpoint,
    sequence_pending,
    unb64,
)
from tests.support.season import small_season
from tests.support.world import make_world


def _keys(registry):  # type: ignore[no-untyped-def]
    with registry.uow() as uow:
        return {k.key_id: k.public_key for k in uow.keys.published()}


def test_every_captured_event_is_a_leaf_and_proofs_verify(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    small_season(registry, world, lot_count=1)
    with registry.uow() as uow:
        events = [
            (r.id, r.hash_id)
            for r in uow.log.connection.execute(text("SELECT id, hash_id FROM events ORDER BY id"))
        ]
        assert uow.log.size() == len(events) > 5
    first = publish_checkpoint(registry.uow(), "KZ")
    assert first.tree_size == len(events)
    assert first.root == merkle.root_of_leaves([merkle.event_leaf(h) for _, h in events]).hex()
    assert verify_with(_keys(registry)[first.key_id], first.note(), unb64(first.signature))
    assert publish_checkpoint(registry.uow(), "KZ") == first  # nothing new: the same checkpoint

    proof = inclusion(registry.uow(), events[3][1], first.tree_size)
    assert proof["leaf_index"] == 3
    assert merkle.verify_inclusion(
        merkle.event_leaf(events[3][1]),
        3,
        first.tree_size,
        [bytes.fromhex(p) for p in proof["proof"]],
        bytes.fromhex(first.root),
    )
    half = first.tree_size // 2
    answer = consistency(registry.uow(), half, first.tree_size)
    assert answer["to_root"] == first.root
    assert merkle.verify_consistency(
        half,
        first.tree_size,
        bytes.fromhex(answer["from_root"]),
        bytes.fromhex(first.root),
        [bytes.fromhex(p) for p in answer["proof"]],
    )
    assert verify_log(registry.uow()).intact


def test_verify_log_finds_an_event_changed_by_sql(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    small_season(registry, world, lot_count=1)
    publish_checkpoint(registry.uow(), "KZ")
    with registry.engine.begin() as connection:
        target = connection.execute(text("SELECT id, body FROM events ORDER BY id LIMIT 1 OFFSET 2")).one()
    body = json.loads(target.body) if isinstance(target.body, str) else dict(target.body)
    body["eventTime"] = "2020-01-01T00:00:00Z"
    value = "CAST(:body AS jsonb)" if registry.engine.dialect.name == "postgresql" else ":body"
    with registry.engine.begin() as connection:  # what someone with database access might do
        connection.execute(
            text(f"UPDATE events SET body = {value} WHERE id = :id"),
            {"body": json.dumps(body), "id": target.id},
        )
    report = verify_log(registry.uow())
    assert not report.intact
    assert {p["problem"] for p in report.problems} >= {"edited", "checkpoint"}
    assert any(p.get("event_pk") == target.id for p in report.problems)


def test_verify_log_finds_a_rewritten_leaf_order(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    small_season(registry, world, lot_count=1)
    publish_checkpoint(registry.uow(), "KZ")
    with registry.engine.begin() as connection:
        # Move the last leaf far away, as if events had been reordered in the log.
        connection.execute(text("UPDATE merkle_leaves SET position = position + 1000 WHERE position = 1"))
    problems = verify_log(registry.uow()).problems
    assert any(p["problem"] in {"deleted", "reordered"} for p in problems)


def test_verify_log_finds_a_query_column_changed_by_sql(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    small_season(registry, world, lot_count=1)
    assert verify_log(registry.uow()).intact
    with registry.engine.begin() as connection:
        target = connection.execute(
            text("SELECT id FROM events WHERE biz_location IS NOT NULL ORDER BY id LIMIT 1")
        ).scalar_one()
        connection.execute(
            text("UPDATE events SET biz_location = 'urn:epc:id:sgln:4870099.00000.0' WHERE id = :id"),
            {"id": target},
        )
    report = verify_log(registry.uow())
    assert not report.intact
    [problem] = report.problems
    assert problem["problem"] == "column" and problem["column"] == "biz_location"
    assert problem["event_pk"] == target
    assert "queries on biz_location answer wrongly" in problem["message"]


def test_verify_log_finds_an_identifier_row_removed_by_sql(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    small_season(registry, world, lot_count=1)
    with registry.engine.begin() as connection:
        pk, key = connection.execute(
            text("SELECT event_pk, key FROM event_identifiers ORDER BY event_pk LIMIT 1")
        ).one()
        connection.execute(text("DELETE FROM event_identifiers WHERE event_pk = :pk"), {"pk": pk})
    problems = verify_log(registry.uow()).problems
    assert [(p["problem"], p["column"], p["event_pk"]) for p in problems] == [("column", "identifiers", pk)]
    assert key in problems[0]["message"]


def test_verify_log_finds_an_item_state_changed_by_sql(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    season = small_season(registry, world, lot_count=1)
    assert verify_log(registry.uow()).items > 0
    with registry.engine.begin() as connection:
        connection.execute(
            text("UPDATE items SET holder_org_id = :org, status = 'active' WHERE key = :key"),
            {"org": world["customs"].org_id, "key": canonical_key(season.trader_horns[0])},
        )
    problems = verify_log(registry.uow()).problems
    assert [p["problem"] for p in problems] == ["state"]
    assert problems[0]["key"] == canonical_key(season.trader_horns[0])
    assert "holder" in problems[0]["message"]


def test_events_loaded_without_leaves_are_logged_a_chunk_at_a_time(registry) -> None:  # type: ignore[no-untyped-def]
    """A registry loaded in bulk has events and no leaves: the log takes them a few at a time, and the
    tree is the one a leaf-by-leaf capture would have made."""
    world = make_world(registry)
    small_season(registry, world, lot_count=1)
    with registry.engine.begin() as connection:  # as a bulk load leaves it
        hashes = [r.hash_id for r in connection.execute(text("SELECT hash_id FROM events ORDER BY id"))]
        for table in ("merkle_nodes", "merkle_leaves"):
            connection.execute(text(f"DELETE FROM {table}"))
    assert len(hashes) > 7
    with registry.uow() as uow:
        assert uow.log.size() == 0
        assert sequence_pending(uow, chunk=3) == len(hashes)
        uow.commit()
    with registry.uow() as uow:
        positions = [r[0] for r in uow.log.connection.execute(text("SELECT position FROM merkle_leaves"))]
        assert sorted(positions) == list(range(len(hashes)))
    checkpoint = publish_checkpoint(registry.uow(), "KZ")
    assert checkpoint.tree_size == len(hashes)
    assert checkpoint.root == merkle.root_of_leaves([merkle.event_leaf(h) for h in hashes]).hex()
    assert verify_log(registry.uow()).intact
