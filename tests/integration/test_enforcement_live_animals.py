"""Market inspections, live tortoises seized under the ban, their rehabilitation and release, and
cases under Article 339 with the penalty estimate."""

from __future__ import annotations

from datetime import date

import pytest

from kiik.bootstrap.registry import Registry
from kiik.enforcement.domain.cases import NewCase
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.cases import open_case, record_outcome
from kiik.enforcement.services.market import MarketScan, confirm_seizure, inspect_market
from kiik.enforcement.services.rehabilitation import admit_animals, record_animal, released_where
from kiik.enforcement.services.seizures import show_seizure
from tests.support.enforcement import NEVER_ISSUED, SAIGA, TORTOISE, enforcement_world

DAY = date(2026, 10, 3)


def test_scans_at_a_market_give_a_verdict_and_open_a_draft_for_anything_but_legal(registry: Registry) -> None:
    ew = enforcement_world(registry)
    inspector = ew.world["inspector"].principal
    lot = next(iter(ew.season.lots))  # powder the trader holds
    legal = inspect_market(registry.uow(), inspector, MarketScan("Zelyony bazaar", SAIGA, "POW", DAY, lot))
    assert legal["verdict"] == "legal" and "seizure" not in legal
    forged = inspect_market(
        registry.uow(), inspector, MarketScan("Pharmacy 12", SAIGA, "HOR", DAY, NEVER_ISSUED)
    )
    assert (forged["verdict"], forged["seizureStatus"]) == ("forgery", "draft")
    unreadable = inspect_market(
        registry.uow(), inspector, MarketScan("Pharmacy 12", SAIGA, "HOR", DAY, "x-1")
    )
    assert unreadable["verdict"] == "unknown"
    draft = show_seizure(registry.uow(), inspector, forged["seizure"])
    assert draft["status"] == "draft" and draft["codes"][0]["verdict"] == "forgery"
    confirm_seizure(registry.uow(), inspector, forged["seizure"])
    assert show_seizure(registry.uow(), inspector, forged["seizure"])["status"] == "recorded"
    with pytest.raises(EnforcementError, match="only a draft is confirmed"):
        confirm_seizure(registry.uow(), inspector, forged["seizure"])


def test_tortoises_on_sale_are_seized_rehabilitated_and_released(registry: Registry) -> None:
    ew = enforcement_world(registry)
    inspector = ew.world["inspector"].principal
    seized = inspect_market(
        registry.uow(), inspector, MarketScan("Barakholka, Almaty", TORTOISE, "LIV", DAY, live_animals=3)
    )
    assert seized["verdict"] == "banned" and seized["seizureStatus"] == "recorded"
    assert seized["penaltyEstimate"]["fine_kzt"]["max"] == 3000 * 4325
    assert seized["penaltyEstimate"]["estimate"] is True
    reference = seized["seizure"]
    admit_animals(registry.uow(), inspector, reference, ["T-1", "T-2", "T-3"], "Tasbaqa fund centre", DAY)
    with pytest.raises(EnforcementError, match="too many"):
        admit_animals(registry.uow(), inspector, reference, ["T-4"], "Tasbaqa fund centre", DAY)
    record_animal(registry.uow(), inspector, "T-1", "health_check", date(2026, 10, 10), "underweight")
    record_animal(registry.uow(), inspector, "T-2", "death", date(2026, 10, 12), "shell infection")
    with pytest.raises(EnforcementError, match="say where it was released"):
        record_animal(registry.uow(), inspector, "T-1", "release", date(2027, 4, 20))
    for mark in ("T-1", "T-3"):
        record_animal(
            registry.uow(),
            inspector,
            mark,
            "release",
            date(2027, 4, 20),
            place="Kapchagay steppe",
            latitude=43.9,
            longitude=77.1,
        )
    with pytest.raises(EnforcementError, match="has died"):
        record_animal(registry.uow(), inspector, "T-2", "health_check", date(2027, 4, 21))
    report = released_where(registry.uow(), inspector)
    assert (report["released"], report["died"], report["inCare"]) == (2, 1, 0)
    assert [(r["place"], r["animals"]) for r in report["releases"]] == [("Kapchagay steppe", 2)]


def test_a_case_groups_seizures_and_estimates_the_penalty_for_the_year_of_the_offence(
    registry: Registry,
) -> None:
    ew = enforcement_world(registry)
    inspector = ew.world["inspector"].principal
    seized = inspect_market(
        registry.uow(), inspector, MarketScan("Bazaar", TORTOISE, "LIV", DAY, live_animals=2)
    )
    case = open_case(
        registry.uow(), inspector, NewCase("339-2026-17", "1", DAY, 2, ("KZ",), (seized["seizure"],))
    )
    estimate = case["penaltyEstimate"]
    assert estimate["estimate"] is True and estimate["year"] == 2026
    assert estimate["fine_kzt"]["max"] == 12_975_000
    assert "2026: 4,325 KZT" in estimate["rule"] and "estimate" in estimate["notice"]
    assert [s["reference"] for s in case["seizures"]] == [seized["seizure"]]
    # an offence of 2023 is estimated at the 2023 MCI
    older = open_case(registry.uow(), inspector, NewCase("339-2023-1", "2", date(2023, 6, 23), 1))
    assert older["penaltyEstimate"]["fine_kzt"]["max"] == 3000 * 3450
    assert record_outcome(registry.uow(), inspector, "339-2023-1", "convicted")["outcome"] == "convicted"
    with pytest.raises(EnforcementError, match="articlePart"):
        open_case(registry.uow(), inspector, NewCase("339-x", "9", DAY, 1))
    with pytest.raises(EnforcementError, match="no seizure 'nope'"):
        open_case(registry.uow(), inspector, NewCase("339-y", "1", DAY, 1, (), ("nope",)))
