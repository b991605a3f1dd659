"""The export notice: when customs endorses an export, a signed notice for the importing country's
registry goes into the outbox in the same transaction (a capture rule, after the permit rule).

The notice carries the permit's boxes with the actual quantities, and the items with their history
as EPCIS 2.0 events: every event naming an item, and, back through transformations, the events of
the horns it was made from, down to their commissioning at harvest. No partner registered for the
import country: no notice (reconciliation shows the permit as not notified).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.services.records import WrittenEvent
from kiik.partners.domain.messages import EXPORT_NOTICE, make_message
from kiik.permits.domain.events import permit_numbers

# How deep provenance is followed back through transformations (lots of lots of horns...).
MAX_PROVENANCE_DEPTH = 8


class ExportNotices:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow: Any = uow
        self.pending: list[tuple[str, list[str], str]] = []

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.declares_error or facts.biz_step is None or "departing" not in facts.biz_step:
            return []
        numbers = permit_numbers(event)
        if not numbers:
            return []
        keys = list(facts.epcs) + [q.key for q in facts.quantities]
        self.pending.append((numbers[0], keys, principal.org_code))
        return []

    def written(self, events: Sequence[WrittenEvent]) -> None:
        pending, self.pending = self.pending, []
        for number, keys, org_code in pending:
            queue_export_notice(self.uow, number, keys, org_code)


def permit_boxes(permit: Any) -> dict[str, Any]:
    return {
        "number": permit.number,
        "kind": permit.kind.value,
        "importer": {"name": permit.importer_name, "address": permit.importer_address},
        "import_country": permit.import_country,
        "purpose": permit.purpose,
        "source": permit.source,
        "scientific_name": permit.scientific_name,
        "quantity_kg": permit.quantity_kg,
        "used_kg": permit.used_kg,
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
        "endorsed_at": permit.endorsed_at.isoformat() + "Z" if permit.endorsed_at else None,
        "export_port": getattr(permit, "export_port", None),
        "bill_of_lading": getattr(permit, "bill_of_lading", None),
        "lines": [
            {
                "item": item.key,
                "line": item.line,
                "scientific_name": item.scientific_name,
                "term": item.term,
                "unit": item.unit,
                "quantity": item.quantity,
                "actual_quantity": item.actual_quantity,
            }
            for item in permit.items
        ],
    }


def item_histories(uow: Any, keys: list[str]) -> list[dict[str, Any]]:
    """Every event naming the items and, through transformations, their sources, in time order."""
    seen_events: dict[int, Any] = {}
    seen_keys: set[str] = set()
    frontier = list(dict.fromkeys(keys))
    for _ in range(MAX_PROVENANCE_DEPTH):
        frontier = [k for k in frontier if k not in seen_keys]
        if not frontier:
            break
        seen_keys.update(frontier)
        found = [e for e in uow.events.touching(frontier, include_erroneous=False) if e.pk not in seen_events]
        seen_events.update((e.pk, e) for e in found)
        roles = uow.events.roles_of([e.pk for e in found if e.event_type == "TransformationEvent"])
        frontier = [
            key for pairs in roles.values() for role, key in pairs if role in ("input", "input_class")
        ]
    ordered = sorted(seen_events.values(), key=lambda e: (e.event_time, e.pk))
    return [e.body for e in ordered]


def _country_of(uow: Any, org_code: str) -> str:
    org = uow.directory.organisation(org_code)
    return str(getattr(org, "country", "") or "KZ")


def queue_export_notice(uow: Any, number: str, keys: list[str], org_code: str) -> str | None:
    """Sign the notice of an endorsed export and put it in the outbox; its id (None: no partner)."""
    permit = uow.cites.permits.by_number(number)
    if permit is None:
        return None
    partner = uow.partners.by_country(permit.import_country)
    if partner is None:
        return None
    sender = _country_of(uow, org_code)
    message_id = f"urn:uuid:{uuid.uuid4()}"
    body = {"permit": permit_boxes(permit), "items": keys, "events": item_histories(uow, keys)}
    key_id, _ = uow.keys.ensure()
    message = make_message(
        EXPORT_NOTICE,
        message_id,
        sender,
        partner.country,
        datetime.now(UTC).replace(tzinfo=None),
        body,
        key_id,
        lambda data: uow.keys.sign(data)[1],
    )
    uow.partners.enqueue(message_id, partner.id, EXPORT_NOTICE, number, message)
    return message_id
