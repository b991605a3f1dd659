"""The tamper-evident log of every captured event (RFC 9162 Merkle tree over Event Hash IDs).

Leaves are appended in the transaction that captures the events (`LogAppender`, a capture rule),
under one lock so that the order of leaves is the order in which captures commit. Checkpoints are
signed with the registry key; inclusion and consistency proofs are read from stored subtrees.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.services.records import WrittenEvent
from kiik.errors import NotFound
from kiik.ledger.domain import merkle
from kiik.ledger.domain.log_checkpoint import SignedCheckpoint, checkpoint_note

PENDING_CHUNK = 50_000  # events logged at a time when many are waiting for their leaves


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LogAppender:
    """Capture rule: takes the log's lock before the first event is written (so appends follow
    commit order) and appends a leaf for every event written, batch by batch."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.locked = False

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if not self.locked:
            self.uow.log.lock()  # type: ignore[attr-defined]
            self.locked = True
        return []

    def written(self, events: Sequence[WrittenEvent]) -> None:
        sequence_pending(self.uow)


def sequence_pending(uow: UnitOfWork, chunk: int = PENDING_CHUNK) -> int:
    """Append a leaf for each event not yet in the log, in capture order; the new tree size.
    Runs inside the caller's transaction (the caller commits). Events are taken `chunk` at a time,
    so that a registry loaded in bulk (millions of events without leaves) is logged in bounded memory."""
    log: Any = uow.log  # type: ignore[attr-defined]
    log.lock()
    size, last = log.size(), log.last_event_pk()
    while pending := log.events_after(last, chunk):
        edge_keys = merkle.frontier(size)
        stored = log.nodes(edge_keys)
        edge = [merkle.Node(lv, ix, stored[(lv, ix)]) for lv, ix in edge_keys]
        nodes = merkle.append(size, edge, [merkle.event_leaf(h) for _, h in pending])
        log.append(size, pending, nodes)
        size, last = size + len(pending), pending[-1][0]
        if len(pending) < chunk:
            break
    return int(size)


def _node_source(log: Any, plan: list[tuple[int, int]]) -> merkle.NodeSource:
    fetched = log.nodes(plan)

    def node(level: int, index: int) -> bytes:
        try:
            return fetched[(level, index)]  # type: ignore[no-any-return]
        except KeyError:
            raise NotFound(f"the log has no subtree ({level}, {index}): run `kiik verify-log`") from None

    return node


def _read(log: Any, compute: Any) -> Any:
    """Run a proof computation twice: first to learn which stored subtrees it reads (its control
    flow does not depend on hash values), then on those subtrees fetched in one query."""
    wanted: list[tuple[int, int]] = []

    def record(level: int, index: int) -> bytes:
        wanted.append((level, index))
        return b"\x00" * 32

    compute(record)
    return compute(_node_source(log, wanted))


def publish_checkpoint(uow: UnitOfWork, origin: str) -> SignedCheckpoint:
    """The signed checkpoint of the log as it is now (a new one when events were added since)."""
    with uow:
        size = sequence_pending(uow)
        log: Any = uow.log  # type: ignore[attr-defined]
        latest = log.latest_checkpoint()
        if latest is not None and latest.tree_size == size:
            uow.commit()
            return _signed(origin, latest)
        root = _read(log, lambda node: merkle.root(size, node)).hex()
        issued = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        keys: Any = uow.keys  # type: ignore[attr-defined]
        key_id, signature = keys.sign(checkpoint_note(origin, size, root, issued))
        log.add_checkpoint(size, root, issued, key_id, b64(signature))
        uow.commit()
    return SignedCheckpoint(origin, size, root, issued, key_id, b64(signature))


def _signed(origin: str, row: Any) -> SignedCheckpoint:
    return SignedCheckpoint(origin, row.tree_size, row.root, row.issued_at, row.key_id, row.signature)


def _size_or_latest(log: Any, size: int | None) -> int:
    latest = log.latest_checkpoint()
    if size is None:
        if latest is None:
            raise NotFound("the log has no checkpoint yet: GET /api/log/checkpoint makes one")
        return int(latest.tree_size)
    if size < 1 or size > log.size():
        raise NotFound(f"the log has no tree of {size} leaves: ask for a size from 1 to {log.size()}")
    return size


def inclusion(uow: UnitOfWork, event: str, size: int | None) -> dict[str, Any]:
    """The inclusion proof of an event (by Event Hash ID or eventID) in the tree of `size` leaves."""
    with uow:
        log: Any = uow.log  # type: ignore[attr-defined]
        size = _size_or_latest(log, size)
        found = log.position_of(event)
        hash_id = event
        if found is None:
            by_id = log.position_of_event_id(event)
            if by_id is not None:
                found, hash_id = by_id
        if found is None:
            raise NotFound(f"no event {event} in the log: give its Event Hash ID (ni:///...) or its eventID")
        if found >= size:
            raise NotFound(f"event {event} is leaf {found}, after a tree of {size}: ask for size > {found}")
        index = int(found)
        proof = _read(log, lambda node: merkle.inclusion_proof(index, size, node))
        root = _read(log, lambda node: merkle.root(size, node))
    return {
        "hash_id": hash_id,
        "leaf_index": index,
        "tree_size": size,
        "root": root.hex(),
        "proof": [p.hex() for p in proof],
    }


def consistency(uow: UnitOfWork, old: int, new: int) -> dict[str, Any]:
    """The consistency proof between the trees of `old` and `new` leaves (RFC 9162 §2.1.4)."""
    with uow:
        log: Any = uow.log  # type: ignore[attr-defined]
        if not 0 < old <= new or new > log.size():
            raise NotFound(
                f"no consistency proof from {old} to {new}: ask for 0 < from <= to <= {log.size()}"
            )
        proof = _read(log, lambda node: merkle.consistency_proof(old, new, node))
        old_root = _read(log, lambda node: merkle.root(old, node))
        new_root = _read(log, lambda node: merkle.root(new, node))
    return {
        "from": old,
        "to": new,
        "from_root": old_root.hex(),
        "to_root": new_root.hex(),
        "proof": [p.hex() for p in proof],
    }
