"""An item's state, history and lineage through the services, as each organisation may see them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.custody.services.lineage import LineageNode
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import InvalidIdentifier, canonical_key
from kiik.epcis.domain.vocabulary import BIZSTEP_SEIZING, DISPOSITION_SEIZED
from kiik.errors import NotFound
from kiik.inspection.trace import item_history, item_lineage, item_state, trace_item
from tests.integration.test_event_query import HORNS, LOT, STOCK_COUNT_ID, T0, Season, capture, season
from tests.support.harvest import authorised_origin

LOT2 = "urn:epc:class:lgtin:4870004.000003.GRN-1"
SMUGGLED = "urn:epc:id:sgtin:4870002.000001.999"


def _class_event(event: dict[str, Any], key: str, kg: float) -> dict[str, Any]:
    changed = {k: v for k, v in event.items() if k != "epcList"}
    changed["quantityList"] = [{"epcClass": key, "quantity": kg, "uom": "KGM"}]
    return changed


def longer_season(registry: Registry) -> Season:
    """The powder is made into granules, which the plant sells on to the trader."""
    data = season(registry)
    plant, trader = data.world["plant"], data.world["trader"]
    granules = build.transformation([], [(LOT2, 0.41)], T0 + timedelta(days=20), plant.sgln, "granules",
                                    input_quantities=[(LOT, 0.45)])
    shipped = build.shipping([], T0 + timedelta(days=21), plant.sgln, plant.pgln, trader.pgln)
    received = build.receiving([], T0 + timedelta(days=22), trader.sgln)
    for member, event in [(plant, granules), (plant, _class_event(shipped, LOT2, 0.41)),
                          (trader, _class_event(received, LOT2, 0.41))]:
        [hash_id] = capture(registry, member, [event])
        data.hashes[hash_id] = event
    return data


def test_an_item_is_found_by_any_spelling_of_its_code(registry: Registry) -> None:
    plant = season(registry).world["plant"]
    for code in (HORNS[0], canonical_key(HORNS[0]), "(01)04870002000010(21)1", " (01)04870002000010 (21)1 "):
        view = item_state(registry.uow(), plant.principal, code)
        assert view.key == "https://id.gs1.org/01/04870002000010/21/1"
        assert (view.kind, view.status, view.mass_kg) == ("sgtin", "consumed", 0.26)
        assert view.product_type == "whole_horn"
        assert view.holder is not None and view.holder.code == "plant"
        assert view.site == plant.sgln and view.event_count == 7


def test_a_lot_shows_its_quantity(registry: Registry) -> None:
    plant = season(registry).world["plant"]
    view = item_state(registry.uow(), plant.principal, LOT).to_json()
    assert (view["kind"], view["is_class"], view["quantity"], view["uom"], view["mass_kg"]) == (
        "lgtin", True, 0.45, "KGM", 0.45)
    assert view["product_type"] == "powder" and view["event_count"] == 1


def test_unknown_and_other_organisations_items_get_the_same_answer(registry: Registry) -> None:
    world = season(registry).world
    with pytest.raises(NotFound, match=r"no item .* visible to you"):
        item_state(registry.uow(), world["harvester"].principal, HORNS[0])
    with pytest.raises(NotFound, match=r"no item .* visible to you"):
        item_state(registry.uow(), world["ministry"].principal, SMUGGLED)
    with pytest.raises(NotFound):
        trace_item(registry.uow(), world["trader"].principal, HORNS[2])
    with pytest.raises(InvalidIdentifier, match="check digit"):
        item_state(registry.uow(), world["ministry"].principal, "(01)04870002000011(21)1")


def test_history_lists_every_event_in_order_with_who_recorded_it(registry: Registry) -> None:
    data = season(registry)
    history = item_history(registry.uow(), data.world["plant"].principal, HORNS[0])
    assert [h.biz_step for h in history] == [
        "commissioning", "shipping", "receiving", "cycle_counting", "shipping", "receiving", "commissioning"]
    assert [h.recorded_by.code if h.recorded_by else None for h in history] == [
        "harvester", "harvester", "warehouse", "warehouse", "warehouse", "plant", "plant"]
    assert history[-1].event_type == "TransformationEvent" and history[-1].roles == ("input",)
    assert all(h.hash_id in data.hashes for h in history)
    assert not any(h.erroneous for h in history)


def test_history_flags_erroneous_events_and_shows_the_declaration(registry: Registry) -> None:
    data = season(registry)
    original = next(e for e in data.hashes.values() if e.get("eventID") == STOCK_COUNT_ID)
    declaration = {**original, "errorDeclaration": {"declarationTime": "2025-10-01T00:00:00Z",
                                                    "reason": "incorrect_data"}}
    capture(registry, data.world["warehouse"], [declaration])
    history = item_history(registry.uow(), data.world["ministry"].principal, HORNS[3])
    flagged = [(h.event_id, h.erroneous, h.declares_error) for h in history if h.event_id == STOCK_COUNT_ID]
    assert flagged == [(STOCK_COUNT_ID, True, False), (STOCK_COUNT_ID, False, True)]


def _keys(nodes: list[LineageNode]) -> list[str]:
    return [n.key for n in nodes]


def test_backward_lineage_reaches_the_animals_through_two_transformations(registry: Registry) -> None:
    data = longer_season(registry)
    lineage = item_lineage(registry.uow(), data.world["trader"].principal, LOT2)
    root = lineage.backward
    assert root.visible and root.status == "active" and root.mass_kg == 0.41
    assert root.made_by is not None and root.made_by.recorded_by is not None
    assert root.made_by.recorded_by.code == "plant"
    [powder] = root.inputs
    assert powder.key == canonical_key(LOT) and powder.mass_kg == 0.45
    # The trader may follow its granules back to the animals but not see the plant's stock.
    assert not powder.visible and powder.status is None and powder.holder is None
    assert powder.made_by is not None
    assert _keys(powder.inputs) == [canonical_key(h) for h in HORNS[:2]]
    assert [n.mass_kg for n in powder.inputs] == [0.26, 0.25]
    origin = powder.inputs[0].origin
    assert origin is not None and origin.recorded_by is not None and origin.recorded_by.code == "harvester"
    assert origin.ilmd["kiik:species"] == "Saiga tatarica" and origin.ilmd["kiik:animalID"] == "URL-2025-1001"
    assert _keys(lineage.sources) == [canonical_key(h) for h in HORNS[:2]]
    assert lineage.forward.used_in == [] and not lineage.truncated


def test_forward_lineage_reaches_every_product_within_the_readers_view(registry: Registry) -> None:
    data = longer_season(registry)
    lineage = item_lineage(registry.uow(), data.world["plant"].principal, HORNS[0])
    [(made, [powder])] = lineage.forward.used_in
    assert made.event_type == "TransformationEvent" and made.ilmd == {"kiik:productType": "powder"}
    assert powder.key == canonical_key(LOT) and powder.mass_kg == 0.45 and powder.visible
    [(_, [granules])] = powder.used_in
    assert granules.key == canonical_key(LOT2) and granules.mass_kg == 0.41
    assert not granules.visible  # the trader holds it now
    assert _keys(lineage.products) == [canonical_key(LOT), canonical_key(LOT2)]
    # Backward from a horn: it is its own source.
    assert _keys(lineage.sources) == [canonical_key(HORNS[0])] and lineage.backward.origin is not None


def test_trace_gives_a_verdict_on_the_origin(registry: Registry) -> None:
    data = longer_season(registry)
    trace = trace_item(registry.uow(), data.world["ministry"].principal, LOT2)
    verdict = trace.verdict
    assert verdict.origin_traced and verdict.sources == 2 and verdict.animals == 1
    assert verdict.species == ["Saiga tatarica"]
    assert verdict.summary == (
        "active, held by Saiga Export LLP: origin on record: 2 source items from 1 animal (Saiga tatarica)")
    assert [h.biz_step for h in trace.history] == ["commissioning", "shipping", "receiving"]
    as_json = trace.to_json()
    assert as_json["lineage"]["backward"]["made_by"]["inputs"][0]["key"] == canonical_key(LOT)
    assert as_json["lineage"]["sources"][0]["origin"]["ilmd"]["kiik:massKg"] == 0.26


def test_a_seized_code_the_registry_never_saw_has_no_origin(registry: Registry) -> None:
    data = season(registry)
    inspector = data.world["inspector"]
    seizure = build.stock_count([SMUGGLED], T0 + timedelta(days=30), inspector.sgln)
    seizure.update(bizStep=BIZSTEP_SEIZING, disposition=DISPOSITION_SEIZED)
    capture(registry, inspector, [seizure])
    trace = trace_item(registry.uow(), inspector.principal, SMUGGLED)
    assert trace.item.status == "seized"
    assert not trace.verdict.origin_traced and trace.verdict.untraced == [canonical_key(SMUGGLED)]
    assert "origin NOT on record" in trace.verdict.summary


def test_a_reader_without_the_item_cannot_trace_it(registry: Registry) -> None:
    data = longer_season(registry)
    for code in ("harvester", "warehouse", "trader"):
        with pytest.raises(NotFound):
            item_lineage(registry.uow(), data.world[code].principal, HORNS[0])


def test_a_corrected_commissioning_gives_the_corrected_origin(registry: Registry) -> None:
    data = season(registry)
    harvester = data.world["harvester"]
    spare = "urn:epc:id:sgtin:4870002.000001.77"
    origin = {**authorised_origin(registry, data.world), "animalID": "X-1", "massKg": 0.2}
    wrong = build.commissioning([spare], T0, harvester.sgln, ilmd=origin)
    wrong["eventID"] = "urn:uuid:0b7f4d8e-2c1a-4e55-9a51-000000000077"
    capture(registry, harvester, [wrong])
    capture(registry, harvester, [{**wrong, "errorDeclaration": {"declarationTime": "2025-09-13T00:00:00Z",
                                                                 "reason": "incorrect_data"}}])
    right = build.commissioning([spare], T0 + timedelta(hours=1), harvester.sgln,
                                ilmd={**origin, "animalID": "URL-2025-1077"})
    capture(registry, harvester, [right])
    trace = trace_item(registry.uow(), data.world["inspector"].principal, spare)
    [source] = trace.lineage.sources
    assert source.origin is not None and source.origin.ilmd["kiik:animalID"] == "URL-2025-1077"
    assert [h.erroneous for h in trace.history] == [True, False, False]
