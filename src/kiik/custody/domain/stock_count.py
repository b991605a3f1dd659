"""Stock counts: what a warehouse finds on its shelves, compared with what the registry says is there.

A count is an ObjectEvent OBSERVE with business step `stock_taking` (a complete count of its
bizLocation: whatever is registered there and not listed is reported not found) or `cycle_counting`
(a partial count: only what it lists is checked). Items are listed in epcList, lots in quantityList
with their weighed mass, and weighed items, optionally, in the extension `kiik:measuredMasses`
(`[{"kiik:epc": ..., "kiik:massKg": ...}]`).

Each discrepancy stays open until an event resolves it (`resolution_by_event`, `resolution_by_count`).
An item whose registered state changed after the count's time is not judged by it: the registry
has moved on since, and the count cannot say anything about the new state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kiik.custody.domain.check import as_float
from kiik.custody.domain.state import FROZEN, ItemState, Status
from kiik.epcis.domain.event_facts import EventFacts, key_of

STOCK_TAKING = "stock_taking"
CYCLE_COUNTING = "cycle_counting"
DEFAULT_MASS_TOLERANCE = 0.02


class Kind(StrEnum):
    NOT_FOUND = "not_found"
    REGISTERED_ELSEWHERE = "registered_elsewhere"
    NOT_IN_STOCK = "not_in_stock"
    NOT_REGISTERED = "not_registered"
    MASS_DIFFERENCE = "mass_difference"


# Statuses whose items no longer exist as stock anywhere: finding one is a strong signal.
GONE = frozenset({Status.CONSUMED, Status.DESTROYED, Status.EXPORTED, Status.DECOMMISSIONED})


@dataclass(frozen=True)
class CountedItem:
    key: str
    is_class: bool
    measured_kg: float | None = None


@dataclass(frozen=True)
class StockCount:
    site: str | None
    event_time: datetime
    complete: bool
    items: tuple[CountedItem, ...]

    @property
    def keys(self) -> list[str]:
        return [i.key for i in self.items]


@dataclass(frozen=True)
class Discrepancy:
    kind: Kind
    key: str
    is_class: bool
    message: str
    registered: ItemState | None = None
    measured_kg: float | None = None


def is_count(facts: EventFacts) -> bool:
    return (
        facts.event_type == "ObjectEvent"
        and facts.action == "OBSERVE"
        and facts.biz_step in (STOCK_TAKING, CYCLE_COUNTING)
        and not facts.declares_error
    )


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


def measured_masses(event: Mapping[str, Any]) -> dict[str, float]:
    """The weighed kg of listed items, from the `kiik:measuredMasses` extension (any prefix)."""
    found: dict[str, float] = {}
    for name, value in event.items():
        if _local(name) != "measuredMasses" or not isinstance(value, list):
            continue
        for entry in value:
            if not isinstance(entry, Mapping):
                continue
            fields = {_local(k): v for k, v in entry.items()}
            kg = as_float(fields.get("massKg"))
            if isinstance(fields.get("epc"), str) and kg is not None:
                found[key_of(fields["epc"])] = kg
    return found


def read_count(facts: EventFacts, event: Mapping[str, Any]) -> StockCount:
    masses = measured_masses(event)
    items = [CountedItem(k, False, masses.get(k)) for k in facts.epcs]
    items += [CountedItem(q.key, True, q.mass_kg) for q in facts.quantities]
    return StockCount(
        site=facts.biz_location,
        event_time=facts.event_time,
        complete=facts.biz_step == STOCK_TAKING,
        items=tuple(items),
    )


def changed_after(state: ItemState, moment: datetime) -> bool:
    if not state.last_event_time:
        return False
    try:
        return datetime.fromisoformat(state.last_event_time) > moment
    except (TypeError, ValueError):
        return False


def compare(
    count: StockCount,
    scanned: Mapping[str, ItemState],
    registered_here: Iterable[ItemState],
    tolerance: float,
    org_name: Callable[[int | None], str],
) -> list[Discrepancy]:
    """The discrepancies of one count: `scanned` holds the registered states of the listed items,
    `registered_here` what the registry has active at the count's site (complete counts only)."""
    found: list[Discrepancy] = []
    for item in count.items:
        state = scanned.get(item.key)
        if state is None:
            found.append(
                Discrepancy(
                    Kind.NOT_REGISTERED,
                    item.key,
                    item.is_class,
                    f"{item.key} was found but is not registered: register it, or seize it if it has no "
                    "legal origin",
                    measured_kg=item.measured_kg,
                )
            )
            continue
        if changed_after(state, count.event_time):
            continue
        misplaced = _misplaced(item, state, count, org_name)
        if misplaced is not None:
            found.append(misplaced)
        else:
            differs = _mass_difference(item, state, tolerance)
            if differs is not None:
                found.append(differs)
    listed = set(count.keys)
    for state in registered_here if count.complete else ():
        if state.key in listed or (state.parent is not None and state.parent in listed):
            continue
        if changed_after(state, count.event_time):
            continue
        mass = f" ({state.mass_kg:g} kg)" if state.mass_kg is not None else ""
        found.append(
            Discrepancy(
                Kind.NOT_FOUND,
                state.key,
                state.is_class,
                f"{state.key}{mass} is registered here but was not found: find it (a later count), or "
                "record what became of it (shipped, destroyed, declared lost)",
                registered=state,
            )
        )
    return found


def _misplaced(
    item: CountedItem, state: ItemState, count: StockCount, org_name: Callable[[int | None], str]
) -> Discrepancy | None:
    if state.status in GONE:
        return Discrepancy(
            Kind.NOT_IN_STOCK,
            item.key,
            item.is_class,
            f"{item.key} was found but the registry records it as {state.status} "
            f"(last held by {org_name(state.holder)}): it should not exist as stock; seize it",
            registered=state,
            measured_kg=item.measured_kg,
        )
    if state.site == count.site and state.status not in FROZEN:
        return None
    if state.status is Status.IN_TRANSIT:
        where = f"in transit to {org_name(state.destination)}: receive it"
    elif state.status is Status.SEIZED:
        where = f"seized by {org_name(state.holder)}"
    else:
        where = f"at {state.site or 'no site'}, held by {org_name(state.holder)}: ship and receive it here"
    return Discrepancy(
        Kind.REGISTERED_ELSEWHERE,
        item.key,
        item.is_class,
        f"{item.key} was found here but is registered {where}",
        registered=state,
        measured_kg=item.measured_kg,
    )


def _mass_difference(item: CountedItem, state: ItemState, tolerance: float) -> Discrepancy | None:
    if item.measured_kg is None or state.mass_kg is None or state.mass_kg <= 0:
        return None
    difference = item.measured_kg - state.mass_kg
    if abs(difference) <= tolerance * state.mass_kg + 1e-9:
        return None
    return Discrepancy(
        Kind.MASS_DIFFERENCE,
        item.key,
        item.is_class,
        f"{item.key} weighs {item.measured_kg:g} kg but {state.mass_kg:g} kg are registered "
        f"({difference / state.mass_kg:+.1%}, beyond the {tolerance:.1%} tolerance)",
        registered=state,
        measured_kg=item.measured_kg,
    )


# Operations (see custody_rules.operation_of) that close a discrepancy of each kind, and why.
_RESOLVING: Mapping[Kind, Mapping[str, str]] = {
    Kind.NOT_FOUND: {
        "ship": "shipped",
        "receive": "received",
        "transform": "processed",
        "pack": "packed",
        "unpack": "unpacked",
        "destroy": "destroyed",
        "decommission": "decommissioned (declared lost)",
        "seize": "seized",
        "export": "exported",
        "observe": "seen",
    },
    Kind.REGISTERED_ELSEWHERE: {
        "receive": "received",
        "destroy": "destroyed",
        "decommission": "decommissioned",
        "seize": "seized",
        "export": "exported",
    },
    Kind.NOT_IN_STOCK: {"seize": "seized", "destroy": "destroyed"},
    Kind.NOT_REGISTERED: {"commission": "registered", "seize": "seized"},
    Kind.MASS_DIFFERENCE: {
        "transform": "processed",
        "destroy": "destroyed",
        "decommission": "decommissioned",
        "seize": "seized",
        "export": "exported",
    },
}


def resolution_by_event(kind: Kind, operation: str) -> str | None:
    """Why an event (other than a count) performing `operation` on the item closes the discrepancy."""
    return _RESOLVING[kind].get(operation)


def resolution_by_count(
    kind: Kind, key: str, count: StockCount, now_found: Sequence[Discrepancy]
) -> str | None:
    """Why a later count listing the item closes the discrepancy: found, where it is registered,
    weighing what is registered. A count never registers an unknown item."""
    again = {d.kind for d in now_found if d.key == key}
    where = f"found by a count at {count.site}"
    if kind is Kind.NOT_FOUND:
        return where
    if kind in (Kind.REGISTERED_ELSEWHERE, Kind.NOT_IN_STOCK):
        misplaced = {Kind.REGISTERED_ELSEWHERE, Kind.NOT_IN_STOCK, Kind.NOT_REGISTERED}
        return None if again & misplaced else f"{where}, as registered"
    if kind is Kind.MASS_DIFFERENCE:
        measured = next((i.measured_kg for i in count.items if i.key == key), None)
        if measured is None or again:
            return None
        return f"{where}, weighing {measured:g} kg (within tolerance)"
    return None
