"""Domestic sales of marked derivatives with their prices, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiik.trade.domain.errors import TradeError, TradeRefused
from kiik.trade.services.sales import RecordSale, list_sales, record_sale, sale_prices
from tests.support.season import T0, small_season
from tests.support.world import make_world


def rules(error: TradeRefused) -> list[str]:
    return [p.rule for p in error.problems]


def test_a_trader_sells_horns_and_powder_at_agreed_prices_once(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    season = small_season(registry, world, lot_count=2)
    trader, yields = world["trader"].principal, registry.settings.yields
    [lot, other] = list(season.lots)  # 1.8 kg of powder each
    when = T0 + timedelta(days=20)
    record_sale(
        registry.uow(),
        trader,
        RecordSale("pharmacy", "Apteka No. 1, Almaty", 900_000.0, when, lots=[(lot, 1.5)]),
        yields,
    )
    record_sale(
        registry.uow(),
        trader,
        RecordSale("manufacturer", "Tabigat Pharm LLP", 330_000.0, when, lots=[(other, 0.5)]),
        yields,
    )
    horn = season.trader_horns[0]
    record_sale(
        registry.uow(), trader, RecordSale("person", "a customer", 120_000.0, when, items=[horn]), yields
    )
    with pytest.raises(TradeRefused) as refused:
        record_sale(registry.uow(), trader, RecordSale("person", "another", 1.0, when, items=[horn]), yields)
    assert rules(refused.value) == ["trade.already_sold"]
    with pytest.raises(TradeRefused) as refused:  # 1.5 of its 1.8 kg are sold
        record_sale(
            registry.uow(), trader, RecordSale("pharmacy", "Apteka 2", 1.0, when, lots=[(lot, 0.5)]), yields
        )
    assert rules(refused.value) == ["trade.sale_exceeds_lot"] and "1.5 kg of it are recorded sold" in str(
        refused.value
    )
    with pytest.raises(TradeRefused) as refused:  # only the holder sells
        record_sale(
            registry.uow(),
            world["plant"].principal,
            RecordSale("person", "x", 1.0, when, lots=[(other, 0.1)]),
            yields,
        )
    assert rules(refused.value) == ["custody.not_holder"]
    with pytest.raises(TradeError, match="use one of pharmacy, manufacturer, person"):
        record_sale(registry.uow(), trader, RecordSale("shop", "x", 1.0, when, lots=[(other, 0.1)]), yields)
    sales = list_sales(registry.uow(), trader)
    assert sorted((s["buyerKind"], s["priceKZT"]) for s in sales) == [
        ("manufacturer", 330_000.0),
        ("person", 120_000.0),
        ("pharmacy", 900_000.0),
    ]
    assert list_sales(registry.uow(), world["plant"].principal) == []  # a seller sees its own
    [powder, *rest] = sale_prices(registry.uow(), world["ministry"].principal)
    assert powder["product"] == "powder" and powder["sales"] == 2 and powder["massKg"] == 2.0
    assert powder["pricePerKgKZT"] == {"lowest": 600_000.0, "median": 630_000.0, "highest": 660_000.0}
    assert powder["buyers"] == {"pharmacy": 1, "manufacturer": 1, "person": 0}


def test_a_sale_names_its_buyer_and_a_price(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    season = small_season(registry, world, lot_count=1)
    [lot] = list(season.lots)
    with pytest.raises(TradeRefused) as refused:
        record_sale(
            registry.uow(),
            world["trader"].principal,
            RecordSale("pharmacy", " ", 0.0, T0 + timedelta(days=20), lots=[(lot, 0.5)]),
            registry.settings.yields,
        )
    assert rules(refused.value) == ["trade.buyer_required", "trade.price_required"]
    assert "it never sets one" in str(refused.value)
