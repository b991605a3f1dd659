"""`kiik verify-log`: recompute the Merkle log from the stored events and report what disagrees.

Each event's Event Hash ID is recomputed from its stored body, in capture order, and compared with
the hash the event row and the log's leaf hold; the tree rebuilt from the recomputed hashes must give
the root of every signed checkpoint. An edited body or hash, a deleted event, two events swapped or a
rewritten log each break one of these, and the report says where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.ledger.domain import merkle


@dataclass
class LogReport:
    events: int = 0
    leaves: int = 0
    checkpoints: int = 0
    unlogged: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def add(self, problem: str, message: str, **where: Any) -> None:
        if len(self.problems) < 1000:
            self.problems.append({"problem": problem, "message": message, **where})

    def to_json(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "events": self.events,
            "leaves": self.leaves,
            "unlogged_events": self.unlogged,
            "checkpoints_checked": self.checkpoints,
            "problems": self.problems,
        }


def verify_log(uow: UnitOfWork) -> LogReport:
    report = LogReport()
    with uow:
        log: Any = uow.log  # type: ignore[attr-defined]
        checkpoints = {c.tree_size: c for c in log.checkpoints()}
        builder = merkle.RootBuilder()
        expected_position = 0
        for row in log.logged_events():
            report.events += 1
            recomputed = event_hash_id(row.body)
            if recomputed != row.hash_id:
                report.add(
                    "edited",
                    f"event {row.event_pk}: its stored body hashes to {recomputed}, not to the recorded "
                    f"{row.hash_id}: the row was changed after capture",
                    event_pk=row.event_pk,
                    position=row.position,
                )
            if row.position is None:
                report.unlogged += 1
                continue
            report.leaves += 1
            if row.position != expected_position:
                kind = "deleted" if row.position > expected_position else "reordered"
                report.add(
                    kind,
                    f"event {row.event_pk} is leaf {row.position} but comes {expected_position}th in capture "
                    f"order: leaves {expected_position}..{row.position - 1} have no event"
                    if kind == "deleted"
                    else f"event {row.event_pk} is leaf {row.position}, out of capture order",
                    event_pk=row.event_pk,
                    position=row.position,
                )
                expected_position = row.position
            if row.logged_hash_id != recomputed:
                report.add(
                    "edited",
                    f"leaf {row.position} logged {row.logged_hash_id} but event {row.event_pk} now hashes "
                    f"to {recomputed}",
                    event_pk=row.event_pk,
                    position=row.position,
                )
            builder.add(merkle.event_leaf(recomputed))
            expected_position += 1
            signed = checkpoints.get(builder.size)
            if signed is not None:
                report.checkpoints += 1
                if builder.root().hex() != signed.root:
                    report.add(
                        "checkpoint",
                        f"the events no longer give the signed root of checkpoint {signed.tree_size} "
                        f"(signed {signed.root}, recomputed {builder.root().hex()})",
                        tree_size=signed.tree_size,
                    )
        for position, event_pk in log.leaves_without_event():
            report.add("deleted", f"leaf {position} names event {event_pk}, which is gone", position=position)
        for size in checkpoints:
            if size > builder.size:
                report.add(
                    "deleted",
                    f"checkpoint {size} was signed over {size} events; only {builder.size} are logged now",
                    tree_size=size,
                )
    return report
