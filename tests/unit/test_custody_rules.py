"""The custody rules, checked on plain events with no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiik.custody.domain.rules import CustodyPolicy, apply_event, operation_of
from kiik.custody.domain.state import Actor, ItemState, Ledger, Status
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of, read_event
from kiik.epcis.domain.vocabulary import BIZSTEP_SEIZING, DISPOSITION_SEIZED

HARVESTER, WAREHOUSE, PLANT, CUSTOMS, OTHER = 1, 2, 3, 4, 5
PGLN = {n: f"urn:epc:id:pgln:487000{n}.00000" for n in range(1, 6)}
SITE = {n: f"urn:epc:id:sgln:487000{n}.00000.0" for n in range(1, 6)}
KINDS = {
    HARVESTER: "harvester",
    WAREHOUSE: "warehouse",
    PLANT: "processor",
    CUSTOMS: "customs",
    OTHER: "trader",
}
T0 = datetime(2025, 9, 12, 8, 0, tzinfo=UTC)
HORNS = [f"urn:epc:id:sgtin:4870001.000001.{n}" for n in range(1, 5)]
LOT = "urn:epc:class:lgtin:4870003.000002.P1"


class Directory:
    def org_of_party(self, key: str) -> int | None:
        return next((n for n, p in PGLN.items() if key_of(p) == key), None)

    def org_of_location(self, key: str) -> int | None:
        return next((n for n, s in SITE.items() if key_of(s) == key), None)

    def org_name(self, org_id: int | None) -> str:
        return f"org{org_id}"

    def kind_of(self, org_id: int | None) -> str:
        return KINDS.get(org_id or 0, "unknown")


class World:
    """A ledger over an in-memory store, and a way to apply events as an organisation."""

    def __init__(self, enforce: bool = True) -> None:
        self.store: dict[str, ItemState] = {}
        self.policy = CustodyPolicy(directory=Directory(), enforce=enforce)

    def ledger(self) -> Ledger:
        return Ledger(
            lambda keys: {k: self.store[k] for k in keys if k in self.store},
            lambda parent: [k for k, s in self.store.items() if s.parent == parent],
        )

    def apply(self, org: int, event: dict) -> list[str]:
        ledger = self.ledger()
        violations = apply_event(read_event(event), Actor(org, KINDS[org]), ledger, self.policy)
        for state in ledger.changed_states():
            self.store[state.key] = state
        return [v.rule for v in violations]

    def state(self, code: str) -> ItemState:
        return self.store[key_of(code)]


def harvested(world: World, horns: list[str] = HORNS, mass: float = 0.25) -> None:
    for n, horn in enumerate(horns):
        event = build.commissioning([horn], T0 + timedelta(minutes=n), SITE[HARVESTER], ilmd={"massKg": mass})
        assert world.apply(HARVESTER, event) == []


def moved(world: World, horns: list[str], src: int, dst: int, day: int = 1) -> None:
    assert (
        world.apply(src, build.shipping(horns, T0 + timedelta(days=day), SITE[src], PGLN[src], PGLN[dst]))
        == []
    )
    assert world.apply(dst, build.receiving(horns, T0 + timedelta(days=day, hours=5), SITE[dst])) == []


def test_commissioning_makes_the_actor_the_holder() -> None:
    world = World()
    harvested(world)
    state = world.state(HORNS[0])
    assert (state.holder, state.status, state.mass_kg) == (HARVESTER, Status.ACTIVE, 0.25)
    assert state.site == key_of(SITE[HARVESTER])


def test_an_identifier_is_commissioned_once_in_any_of_its_forms() -> None:
    world = World()
    harvested(world, HORNS[:1])
    same_horn = "https://id.gs1.org/01/04870001000011/21/1"
    assert world.apply(OTHER, build.commissioning([same_horn], T0, None)) == [
        "identifier.already_commissioned"
    ]
    assert world.state(HORNS[0]).holder == HARVESTER


def test_only_the_holder_may_ship() -> None:
    world = World()
    harvested(world)
    event = build.shipping(HORNS, T0 + timedelta(days=1), SITE[OTHER], PGLN[OTHER], PGLN[WAREHOUSE])
    assert set(world.apply(OTHER, event)) == {"custody.not_holder"}
    assert world.state(HORNS[0]).status is Status.ACTIVE


def test_only_the_named_destination_may_receive() -> None:
    world = World()
    harvested(world)
    ship = build.shipping(HORNS, T0 + timedelta(days=1), SITE[HARVESTER], PGLN[HARVESTER], PGLN[WAREHOUSE])
    assert world.apply(HARVESTER, ship) == []
    assert world.state(HORNS[0]).status is Status.IN_TRANSIT
    assert set(world.apply(PLANT, build.receiving(HORNS, T0 + timedelta(days=2), SITE[PLANT]))) == {
        "receiving.not_destination"
    }
    assert world.apply(WAREHOUSE, build.receiving(HORNS, T0 + timedelta(days=2), SITE[WAREHOUSE])) == []
    assert world.state(HORNS[0]).holder == WAREHOUSE


def test_receiving_what_was_never_shipped_is_refused() -> None:
    world = World()
    harvested(world)
    assert set(world.apply(WAREHOUSE, build.receiving(HORNS, T0, SITE[WAREHOUSE]))) == {
        "receiving.not_shipped"
    }


def test_an_item_in_transit_cannot_be_moved_on() -> None:
    world = World()
    harvested(world)
    ship = build.shipping(HORNS, T0 + timedelta(days=1), SITE[HARVESTER], PGLN[HARVESTER], PGLN[WAREHOUSE])
    assert world.apply(HARVESTER, ship) == []
    again = build.shipping(HORNS, T0 + timedelta(days=2), SITE[HARVESTER], PGLN[HARVESTER], PGLN[PLANT])
    assert set(world.apply(HARVESTER, again)) == {"item.not_movable"}


def test_shipping_needs_a_known_destination() -> None:
    world = World()
    harvested(world)
    event = build.shipping(
        HORNS, T0 + timedelta(days=1), SITE[HARVESTER], None, "urn:epc:id:pgln:4870009.00000"
    )
    assert world.apply(HARVESTER, event) == ["shipping.unknown_destination"]


def test_mass_balance_refuses_more_powder_than_horn() -> None:
    world = World()
    harvested(world, mass=0.25)
    moved(world, HORNS, HARVESTER, PLANT)
    too_much = build.transformation(HORNS, [(LOT, 0.95)], T0 + timedelta(days=3), SITE[PLANT], "powder")
    assert world.apply(PLANT, too_much) == ["transformation.mass_balance"]
    assert world.state(HORNS[0]).status is Status.ACTIVE
    fine = build.transformation(HORNS, [(LOT, 0.90)], T0 + timedelta(days=3), SITE[PLANT], "powder")
    assert world.apply(PLANT, fine) == []
    assert world.state(HORNS[0]).status is Status.CONSUMED
    assert world.state(LOT).mass_kg == pytest.approx(0.90)


def test_inputs_consumed_by_one_lot_cannot_feed_another() -> None:
    world = World()
    harvested(world)
    moved(world, HORNS, HARVESTER, PLANT)
    first = build.transformation(HORNS[:2], [(LOT, 0.4)], T0 + timedelta(days=3), SITE[PLANT], "powder")
    assert world.apply(PLANT, first) == []
    second_lot = "urn:epc:class:lgtin:4870003.000002.P2"
    second = build.transformation(
        HORNS[:2], [(second_lot, 0.4)], T0 + timedelta(days=4), SITE[PLANT], "powder"
    )
    assert set(world.apply(PLANT, second)) == {"item.not_movable"}


def test_unknown_product_type_is_refused() -> None:
    world = World()
    harvested(world)
    moved(world, HORNS, HARVESTER, PLANT)
    event = build.transformation(HORNS, [(LOT, 0.5)], T0 + timedelta(days=3), SITE[PLANT], "elixir")
    assert world.apply(PLANT, event) == ["transformation.product_type_required"]


def test_a_child_is_in_at_most_one_parent() -> None:
    world = World()
    harvested(world)
    box1, box2 = "urn:epc:id:sscc:4870001.0000000001", "urn:epc:id:sscc:4870001.0000000002"
    pack = {
        "type": "AggregationEvent",
        "action": "ADD",
        "bizStep": "packing",
        "eventTime": "2025-09-13T08:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "parentID": box1,
        "childEPCs": HORNS[:2],
    }
    assert world.apply(HARVESTER, pack) == []
    assert world.apply(HARVESTER, {**pack, "parentID": box2}) == ["aggregation.child_in_other_parent"] * 2
    assert world.state(HORNS[0]).parent == key_of(box1)


def test_shipping_a_box_ships_what_is_packed_in_it() -> None:
    world = World()
    harvested(world)
    box = "urn:epc:id:sscc:4870001.0000000001"
    pack = {
        "type": "AggregationEvent",
        "action": "ADD",
        "bizStep": "packing",
        "eventTime": "2025-09-13T08:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "parentID": box,
        "childEPCs": HORNS,
    }
    assert world.apply(HARVESTER, pack) == []
    moved(world, [box], HARVESTER, WAREHOUSE, day=2)
    assert all(world.state(h).holder == WAREHOUSE for h in HORNS)


def test_seizure_by_customs_freezes_items_and_is_refused_to_traders() -> None:
    world = World()
    harvested(world)
    seize = build.receiving(HORNS[:1], T0 + timedelta(days=1), SITE[CUSTOMS])
    seize.update(bizStep=BIZSTEP_SEIZING, disposition=DISPOSITION_SEIZED)
    assert world.apply(OTHER, seize) == ["seizure.not_authorised"]
    assert world.apply(CUSTOMS, seize) == []
    assert world.state(HORNS[0]).status is Status.SEIZED
    ship = build.shipping(HORNS[:1], T0 + timedelta(days=2), SITE[CUSTOMS], PGLN[CUSTOMS], PGLN[WAREHOUSE])
    assert world.apply(CUSTOMS, ship) == ["item.not_movable"]


def test_an_unknown_code_seized_is_recorded() -> None:
    world = World()
    seize = build.receiving(["urn:kiik:microchip:398000000000123"], T0, SITE[CUSTOMS])
    seize.update(bizStep=BIZSTEP_SEIZING, disposition=DISPOSITION_SEIZED)
    assert world.apply(CUSTOMS, seize) == []


def test_with_rules_off_everything_is_recorded() -> None:
    world = World(enforce=False)
    harvested(world, HORNS[:1])
    assert world.apply(OTHER, build.commissioning(HORNS[:1], T0, None)) == []
    assert world.apply(OTHER, build.receiving(HORNS[:1], T0, SITE[OTHER])) == []


@pytest.mark.parametrize(
    ("event", "operation"),
    [
        ({"type": "ObjectEvent", "action": "ADD"}, "commission"),
        ({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping"}, "ship"),
        (
            {
                "type": "ObjectEvent",
                "action": "OBSERVE",
                "bizStep": "https://ref.gs1.org/cbv/BizStep-receiving",
            },
            "receive",
        ),
        ({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "destroying"}, "destroy"),
        ({"type": "ObjectEvent", "action": "DELETE"}, "decommission"),
        ({"type": "ObjectEvent", "action": "OBSERVE", "bizStep": "cycle_counting"}, "observe"),
        ({"type": "AggregationEvent", "action": "ADD"}, "pack"),
        ({"type": "AggregationEvent", "action": "DELETE"}, "unpack"),
        ({"type": "TransformationEvent"}, "transform"),
        ({"type": "TransactionEvent", "action": "ADD"}, "trade"),
    ],
)
def test_what_each_event_does(event: dict, operation: str) -> None:
    event = {"eventTime": "2025-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00", **event}
    assert operation_of(read_event(event)) == operation


def test_lots_take_the_species_of_their_inputs() -> None:
    world = World()
    for n, horn in enumerate(HORNS):
        event = build.commissioning(
            [horn],
            T0 + timedelta(minutes=n),
            SITE[HARVESTER],
            ilmd={"massKg": 0.25, "species": "Saiga tatarica"},
        )
        assert world.apply(HARVESTER, event) == []
    assert world.state(HORNS[0]).species == "Saiga tatarica"
    moved(world, HORNS, HARVESTER, PLANT)
    grind = build.transformation(HORNS, [(LOT, 0.9)], T0 + timedelta(days=3), SITE[PLANT], "powder")
    assert world.apply(PLANT, grind) == []
    assert world.state(LOT).species == "Saiga tatarica"
