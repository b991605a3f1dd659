"""Error declarations: a record is corrected by a new event, never by editing the old one.

The declared events stay stored and are marked erroneous; the state of every item they named
is then rebuilt from the events that remain valid.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiik.custody.domain.rules import CustodyPolicy, apply_event
from kiik.custody.domain.state import Actor, Ledger, Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import OrgKind, Principal
from kiik.epcis.domain.event_facts import EventFacts, read_event
from kiik.epcis.services.records import new_event


def declare_errors(
    uow: UnitOfWork,
    event: dict[str, Any],
    facts: EventFacts,
    hash_id: str,
    principal: Principal,
    policy: CustodyPolicy,
    *,
    capture_id: str | None,
    record_time: datetime,
    write: bool,
) -> list[Violation]:
    """Store an error declaration and rebuild the state it affects. Returns what it broke."""
    event_id = event.get("eventID")
    targets = list(uow.events.by_event_id(event_id)) if event_id else []
    violations: list[Violation] = []
    if policy.enforce:
        if not targets:
            violations.append(
                Violation(
                    "error_declaration.unknown_event",
                    f"no recorded event has eventID {event_id!r}: an error declaration repeats the eventID "
                    "of the event it corrects"
                    if event_id
                    else "an error declaration must carry the eventID of the event it corrects",
                )
            )
        for target in targets:
            if target.org_id != principal.org_id and principal.org_kind is not OrgKind.MINISTRY:
                violations.append(
                    Violation(
                        "error_declaration.not_owner",
                        f"event {event_id} was recorded by another organisation; only it or the ministry "
                        "may declare it erroneous",
                    )
                )
    if violations or not write:
        return violations
    row = new_event(event, facts, hash_id, principal.org_id, capture_id, record_time)
    [declaration_pk] = uow.events.add([row])
    for target in targets:
        uow.events.mark_erroneous(target.pk, declaration_pk)
    rebuild_items(uow, uow.events.identifiers_of([t.pk for t in targets]), policy)
    return []


def rebuild_items(uow: UnitOfWork, keys: list[str], policy: CustodyPolicy) -> None:
    """Recompute the state of `keys` from their valid events, in the order they happened."""
    if not keys:
        return
    fresh = set(keys)

    def load(wanted: Any) -> dict[str, Any]:
        return {k: v for k, v in uow.items.load(wanted).items() if k not in fresh}

    ledger = Ledger(load, uow.items.children)
    ledger.preload(keys)
    directory = policy.directory
    lenient = CustodyPolicy(directory=directory, yields=policy.yields, enforce=False)
    for stored in uow.events.touching(keys, include_erroneous=False):
        actor = Actor(stored.org_id or 0, directory.kind_of(stored.org_id))
        apply_event(read_event(stored.body), actor, ledger, lenient)
    rebuilt = [state for state in ledger.changed_states() if state.key in fresh]
    uow.items.remove(fresh)
    uow.items.save(rebuilt)
