"""The working context of one event's custody check, and what the rules need from outside.

`CustodyCheck` collects the violations an event commits and the states it would write; the rule
modules (`rules`, `processing`) use it so that a broken rule never half-changes state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiik.custody.domain.mass_bounds import MassBounds, Measured
from kiik.custody.domain.state import FROZEN, STATUS_EXPLAINED, Actor, ItemState, Ledger, Status, Violation
from kiik.epcis.domain.event_facts import EventFacts
from kiik.errors import N_, Wording

# Mass out of mass in: the most a process may give. Deployments configure their own.
DEFAULT_YIELDS: Mapping[str, float] = {
    "whole_horn": 1.0,
    "horn_tip": 1.0,
    "pieces": 0.98,
    "slices": 0.95,
    "shavings": 0.92,
    "powder": 0.90,
    "granules": 0.92,
    "extract": 0.30,
    # Saiga meat from carcasses (the most; kiik.trade.domain.meat also holds the least).
    "meat_cuts": 0.75,
    "minced_meat": 0.85,
    "canned_meat": 0.80,
}


# What an item that cannot be moved is told, by what was to be done with it: a sentence each, so
# that every language can word it whole (the pages translate them; the API keeps the English).
CANNOT = {
    "shipped": N_("%(key)s cannot be shipped: %(reason)s"),
    "sold": N_("%(key)s cannot be sold: %(reason)s"),
    "destroyed": N_("%(key)s cannot be destroyed: %(reason)s"),
    "decommissioned": N_("%(key)s cannot be decommissioned: %(reason)s"),
    "processed": N_("%(key)s cannot be processed: %(reason)s"),
    "packed into": N_("%(key)s cannot be packed into: %(reason)s"),
    "packed": N_("%(key)s cannot be packed: %(reason)s"),
    "unpacked": N_("%(key)s cannot be unpacked: %(reason)s"),
    "seized": N_("%(key)s cannot be seized: %(reason)s"),
    "exported": N_("%(key)s cannot be exported: %(reason)s"),
    "received": N_("%(key)s cannot be received: %(reason)s"),
}
NOT_HELD = {
    "shipped": N_("%(key)s cannot be shipped by %(actor)s: its current holder is %(holder)s"),
    "sold": N_("%(key)s cannot be sold by %(actor)s: its current holder is %(holder)s"),
    "destroyed": N_("%(key)s cannot be destroyed by %(actor)s: its current holder is %(holder)s"),
    "decommissioned": N_("%(key)s cannot be decommissioned by %(actor)s: its current holder is %(holder)s"),
    "processed": N_("%(key)s cannot be processed by %(actor)s: its current holder is %(holder)s"),
    "packed into": N_("%(key)s cannot be packed into by %(actor)s: its current holder is %(holder)s"),
    "packed": N_("%(key)s cannot be packed by %(actor)s: its current holder is %(holder)s"),
    "unpacked": N_("%(key)s cannot be unpacked by %(actor)s: its current holder is %(holder)s"),
}


def cannot(key: str, verb: str, reason: object) -> Wording:
    """`<key> cannot be <verb>: <reason>`, worded whole for the pages."""
    return Wording(CANNOT[verb].template, {"key": key, "reason": reason})


class Directory(Protocol):
    """Who is who: organisations by party (PGLN) and by site (SGLN)."""

    def org_of_party(self, key: str) -> int | None: ...
    def org_of_location(self, key: str) -> int | None: ...
    def org_name(self, org_id: int | None) -> str: ...
    def kind_of(self, org_id: int | None) -> str: ...


@dataclass
class CustodyPolicy:
    directory: Directory
    yields: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_YIELDS))
    enforce: bool = True
    mass_bounds: MassBounds = field(default_factory=MassBounds)


class CustodyCheck:
    """Collects the violations of one event and the states it would write."""

    def __init__(self, facts: EventFacts, actor: Actor, ledger: Ledger, policy: CustodyPolicy) -> None:
        self.facts, self.actor, self.ledger, self.policy = facts, actor, ledger, policy
        self.violations: list[Violation] = []
        self.writes: dict[str, ItemState] = {}
        self.event_time = facts.event_time.isoformat()

    def check_mass(
        self, key: str, kg: float | None, product_type: object, species: object, lot: bool
    ) -> None:
        """Refuse a mass outside the plausible bounds of its product type and species."""
        reason = self.policy.mass_bounds.implausible(
            kg,
            product_type if isinstance(product_type, str) else None,
            Measured.LOT if lot else Measured.ITEM,
            species if isinstance(species, str) else None,
        )
        if reason is not None:
            self.fail("mass.implausible", N_("%(key)s: %(reason)s", key=key, reason=reason), key)

    def fail(self, rule: str, message: str, key: str | None = None) -> None:
        self.violations.append(Violation(rule, message, key))

    def state(self, key: str) -> ItemState | None:
        return self.writes.get(key) or self.ledger.get(key)

    def write(self, state: ItemState) -> None:
        self.writes[state.key] = state

    @property
    def site(self) -> str | None:
        return self.facts.biz_location or self.facts.read_point

    def new_item(self, key: str, *, is_class: bool, **values: Any) -> ItemState:
        return ItemState(
            key=key,
            is_class=is_class,
            holder=self.actor.org_id,
            site=self.site,
            status=Status.ACTIVE,
            last_event_time=self.event_time,
            **values,
        )

    def known(self, key: str, is_class: bool = False) -> ItemState:
        """The state of an item the event acts on; an unknown one is a violation."""
        state = self.state(key)
        if state is None:
            self.fail(
                "item.unknown",
                N_("%(key)s is not registered: commission it before any other event", key=key),
                key,
            )
            return self.new_item(key, is_class=is_class)
        return state

    def held(self, key: str, verb: str, is_class: bool = False) -> ItemState:
        """An item the actor must hold and that may still move."""
        state = self.known(key, is_class)
        if self.state(key) is None:
            return state
        if state.status in FROZEN:
            self.fail("item.not_movable", cannot(key, verb, STATUS_EXPLAINED[state.status]), key)
        elif state.holder != self.actor.org_id:
            holder = self.policy.directory.org_name(state.holder)
            actor = self.policy.directory.org_name(self.actor.org_id)
            values = {"key": key, "actor": actor, "holder": holder}
            self.fail("custody.not_holder", Wording(NOT_HELD[verb].template, values), key)
        return state

    def touched(self, state: ItemState, **changes: object) -> ItemState:
        return state.with_changes(last_event_time=self.event_time, **changes)

    def with_contents(self, keys: list[str]) -> list[str]:
        """The keys and, for shipping units, everything packed inside them."""
        result: list[str] = []
        pending = list(keys)
        while pending:
            key = pending.pop(0)
            if key not in result:
                result.append(key)
                pending.extend(self.ledger.children_of(key))
        return result


def object_keys(facts: EventFacts) -> list[tuple[str, bool]]:
    return [(k, False) for k in facts.epcs] + [(q.key, True) for q in facts.quantities]


def as_float(value: object) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
