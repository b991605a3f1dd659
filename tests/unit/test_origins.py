"""Shares of an item's mass by source item, through transformations: no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiik.custody.domain.origins import Making, origin_rows, source_shares
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import read_event


def test_a_lot_takes_its_sources_in_proportion_to_the_mass_used() -> None:
    made_by = {
        "powder": Making((("horn1", 0.3), ("horn2", 0.1))),
        "mix": Making((("powder", 2.0), ("horn3", 1.0))),
    }
    shares = source_shares("mix", made_by)
    assert not shares.estimated
    assert shares.fractions == pytest.approx({"horn1": 0.5, "horn2": 1 / 6, "horn3": 1 / 3})
    assert sum(shares.fractions.values()) == pytest.approx(1.0)


def test_a_source_reached_twice_adds_up() -> None:
    made_by = {
        "a": Making((("horn", 1.0), ("other", 1.0))),
        "b": Making((("horn", 1.0),)),
        "mix": Making((("a", 1.0), ("b", 1.0))),
    }
    assert source_shares("mix", made_by).fractions == pytest.approx({"horn": 0.75, "other": 0.25})


def test_unknown_masses_are_weighted_equally_and_flagged() -> None:
    shares = source_shares("lot", {"lot": Making((("horn1", None), ("horn2", 0.2)))})
    assert shares.estimated and shares.fractions == {"horn1": 0.5, "horn2": 0.5}
    assert source_shares("horn", {}).fractions == {"horn": 1.0}


def test_a_commissioning_gives_one_origin_row_per_item_with_its_animal() -> None:
    event = build.commissioning(
        ["urn:epc:id:sgtin:4870002.000001.1", "urn:epc:id:sgtin:4870002.000001.2"],
        datetime(2025, 9, 1, tzinfo=UTC),
        "urn:epc:id:sgln:4870002.00000.0",
        ilmd={"animalID": " URL-1 ", "massKg": 0.25},
    )
    rows = origin_rows(read_event(event))
    assert [r["animal_id"] for r in rows] == ["URL-1", "URL-1"]
    assert rows[0]["ilmd"] == {"kiik:animalID": " URL-1 ", "kiik:massKg": 0.25}
    assert rows[0]["biz_location"] == "https://id.gs1.org/414/4870002000003"
    assert (
        origin_rows(
            read_event(
                build.receiving(["urn:epc:id:sgtin:4870002.000001.1"], datetime(2025, 9, 2, tzinfo=UTC), None)
            )
        )
        == []
    )
