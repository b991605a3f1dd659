"""The exporter's history in the importer's trace: an item registered here from a partner's export
notice is followed back through the events the notice carried, to the harvest of its horns.

Here the imported item's origin is its registration from the notice (ILMD `kiik:exportPermit`);
the notice, kept in the inbox as the exporting registry signed it, holds the item's history back
to commissioning at harvest. Each transformation and commissioning taken from it is a step marked
as reported by that registry (country, permit, message, when received), and the harvested horns
become the item's sources, with their share of its mass and their harvest ILMD.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiik.custody.domain.origins import Making, source_shares
from kiik.custody.services.lineage import (
    Lineage,
    LineageNode,
    PartnerReport,
    as_float,
    line_masses,
    local_names,
)
from kiik.custody.services.origin_summary import summarise
from kiik.epcis.domain.event_facts import key_of
from kiik.ledger.domain.signed_documents import read_signed
from kiik.partners.services.products import reported_step

EXPORT_NOTICE = "export-notice"


def _keys(event: Mapping[str, Any], epc_lists: tuple[str, ...], quantity_lists: tuple[str, ...]) -> list[str]:
    found: list[Any] = [k for name in epc_lists for k in event.get(name) or ()]
    found += [
        q.get("epcClass") for name in quantity_lists for q in event.get(name) or () if isinstance(q, Mapping)
    ]
    return list(dict.fromkeys(key_of(k) for k in found if isinstance(k, str)))


class NoticeHistory:
    """The events of one export notice, by the keys they made and commissioned."""

    def __init__(self, events: list[Any], report: PartnerReport) -> None:
        self.report = report
        self.made: dict[str, Mapping[str, Any]] = {}
        self.commissioned: dict[str, Mapping[str, Any]] = {}
        for event in events:
            if not isinstance(event, Mapping):
                continue
            if event.get("type") == "TransformationEvent":
                for key in _keys(event, ("outputEPCList",), ("outputQuantityList",)):
                    self.made.setdefault(key, event)
            elif event.get("action") == "ADD" and event.get("ilmd"):
                for key in _keys(event, ("epcList",), ("quantityList",)):
                    self.commissioned.setdefault(key, event)

    def inputs(self, key: str) -> list[str]:
        return _keys(self.made[key], ("inputEPCList",), ("inputQuantityList",))

    def input_kg(self, made: Mapping[str, Any], key: str) -> float | None:
        lines = line_masses(made, "inputQuantityList")
        if lines.get(key) is not None:
            return lines[key]
        origin = self.commissioned.get(key)
        return as_float(local_names(origin.get("ilmd")).get("massKg")) if origin is not None else None

    def makings(self) -> dict[str, Making]:
        return {
            key: Making(tuple((k, self.input_kg(made, k)) for k in self.inputs(key)))
            for key, made in self.made.items()
        }

    def grow(self, node: LineageNode, sources: dict[str, LineageNode], done: set[str]) -> None:
        """Fill `node` from the notice: the transformation that made it, or its commissioning."""
        done.add(node.key)
        if node.key in self.made:
            made = self.made[node.key]
            node.origin, node.made_by = None, reported_step(made, self.report)
            for key in self.inputs(node.key):
                child = LineageNode(key, self.input_kg(made, key), reported_by=self.report)
                node.inputs.append(child)
                if key in done:
                    child.repeated = True
                else:
                    self.grow(child, sources, done)
            return
        origin = self.commissioned.get(node.key)
        if origin is not None:
            node.origin = reported_step(origin, self.report)
            kind = node.origin.fields.get("productType")
            node.product_type = node.product_type or (kind if isinstance(kind, str) else None)
        sources.setdefault(node.key, node)


def _history_of(uow: Any, number: str) -> NoticeHistory | None:
    notices = uow.partners.inbox(EXPORT_NOTICE, number)
    if not notices:
        return None
    row = notices[-1]
    payload = read_signed(row.message).payload
    report = PartnerReport(str(payload["from"]), number, row.message_id, row.received_at, EXPORT_NOTICE)
    return NoticeHistory(list(payload["body"].get("events", [])), report)


def add_partner_provenance(uow: Any, lineage: Lineage) -> None:
    """Follow every imported source of `lineage` back through its export notice's events."""
    sources: dict[str, LineageNode] = {}
    estimated = lineage.origins.estimated if lineage.origins is not None else False
    extended = False
    for node in lineage.sources:
        number = local_names(node.origin.ilmd).get("exportPermit") if node.origin is not None else None
        history = _history_of(uow, str(number)) if number else None
        if history is None or (node.key not in history.made and node.key not in history.commissioned):
            sources.setdefault(node.key, node)
            continue
        extended = True
        found: dict[str, LineageNode] = {}
        history.grow(node, found, set())
        shares = source_shares(node.key, history.makings())
        estimated = estimated or shares.estimated
        for key, source in found.items():
            fraction = shares.fractions.get(key)
            if node.share is not None and fraction is not None:
                source.share = node.share * fraction
            sources.setdefault(key, source)
    if extended:
        lineage.sources = list(sources.values())
        lineage.origins = summarise(lineage.sources, lineage.backward.mass_kg, estimated)
