"""Plausible masses: a horn of 2,400 kg or of 0.1 g, and a lot a thousand times too heavy, are refused
where they enter the registry, with the bound in the message; the ministry's bounds replace the
defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiik.custody.domain.mass_bounds import DEFAULT_MASS_BOUNDS, SAIGA, MassBound, MassBounds, Measured
from kiik.custody.domain.rules import CustodyPolicy, apply_event
from kiik.custody.domain.state import Actor
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of, read_event
from tests.unit.test_custody_rules import (
    HARVESTER,
    HORNS,
    KINDS,
    LOT,
    PLANT,
    SITE,
    T0,
    World,
    harvested,
    moved,
)


def horn(mass: float, species: str | None = SAIGA, n: int = 0) -> dict:  # type: ignore[type-arg]
    ilmd = {"massKg": mass, "productType": "whole_horn", **({"species": species} if species else {})}
    return build.commissioning([HORNS[n]], T0, SITE[HARVESTER], ilmd=ilmd)


@pytest.mark.parametrize("mass", [2400.0, 0.0001])
def test_an_implausible_horn_is_refused_with_the_bound(mass: float) -> None:
    world = World()
    ledger = world.ledger()
    violations = apply_event(read_event(horn(mass)), Actor(HARVESTER, KINDS[HARVESTER]), ledger, world.policy)
    [violation] = violations
    assert violation.rule == "mass.implausible" and violation.identifier == key_of(HORNS[0])
    assert f"{mass:g} kg is not plausible" in violation.message
    assert "a marked whole_horn of Saiga tatarica weighs from 0.03 to 1.5 kg" in violation.message
    assert ledger.changed_states() == []


def test_a_plausible_horn_passes_and_a_horn_of_no_bounded_species_takes_the_general_bound() -> None:
    world = World()
    assert world.apply(HARVESTER, horn(0.25)) == []
    # No general bound for marked whole horns: a species without its own bound is not judged.
    assert world.apply(HARVESTER, horn(2400.0, species=None, n=1)) == []


def test_a_lot_a_thousand_times_too_heavy_is_refused_where_it_enters() -> None:
    world = World()
    harvested(world, HORNS[:2])
    moved(world, HORNS[:2], HARVESTER, PLANT)
    later = T0 + timedelta(days=3)
    made = build.transformation(HORNS[:2], [(LOT, 450.0 * 1000)], later, SITE[PLANT], "powder")
    assert "mass.implausible" in world.apply(PLANT, made)
    # A lot registered as it is (stock found, an import) is judged by the same bound.
    lot = {"epcClass": LOT, "quantity": 1800.0, "uom": "KGM"}  # 1.8 kg typed in grams
    found = build.commissioning([], later, SITE[PLANT], ilmd={"productType": "powder"}, quantities=[lot])
    del found["epcList"]
    assert world.apply(PLANT, found) == ["mass.implausible"]
    lot["quantity"] = 1.8
    assert world.apply(PLANT, {**found, "quantityList": [lot]}) == []


def test_the_ministrys_bound_replaces_the_default() -> None:
    narrow = MassBound("whole_horn", Measured.ITEM, 0.1, 0.4, SAIGA)
    world = World()
    world.policy = CustodyPolicy(directory=world.policy.directory, mass_bounds=MassBounds([narrow]))
    assert world.apply(HARVESTER, horn(0.5)) == ["mass.implausible"]
    assert world.apply(HARVESTER, horn(0.3, n=1)) == []
    bounds = MassBounds([narrow])
    assert bounds.bound_for("whole_horn", Measured.ITEM, SAIGA) == narrow
    assert len(bounds.all()) == len(DEFAULT_MASS_BOUNDS)


@pytest.mark.parametrize(("least", "most"), [(0.0, 1.0), (1.0, 1.0), (2.0, 1.0), (-1.0, 1.0)])
def test_a_bound_must_be_a_positive_range(least: float, most: float) -> None:
    with pytest.raises(ValueError, match="0 < least < most"):
        MassBound("powder", Measured.LOT, least, most)
