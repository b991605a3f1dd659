"""Proceeds without a database: fee rules, allocations that add up to the tiyn, a ledger that balances."""

from __future__ import annotations

import random
from datetime import date

import pytest

from kiik.proceeds.domain.ledger import (
    Entry,
    EntryKind,
    Line,
    allocation_entry,
    fee_entry,
    report,
    reversal,
    trial_balance,
)
from kiik.proceeds.domain.rules import (
    AllocationRule,
    Basis,
    Charge,
    Chargeable,
    FeeRule,
    ProceedsError,
    allocation_rule_for,
    fee_rule_for,
    fee_tiyn,
    split,
)

DAY = date(2026, 3, 1)
SAIGA = "Saiga tatarica"


def rule(title: str, charge: Charge, basis: Basis, rate: float, **kw: object) -> FeeRule:
    return FeeRule(title, charge, basis, rate, kw.pop("valid_from", date(2026, 1, 1)), "order 1", **kw)  # type: ignore[arg-type]


def test_the_most_specific_rule_in_force_applies() -> None:
    rules = [
        rule("any sale", Charge.SALE, Basis.SHARE_OF_PRICE, 0.05, id=1),
        rule("saiga sale", Charge.SALE, Basis.SHARE_OF_PRICE, 0.10, species=SAIGA, id=2),
        rule("powder", Charge.SALE, Basis.PER_KG, 5000, species=SAIGA, product_type="powder", id=3),
        rule(
            "old",
            Charge.SALE,
            Basis.PER_KG,
            1,
            species=SAIGA,
            product_type="powder",
            valid_from=date(2020, 1, 1),
            valid_until=date(2020, 12, 31),
            id=4,
        ),  # fmt: skip
    ]
    powder = Chargeable(Charge.SALE, DAY, "trader", "x", SAIGA, "powder", kg=2.0, price_kzt=1_000_000)
    slices = Chargeable(Charge.SALE, DAY, "trader", "x", SAIGA, "slices", kg=2.0, price_kzt=1_000_000)
    musk = Chargeable(
        Charge.SALE, DAY, "trader", "x", "Moschus moschiferus", "musk_pod", kg=0.1, price_kzt=500
    )
    assert fee_rule_for(rules, powder).id == 3 and fee_tiyn(rules[2], powder) == 1_000_000  # 10,000 tenge
    assert fee_rule_for(rules, slices).id == 2 and fee_tiyn(rules[1], slices) == 10_000_000
    assert fee_rule_for(rules, musk).id == 1 and fee_tiyn(rules[0], musk) == 2_500
    assert fee_rule_for(rules, Chargeable(Charge.CULL, DAY, "team", "Ural")) is None
    assert fee_rule_for(rules, Chargeable(Charge.SALE, date(2025, 6, 1), "t", "x", SAIGA, "powder")) is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: rule("x", Charge.SALE, Basis.SHARE_OF_PRICE, 5), "at most 1"),
        (lambda: rule("x", Charge.CULL, Basis.SHARE_OF_PRICE, 0.1), "a cull has no price"),
        (lambda: rule("x", Charge.CULL, Basis.PER_ITEM, 0), "give more than 0"),
        (lambda: AllocationRule("x", DAY, "b", {"protection": 0.5, "research": 0.4}), "add up to 0.9"),
        (lambda: AllocationRule("x", DAY, "b", {"parties": 1.0}), "unknown purposes parties"),
    ],
)
def test_rules_that_make_no_sense_are_refused(make, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ProceedsError, match=message):
        make()


def test_a_split_adds_up_to_the_tiyn_for_any_amount() -> None:
    shares = {"protection": 0.5, "habitat": 0.3, "research": 0.2}
    thirds = {"protection": 1 / 3, "habitat": 1 / 3, "research": 1 / 3}
    generator = random.Random(15)
    for amount in [1, 2, 3, 7, 100, 99_999, *(generator.randrange(1, 10**12) for _ in range(2000))]:
        for chosen in (shares, thirds):
            parts = split(amount, chosen)
            assert sum(parts.values()) == amount and all(v > 0 for v in parts.values())
            assert all(abs(parts.get(p, 0) - amount * s) < 1 for p, s in chosen.items())
    assert split(100, shares) == {"protection": 50, "habitat": 30, "research": 20}


def test_an_entry_that_does_not_balance_is_no_entry() -> None:
    with pytest.raises(ProceedsError, match="does not balance: debits 100 tiyn, credits 90 tiyn"):
        Entry(EntryKind.FEE, DAY, "bad", "Ural", (Line("due:a", debit=100), Line("proceeds:Ural", credit=90)))
    with pytest.raises(ProceedsError, match="never negative"):
        Entry(EntryKind.FEE, DAY, "bad", "Ural", (Line("due:a", debit=-5), Line("proceeds:Ural", credit=-5)))


def test_fees_allocations_and_reversals_keep_every_account_in_balance() -> None:
    generator = random.Random(3)
    allocation = AllocationRule(
        "2026", date(2026, 1, 1), "order 2", {"protection": 0.6, "habitat": 0.25, "research": 0.15}
    )
    entries: list[Entry] = []
    for n in range(300):
        population = generator.choice(["Ural", "Betpakdala", "Ustyurt"])
        fee = fee_entry(DAY, f"org{n % 7}", population, generator.randrange(1, 10**9), f"fee {n}", f"e{n}")
        fee = Entry(**{**fee.__dict__, "id": len(entries) + 1})
        entries.append(fee)
        entries.append(allocation_entry(fee, split(fee.amount, allocation.shares), "allocation"))
        if n % 10 == 0:
            entries.append(reversal(fee, DAY, "price entered wrong"))
        assert sum(trial_balance(entries).values()) == 0
    answer = report(entries, 2026)
    assert answer["balanced"] and answer["entries"] == len(entries)
    for row in answer["populations"]:
        # Reversed fees keep their allocations until those are reversed too: here they are not.
        assert row["inKZT"] <= sum(row["allocatedKZT"].values()) + 1e-6


def test_the_report_shows_what_came_in_and_where_it_went_per_population() -> None:
    shares = {"protection": 0.5, "habitat": 0.3, "research": 0.2}
    fee = Entry(**{**fee_entry(DAY, "team", "Ural", 1_000_000, "cull", "e1").__dict__, "id": 1})
    other = Entry(**{**fee_entry(DAY, "trader", "Ustyurt", 50_000, "sale", "e2").__dict__, "id": 2})
    entries = [fee, allocation_entry(fee, split(fee.amount, shares), "a"), other]
    answer = report(entries, 2026)
    ural, ustyurt = answer["populations"]
    assert ural == {
        "population": "Ural",
        "inKZT": 10_000.0,
        "allocatedKZT": {"protection": 5000.0, "habitat": 3000.0, "research": 2000.0},
        "unallocatedKZT": 0.0,
    }
    assert (
        ustyurt["population"] == "Ustyurt"
        and ustyurt["inKZT"] == 500.0
        and ustyurt["unallocatedKZT"] == 500.0
    )
    assert answer["inKZT"] == 10_500.0 and report(entries, 2025)["populations"] == []
    undone = [*entries, reversal(other, DAY, "no sale")]
    assert report(undone, 2026)["populations"][1]["inKZT"] == 0.0


def test_the_allocation_rule_in_force_on_the_day_applies() -> None:
    first = AllocationRule("2025", date(2025, 1, 1), "b", {"protection": 1.0}, date(2025, 12, 31), id=1)
    second = AllocationRule("2026", date(2026, 1, 1), "b", {"research": 1.0}, id=2)
    assert allocation_rule_for([first, second], date(2025, 7, 1)) is first
    assert allocation_rule_for([first, second], DAY) is second
    assert allocation_rule_for([second], date(2025, 7, 1)) is None
