"""The partner authority's scoped reads: an importing country's authority registered here sees the
items exported to its country, back to the harvest of their horns, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.custody.services.queries import event_by_id, query_events
from kiik.directory.domain.permissions import Principal
from kiik.directory.services.auth import authenticate
from kiik.epcis.domain.identifiers import canonical_key
from kiik.errors import NotFound
from kiik.inspection.trace import item_history, item_state, trace_item
from tests.support.exports import endorse, export_to, issued_permit, partner_authority
from tests.support.season import Season, open_register, small_season
from tests.support.world import Member, make_world


@dataclass
class Exports:
    world: dict[str, Member]
    season: Season
    to_china: list[str]  # lots exported to CN
    to_japan: str  # a lot exported to JP
    pending: str  # a lot on a permit to CN that customs has not endorsed
    pending_permit: str
    china: Principal
    japan: Principal


def principal(registry: Registry, token: str) -> Principal:
    found = authenticate(registry.uow(), token)
    assert found is not None
    return found


def exports(registry: Registry) -> Exports:
    world = make_world(registry)
    open_register(registry, world, cap=100.0)
    season = small_season(registry, world, lot_count=4)
    lots = list(season.lots)
    export_to(registry, world, lots[:2], "CN")
    export_to(registry, world, [lots[2]], "JP")
    pending_permit = issued_permit(registry, world, [lots[3]], "CN")
    china = principal(registry, partner_authority(registry, "cn-nfga", "CN"))
    japan = principal(registry, partner_authority(registry, "jp-moe", "JP"))
    return Exports(world, season, lots[:2], lots[2], lots[3], pending_permit, china, japan)


def horns_of(data: Exports, lot_index: int) -> list[str]:
    return data.season.horns[8 * lot_index : 8 * lot_index + 8]


def test_the_partner_traces_an_exported_lot_back_to_the_harvest_of_its_horns(registry: Registry) -> None:
    data = exports(registry)
    trace = trace_item(registry.uow(), data.china, data.to_china[0])
    assert trace.item.status == "exported"
    assert trace.verdict.origin_traced and trace.verdict.animals == 4 and trace.verdict.sources == 8
    sources = {node.key for node in trace.lineage.sources}
    assert sources == {canonical_key(h) for h in horns_of(data, 0)}
    for node in trace.lineage.sources:
        assert node.origin is not None and node.origin.fields["species"] == "Saiga tatarica"
        assert node.origin.fields["harvestAuthorisation"] and node.visible
    # Each source horn's own history, from its commissioning at harvest to the transformation.
    history = item_history(registry.uow(), data.china, horns_of(data, 0)[0])
    assert [h.biz_step for h in history][0] == "commissioning"
    assert history[-1].event_type == "TransformationEvent"
    assert item_state(registry.uow(), data.china, horns_of(data, 1)[3]).status == "consumed"


def test_the_partner_gets_no_answer_about_any_other_item(registry: Registry) -> None:
    data = exports(registry)
    others = [
        data.to_japan,  # exported to another country
        horns_of(data, 2)[0],  # a horn of that lot
        data.pending,  # on a permit to CN that was never endorsed
        horns_of(data, 3)[0],
        data.season.trader_horns[0],  # never exported
    ]
    for code in others:
        for read in (item_state, item_history, trace_item):
            with pytest.raises(NotFound, match="visible to you"):
                read(registry.uow(), data.china, code)
    # Japan's authority sees its lot and its horns, not China's.
    assert trace_item(registry.uow(), data.japan, data.to_japan).verdict.sources == 8
    with pytest.raises(NotFound):
        item_state(registry.uow(), data.japan, data.to_china[0])


def exported_keys(data: Exports) -> set[str]:
    return {canonical_key(k) for k in [*data.to_china, *horns_of(data, 0), *horns_of(data, 1)]}


def named(event: dict[str, Any]) -> set[str]:
    lists = ("epcList", "inputEPCList", "outputEPCList", "childEPCs")
    keys = [k for name in lists for k in event.get(name, [])]
    quantities = ("quantityList", "inputQuantityList", "outputQuantityList", "childQuantityList")
    keys += [q["epcClass"] for name in quantities for q in event.get(name, [])]
    return {canonical_key(k) for k in keys}


def test_the_epcis_query_answers_with_the_exported_items_events_only(registry: Registry) -> None:
    data = exports(registry)
    page = query_events(registry.uow(), data.china, [("perPage", "1000")])
    events = page.events
    wanted = exported_keys(data)
    assert events and all(named(e) & wanted for e in events)
    steps = {e.get("bizStep", "").rsplit("/", 1)[-1] for e in events}
    assert {"commissioning", "shipping", "receiving", "departing"} <= steps
    commissioned = {k for e in events if e.get("action") == "ADD" and "ilmd" in e for k in named(e)}
    assert {canonical_key(h) for h in horns_of(data, 0)} <= commissioned
    # Asking for another country's lot finds only the events that name an exported item too (the
    # plant's one shipment of all its lots): an event is shown whole, as its hash covers it whole.
    other = query_events(registry.uow(), data.china, [("MATCH_anyEPCClass", data.to_japan)])
    assert len(other.events) == 2 and all(named(e) & wanted for e in other.events)
    # Likewise the warehouse's shipments of all horns; never the harvest of a horn not exported here.
    found = query_events(registry.uow(), data.china, [("MATCH_epc", horns_of(data, 2)[0])]).events
    assert found and all(named(e) & wanted and e["action"] == "OBSERVE" for e in found)
    everything = query_events(registry.uow(), data.world["ministry"].principal, [("perPage", "1000")])
    hidden = [e for e in everything.events if not named(e) & wanted]
    assert hidden
    with pytest.raises(NotFound, match="visible to you"):
        event_by_id(registry.uow(), data.china, hidden[0]["eventID"])
    assert event_by_id(registry.uow(), data.china, events[0]["eventID"])


def test_the_view_opens_when_customs_endorses_the_export(registry: Registry) -> None:
    data = exports(registry)
    with pytest.raises(NotFound):
        item_state(registry.uow(), data.china, data.pending)
    transformations = [("eventType", "TransformationEvent"), ("perPage", "1000")]
    assert len(query_events(registry.uow(), data.china, transformations).events) == 2
    endorse(registry, data.world, data.pending_permit, [data.pending])
    assert item_state(registry.uow(), data.china, data.pending).status == "exported"
    assert trace_item(registry.uow(), data.china, horns_of(data, 3)[0]).item.status == "consumed"
    assert len(query_events(registry.uow(), data.china, transformations).events) == 3



def test_a_partner_authority_must_name_an_importing_country(registry: Registry) -> None:
    from kiik.directory.services.auth import DirectoryError, add_organisation

    for country in (None, "KZ", "kz"):
        with pytest.raises(DirectoryError, match="stands for an importing country"):
            add_organisation(registry.uow(), "cn-x", "Authority", "partner_authority", country=country)
    with pytest.raises(DirectoryError, match="'China' is not a country code"):
        add_organisation(registry.uow(), "cn-x", "Authority", "partner_authority", country="China")
    add_organisation(registry.uow(), "cn-x", "Authority", "partner_authority", country="cn")
    with registry.uow() as uow:
        assert uow.directory.organisation("cn-x").country == "CN"
