"""Saiga meat from the cull to the shop, traced by lot, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from kiik.errors import NotFound
from kiik.trade.domain.errors import TradeError, TradeRefused
from kiik.trade.services.culls import DeliverCarcasses, deliver_carcasses, list_culls
from kiik.trade.services.meat_lots import recall_lot, receive_lot, sell_packs, ship_lot
from kiik.trade.services.pack_check import check_pack_code
from tests.support.trade import CARCASS_GTIN, CULL, at, deliver, make_cuts, meat_world

AUGUST = date(2025, 8, 10)


def rules(error: TradeRefused) -> list[str]:
    return [p.rule for p in error.problems]


def test_a_pack_traces_back_to_its_population_cull_plant_and_use_by(registry) -> None:  # type: ignore[no-untyped-def]
    meat = meat_world(registry)
    batch = deliver(meat, "D0805", 100, 1500.0)
    [lot] = make_cuts(meat, [(batch, 1500.0)], [("L0806A", 1500)])
    assert lot == "https://id.gs1.org/01/04870004000308/10/L0806A"
    ship_lot(registry.uow(), meat.world["plant"].principal, lot, "shop-oral", at(AUGUST), meat.yields)
    receive_lot(registry.uow(), meat.shops["shop-oral"], lot, at(AUGUST, 15), meat.yields)
    sell_packs(registry.uow(), meat.shops["shop-oral"], lot, 40, at(AUGUST, 18), meat.yields)
    check = check_pack_code(registry.uow(), "(01)04870004000308(10)L0806A", date(2025, 8, 20))
    assert check.legal
    answer = check.to_json()
    assert answer["population"] == "Ural" and answer["plant"] == "Processing plant, Oral"
    assert answer["cullPeriod"] == {"from": "2025-08-05", "to": "2025-08-05"} and answer["culls"] == [CULL]
    assert answer["useBy"] == "2025-09-30" and answer["veterinaryCertificate"] == "VET-KZ-2025-0815"
    assert check.lot.packs_sold == 40
    assert not check_pack_code(registry.uow(), lot, date(2025, 10, 1)).legal  # past its use-by day
    [cull] = list_culls(registry.uow(), meat.world["trader"].principal)
    assert cull["balance"] == {
        "carcasses": 100,
        "carcass_kg": 1500.0,
        "processed_kg": 1500.0,
        "lots": 1,
        "lot_kg": 750.0,
        "packs": 1500,
        "packs_sold": 40,
        "recalled_lots": 0,
    }


def test_a_recalled_lot_is_not_legal_and_its_packs_cannot_be_sold(registry) -> None:  # type: ignore[no-untyped-def]
    meat = meat_world(registry)
    batch = deliver(meat, "D0805", 40, 600.0)
    first, second = make_cuts(meat, [(batch, 600.0)], [("L1", 300), ("L2", 300)])
    for lot, shop in ((first, "shop-oral"), (second, "shop-astana")):
        ship_lot(registry.uow(), meat.world["plant"].principal, lot, shop, at(AUGUST), meat.yields)
        receive_lot(registry.uow(), meat.shops[shop], lot, at(AUGUST, 15), meat.yields)
    with pytest.raises(TradeRefused) as refused:
        recall_lot(registry.uow(), meat.shops["shop-oral"], first, "smells", at(AUGUST, 16), meat.yields)
    assert rules(refused.value) == ["trade.recall_not_allowed"]
    recall_lot(
        registry.uow(),
        meat.world["plant"].principal,
        first,
        "Listeria in sample 17",
        at(AUGUST, 17),
        meat.yields,
    )
    check = check_pack_code(registry.uow(), first, date(2025, 8, 12))
    assert not check.legal and [r.value for r in check.reasons] == ["recalled"]
    assert check.to_json()["recallReason"] == "Listeria in sample 17"
    with pytest.raises(TradeRefused) as refused:
        sell_packs(registry.uow(), meat.shops["shop-oral"], first, 1, at(AUGUST, 18), meat.yields)
    assert rules(refused.value) == ["trade.lot_recalled"]
    assert check_pack_code(registry.uow(), second, date(2025, 8, 12)).legal  # the other lot is not touched


def test_a_lot_cannot_sell_more_packs_than_it_holds_and_is_then_exhausted(registry) -> None:  # type: ignore[no-untyped-def]
    meat = meat_world(registry)
    batch = deliver(meat, "D0805", 10, 150.0)
    [lot] = make_cuts(meat, [(batch, 150.0)], [("L9", 150)])
    shop = meat.shops["shop-oral"]
    ship_lot(registry.uow(), meat.world["plant"].principal, lot, "shop-oral", at(AUGUST), meat.yields)
    with pytest.raises(TradeRefused) as refused:  # still in transit: the shop does not hold it
        sell_packs(registry.uow(), shop, lot, 1, at(AUGUST, 12), meat.yields)
    assert rules(refused.value) == ["trade.not_holder"]
    receive_lot(registry.uow(), shop, lot, at(AUGUST, 15), meat.yields)
    sell_packs(registry.uow(), shop, lot, 149, at(AUGUST, 16), meat.yields)
    with pytest.raises(TradeRefused) as refused:
        sell_packs(registry.uow(), shop, lot, 2, at(AUGUST, 17), meat.yields)
    assert rules(refused.value) == ["trade.lot_exhausted"] and "149 are recorded sold" in str(refused.value)
    sell_packs(registry.uow(), shop, lot, 1, at(AUGUST, 17), meat.yields)
    check = check_pack_code(registry.uow(), lot, date(2025, 8, 18))
    assert [r.value for r in check.reasons] == ["exhausted"]


def test_carcasses_fall_inside_their_cull_and_lots_inside_their_yields(registry) -> None:  # type: ignore[no-untyped-def]
    meat = meat_world(registry, animals=50)
    team = meat.world["harvester"].principal

    def delivery(batch: str, carcasses: int, kg: float, day: date) -> None:
        command = DeliverCarcasses(CULL, CARCASS_GTIN, batch, carcasses, kg, "plant", at(day))
        deliver_carcasses(registry.uow(), team, command, meat.yields)

    with pytest.raises(TradeRefused) as refused:
        delivery("D1", 10, 150.0, date(2025, 12, 5))
    assert rules(refused.value) == ["trade.outside_cull_dates"]
    with pytest.raises(TradeRefused) as refused:
        delivery("D2", 10, 1500.0, AUGUST)
    assert rules(refused.value) == ["trade.carcass_mass"] and "150.0 kg each" in str(refused.value)
    delivery("D3", 40, 600.0, AUGUST)
    with pytest.raises(TradeRefused) as refused:
        delivery("D4", 11, 165.0, AUGUST)
    assert rules(refused.value) == ["trade.cull_exceeded"] and "(10 left)" in str(refused.value)
    with pytest.raises(TradeRefused) as refused:
        deliver_carcasses(
            registry.uow(),
            meat.world["trader"].principal,
            DeliverCarcasses(CULL, CARCASS_GTIN, "D5", 1, 15.0, "plant", at(AUGUST)),
            meat.yields,
        )
    assert rules(refused.value) == ["trade.not_cull_team"]
    batch = "https://id.gs1.org/01/04870002000201/10/D3"
    receive_lot(registry.uow(), meat.world["plant"].principal, batch, at(AUGUST, 16), meat.yields)
    with pytest.raises(TradeError, match="yield of 0.90, outside 0.4 to 0.75"):
        make_cuts(meat, [(batch, 100.0)], [("L1", 180)])
    with pytest.raises(TradeRefused) as refused:  # the batch holds 600 kg
        make_cuts(meat, [(batch, 700.0)], [("L2", 800)])
    assert rules(refused.value) == ["transformation.input_exceeds_stock"]
    make_cuts(meat, [(batch, 300.0)], [("L3", 400)])
    make_cuts(meat, [(batch, 300.0)], [("L4", 400)])
    with pytest.raises(TradeRefused) as refused:  # nothing is left of it
        make_cuts(meat, [(batch, 10.0)], [("L5", 12)])
    assert rules(refused.value) == ["item.not_movable"]


def test_an_unknown_pack_code_is_not_found_with_what_to_do(registry) -> None:  # type: ignore[no-untyped-def]
    meat_world(registry)
    with pytest.raises(NotFound, match="report the pack to the inspectorate"):
        check_pack_code(registry.uow(), "https://id.gs1.org/01/04870004000308/10/NOPE", date(2025, 8, 1))
