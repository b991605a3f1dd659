"""Custody state of marked items and the ledger that holds it while events are applied.

State is a projection of events: `ItemState` is what the registry believes about one key now.
The `Ledger` keeps the states touched by a batch of events in memory, so a document is checked
event by event against the state left by the events before it, and nothing reaches storage
unless the whole batch is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiik.errors import N_


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

# Each status as the word a person reads for it (the pages' status column, a flag's sentence).
STATUS_WORDS = {
    "active": N_("held"),
    "in_transit": N_("in transit"),
    "consumed": N_("processed (consumed)"),
    "destroyed": N_("destroyed"),
    "seized": N_("seized"),
    "exported": N_("exported"),
    "decommissioned": N_("declared lost"),
}
STATUS_EXPLAINED = {
    Status.IN_TRANSIT: N_("it is in transit; the destination must receive it first"),
    Status.CONSUMED: N_("it was consumed by processing"),
    Status.DESTROYED: N_("it was destroyed"),
    Status.SEIZED: N_("it is seized"),
    Status.EXPORTED: N_("it was exported"),
    Status.DECOMMISSIONED: N_("it was decommissioned"),
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
        """A copy with some fields changed. What `dataclasses.replace` does, without working out the
        fields again on every call: states are copied for every item an event touches."""
        unknown = changes.keys() - self.__dict__.keys()
        if unknown:
            raise TypeError(f"ItemState has no field {', '.join(sorted(unknown))}")
        changed = object.__new__(ItemState)
        changed.__dict__.update(self.__dict__)
        changed.__dict__.update(changes)
        return changed


@dataclass(frozen=True)
class Violation:
    """One broken rule: a short machine id, the identifier concerned, and a sentence for people
    (a `kiik.errors.Wording` where the pages translate it: its `str` is the English sentence)."""

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
# The stored children of many parents at once (parent -> children), read with the parents' states.
ChildrenLoader = Callable[[Sequence[str]], dict[str, list[str]]]


class Ledger:
    """States of the items a batch touches: loaded on first use, changed in memory.

    Children are found without scanning: stored children are read with their parents (in one
    query per preload when a `ChildrenLoader` is given), and changes made in this batch are kept in
    an index by parent. A shipment of thousands of items is then linear, not quadratic.
    """

    def __init__(
        self,
        load: StateLoader,
        load_children: ChildLoader | None = None,
        load_children_of_many: ChildrenLoader | None = None,
    ) -> None:
        self._load = load
        self._load_children = load_children or (lambda key: [])
        self._load_children_of_many = load_children_of_many
        self._states: dict[str, ItemState | None] = {}
        self._loaded: dict[str, ItemState] = {}
        self._absent: set[str] = set()
        self._stored_children: dict[str, list[str]] = {}
        self._by_parent: dict[str, set[str]] = {}
        self.changed: set[str] = set()

    def preload(self, keys: Iterable[str]) -> None:
        missing = [k for k in dict.fromkeys(keys) if k not in self._states]
        if missing:
            found = self._load(missing)
            for key in missing:
                state = found.get(key)
                self._states[key] = state
                if state is None:
                    self._absent.add(key)
                    continue
                self._loaded[key] = state
                if state.parent is not None:
                    self._by_parent.setdefault(state.parent, set()).add(key)
            if self._load_children_of_many is not None:
                stored = self._load_children_of_many(missing)
                for key in missing:
                    self._stored_children[key] = stored.get(key, [])

    def get(self, key: str) -> ItemState | None:
        if key not in self._states:
            self.preload([key])
        return self._states[key]

    def put(self, state: ItemState) -> None:
        before = self._states.get(state.key)
        if before is not None and before.parent is not None and before.parent != state.parent:
            self._by_parent.get(before.parent, set()).discard(state.key)
        if state.parent is not None:
            self._by_parent.setdefault(state.parent, set()).add(state.key)
        self._states[state.key] = state
        self.changed.add(state.key)

    def children_of(self, parent: str) -> list[str]:
        """Current children of a parent, counting changes made in this batch."""
        stored = self._stored_children.get(parent)
        if stored is None:
            if self._load_children_of_many is not None:
                stored = self._load_children_of_many([parent]).get(parent, [])
            else:
                stored = self._load_children(parent)
            self._stored_children[parent] = stored
        candidates = set(stored) | self._by_parent.get(parent, set())
        return sorted(key for key in candidates if (s := self.get(key)) is not None and s.parent == parent)

    def changed_states(self) -> list[ItemState]:
        return [s for k in sorted(self.changed) if (s := self._states.get(k)) is not None]

    def loaded(self) -> dict[str, ItemState]:
        """The states as storage held them when they were loaded (what a save overwrites)."""
        return self._loaded

    def new_keys(self) -> set[str]:
        """Changed keys that storage did not hold when they were loaded: to insert, not update."""
        return self.changed & self._absent

    def __len__(self) -> int:
        return len(self._states)

    def forget(self) -> None:
        """Drop what is cached (after it was written), keeping memory bounded on long documents."""
        self._states.clear()
        self._loaded.clear()
        self._absent.clear()
        self._stored_children.clear()
        self._by_parent.clear()
        self.changed.clear()
