"""Stock counts compared with the registry, and what closes a discrepancy: no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiik.custody.domain import processing_events as process
from kiik.custody.domain.state import ItemState, Status
from kiik.custody.domain.stock_count import (
    Kind,
    compare,
    is_count,
    measured_masses,
    read_count,
    resolution_by_count,
    resolution_by_event,
)
from kiik.epcis.domain.event_facts import key_of, read_event

SITE = "urn:epc:id:sgln:4870003.00000.0"
OTHER_SITE = "urn:epc:id:sgln:4870004.00000.0"
T0 = datetime(2025, 12, 2, 10, 0, tzinfo=UTC)
HORNS = [f"urn:epc:id:sgtin:4870002.000001.{n}" for n in range(1, 7)]
LOT = "urn:epc:class:lgtin:4870004.000002.PWD-1"
WAREHOUSE, PLANT = 2, 4


def state(
    code: str,
    *,
    site: str = SITE,
    status: Status = Status.ACTIVE,
    mass: float | None = 0.25,
    holder: int = WAREHOUSE,
    when: datetime = T0 - timedelta(days=3),
    is_class: bool = False,
) -> ItemState:
    return ItemState(
        key_of(code), is_class, holder, key_of(site), status, mass_kg=mass, last_event_time=when.isoformat()
    )


def names(org_id: int | None) -> str:
    return {WAREHOUSE: "the warehouse", PLANT: "the plant"}.get(org_id or 0, "nobody")


def kinds(found: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {d.key: d.kind for d in found}


def test_a_complete_count_finds_every_kind_of_discrepancy() -> None:
    registered = {
        key_of(HORNS[0]): state(HORNS[0]),
        key_of(HORNS[1]): state(HORNS[1], mass=0.30),
        key_of(HORNS[2]): state(HORNS[2], site=OTHER_SITE, holder=PLANT),
        key_of(HORNS[3]): state(HORNS[3], status=Status.CONSUMED, holder=PLANT),
        key_of(LOT): state(LOT, mass=2.0, is_class=True),
    }
    here = [
        registered[key_of(HORNS[0])],
        registered[key_of(HORNS[1])],
        registered[key_of(LOT)],
        state(HORNS[4]),
    ]
    event = process.stock_taking(
        HORNS[:4] + [HORNS[5]], T0, SITE, lots=[(LOT, 1.97)], masses={HORNS[0]: 0.252, HORNS[1]: 0.27}
    )
    count = read_count(read_event(event), event)
    found = compare(count, registered, here, 0.02, names)
    assert kinds(found) == {
        key_of(HORNS[1]): Kind.MASS_DIFFERENCE,  # 10% lighter
        key_of(HORNS[2]): Kind.REGISTERED_ELSEWHERE,
        key_of(HORNS[3]): Kind.NOT_IN_STOCK,
        key_of(HORNS[5]): Kind.NOT_REGISTERED,
        key_of(HORNS[4]): Kind.NOT_FOUND,
    }
    by_key = {d.key: d for d in found}
    assert (
        "0.27 kg but 0.3 kg are registered (-10.0%, beyond the 2.0% tolerance)"
        in by_key[key_of(HORNS[1])].message
    )
    assert "held by the plant" in by_key[key_of(HORNS[2])].message
    assert "registry records it as consumed" in by_key[key_of(HORNS[3])].message
    assert by_key[key_of(HORNS[4])].registered is not None and by_key[key_of(HORNS[1])].measured_kg == 0.27


def test_a_partial_count_reports_nothing_missing() -> None:
    event = process.cycle_count(HORNS[:1], T0, SITE)
    count = read_count(read_event(event), event)
    assert not count.complete
    assert compare(count, {key_of(HORNS[0]): state(HORNS[0])}, [state(HORNS[1])], 0.02, names) == []


def test_items_whose_state_changed_after_the_count_are_not_judged() -> None:
    later = T0 + timedelta(hours=2)
    event = process.stock_taking([HORNS[0]], T0, SITE)
    count = read_count(read_event(event), event)
    moved_on = state(HORNS[0], site=OTHER_SITE, holder=PLANT, when=later)
    received_later = state(HORNS[1], when=later)
    assert compare(count, {moved_on.key: moved_on}, [received_later], 0.02, names) == []


def test_what_is_packed_in_a_scanned_box_counts_as_found() -> None:
    box = "urn:epc:id:sscc:4870003.0000000001"
    event = process.stock_taking([box], T0, SITE)
    count = read_count(read_event(event), event)
    inside = ItemState(key_of(HORNS[0]), False, WAREHOUSE, key_of(SITE), Status.ACTIVE, parent=key_of(box))
    registered_box = state(box, mass=None)
    assert compare(count, {registered_box.key: registered_box}, [registered_box, inside], 0.02, names) == []


def test_counts_and_their_measured_masses_are_read_from_the_event() -> None:
    event = process.stock_taking(HORNS[:2], T0, SITE, masses={HORNS[0]: 0.25})
    assert is_count(read_event(event))
    assert measured_masses(event) == {key_of(HORNS[0]): 0.25}
    assert measured_masses({"ex:measuredMasses": [{"ex:epc": HORNS[1], "ex:massKg": "0.3"}, "junk"]}) == {
        key_of(HORNS[1]): 0.3
    }
    assert not is_count(read_event(process.write_off(HORNS[:1], T0, SITE)))


@pytest.mark.parametrize(
    ("kind", "operation", "reason"),
    [
        (Kind.NOT_FOUND, "receive", "received"),
        (Kind.NOT_FOUND, "decommission", "decommissioned (declared lost)"),
        (Kind.NOT_FOUND, "trade", None),
        (Kind.REGISTERED_ELSEWHERE, "receive", "received"),
        (Kind.REGISTERED_ELSEWHERE, "ship", None),
        (Kind.NOT_REGISTERED, "commission", "registered"),
        (Kind.NOT_REGISTERED, "seize", "seized"),
        (Kind.NOT_IN_STOCK, "seize", "seized"),
        (Kind.MASS_DIFFERENCE, "transform", "processed"),
        (Kind.MASS_DIFFERENCE, "observe", None),
    ],
)
def test_what_an_event_resolves(kind: Kind, operation: str, reason: str | None) -> None:
    assert resolution_by_event(kind, operation) == reason


def test_what_a_later_count_resolves() -> None:
    event = process.cycle_count([HORNS[0]], T0, SITE, masses={HORNS[0]: 0.25})
    count = read_count(read_event(event), event)
    key = key_of(HORNS[0])
    assert resolution_by_count(Kind.NOT_FOUND, key, count, []) == f"found by a count at {key_of(SITE)}"
    assert resolution_by_count(Kind.MASS_DIFFERENCE, key, count, []) is not None
    assert resolution_by_count(Kind.NOT_REGISTERED, key, count, []) is None
    still = compare(count, {}, [], 0.02, names)
    assert resolution_by_count(Kind.REGISTERED_ELSEWHERE, key, count, still) is None
