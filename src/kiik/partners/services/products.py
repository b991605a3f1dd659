"""The partner's products in the exporter's trace: what the importing registry reported it made of
exported items (onward processing, docs/partners.md) is grafted onto the forward lineage.

The reports are kept in the inbox as the partner signed them; here each transformation in them
that used an item of the forward tree becomes a step of that item, marked as reported by the
partner registry (country, permit, message, when received), with its outputs as the partner's
products. So an item can be followed from harvest, through this registry's lots, to the final
product in the importing country.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from kiik.custody.services.lineage import Lineage, LineageNode, PartnerReport, Step, line_masses, local_names
from kiik.epcis.domain.event_facts import key_of
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.ledger.domain.signed_documents import read_signed
from kiik.partners.domain.import_events import ONWARD_PROCESSING


def _forward_nodes(node: LineageNode, found: dict[str, LineageNode]) -> dict[str, LineageNode]:
    if not node.repeated and node.key not in found:
        found[node.key] = node
        for _, outputs in node.used_in:
            for output in outputs:
                _forward_nodes(output, found)
    return found


def event_time(text: Any) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _inputs(event: Mapping[str, Any]) -> list[str]:
    listed: list[Any] = list(event.get("inputEPCList") or ())
    listed += [q.get("epcClass") for q in event.get("inputQuantityList") or () if isinstance(q, Mapping)]
    return [key_of(k) for k in listed if isinstance(k, str)]


def reported_step(event: Mapping[str, Any], report: PartnerReport) -> Step:
    ilmd = event.get("ilmd")
    return Step(
        event_id=str(event.get("eventID") or ""),
        hash_id=event_hash_id(dict(event)),
        event_type=str(event.get("type", "TransformationEvent")),
        event_time=event_time(event.get("eventTime")),
        recorded_by=None,
        ilmd=dict(ilmd) if isinstance(ilmd, Mapping) else {},
        location=(event.get("bizLocation") or {}).get("id"),
        reported_by=report,
    )


def _outputs(event: Mapping[str, Any], report: PartnerReport) -> list[LineageNode]:
    product_type = local_names(event.get("ilmd") if isinstance(event.get("ilmd"), Mapping) else {}).get(
        "productType"
    )
    kinds = product_type if isinstance(product_type, str) else None
    masses = line_masses(event, "outputQuantityList")
    keys = [key_of(k) for k in event.get("outputEPCList") or () if isinstance(k, str)] + list(masses)
    return [
        LineageNode(key, masses.get(key), kinds, status=None, visible=False, reported_by=report)
        for key in dict.fromkeys(keys)
    ]


def add_partner_products(uow: Any, lineage: Lineage) -> None:
    """Graft the partner-reported transformations of any item in `lineage.forward` onto it."""
    nodes = _forward_nodes(lineage.forward, {})
    grafted: set[tuple[str, str]] = set()
    for row in uow.partners.inbox_for_items(ONWARD_PROCESSING, list(nodes)):
        payload = read_signed(row.message).payload
        report = PartnerReport(
            str(payload["from"]), str(row.permit_number), row.message_id, row.received_at, ONWARD_PROCESSING
        )
        for event in payload["body"].get("events", []):
            if not isinstance(event, Mapping):
                continue
            used = [nodes[k] for k in dict.fromkeys(_inputs(event)) if k in nodes]
            if not used:
                continue
            step = reported_step(event, report)
            for node in used:
                if (node.key, step.hash_id) in grafted:
                    continue
                grafted.add((node.key, step.hash_id))
                outputs = _outputs(event, report)
                node.used_in.append((step, outputs))
                known = {p.key for p in lineage.products}
                lineage.products += [o for o in outputs if o.key not in known]
