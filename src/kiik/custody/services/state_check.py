"""The item projection checked against the events: every item's state rebuilt from the valid events,
in the order they happened (as a correction rebuilds it), and compared with the state stored.

`items` is written in the capture's transaction and never by hand; a stored state that the events
do not give was changed outside kiik (or by a bug), and every read of that item answers wrongly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiik.custody.domain.rules import CustodyPolicy, apply_event
from kiik.custody.domain.state import Actor, ItemState, Ledger
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.services.directory_view import DirectoryView
from kiik.epcis.domain.event_facts import read_event

# What an item's state says that the events decide (not when it was last touched).
COMPARED = (
    "is_class",
    "holder",
    "site",
    "status",
    "parent",
    "quantity",
    "uom",
    "mass_kg",
    "product_type",
    "species",
    "destination",
)


@dataclass(frozen=True)
class StateDifference:
    key: str
    stored: ItemState | None
    rebuilt: ItemState | None

    def fields(self) -> list[str]:
        if self.stored is None or self.rebuilt is None:
            return []
        return [f for f in COMPARED if not _same(getattr(self.stored, f), getattr(self.rebuilt, f))]

    def describe(self) -> str:
        if self.rebuilt is None:
            return f"item {self.key} is stored, but no valid event registers it"
        if self.stored is None:
            return f"item {self.key} is registered by the events, but its state is missing"
        told = ", ".join(
            f"{f} {getattr(self.stored, f)!r} (the events give {getattr(self.rebuilt, f)!r})"
            for f in self.fields()
        )
        return f"item {self.key}: stored {told}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)


def rebuilt_states(uow: UnitOfWork, yields: Mapping[str, float]) -> dict[str, ItemState]:
    """Every item's state as the valid events give it (inside an entered unit of work)."""
    stores: Any = uow
    directory = DirectoryView(uow)
    lenient = CustodyPolicy(directory=directory, yields=yields, enforce=False)
    ledger = Ledger(lambda keys: {})
    for stored in stores.events.valid_in_order():
        actor = Actor(stored.org_id or 0, directory.kind_of(stored.org_id))
        apply_event(read_event(stored.body), actor, ledger, lenient)
    return {state.key: state for state in ledger.changed_states()}


@dataclass
class StateCheck:
    compared: int = 0
    differences: list[StateDifference] = field(default_factory=list)


def check_states(uow: UnitOfWork, yields: Mapping[str, float]) -> StateCheck:
    """Compare every stored item state with the one the events give (inside an entered unit of work)."""
    stores: Any = uow
    rebuilt = rebuilt_states(uow, yields)
    check = StateCheck()
    for state in stores.items.all_states():
        check.compared += 1
        again = rebuilt.pop(state.key, None)
        difference = StateDifference(state.key, state, again)
        if again is None or difference.fields():
            check.differences.append(difference)
    check.compared += len(rebuilt)
    check.differences += [StateDifference(key, None, again) for key, again in rebuilt.items()]
    return check
