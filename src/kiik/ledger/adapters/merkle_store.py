"""Storage of the Merkle log: leaves (one per event, in capture order), perfect subtree hashes and
signed checkpoints. Rows are only ever inserted."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, text

from kiik.custody.adapters.tables import event_identifiers, events
from kiik.db.bulk_insert import insert_rows
from kiik.epcis.services.records import DERIVED_COLUMNS
from kiik.ledger.adapters.tables import merkle_checkpoints, merkle_leaves, merkle_nodes
from kiik.ledger.domain import merkle
from kiik.ledger.domain.merkle import Node

# Perfect subtrees of fewer than 2**STORED_FROM_LEVEL leaves are not stored: the few proofs and
# roots that need one work it out from its leaves (at most 8 of them), and the log then keeps one
# row per event rather than three.
STORED_FROM_LEVEL = 4

# The one advisory lock that orders appends to the log on PostgreSQL (SQLite has one writer).
LOG_LOCK = 9162_2026


@dataclass(frozen=True)
class Checkpoint:
    tree_size: int
    root: str
    issued_at: datetime
    key_id: str
    signature: str


@dataclass(frozen=True)
class LoggedEvent:
    """An event in capture order beside the leaf the log holds for it (None when it has none)."""

    event_pk: int
    hash_id: str
    body: dict[str, Any]
    position: int | None
    logged_hash_id: str | None
    # The columns queries filter on, as stored (each derived from the body at capture).
    columns: dict[str, Any] = field(default_factory=dict)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # as stored: (role, key)


class MerkleStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def lock(self) -> None:
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOG_LOCK})

    def size(self) -> int:
        last = self.connection.scalar(select(func.max(merkle_leaves.c.position)))
        return 0 if last is None else int(last) + 1

    def last_event_pk(self) -> int:
        return int(self.connection.scalar(select(func.max(merkle_leaves.c.event_pk))) or 0)

    def events_after(self, event_pk: int, limit: int) -> list[tuple[int, str]]:
        """Up to `limit` events after `event_pk`, in capture order (id, Event Hash ID)."""
        query = (
            select(events.c.id, events.c.hash_id)
            .where(events.c.id > event_pk)
            .order_by(events.c.id)
            .limit(limit)
        )
        return [(int(r.id), r.hash_id) for r in self.connection.execute(query)]

    def nodes(self, wanted: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """The hashes of perfect subtrees (level, index) that the log has; the lowest levels are
        worked out from their leaves, the others read as stored."""
        keys = sorted(set(wanted))
        found = self._computed_nodes([k for k in keys if k[0] < STORED_FROM_LEVEL])
        keys = [k for k in keys if k[0] >= STORED_FROM_LEVEL]
        for start in range(0, len(keys), 200):
            part = keys[start : start + 200]
            condition = or_(
                *(and_(merkle_nodes.c.level == lv, merkle_nodes.c.position == ix) for lv, ix in part)
            )
            for row in self.connection.execute(select(merkle_nodes).where(condition)):
                found[(row.level, int(row.position))] = bytes(row.hash)
        return found

    def append(self, size: int, logged: Sequence[tuple[int, str]], nodes: Sequence[Node]) -> None:
        if not logged:
            return
        insert_rows(
            self.connection,
            merkle_leaves,
            ("position", "event_pk", "hash_id"),
            [(size + i, pk, h) for i, (pk, h) in enumerate(logged)],
        )
        insert_rows(
            self.connection,
            merkle_nodes,
            ("level", "position", "hash"),
            [(n.level, n.index, n.hash) for n in nodes if n.level >= STORED_FROM_LEVEL],
        )

    def _computed_nodes(self, wanted: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """Subtrees below STORED_FROM_LEVEL, from their leaves (at most 2**STORED_FROM_LEVEL / 2 each);
        one whose leaves are not all there is left out, as a node never stored would be."""
        spans = {(lv, ix): range(ix << lv, (ix + 1) << lv) for lv, ix in wanted}
        positions = sorted({p for span in spans.values() for p in span})
        leaves: dict[int, str] = {}
        for start in range(0, len(positions), 500):
            part = positions[start : start + 500]
            query = select(merkle_leaves.c.position, merkle_leaves.c.hash_id).where(
                merkle_leaves.c.position.in_(part)
            )
            leaves.update((int(p), h) for p, h in self.connection.execute(query))
        return {
            key: merkle.root_of_leaves([merkle.event_leaf(leaves[p]) for p in span])
            for key, span in spans.items()
            if all(p in leaves for p in span)
        }

    def position_of(self, hash_id: str) -> int | None:
        query = select(func.min(merkle_leaves.c.position)).where(merkle_leaves.c.hash_id == hash_id)
        found = self.connection.scalar(query)
        return None if found is None else int(found)

    def position_of_event_id(self, event_id: str) -> tuple[int, str] | None:
        query = (
            select(merkle_leaves.c.position, merkle_leaves.c.hash_id)
            .join(events, events.c.id == merkle_leaves.c.event_pk)
            .where(events.c.event_id == event_id)
            .order_by(merkle_leaves.c.position)
            .limit(1)
        )
        row = self.connection.execute(query).first()
        return None if row is None else (int(row.position), row.hash_id)

    def latest_checkpoint(self) -> Checkpoint | None:
        query = select(merkle_checkpoints).order_by(merkle_checkpoints.c.tree_size.desc()).limit(1)
        row = self.connection.execute(query).first()
        return None if row is None else _checkpoint(row)

    def checkpoint(self, tree_size: int) -> Checkpoint | None:
        query = select(merkle_checkpoints).where(merkle_checkpoints.c.tree_size == tree_size)
        row = self.connection.execute(query).first()
        return None if row is None else _checkpoint(row)

    def checkpoints(self) -> list[Checkpoint]:
        query = select(merkle_checkpoints).order_by(merkle_checkpoints.c.tree_size)
        return [_checkpoint(r) for r in self.connection.execute(query)]

    def add_checkpoint(
        self, tree_size: int, root: str, issued_at: datetime, key_id: str, signature: str
    ) -> None:
        self.connection.execute(
            insert(merkle_checkpoints).values(
                tree_size=tree_size, root=root, issued_at=issued_at, key_id=key_id, signature=signature
            )
        )

    def logged_events(self, chunk: int = 5000) -> Iterator[LoggedEvent]:
        """Every event in capture order with its leaf, read in chunks."""
        after = 0
        while True:
            query = (
                select(
                    events.c.id,
                    events.c.hash_id,
                    events.c.body,
                    merkle_leaves.c.position,
                    merkle_leaves.c.hash_id.label("logged"),
                    *(events.c[name] for name in DERIVED_COLUMNS),
                )
                .outerjoin(merkle_leaves, merkle_leaves.c.event_pk == events.c.id)
                .where(events.c.id > after)
                .order_by(events.c.id)
                .limit(chunk)
            )
            rows = list(self.connection.execute(query))
            if not rows:
                return
            named: dict[int, list[tuple[str, str]]] = {}
            pks = [int(r.id) for r in rows]
            identified = select(
                event_identifiers.c.event_pk, event_identifiers.c.role, event_identifiers.c.key
            )
            for pk, role, key in self.connection.execute(
                identified.where(event_identifiers.c.event_pk.in_(pks))
            ):
                named.setdefault(int(pk), []).append((role, key))
            for r in rows:
                position = None if r.position is None else int(r.position)
                columns = {name: r._mapping[name] for name in DERIVED_COLUMNS}
                found = named.get(int(r.id), [])
                yield LoggedEvent(int(r.id), r.hash_id, r.body, position, r.logged, columns, found)
            after = int(rows[-1].id)

    def leaves_without_event(self) -> list[tuple[int, int]]:
        query = (
            select(merkle_leaves.c.position, merkle_leaves.c.event_pk)
            .outerjoin(events, events.c.id == merkle_leaves.c.event_pk)
            .where(events.c.id.is_(None))
        )
        return [(int(r.position), int(r.event_pk)) for r in self.connection.execute(query)]


def _checkpoint(row: Any) -> Checkpoint:
    return Checkpoint(int(row.tree_size), row.root, row.issued_at, row.key_id, row.signature)
