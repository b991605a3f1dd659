"""Proceeds to conservation, on SQLite and PostgreSQL: fees owed by culls, sales and exports under the
ministry's dated rules, allocated by shares, corrected by new entries only, reported per year and
population."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiik.directory.domain.permissions import NotAllowed
from kiik.proceeds.domain.rules import AllocationRule, Basis, Charge, FeeRule, ProceedsError
from kiik.proceeds.services.ledger import (
    add_allocation_rule,
    add_fee_rule,
    correct_fee,
    ledger_entries,
    proceeds_report,
)
from kiik.trade.services.sales import RecordSale, record_sale
from tests.support.exports import export_to
from tests.support.season import T0, small_season
from tests.support.trade import deliver, meat_world
from tests.support.world import make_world

SHARES = {"protection": 0.5, "habitat": 0.3, "research": 0.2}


def rules(registry, ministry, year: int) -> None:  # type: ignore[no-untyped-def]
    start = date(year, 1, 1)
    for rule in (
        FeeRule(
            "Cull fee", Charge.CULL, Basis.PER_ITEM, 2_000.0, start, "order 15/1", species="Saiga tatarica"
        ),
        FeeRule("Sale share", Charge.SALE, Basis.SHARE_OF_PRICE, 0.10, start, "order 15/2"),
        FeeRule("Export fee", Charge.EXPORT, Basis.PER_KG, 50_000.0, start, "order 15/3"),
    ):
        add_fee_rule(registry.uow(), ministry, rule)
    add_allocation_rule(
        registry.uow(), ministry, AllocationRule(f"Allocation {year}", start, "order 15/4", SHARES)
    )


def test_a_cull_owes_per_animal_and_the_year_is_reported_per_population(registry) -> None:  # type: ignore[no-untyped-def]
    meat = meat_world(registry)
    ministry = meat.world["ministry"].principal
    with pytest.raises(NotAllowed, match="proceeds:manage"):
        add_fee_rule(
            registry.uow(),
            meat.world["trader"].principal,
            FeeRule("x", Charge.CULL, Basis.PER_ITEM, 1.0, date(2025, 1, 1), "b"),
        )
    rules(registry, ministry, 2025)
    deliver(meat, "D1", 100, 1500.0)
    deliver(meat, "D2", 20, 300.0)
    answer = proceeds_report(registry.uow(), meat.world["trader"].principal, 2025)
    assert answer["populations"] == [
        {
            "population": "Ural",
            "inKZT": 240_000.0,
            "allocatedKZT": {"protection": 120_000.0, "habitat": 72_000.0, "research": 48_000.0},
            "unallocatedKZT": 0.0,
        }
    ]
    assert answer["balanced"] and answer["ledgerBalanced"] and answer["entries"] == 4
    fee = next(e for e in ledger_entries(registry.uow(), ministry, 2025) if e.kind.value == "fee")
    assert fee.payer == "harvester" and fee.amount == 20_000_000 and "Cull fee" in fee.description


def test_sales_and_exports_owe_their_fees_and_a_correction_is_a_new_entry(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    season = small_season(registry, world, lot_count=2)
    ministry, trader = world["ministry"].principal, world["trader"].principal
    rules(registry, ministry, 2026)
    [sold, exported] = list(season.lots)  # 1.8 kg of powder each
    sale = RecordSale("pharmacy", "Apteka", 1_000_000.0, T0 + timedelta(days=20), lots=[(sold, 1.0)])
    record_sale(registry.uow(), trader, sale, registry.settings.yields)
    export_to(registry, world, [exported], "CN")
    entries = ledger_entries(registry.uow(), ministry, 2026)
    fees = [e for e in entries if e.kind.value == "fee"]
    assert sorted((e.payer, e.amount) for e in fees) == [("trader", 9_000_000), ("trader", 10_000_000)]
    fee = next(e for e in fees if e.amount == 10_000_000)
    made = correct_fee(
        registry.uow(), ministry, fee.id, "the price was 800,000 tenge", date(2026, 10, 1), 80_000.0
    )
    assert len(made) == 4  # the fee and its allocation reversed, the right fee and its allocation
    after = ledger_entries(registry.uow(), ministry, 2026)
    assert [e for e in after if e.id in {x.id for x in entries}] == entries  # nothing earlier changed
    answer = proceeds_report(registry.uow(), ministry, 2026)
    [row] = answer["populations"]
    assert row["inKZT"] == 90_000.0 + 80_000.0 and row["unallocatedKZT"] == 0.0
    assert row["allocatedKZT"] == {"protection": 85_000.0, "habitat": 51_000.0, "research": 34_000.0}
    assert answer["balanced"] and answer["ledgerBalanced"]
    with pytest.raises(ProceedsError, match="reversed already"):
        correct_fee(registry.uow(), ministry, fee.id, "again", date(2026, 10, 2))
    allocation = next(e for e in after if e.kind.value == "allocation")
    with pytest.raises(ProceedsError, match="correct the fee it belongs to"):
        correct_fee(registry.uow(), ministry, allocation.id, "no", date(2026, 10, 2))
