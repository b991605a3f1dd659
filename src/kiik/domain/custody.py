"""Custody state of marked items and the ledger that holds it while events are applied.

State is a projection of events: `ItemState` is what the registry believes about one key now.
The `Ledger` keeps the states touched by a batch of events in memory, so a document is checked
event by event against the state left by the events before it, and nothing reaches storage
unless the whole batch is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum


class Status(StrEnum):
    ACTIVE = "active"
    IN_TRANSIT = "in_transit"
    CONSUMED = "consumed"
    DESTROYED = "destroyed"
    SEIZED = "seized"
    EXPORTED = "exported"
    DECOMMISSIONED = "decommissioned"


# A status from which an item may not be shipped, processed, packed, sold or destroyed.
FROZEN = frozenset(
    {
        Status.IN_TRANSIT,
        Status.CONSUMED,
        Status.DESTROYED,
        Status.SEIZED,
        Status.EXPORTED,
        Status.DECOMMISSIONED,
    }
)

STATUS_EXPLAINED = {
    Status.IN_TRANSIT: "it is in transit; the destination must receive it first",
    Status.CONSUMED: "it was consumed by processing",
    Status.DESTROYED: "it was destroyed",
    Status.SEIZED: "it is seized",
    Status.EXPORTED: "it was exported",
    Status.DECOMMISSIONED: "it was decommissioned",
}


@dataclass(frozen=True)
class ItemState:
    key: str
    is_class: bool
    holder: int | None
    site: str | None
    status: Status
    parent: str | None = None
    quantity: float | None = None
    uom: str | None = None
    mass_kg: float | None = None
    product_type: str | None = None
    species: str | None = None
    destination: int | None = None
    last_event_time: str | None = None

    def with_changes(self, **changes: object) -> ItemState:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Violation:
    """One broken rule: a short machine id, the identifier concerned, and a sentence for people."""

    rule: str
    message: str
    identifier: str | None = None


@dataclass(frozen=True)
class Actor:
    """The organisation on whose behalf an event is recorded."""

    org_id: int
    org_kind: str


AUTHORITY_KINDS = frozenset({"ministry", "customs", "inspectorate"})

StateLoader = Callable[[Iterable[str]], dict[str, ItemState]]
ChildLoader = Callable[[str], list[str]]


class Ledger:
    """States of the items a batch touches: loaded on first use, changed in memory."""

    def __init__(self, load: StateLoader, load_children: ChildLoader | None = None) -> None:
        self._load = load
        self._load_children = load_children or (lambda key: [])
        self._states: dict[str, ItemState | None] = {}
        self._absent: set[str] = set()
        self.changed: set[str] = set()

    def preload(self, keys: Iterable[str]) -> None:
        missing = [k for k in keys if k not in self._states]
        if missing:
            found = self._load(missing)
            for key in missing:
                self._states[key] = found.get(key)
                if key not in found:
                    self._absent.add(key)

    def get(self, key: str) -> ItemState | None:
        if key not in self._states:
            self.preload([key])
        return self._states[key]

    def put(self, state: ItemState) -> None:
        self._states[state.key] = state
        self.changed.add(state.key)

    def children_of(self, parent: str) -> list[str]:
        """Current children of a parent, counting changes made in this batch."""
        candidates = set(self._load_children(parent)) | {
            key for key, state in self._states.items() if state is not None and state.parent == parent
        }
        return sorted(key for key in candidates if (s := self.get(key)) is not None and s.parent == parent)

    def changed_states(self) -> list[ItemState]:
        return [s for k in sorted(self.changed) if (s := self._states.get(k)) is not None]

    def new_keys(self) -> set[str]:
        """Changed keys that storage did not hold when they were loaded: to insert, not update."""
        return self.changed & self._absent

    def __len__(self) -> int:
        return len(self._states)

    def forget(self) -> None:
        """Drop what is cached (after it was written), keeping memory bounded on long documents."""
        self._states.clear()
        self._absent.clear()
        self.changed.clear()
