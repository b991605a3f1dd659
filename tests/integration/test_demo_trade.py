"""The demo's legal trade on both databases: a cull to two shops with one lot recalled, pharmacy sales
with prices, the proceeds of the year allocated, an argali trophy exported, liquorice collected."""

from __future__ import annotations

from datetime import date

from kiik.bootstrap.registry import Registry
from kiik.demo.cast import load_demo
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.adapters.reader import validate_event
from kiik.proceeds.services.ledger import proceeds_report
from kiik.trade.services.pack_check import check_pack_code
from kiik.trade.services.sales import sale_prices
from kiik.trade.services.takings import take_permits
from tests.integration.test_demo_monitoring import BORDER_SERVICE


def test_the_demo_trades_meat_horn_packs_a_trophy_and_liquorice(registry: Registry) -> None:
    result = load_demo(
        registry.uow,
        open_capture_document,
        custody_rules=True,
        yields=registry.settings.yields,
        horns=40,
        seed=5,
        validate_event=validate_event,
    )
    trade = result.trade
    assert trade is not None and set(trade.lots) == {"CUT-0805-A", "CUT-0805-B", "MIN-0812-A", "CAN-0819-A"}
    cuts = check_pack_code(registry.uow(), trade.lots["CUT-0805-A"], date(2025, 8, 20))
    assert cuts.legal and cuts.lot.population == "Ural" and cuts.lot.plant == "Horn processing plant, Oral"
    assert cuts.lot.packs_sold == 800
    recalled = check_pack_code(registry.uow(), trade.recalled, date(2025, 8, 20))
    assert [r.value for r in recalled.reasons] == ["recalled"] and "Listeria" in (
        recalled.lot.recall_reason or ""
    )
    [packs] = sale_prices(registry.uow(), BORDER_SERVICE)
    assert (
        packs["sales"] == 3
        and packs["buyers"]["person"] == 3
        and packs["totalKZT"] == 42_000 + 44_500 + 47_000
    )
    year = proceeds_report(registry.uow(), BORDER_SERVICE, 2025)
    ural = next(p for p in year["populations"] if p["population"] == "Ural")
    assert ural["inKZT"] == 600 * 2_000.0 and ural["allocatedKZT"]["protection"] == 600_000.0
    assert year["ledgerBalanced"]
    sales_year = proceeds_report(registry.uow(), BORDER_SERVICE, 2026)
    assert (
        sum(p["inKZT"] for p in sales_year["populations"]) >= 13_350.0
    )  # 10 % of the three prices, and exports
    assert trade.trophy_permit is not None
    permits = {p["number"]: p for p in take_permits(registry.uow(), BORDER_SERVICE)}
    assert permits["HUNT-2025-0042"]["taken"][0]["code"] == trade.trophy
    assert permits["COLL-2025-0007"]["taken"][0]["amount"] == 3_400.0
