"""Seized goods under custody: each step (evidence store, court, destruction, transfer to science,
return) is captured as an EPCIS event on the seizure's codes and recorded with who and when."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from kiik.custody.services.capture import capture_within
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.enforcement.domain.disposal import SEIZED, next_step, step_event
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.matching import DocumentEvent, is_lot
from kiik.enforcement.services.ports import enforcement_store
from kiik.errors import NotFound

# Codes whose item custody holds as seized by this seizure (the others were gone or foreign).
_IN_CUSTODY = frozenset({"registered", "never_issued", "other_species", "other_product"})


def record_step(
    uow: UnitOfWork,
    principal: Principal,
    reference: str,
    step: str,
    place: str,
    note: str | None = None,
    at: datetime | None = None,
    *,
    custody_rules: bool = True,
) -> dict[str, Any]:
    require(principal, Permission.SEIZURES_RECORD)
    if not place.strip():
        raise EnforcementError(
            f"place: say where the goods of seizure {reference} are (store, court, centre)"
        )
    with uow:
        store = enforcement_store(uow)
        seizure = store.seizure(reference)
        if seizure is None:
            raise NotFound(f"no seizure {reference!r}: check the reference")
        steps = store.custody_steps(seizure["id"])
        current = steps[-1]["step"] if steps else SEIZED
        wanted = next_step(reference, current, step)
        codes = [c["code"] for c in store.codes(seizure["id"]) if c["reason"] in _IN_CUSTODY]
        event_id = None
        if codes:
            sites = uow.directory.sites(principal.org_id)
            event = step_event(
                wanted,
                [c for c in codes if not is_lot(c)],
                [(c, 1.0) for c in codes if is_lot(c)],
                at or datetime.now(UTC),
                sites[0].sgln if sites else None,
            )
            event_id = event["eventID"] = f"urn:uuid:{uuid.uuid4()}"
            outcome = capture_within(
                uow, principal, [DocumentEvent(0, event)], custody_rules=custody_rules, yields={}
            )
            if not outcome.succeeded:
                problems = "; ".join(f"{e['rule']}: {e['message']}" for e in outcome.errors[:5])
                raise EnforcementError(
                    f"the step {wanted} of seizure {reference} was refused, nothing recorded: {problems}"
                )
        store.add_custody_step(
            seizure["id"],
            wanted,
            place.strip(),
            note,
            event_id,
            len(codes),
            principal.org_id,
            f"{principal.role} of {principal.org_name}",
        )
        store.set_disposition(seizure["id"], wanted)
        uow.commit()
    return {
        "seizure": reference,
        "step": wanted,
        "place": place.strip(),
        "eventID": event_id,
        "codes": len(codes),
    }
