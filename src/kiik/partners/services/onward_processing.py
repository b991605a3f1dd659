"""Onward processing reported back: the importing registry tells the exporting one what its
processors made of imported items, so the exporter can follow an item to final processing.

On the importing side a capture rule (after the log) notices transformations whose inputs came
under a partner's export notice and, in the capture's transaction, puts a signed
`onward-processing` report in the outbox: the permit and the transformation events as EPCIS 2.0
JSON-LD. On the exporting side the report is checked against the permit (from that partner, naming
at least one of its items) and kept once in the inbox (GET /api/partner/processing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts, key_of
from kiik.epcis.services.records import WrittenEvent
from kiik.ledger.domain.signed_documents import read_signed
from kiik.partners.domain.import_events import ONWARD_PROCESSING
from kiik.partners.domain.messages import MessageRefused
from kiik.partners.services.outbox import send_to_partner


class OnwardProcessing:
    """Capture rule: refuses nothing; reports transformations of imported items to their exporter."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow: Any = uow
        self.imported: dict[str, tuple[str, str, str]] | None = None  # key -> (from, to, permit)
        self.pending: list[tuple[tuple[str, str, str], dict[str, Any]]] = []

    def _imported(self) -> dict[str, tuple[str, str, str]]:
        if self.imported is None:
            self.imported = {}
            if self.uow.partners.all():  # no partner: nothing was imported, no inbox read
                for row in self.uow.partners.inbox("export-notice"):
                    payload = read_signed(row.message).payload
                    origin = (str(payload["from"]), str(payload["to"]), str(row.permit_number))
                    self.imported.update((key, origin) for key in payload["body"].get("items", []))
        return self.imported

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.declares_error or facts.event_type != "TransformationEvent":
            return []
        keys = list(facts.inputs) + [q.key for q in facts.input_quantities]
        imported = self._imported()
        origins = {imported[k] for k in keys if k in imported}
        self.pending += [(origin, dict(event)) for origin in sorted(origins)]
        return []

    def written(self, events: Sequence[WrittenEvent]) -> None:
        pending, self.pending = self.pending, []
        for (exporter, importer, number), event in pending:
            body = {"permit_number": number, "events": [event]}
            send_to_partner(self.uow, ONWARD_PROCESSING, importer, exporter, number, body)


def apply_onward_processing(uow: Any, payload: Mapping[str, Any]) -> None:
    """Check a report names a permit exported to its sender and at least one of its items."""
    body, sender = payload["body"], str(payload["from"])
    number = str(body.get("permit_number", ""))
    permit = uow.cites.permits.by_number(number)
    if permit is None or permit.import_country != sender:
        raise MessageRefused(
            "inapplicable",
            f"no permit {number!r} for export to {sender} is on record here: "
            "report processing only of items imported under this registry's permits",
        )
    listed = {item.key for item in permit.items}
    named = [
        entry if isinstance(entry, str) else entry.get("epcClass")
        for event in body.get("events", [])
        for entry in list(event.get("inputEPCList", [])) + list(event.get("inputQuantityList", []))
    ]
    # Any spelling of a code (an EPC URN, as the partner's system may write it, or a Digital Link).
    inputs = {key_of(k) for k in named if isinstance(k, str)}
    if not inputs & listed:
        raise MessageRefused(
            "inapplicable",
            f"the reported processing uses none of the items of permit {number}: check the inputs",
        )
