"""Customs endorses a permit at export: the items actually leaving are captured as an export event.

The event goes through `capture_events` like any other, so the custody rules (only customs may
export; items must be movable) and the permit rule (issued, valid, listed items, used once) are
applied, and the permit is endorsed in the same transaction as the event is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.custody.services.capture import CaptureOutcome, capture_events
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import N_, NotFound
from kiik.permits.domain.events import export_event
from kiik.permits.domain.lifecycle import PermitError
from kiik.permits.domain.model import Permit, unusable
from kiik.permits.services.ports import EventValidator, PermitRefused
from kiik.species.services.ports import CitesUnitOfWork


@dataclass(frozen=True)
class EndorseExport:
    """What customs saw leave: item codes, and for lots the kilograms that actually left."""

    number: str
    items: Sequence[str]
    quantities: Mapping[str, float] = field(default_factory=dict)
    port: str | None = None
    bill_of_lading: str | None = None
    at: datetime | None = None


@dataclass
class DocumentEvent:
    index: int
    event: dict[str, Any]
    problems: Sequence[Any]


def _site(uow: CitesUnitOfWork, principal: Principal) -> str | None:
    sites = uow.directory.sites(principal.org_id)
    return sites[0].sgln if sites else None


def endorse_export(
    uow: CitesUnitOfWork,
    principal: Principal,
    command: EndorseExport,
    validate: EventValidator,
    *,
    custody_rules: bool,
    yields: dict[str, float],
) -> tuple[Permit, CaptureOutcome]:
    require(principal, Permission.PERMITS_ENDORSE)
    if not custody_rules:
        raise PermitError(N_("permits are endorsed only while custody rules are on (KIIK_CUSTODY_RULES)"))
    if not command.items:
        raise PermitError(N_("name the items leaving the country (box 14)"))
    keys = [item_key(code) for code in command.items]
    quantities = {item_key(code): float(kg) for code, kg in command.quantities.items()}
    with uow:
        permit = uow.cites.permits.by_number(command.number)
        if permit is None:
            raise NotFound(f"no permit {command.number}: check the number")
        # Said first: the items of a used permit have left, and the custody rules would only say
        # that they cannot move.
        refusal = unusable(permit)
        if refusal is not None:
            raise PermitRefused(
                f"the export under permit {command.number} was refused; nothing was recorded", [refusal]
            )
        states = uow.items.load(keys)
        site = _site(uow, principal)
    listed = {item.key: item for item in permit.items}
    epcs = [k for k in keys if not (states[k].is_class if k in states else False)]
    lots = [
        (k, quantities.get(k, listed[k].quantity if k in listed else (states[k].mass_kg or 0.0)))
        for k in keys
        if k in states and states[k].is_class
    ]
    event = export_event(
        command.number,
        epcs,
        lots,
        command.at or datetime.now(UTC),
        site,
        command.port,
        command.bill_of_lading,
    )
    event["eventID"] = f"urn:uuid:{uuid.uuid4()}"
    outcome = capture_events(
        uow, principal, [DocumentEvent(0, event, validate(event))], custody_rules=True, yields=yields
    )
    if not outcome.succeeded:
        problems = [Violation(e["rule"], e["message"], e.get("identifier")) for e in outcome.errors]
        raise PermitRefused(
            f"the export under permit {command.number} was refused; nothing was recorded", problems
        )
    with uow:
        endorsed = uow.cites.permits.by_number(command.number)
    return endorsed, outcome
