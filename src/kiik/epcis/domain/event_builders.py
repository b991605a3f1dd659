"""EPCIS 2.0 events in JSON-LD form for kiik's own use cases (demo data, field registration, tests).

Each builder returns one event dict that the capture path validates and checks like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from kiik.epcis.domain.vocabulary import KIIK_NAMESPACE, KIIK_PREFIX

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
KIIK_CONTEXT = {KIIK_PREFIX: KIIK_NAMESPACE}


def epcis_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return "+00:00"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _base(event_type: str, moment: datetime, site: str | None, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": event_type,
        "eventTime": epcis_time(moment),
        "eventTimeZoneOffset": _offset(moment),
    }
    event.update({k: v for k, v in fields.items() if v is not None})
    if site:
        event["readPoint"] = {"id": site}
        event["bizLocation"] = {"id": site}
    return event


def _kiik_ilmd(values: Mapping[str, Any]) -> dict[str, Any]:
    return {f"{KIIK_PREFIX}:{name}": value for name, value in values.items() if value is not None}


def commissioning(
    epcs: Sequence[str],
    moment: datetime,
    site: str | None,
    ilmd: Mapping[str, Any] | None = None,
    quantities: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    event = _base("ObjectEvent", moment, site, action="ADD", bizStep="commissioning", disposition="active")
    event["epcList"] = list(epcs)
    if quantities:
        event["quantityList"] = [dict(q) for q in quantities]
    if ilmd:
        event["ilmd"] = _kiik_ilmd(ilmd)
        event["@context"] = [dict(KIIK_CONTEXT)]
    return event


def shipping(
    epcs: Sequence[str],
    moment: datetime,
    site: str | None,
    source_party: str | None,
    destination_party: str,
    destination_site: str | None = None,
) -> dict[str, Any]:
    event = _base("ObjectEvent", moment, site, action="OBSERVE", bizStep="shipping", disposition="in_transit")
    event["epcList"] = list(epcs)
    if source_party:
        event["sourceList"] = [{"type": "owning_party", "source": source_party}]
    destinations = [{"type": "owning_party", "destination": destination_party}]
    if destination_site:
        destinations.append({"type": "location", "destination": destination_site})
    event["destinationList"] = destinations
    return event


def receiving(epcs: Sequence[str], moment: datetime, site: str | None) -> dict[str, Any]:
    event = _base(
        "ObjectEvent", moment, site, action="OBSERVE", bizStep="receiving", disposition="in_progress"
    )
    event["epcList"] = list(epcs)
    return event


def transformation(
    input_epcs: Sequence[str],
    output_lots: Sequence[tuple[str, float]],
    moment: datetime,
    site: str | None,
    product_type: str,
    input_quantities: Sequence[tuple[str, float]] = (),
) -> dict[str, Any]:
    """Horns or lots in, lots of a derivative out, masses in kilograms."""
    event = _base("TransformationEvent", moment, site, bizStep="commissioning", disposition="active")
    if input_epcs:
        event["inputEPCList"] = list(input_epcs)
    if input_quantities:
        event["inputQuantityList"] = [
            {"epcClass": k, "quantity": q, "uom": "KGM"} for k, q in input_quantities
        ]
    event["outputQuantityList"] = [{"epcClass": k, "quantity": q, "uom": "KGM"} for k, q in output_lots]
    event["ilmd"] = _kiik_ilmd({"productType": product_type})
    event["@context"] = [dict(KIIK_CONTEXT)]
    return event


def stock_count(epcs: Sequence[str], moment: datetime, site: str) -> dict[str, Any]:
    event = _base("ObjectEvent", moment, site, action="OBSERVE", bizStep="cycle_counting")
    event["epcList"] = list(epcs)
    return event


def document(events: Sequence[Mapping[str, Any]], created: datetime | None = None) -> dict[str, Any]:
    """An EPCISDocument around events."""
    return {
        "@context": [EPCIS_CONTEXT, dict(KIIK_CONTEXT)],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": epcis_time(created or datetime.now(UTC)),
        "epcisBody": {"eventList": [dict(e) for e in events]},
    }
