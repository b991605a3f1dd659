"""How a permit appears in EPCIS events: the export that customs records under it.

The permit is a business transaction of the export event (`bizTransactionList`), of kiik's type
`urn:kiik:btt:cites_permit`, its value `urn:kiik:permit:<number>`; a bill of lading is a CBV
`bol` transaction. The port of export is the event's extension field `kiik:exportPort`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kiik.epcis.domain.event_builders import EPCIS_CONTEXT, KIIK_CONTEXT, receiving
from kiik.epcis.domain.vocabulary import DISPOSITION_EXPORTED, KIIK_PREFIX

BTT_CITES_PERMIT = "urn:kiik:btt:cites_permit"
PERMIT_URN = "urn:kiik:permit:"
BOL_URN = "urn:kiik:bol:"
EXPORT_PORT = f"{KIIK_PREFIX}:exportPort"


def permit_urn(number: str) -> str:
    return PERMIT_URN + number


def permit_numbers(event: Mapping[str, Any]) -> list[str]:
    """The permit numbers an event names as business transactions."""
    numbers = []
    for entry in event.get("bizTransactionList") or ():
        if not isinstance(entry, Mapping):
            continue
        value = entry.get("bizTransaction")
        if isinstance(value, str) and value.startswith(PERMIT_URN):
            numbers.append(value[len(PERMIT_URN) :])
    return list(dict.fromkeys(numbers))


def export_port(event: Mapping[str, Any]) -> str | None:
    for name, value in event.items():
        if isinstance(value, str) and (name == EXPORT_PORT or name.endswith(":exportPort")):
            return value
    return None


def bill_of_lading(event: Mapping[str, Any]) -> str | None:
    for entry in event.get("bizTransactionList") or ():
        value = entry.get("bizTransaction") if isinstance(entry, Mapping) else None
        if isinstance(value, str) and value.startswith(BOL_URN):
            return value[len(BOL_URN) :]
    return None


def export_event(
    number: str,
    epcs: Sequence[str],
    lots: Sequence[tuple[str, float]],
    moment: datetime,
    site: str | None,
    port: str | None = None,
    bill: str | None = None,
) -> dict[str, Any]:
    """Customs records that items left the country under a permit (lots with the kg that left)."""
    event = receiving(epcs, moment, site)  # an OBSERVE of the items at the customs post, then:
    event.update(bizStep="departing", disposition=DISPOSITION_EXPORTED)
    if not epcs:
        del event["epcList"]
    if lots:
        event["quantityList"] = [{"epcClass": key, "quantity": kg, "uom": "KGM"} for key, kg in lots]
    transactions = [{"type": BTT_CITES_PERMIT, "bizTransaction": permit_urn(number)}]
    if bill:
        transactions.append({"type": "bol", "bizTransaction": BOL_URN + bill.replace(" ", "-")})
    event["bizTransactionList"] = transactions
    if port:
        event[EXPORT_PORT] = port
    event["@context"] = [EPCIS_CONTEXT, dict(KIIK_CONTEXT)]
    return event
