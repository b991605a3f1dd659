"""How trade appears in EPCIS 2.0 events: every step by lot (class-level LGTINs with quantities).

- a carcass delivery: the team commissions the batch (ObjectEvent ADD, quantity in KGM, ILMD with
  species, population, cull operation and carcass count) and ships it to the plant; the plant
  receives it;
- a processing run: a TransformationEvent from kilograms of carcass batches to meat lots in KGM;
- a lot moving on: shipping and receiving of the whole lot (the plant makes lots the size of what
  one buyer takes);
- packs sold in a shop: an ObjectEvent OBSERVE, CBV `retail_selling` / `retail_sold`, the packs as a
  count (a quantity with no unit);
- a recall: an ObjectEvent OBSERVE, CBV `holding` / `recalled`, with the reason as `kiik:recallReason`;
- a sale of a marked derivative: a TransactionEvent with the sale as business transaction
  (`urn:kiik:sale:<id>`), the buyer's kind and the agreed price as extension fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from kiik.epcis.domain.event_builders import KIIK_CONTEXT, commissioning, epcis_time, receiving, shipping
from kiik.epcis.domain.vocabulary import KIIK_PREFIX

RETAIL_SELLING = "retail_selling"
RETAIL_SOLD = "retail_sold"
RECALLED = "recalled"
RECALL_REASON = f"{KIIK_PREFIX}:recallReason"
SALE_URN = "urn:kiik:sale:"
BTT_SALE = "urn:kiik:btt:domestic_sale"
PRICE = f"{KIIK_PREFIX}:priceKZT"
BUYER_KIND = f"{KIIK_PREFIX}:buyerKind"
BUYER = f"{KIIK_PREFIX}:buyer"


def _with_lot(event: dict[str, Any], key: str, quantity: float | None, uom: str | None) -> dict[str, Any]:
    event.pop("epcList", None)
    line: dict[str, Any] = {"epcClass": key}
    if quantity is not None:
        line["quantity"] = quantity
    if uom:
        line["uom"] = uom
    event["epcList"] = []
    event["quantityList"] = [line]
    return event


def carcass_batch(
    key: str, kg: float, moment: datetime, site: str | None, ilmd: Mapping[str, Any]
) -> dict[str, Any]:
    return commissioning(
        [], moment, site, ilmd=ilmd, quantities=[{"epcClass": key, "quantity": kg, "uom": "KGM"}]
    )


def lot_shipped(
    key: str, moment: datetime, site: str | None, source: str | None, destination: str, place: str | None
) -> dict[str, Any]:
    return _with_lot(shipping([], moment, site, source, destination, place), key, None, None)


def lot_received(key: str, moment: datetime, site: str | None) -> dict[str, Any]:
    return _with_lot(receiving([], moment, site), key, None, None)


def processed(
    inputs: Sequence[tuple[str, float]],
    lots: Sequence[tuple[str, float]],
    moment: datetime,
    site: str | None,
    product_type: str,
    vet_certificate: str,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "TransformationEvent",
        "eventTime": epcis_time(moment),
        "eventTimeZoneOffset": "+00:00",
        "bizStep": "commissioning",
        "disposition": "active",
        "inputQuantityList": [{"epcClass": k, "quantity": kg, "uom": "KGM"} for k, kg in inputs],
        "outputQuantityList": [{"epcClass": k, "quantity": kg, "uom": "KGM"} for k, kg in lots],
        "ilmd": {
            f"{KIIK_PREFIX}:productType": product_type,
            f"{KIIK_PREFIX}:vetCertificate": vet_certificate,
        },
        "@context": [dict(KIIK_CONTEXT)],
    }
    if site:
        event["readPoint"] = {"id": site}
        event["bizLocation"] = {"id": site}
    return event


def packs_sold(key: str, packs: int, moment: datetime, site: str | None) -> dict[str, Any]:
    event = _with_lot(receiving([], moment, site), key, packs, None)
    event.update(bizStep=RETAIL_SELLING, disposition=RETAIL_SOLD)
    return event


def recall(key: str, moment: datetime, site: str | None, reason: str) -> dict[str, Any]:
    event = _with_lot(receiving([], moment, site), key, None, None)
    event.update(bizStep="holding", disposition=RECALLED)
    event[RECALL_REASON] = reason
    event["@context"] = [dict(KIIK_CONTEXT)]
    return event


def derivative_sale(
    sale_id: str,
    items: Sequence[str],
    lots: Sequence[tuple[str, float]],
    moment: datetime,
    site: str | None,
    buyer_kind: str,
    buyer: str,
    price_kzt: float,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "TransactionEvent",
        "eventTime": epcis_time(moment),
        "eventTimeZoneOffset": "+00:00",
        "action": "ADD",
        "bizStep": RETAIL_SELLING if buyer_kind == "person" else "shipping",
        "disposition": RETAIL_SOLD if buyer_kind == "person" else "in_progress",
        "bizTransactionList": [{"type": BTT_SALE, "bizTransaction": SALE_URN + sale_id}],
        "epcList": list(items),
        BUYER_KIND: buyer_kind,
        BUYER: buyer,
        PRICE: price_kzt,
        "@context": [dict(KIIK_CONTEXT)],
    }
    if lots:
        event["quantityList"] = [{"epcClass": k, "quantity": kg, "uom": "KGM"} for k, kg in lots]
    if site:
        event["readPoint"] = {"id": site}
        event["bizLocation"] = {"id": site}
    return event


COUNT_UNITS = (None, "H87", "EA")  # a count: no unit, pieces, each


def sold_packs(facts_quantities: Sequence[Any]) -> dict[str, int]:
    """Packs per lot in a retail sale's quantity lines (counted: no unit, or pieces)."""
    found: dict[str, int] = {}
    for line in facts_quantities:
        if line.uom in COUNT_UNITS and line.quantity is not None:
            found[line.key] = found.get(line.key, 0) + int(line.quantity)
    return found


def extension(event: Mapping[str, Any], name: str) -> Any:
    """An extension field of kiik's namespace, whatever prefix the document gave it."""
    for key, value in event.items():
        if key == f"{KIIK_PREFIX}:{name}" or key.endswith(f":{name}"):
            return value
    return None


def sale_id(event: Mapping[str, Any]) -> str | None:
    """The sale a TransactionEvent records (its `urn:kiik:sale:` business transaction), if any."""
    for entry in event.get("bizTransactionList") or ():
        value = entry.get("bizTransaction") if isinstance(entry, Mapping) else None
        if isinstance(value, str) and value.startswith(SALE_URN):
            return value[len(SALE_URN) :]
    return None
