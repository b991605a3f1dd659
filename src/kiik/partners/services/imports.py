"""The importing country's side: a notice applied registers the items; customs' arrival scan is
confirmed back to the exporting registry, signed, through the outbox.

Applying a notice captures, in the inbox's transaction, the partner exporter's registration and
shipment of the notified items to this country's customs (partners/domain/import_events.py), so the custody
rules accept customs' arrival as a receipt and refuse anything else. Recording the arrival captures
customs' scan and puts the confirmation in the outbox in one transaction: no confirmation without
the arrival, no arrival without its confirmation.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.custody.services.capture import capture_within
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import OrgKind, Permission, Principal, Role, require
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import NotFound
from kiik.partners.domain.import_events import (
    IMPORT_CONFIRMATION,
    ReceivedNotice,
    arrival,
    confirmation_body,
    import_registration,
    partner_exporter_code,
    received_notice,
)
from kiik.partners.domain.messages import MessageRefused
from kiik.partners.services.outbox import send_to_partner, utcnow
from kiik.permits.domain.lifecycle import PermitError
from kiik.permits.services.ports import PermitRefused


@dataclass
class DocumentEvent:
    index: int
    event: dict[str, Any]
    problems: Sequence[Any] = ()


def _capture(uow: Any, principal: Principal, events: list[dict[str, Any]], what: str) -> str:
    for event in events:
        event["eventID"] = f"urn:uuid:{uuid.uuid4()}"
    outcome = capture_within(
        uow, principal, [DocumentEvent(i, e) for i, e in enumerate(events)], custody_rules=True, yields={}
    )
    if not outcome.succeeded:
        problems = "; ".join(f"{e['rule']}: {e['message']}" for e in outcome.errors[:5])
        raise MessageRefused("inapplicable", f"{what} could not be recorded here: {problems}")
    return str(events[-1]["eventID"])


def _partner_exporter(uow: Any, sender: str) -> Principal:
    code = partner_exporter_code(sender)
    org = uow.directory.organisation(code)
    if org is None:
        org = uow.directory.add_organisation(
            code, f"Exporters of {sender} (through the partner registry)", OrgKind.TRADER.value, None, sender
        )
    return Principal(org.id, org.code, org.name, OrgKind.TRADER, Role.OPERATOR)


def _customs(uow: Any) -> tuple[str, str | None]:
    """This country's customs: the party (PGLN) or site (SGLN) imports are shipped to."""
    for org in uow.directory.organisations():
        if org.kind == OrgKind.CUSTOMS.value:
            sites = uow.directory.sites(org.id)
            site = sites[0].sgln if sites else None
            if org.pgln or site:
                return str(org.pgln or site), site
    raise MessageRefused(
        "inapplicable",
        "no customs organisation with a PGLN or a site is registered here to receive the consignment: "
        "add one (`kiik org add CODE --kind customs --pgln ...`); the partner retries the notice",
    )


def apply_export_notice(uow: Any, payload: Mapping[str, Any]) -> None:
    """Register the notified items as shipped by the partner's exporter to this country's customs."""
    notice = received_notice(payload)
    party, site = _customs(uow)
    events = import_registration(notice.permit_number, notice.sender, notice.items, utcnow(), party, site)
    _capture(
        uow, _partner_exporter(uow, notice.sender), events, f"the items of export notice {notice.message_id}"
    )
    # Kept beside the signed notice, so that the arrival and reconciliation need not decode its history.
    uow.consignments.record_notice(notice)


@dataclass(frozen=True)
class RecordArrival:
    """What customs scanned on arrival under a permit, and for lots (or any item) the kg weighed."""

    number: str
    items: Sequence[str]
    masses: Mapping[str, float] = field(default_factory=dict)
    at: datetime | None = None


def notice_for(uow: Any, number: str) -> ReceivedNotice:
    notice: ReceivedNotice | None = uow.consignments.notice(number)
    if notice is None:
        raise NotFound(
            f"no export notice for permit {number} was received: check the number, "
            "or ask the exporting registry whether it was delivered (its `kiik partner deliver`)"
        )
    return notice


def record_arrival(uow: UnitOfWork, principal: Principal, command: RecordArrival) -> dict[str, Any]:
    """Capture customs' arrival scan and send the signed import confirmation back; its body."""
    require(principal, Permission.PERMITS_ENDORSE)
    if not command.items:
        raise PermitError("name the items that arrived (scan their codes)")
    scanned = list(dict.fromkeys(item_key(code) for code in command.items))
    masses = {item_key(code): float(kg) for code, kg in command.masses.items()}
    with uow:
        store: Any = uow
        notice = notice_for(store, command.number)
        if any(m.kind == IMPORT_CONFIRMATION for m in store.partners.outbox(command.number)):
            raise PermitError(
                f"the arrival under permit {command.number} was confirmed already: a consignment is "
                "confirmed once; record later finds as seizures"
            )
        notified = notice.items
        known = {i.key: i for i in notified}
        arrived = [k for k in scanned if k in known]
        not_notified = [k for k in scanned if k not in known]
        if not arrived:
            raise PermitError(
                f"none of the scanned codes is on the notice of permit {command.number}: "
                "check the consignment"
            )
        sites = store.directory.sites(principal.org_id)
        site = sites[0].sgln if sites else None
        moment = command.at or datetime.now(UTC)
        lots = [(k, masses.get(k, known[k].kg or 0.0)) for k in arrived if k.startswith("urn:epc:class:")]
        epcs = [k for k in arrived if not k.startswith("urn:epc:class:")]
        event = arrival(command.number, epcs, lots, moment, site)
        event["eventID"] = f"urn:uuid:{uuid.uuid4()}"
        outcome = capture_within(uow, principal, [DocumentEvent(0, event)], custody_rules=True, yields={})
        if not outcome.succeeded:
            uow.rollback()
            problems = [Violation(e["rule"], e["message"], e.get("identifier")) for e in outcome.errors]
            raise PermitRefused(
                f"the arrival under permit {command.number} was refused; nothing was recorded", problems
            )
        received = {k: masses.get(k) for k in arrived}
        body = confirmation_body(
            command.number,
            notice.message_id,
            notified,
            received,
            not_notified,
            moment.astimezone(UTC).replace(tzinfo=None),
            event["eventID"],
        )
        send_to_partner(store, IMPORT_CONFIRMATION, notice.recipient, notice.sender, command.number, body)
        uow.commit()
    return body
