"""Processing, repacking and splitting lots: the rules on plain events, with no database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiik.custody.domain import processing_events as process
from kiik.custody.domain.mass_balance import InputMass, MassBalance, backwards_inputs
from kiik.custody.domain.state import Status
from kiik.epcis.domain import event_builders as build
from tests.unit.test_custody_rules import (
    HARVESTER,
    HORNS,
    LOT,
    PGLN,
    PLANT,
    SITE,
    T0,
    WAREHOUSE,
    World,
    moved,
)

LOT_A = "urn:epc:class:lgtin:4870003.000002.A1"
LOT_B = "urn:epc:class:lgtin:4870003.000002.B1"
LOT_C = "urn:epc:class:lgtin:4870003.000002.C1"


def day(n: float) -> object:
    return T0 + timedelta(days=n)


def ground(world: World, powder_kg: float = 0.9) -> None:
    """Four whole horns of 0.25 kg harvested, taken to the plant and ground into one powder lot."""
    for n, horn in enumerate(HORNS):
        event = build.commissioning(
            [horn],
            T0 + timedelta(minutes=n),
            SITE[HARVESTER],
            ilmd={"massKg": 0.25, "productType": "whole_horn"},
        )
        assert world.apply(HARVESTER, event) == []
    moved(world, HORNS, HARVESTER, PLANT)
    grind = process.processing(HORNS, [(LOT, powder_kg)], day(3), SITE[PLANT], "powder")
    assert world.apply(PLANT, grind) == []


def test_part_of_a_lot_is_repacked_and_the_rest_stays_open() -> None:
    world = World()
    ground(world)
    part = process.repack(LOT, [(LOT_A, 0.3)], day(4), SITE[PLANT], "powder", used_kg=0.3)
    assert world.apply(PLANT, part) == []
    rest, new = world.state(LOT), world.state(LOT_A)
    assert rest.status is Status.ACTIVE and rest.quantity == pytest.approx(0.6)
    assert rest.mass_kg == pytest.approx(0.6)
    assert (new.status, new.mass_kg, new.product_type, new.holder) == (Status.ACTIVE, 0.3, "powder", PLANT)


def test_a_whole_lot_relabelled_is_closed_and_its_code_never_used_again() -> None:
    world = World()
    ground(world)
    assert world.apply(PLANT, process.repack(LOT, [(LOT_A, 0.9)], day(4), SITE[PLANT], "powder")) == []
    closed = world.state(LOT)
    assert (closed.status, closed.quantity, closed.mass_kg) == (Status.CONSUMED, 0.0, 0.0)
    again_in = process.repack(LOT, [(LOT_B, 0.1)], day(5), SITE[PLANT], "powder", used_kg=0.1)
    assert world.apply(PLANT, again_in) == ["item.not_movable"]
    again_out = process.repack(LOT_A, [(LOT, 0.9)], day(5), SITE[PLANT], "powder")
    assert world.apply(PLANT, again_out) == ["identifier.already_commissioned"]
    recommissioned = build.commissioning(
        [], day(5), SITE[PLANT], quantities=[{"epcClass": LOT, "quantity": 1.0, "uom": "KGM"}]
    )
    assert world.apply(PLANT, recommissioned) == ["identifier.already_commissioned"]
    shipped = build.shipping([], day(5), SITE[PLANT], PGLN[PLANT], PGLN[WAREHOUSE])
    shipped["quantityList"] = [{"epcClass": LOT, "quantity": 0.9, "uom": "KGM"}]
    assert world.apply(PLANT, shipped) == ["item.not_movable"]


def test_a_lot_is_split_into_several_lots() -> None:
    world = World()
    ground(world)
    split = process.repack(LOT, [(LOT_A, 0.4), (LOT_B, 0.3), (LOT_C, 0.2)], day(4), SITE[PLANT], "powder")
    assert world.apply(PLANT, split) == []
    assert world.state(LOT).status is Status.CONSUMED
    assert [world.state(k).mass_kg for k in (LOT_A, LOT_B, LOT_C)] == [0.4, 0.3, 0.2]


def test_a_split_cannot_create_mass() -> None:
    world = World()
    ground(world)
    split = process.repack(LOT, [(LOT_A, 0.5), (LOT_B, 0.5)], day(4), SITE[PLANT], "powder")
    assert world.apply(PLANT, split) == ["transformation.mass_balance"]
    assert world.state(LOT).status is Status.ACTIVE
    part = process.repack(LOT, [(LOT_A, 0.2), (LOT_B, 0.2)], day(4), SITE[PLANT], "powder", used_kg=0.3)
    assert world.apply(PLANT, part) == ["transformation.mass_balance"]


def test_a_lot_cannot_give_more_than_is_left_of_it() -> None:
    world = World()
    ground(world)
    assert (
        world.apply(PLANT, process.repack(LOT, [(LOT_A, 0.5)], day(4), SITE[PLANT], "powder", used_kg=0.5))
        == []
    )
    too_much = process.repack(LOT, [(LOT_B, 0.45)], day(5), SITE[PLANT], "powder", used_kg=0.45)
    assert world.apply(PLANT, too_much) == ["transformation.input_exceeds_stock"]


def test_a_lot_used_in_grams_is_reduced_in_its_own_unit() -> None:
    world = World()
    ground(world)
    event = process.repack(LOT, [(LOT_A, 0.3)], day(4), SITE[PLANT], "powder")
    event["inputQuantityList"] = [{"epcClass": LOT, "quantity": 300, "uom": "GRM"}]
    assert world.apply(PLANT, event) == []
    assert world.state(LOT).quantity == pytest.approx(0.6) and world.state(LOT).uom == "KGM"


def test_processing_a_lot_counts_the_product_types_yield_and_a_repacked_input_at_one() -> None:
    world = World()
    ground(world, powder_kg=0.675)  # three quarters of a horn kilo: within the 0.9 yield
    granules = process.processing(
        [], [(LOT_A, 0.63)], day(4), SITE[PLANT], "granules", lots_used=[(LOT, 0.675)]
    )
    assert world.apply(PLANT, granules) == ["transformation.mass_balance"]  # 0.675 * 0.92 = 0.621
    fine = process.processing([], [(LOT_A, 0.62)], day(4), SITE[PLANT], "granules", lots_used=[(LOT, 0.675)])
    assert world.apply(PLANT, fine) == []


def test_processing_never_goes_back_to_a_less_processed_form() -> None:
    world = World()
    ground(world)
    back = process.processing([], [(LOT_A, 0.5)], day(4), SITE[PLANT], "whole_horn", lots_used=[(LOT, 0.5)])
    assert world.apply(PLANT, back) == ["transformation.not_reversible"]


def test_a_repackaging_keeps_the_product_type() -> None:
    world = World()
    ground(world)
    renamed = process.repack(LOT, [(LOT_A, 0.2)], day(4), SITE[PLANT], "extract", used_kg=0.9)
    assert world.apply(PLANT, renamed) == ["transformation.repack_changes_form"]


def test_an_output_needs_a_positive_mass() -> None:
    world = World()
    ground(world)
    event = process.repack(LOT, [(LOT_A, 0.5)], day(4), SITE[PLANT], "powder", used_kg=0.5)
    event["outputEPCList"] = ["urn:epc:id:sgtin:4870003.000009.1"]
    event["ilmd"]["kiik:massKg"] = -0.4
    assert world.apply(PLANT, event) == ["transformation.output_mass_required"]


def test_mixed_inputs_count_each_at_its_own_yield() -> None:
    repacked, processed = InputMass("powder", 1.0), InputMass("whole_horn", 1.0)
    balance = MassBalance((repacked, processed), 1.9, "powder", 0.9)
    assert balance.allowed_kg == pytest.approx(1.9) and balance.holds
    assert not MassBalance((repacked, processed), 1.91, "powder", 0.9).holds
    assert "1.000 kg of it already powder" in MassBalance((repacked, processed), 2.0, "powder", 0.9).explain()
    assert MassBalance((repacked,), 1.2, "powder", 0.9).explain().startswith("a repack of powder cannot")
    assert backwards_inputs(["powder", "whole_horn", None, "powder"], "slices") == ["powder"]
    assert backwards_inputs(["extract"], "elixir") == []
