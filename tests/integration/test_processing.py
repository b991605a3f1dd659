"""Processing through capture on SQLite and PostgreSQL: lots made, used in part, repacked and split;
and the laundering attempts the registry refuses, with nothing of them stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import events
from kiik.custody.domain import processing_events as process
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of
from tests.support.processing_season import HORNS, POWDER, Season, at, harvested, lot


def state(season: Season, code: str) -> object:
    with season.registry.uow() as uow:
        found = uow.items.get(key_of(code))
    assert found is not None
    return found


def stored_events(registry: Registry) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(events)) or 0)


def ground(season: Season, kg: float = 0.9) -> None:
    """The plant grinds four horns (1.08 kg) into a powder lot."""
    season.ok(
        "plant", [process.processing(HORNS[:4], [(POWDER, kg)], at(12), season.site("plant"), "powder")]
    )


def test_a_lot_is_used_in_part_then_repacked_whole_then_split(registry: Registry) -> None:
    season = harvested(registry)
    ground(season)
    plant = season.site("plant")
    season.ok("plant", [process.repack(POWDER, [(lot("PACK-1"), 0.1)], at(13), plant, "powder", used_kg=0.1)])
    left = state(season, POWDER)
    assert (left.status.value, left.quantity) == ("active", pytest.approx(0.8))
    season.ok("plant", [process.repack(POWDER, [(lot("PWD-2"), 0.8)], at(14), plant, "powder")])
    assert state(season, POWDER).status.value == "consumed"
    split = process.repack(
        lot("PWD-2"), [(lot("PACK-2"), 0.5), (lot("PACK-3"), 0.3)], at(15), plant, "powder"
    )
    season.ok("plant", [split])
    assert state(season, lot("PWD-2")).status.value == "consumed"
    assert [state(season, lot(n)).mass_kg for n in ("PACK-1", "PACK-2", "PACK-3")] == [0.1, 0.5, 0.3]


def test_more_powder_out_than_horn_in_is_refused(registry: Registry) -> None:
    season = harvested(registry)
    before = stored_events(registry)
    too_much = process.processing(HORNS[:4], [(POWDER, 1.0)], at(12), season.site("plant"), "powder")
    assert season.refused("plant", [too_much]) == ["transformation.mass_balance"]
    assert stored_events(registry) == before
    assert state(season, HORNS[0]).status.value == "active"


def test_a_lot_cannot_claim_inputs_another_lot_consumed(registry: Registry) -> None:
    season = harvested(registry)
    ground(season)
    plant = season.site("plant")
    again = process.processing(HORNS[:2], [(lot("PWD-X"), 0.4)], at(13), plant, "powder")
    assert set(season.refused("plant", [again])) == {"item.not_movable"}
    season.ok("plant", [process.repack(POWDER, [(lot("PWD-2"), 0.9)], at(13), plant, "powder")])
    from_closed = process.processing(
        [], [(lot("GRN-X"), 0.5)], at(14), plant, "granules", lots_used=[(POWDER, 0.6)]
    )
    assert season.refused("plant", [from_closed]) == ["item.not_movable"]
    # Two lots in one document, both claiming the same horns: the second is refused, and so is the document.
    season.ship("warehouse", "plant", HORNS[4:], 20)
    first = process.processing(HORNS[4:], [(lot("PWD-3"), 0.4)], at(21), plant, "powder")
    second = process.processing(HORNS[4:], [(lot("PWD-4"), 0.4)], at(21.1), plant, "powder")
    assert season.refused("plant", [first, second]) == ["item.not_movable", "item.not_movable"]
    assert state(season, HORNS[4]).status.value == "active"


def test_a_split_that_creates_mass_is_refused(registry: Registry) -> None:
    season = harvested(registry)
    ground(season)
    split = process.repack(
        POWDER, [(lot("PACK-1"), 0.5), (lot("PACK-2"), 0.5)], at(13), season.site("plant"), "powder"
    )
    assert season.refused("plant", [split]) == ["transformation.mass_balance"]
    assert state(season, POWDER).status.value == "active"


def test_a_closed_lot_code_is_never_used_again(registry: Registry) -> None:
    season = harvested(registry)
    ground(season)
    plant, warehouse = season.world["plant"], season.world["warehouse"]
    season.ok("plant", [process.repack(POWDER, [(lot("PWD-2"), 0.9)], at(13), plant.sgln, "powder")])
    as_output = process.repack(lot("PWD-2"), [(POWDER, 0.9)], at(14), plant.sgln, "powder")
    assert season.refused("plant", [as_output]) == ["identifier.already_commissioned"]
    registered_again = build.commissioning(
        [],
        at(14),
        plant.sgln,
        ilmd={"productType": "powder"},
        quantities=[{"epcClass": POWDER, "quantity": 0.9, "uom": "KGM"}],
    )
    assert season.refused("plant", [registered_again]) == ["identifier.already_commissioned"]
    shipped = build.shipping([], at(14), plant.sgln, plant.pgln, warehouse.pgln)
    shipped["quantityList"] = [{"epcClass": POWDER, "quantity": 0.9, "uom": "KGM"}]
    assert season.refused("plant", [shipped]) == ["item.not_movable"]
    reused = process.processing(
        [], [(lot("GRN-1"), 0.1)], at(14), plant.sgln, "granules", lots_used=[(POWDER, 0.2)]
    )
    assert season.refused("plant", [reused]) == ["item.not_movable"]
