"""`kiik verify-log`: recompute the Merkle log from the stored events and report what disagrees.

Each event's Event Hash ID is recomputed from its stored body, in capture order, and compared with
the hash the event row and the log's leaf hold; the tree rebuilt from the recomputed hashes must give
the root of every signed checkpoint. An edited body or hash, a deleted event, two events swapped or a
rewritten log each break one of these, and the report says where.

What was worked out from each event at capture is checked too: the columns queries filter on and
the identifiers an event names must be what its body says (an edited `biz_location` would make
`EQ_bizLocation` answer wrongly), and every item's stored state must be what the valid events give.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiik.custody.domain.check import DEFAULT_YIELDS
from kiik.custody.services.state_check import check_states
from kiik.db.unit_of_work import UnitOfWork
from kiik.epcis.domain.event_facts import read_event
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.epcis.services.records import column_differences
from kiik.ledger.domain import merkle


@dataclass
class LogReport:
    events: int = 0
    leaves: int = 0
    checkpoints: int = 0
    unlogged: int = 0
    items: int = 0
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
            "items_checked": self.items,
            "problems": self.problems,
        }


def verify_log(uow: UnitOfWork, yields: Mapping[str, float] | None = None) -> LogReport:
    """Check the log, the columns derived from each event, and the items' states (`yields`: the
    deployment's, with which the states were worked out)."""
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
            _check_columns(report, row, recomputed)
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
        states = check_states(uow, DEFAULT_YIELDS if yields is None else yields)
        report.items = states.compared
        for difference in states.differences:
            report.add(
                "state",
                difference.describe() + ": the item's state was changed outside kiik",
                key=difference.key,
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


def _check_columns(report: LogReport, row: Any, hash_id: str) -> None:
    try:
        facts = read_event(row.body)
    except (KeyError, ValueError, TypeError) as exc:
        report.add(
            "edited", f"event {row.event_pk}: its stored body cannot be read ({exc})", event_pk=row.event_pk
        )
        return
    for column, stored, derived in column_differences(row.columns, row.identifiers, facts, hash_id):
        report.add(
            "column",
            f"event {row.event_pk}: its {column} column says {stored!r} but its body says {derived!r}: the "
            f"row was changed after capture, and queries on {column} answer wrongly",
            event_pk=row.event_pk,
            column=column,
        )
