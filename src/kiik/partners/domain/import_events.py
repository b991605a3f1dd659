"""Imports from a partner registry, in the importing country's registry, as EPCIS events.

An applied export notice registers the notified items here as the foreign exporter's, shipped to
this country's customs (a commissioning and a shipping event of the partner's exporter, so the
custody rules then accept customs' arrival scan as a receipt). Customs' scan of what arrived
becomes the import confirmation sent back (items and kilograms received, like EPIX's
ConfirmQuantities).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiik.epcis.domain.event_builders import EPCIS_CONTEXT, KIIK_CONTEXT, commissioning, receiving, shipping
from kiik.epcis.domain.identifiers import InvalidIdentifier, canonical_key
from kiik.epcis.domain.vocabulary import KIIK_PREFIX
from kiik.permits.domain.events import BTT_CITES_PERMIT, permit_urn

IMPORT_CONFIRMATION = "import-confirmation"
ONWARD_PROCESSING = "onward-processing"
CLASS_PREFIX = "urn:epc:class:"


def is_class(key: str) -> bool:
    return key.startswith(CLASS_PREFIX)


def partner_exporter_code(country: str) -> str:
    """The organisation that stands here for the exporters of a partner country."""
    return f"partner-{country.upper()}"


@dataclass(frozen=True)
class NotifiedItem:
    key: str
    kg: float | None
    term: str | None = None
    # What the notice's events say the item is (ILMD productType of the event that made it), so
    # that the importer's plant can check the yield of what it makes of the item.
    product_type: str | None = None


@dataclass(frozen=True)
class ReceivedNotice:
    """An export notice applied here, as kept beside the inbox for customs and reconciliation."""

    message_id: str
    permit_number: str
    sender: str
    recipient: str
    exported_at: datetime | None
    items: Sequence[NotifiedItem]


def received_notice(payload: Mapping[str, Any]) -> ReceivedNotice:
    body = payload["body"]
    return ReceivedNotice(
        str(payload["id"]),
        str(body["permit"]["number"]),
        str(payload["from"]),
        str(payload["to"]),
        exported_at(body),
        notified_items(body),
    )


def notified_items(body: Mapping[str, Any]) -> list[NotifiedItem]:
    """The items of an export notice with the kilograms that actually left (box 14) and their
    product type as the notice's events state it."""
    lines = {line["item"]: line for line in body.get("permit", {}).get("lines", [])}
    products = product_types(body.get("events", []))
    items = []
    for key in body.get("items", []):
        line = lines.get(key, {})
        kg = line.get("actual_quantity", line.get("quantity"))
        items.append(
            NotifiedItem(key, None if kg is None else float(kg), line.get("term"), products.get(key))
        )
    return items


def product_types(events: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Each item's product type, from the ILMD of the event that made it: its commissioning, or the
    transformation it came out of (the last such event wins, as events come in time order)."""
    found: dict[str, str] = {}
    for event in events:
        ilmd = {str(name).rsplit(":", 1)[-1]: value for name, value in (event.get("ilmd") or {}).items()}
        product_type = ilmd.get("productType")
        if not isinstance(product_type, str):
            continue
        if event.get("type") == "TransformationEvent":
            made = [*event.get("outputEPCList", []), *_classes(event.get("outputQuantityList"))]
        elif event.get("type") == "ObjectEvent" and event.get("action") == "ADD":
            made = [*event.get("epcList", []), *_classes(event.get("quantityList"))]
        else:
            continue
        for key in made:
            found[_canonical(key)] = product_type
    return found


def _classes(lines: Any) -> list[str]:
    return [line["epcClass"] for line in lines or [] if isinstance(line, Mapping) and "epcClass" in line]


def _canonical(key: str) -> str:
    try:
        return canonical_key(key)
    except InvalidIdentifier:
        return key


def exported_at(body: Mapping[str, Any]) -> datetime | None:
    """When the notified consignment left (the endorsement, box 14), as naive UTC."""
    text = body.get("permit", {}).get("endorsed_at")
    if not text:
        return None
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _with_permit(event: dict[str, Any], number: str) -> dict[str, Any]:
    event["bizTransactionList"] = [{"type": BTT_CITES_PERMIT, "bizTransaction": permit_urn(number)}]
    event["@context"] = [EPCIS_CONTEXT, dict(KIIK_CONTEXT)]
    return event


def import_registration(
    number: str,
    sender: str,
    items: Sequence[NotifiedItem],
    moment: datetime,
    customs_party: str,
    customs_site: str | None,
) -> list[dict[str, Any]]:
    """The partner's exporter registers the notified items here and ships them to customs.

    Items are registered with the mass and product type the notice states: one commissioning for
    each mass and product type among the marked items (ILMD applies to a whole event), one for each
    product type among the lots (their kilograms in the quantity list)."""
    epcs = [i.key for i in items if not is_class(i.key)]
    lots = [{"epcClass": i.key, "quantity": i.kg or 0.0, "uom": "KGM"} for i in items if is_class(i.key)]
    groups: dict[tuple[bool, float | None, str | None], list[NotifiedItem]] = {}
    for item in items:
        lot = is_class(item.key)
        groups.setdefault((lot, None if lot else item.kg, item.product_type), []).append(item)
    registrations = []
    for (lot, kg, product_type), members in groups.items():
        ilmd: dict[str, Any] = {"importedFrom": sender, "exportPermit": number}
        if kg is not None:
            ilmd["massKg"] = kg
        if product_type is not None:
            ilmd["productType"] = product_type
        keys = [] if lot else [m.key for m in members]
        quantities = (
            [{"epcClass": m.key, "quantity": m.kg or 0.0, "uom": "KGM"} for m in members] if lot else None
        )
        registered = commissioning(keys, moment, None, ilmd, quantities)
        if not registered["epcList"]:
            del registered["epcList"]
        registrations.append(_with_permit(registered, number))
    shipped = shipping(epcs, moment, None, None, customs_party, customs_site)
    if lots:
        shipped["quantityList"] = [dict(lot) for lot in lots]
    if not shipped["epcList"]:
        del shipped["epcList"]
    return [*registrations, _with_permit(shipped, number)]


def arrival(
    number: str, epcs: Sequence[str], lots: Sequence[tuple[str, float]], moment: datetime, site: str | None
) -> dict[str, Any]:
    """Customs records what it scanned on arrival (lots with the kilograms weighed)."""
    event = receiving(epcs, moment, site)
    event["bizStep"] = "arriving"
    if not epcs:
        del event["epcList"]
    if lots:
        event["quantityList"] = [{"epcClass": key, "quantity": kg, "uom": "KGM"} for key, kg in lots]
    return _with_permit(event, number)


def confirmation_body(
    number: str,
    notice_id: str,
    notified: Sequence[NotifiedItem],
    received: Mapping[str, float | None],
    not_notified: Sequence[str],
    received_at: datetime,
    event_id: str,
) -> dict[str, Any]:
    """The signed confirmation's body: every notified item with what was received of it."""
    lines = []
    for item in notified:
        if item.key in received:
            kg = received[item.key]
            lines.append(
                {"item": item.key, "notified_kg": item.kg, "received_kg": item.kg if kg is None else kg}
            )
    return {
        "permit_number": number,
        "notice": notice_id,
        "received_at": received_at.isoformat() + ("Z" if received_at.tzinfo is None else ""),
        "arrival_event": event_id,
        "items": lines,
        "missing": [i.key for i in notified if i.key not in received],
        "not_notified": list(not_notified),
    }


IMPORTED_FROM = f"{KIIK_PREFIX}:importedFrom"
