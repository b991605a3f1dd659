"""The rules that protect the chain of custody, applied to one event at a time.

`apply_event` decides what an event does (commission, ship, receive, transform, pack, ...),
checks the rules for it against the ledger and, when `enforce` is off or nothing is broken,
writes the new states into the ledger. A broken rule never half-changes the ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from kiik.domain.custody import (
    AUTHORITY_KINDS,
    FROZEN,
    STATUS_EXPLAINED,
    Actor,
    ItemState,
    Ledger,
    Status,
    Violation,
)
from kiik.domain.event_facts import EventFacts
from kiik.domain.mass_balance import TOLERANCE_KG, MassBalance, yield_of
from kiik.domain.vocabulary import BIZSTEP_SEIZING, DISPOSITION_EXPORTED, DISPOSITION_SEIZED

# Mass out of mass in: the most a process may give. Deployments configure their own.
DEFAULT_YIELDS: Mapping[str, float] = {
    "whole_horn": 1.0,
    "horn_tip": 1.0,
    "slices": 0.95,
    "shavings": 0.92,
    "powder": 0.90,
    "granules": 0.92,
    "extract": 0.30,
}


class Directory(Protocol):
    """Who is who: organisations by party (PGLN) and by site (SGLN)."""

    def org_of_party(self, key: str) -> int | None: ...
    def org_of_location(self, key: str) -> int | None: ...
    def org_name(self, org_id: int | None) -> str: ...


@dataclass
class CustodyPolicy:
    directory: Directory
    yields: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_YIELDS))
    enforce: bool = True


def operation_of(facts: EventFacts) -> str:
    """The custody operation an event performs."""
    step, disposition = facts.biz_step, facts.disposition
    if facts.event_type == "TransformationEvent":
        return "transform"
    if facts.event_type == "AggregationEvent":
        return {"ADD": "pack", "DELETE": "unpack"}.get(facts.action or "", "observe")
    if facts.event_type == "TransactionEvent":
        return "trade"
    if facts.event_type != "ObjectEvent":
        return "observe"
    if step == BIZSTEP_SEIZING or disposition == DISPOSITION_SEIZED:
        return "seize"
    if facts.action == "ADD":
        return "commission"
    if facts.action == "DELETE" or step == "decommissioning":
        return "decommission"
    if disposition == DISPOSITION_EXPORTED:
        return "export"
    if step in ("destroying", "killing") or disposition == "destroyed":
        return "destroy"
    if step in ("shipping", "departing"):
        return "ship"
    if step in ("receiving", "arriving", "accepting"):
        return "receive"
    return "observe"


class _Check:
    """Collects the violations of one event and the states it would write."""

    def __init__(self, facts: EventFacts, actor: Actor, ledger: Ledger, policy: CustodyPolicy) -> None:
        self.facts, self.actor, self.ledger, self.policy = facts, actor, ledger, policy
        self.violations: list[Violation] = []
        self.writes: dict[str, ItemState] = {}

    def fail(self, rule: str, message: str, key: str | None = None) -> None:
        self.violations.append(Violation(rule, message, key))

    def state(self, key: str) -> ItemState | None:
        return self.writes.get(key) or self.ledger.get(key)

    def write(self, state: ItemState) -> None:
        self.writes[state.key] = state

    @property
    def site(self) -> str | None:
        return self.facts.biz_location or self.facts.read_point

    def new_item(self, key: str, *, is_class: bool, **values: object) -> ItemState:
        base = ItemState(
            key=key, is_class=is_class, holder=self.actor.org_id, site=self.site, status=Status.ACTIVE
        )
        return base.with_changes(last_event_time=self.facts.event_time.isoformat(), **values)

    def known(self, key: str, is_class: bool = False) -> ItemState:
        """The state of an item the event acts on; an unknown one is a violation."""
        state = self.state(key)
        if state is None:
            self.fail("item.unknown", f"{key} is not registered: commission it before any other event", key)
            return self.new_item(key, is_class=is_class)
        return state

    def held(self, key: str, verb: str, is_class: bool = False) -> ItemState:
        """An item the actor must hold and that may still move."""
        state = self.known(key, is_class)
        if self.state(key) is None:
            return state
        if state.status in FROZEN:
            self.fail("item.not_movable", f"{key} cannot be {verb}: {STATUS_EXPLAINED[state.status]}", key)
        elif state.holder != self.actor.org_id:
            holder = self.policy.directory.org_name(state.holder)
            self.fail(
                "custody.not_holder",
                f"{key} cannot be {verb} by {self.policy.directory.org_name(self.actor.org_id)}: "
                f"its current holder is {holder}",
                key,
            )
        return state

    def touched(self, state: ItemState, **changes: object) -> ItemState:
        return state.with_changes(last_event_time=self.facts.event_time.isoformat(), **changes)

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


def apply_event(facts: EventFacts, actor: Actor, ledger: Ledger, policy: CustodyPolicy) -> list[Violation]:
    """Check one event and, when allowed, record its effect in the ledger. Returns what it broke."""
    check = _Check(facts, actor, ledger, policy)
    if not facts.declares_error:
        _OPERATIONS[operation_of(facts)](check)
    if check.violations and policy.enforce:
        return check.violations
    for state in check.writes.values():
        ledger.put(state)
    return check.violations if policy.enforce else []


def _object_keys(facts: EventFacts) -> list[tuple[str, bool]]:
    return [(k, False) for k in facts.epcs] + [(q.key, True) for q in facts.quantities]


def _commission(check: _Check) -> None:
    facts = check.facts
    mass_each = _as_float(facts.ilmd_value("massKg"))
    product_type = facts.ilmd_value("productType")
    for key, is_class in _object_keys(facts):
        existing = check.state(key)
        if existing is not None:
            check.fail(
                "identifier.already_commissioned",
                f"{key} is already registered (held by {check.policy.directory.org_name(existing.holder)}, "
                f"status {existing.status}); an identifier is commissioned once",
                key,
            )
        line = next((q for q in facts.quantities if q.key == key), None)
        check.write(
            check.new_item(
                key,
                is_class=is_class,
                quantity=line.quantity if line else None,
                uom=line.uom if line else None,
                mass_kg=line.mass_kg if line else mass_each,
                product_type=product_type if isinstance(product_type, str) else None,
            )
        )


def _ship(check: _Check) -> None:
    facts = check.facts
    destination = _destination_org(check)
    for key, is_class in _object_keys(facts):
        for inner in check.with_contents([key]):
            state = check.held(inner, "shipped", is_class and inner == key)
            check.write(check.touched(state, status=Status.IN_TRANSIT, destination=destination))


def _destination_org(check: _Check) -> int | None:
    directory = check.policy.directory
    if not check.facts.destinations:
        check.fail(
            "shipping.destination_required",
            "a shipment must name its destination: add a destinationList entry of type owning_party (PGLN) "
            "or location (SGLN)",
        )
        return None
    for kind, key in check.facts.destinations:
        org = directory.org_of_party(key) if kind == "owning_party" else directory.org_of_location(key)
        if org is None and kind not in ("owning_party", "location"):
            org = directory.org_of_party(key) or directory.org_of_location(key)
        if org is not None:
            return org
    names = ", ".join(key for _, key in check.facts.destinations)
    check.fail(
        "shipping.unknown_destination", f"the destination {names} is no registered organisation or site"
    )
    return None


def _receive(check: _Check) -> None:
    for key, is_class in _object_keys(check.facts):
        for inner in check.with_contents([key]):
            state = check.known(inner, is_class and inner == key)
            if check.state(inner) is None:
                continue
            if state.status is not Status.IN_TRANSIT:
                reason = (
                    "it was never shipped"
                    if state.status is Status.ACTIVE
                    else STATUS_EXPLAINED[state.status]
                )
                check.fail("receiving.not_shipped", f"{inner} cannot be received: {reason}", inner)
            elif state.destination is not None and state.destination != check.actor.org_id:
                directory = check.policy.directory
                check.fail(
                    "receiving.not_destination",
                    f"{inner} was shipped to {directory.org_name(state.destination)}, "
                    f"not to {directory.org_name(check.actor.org_id)}",
                    inner,
                )
            check.write(
                check.touched(
                    state,
                    holder=check.actor.org_id,
                    site=check.site or state.site,
                    status=Status.ACTIVE,
                    destination=None,
                )
            )


def _as_float(value: object) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _transform(check: _Check) -> None:
    facts = check.facts
    input_kg = 0.0
    for key in facts.inputs:
        state = check.held(key, "processed")
        if state.mass_kg is None and check.state(key) is not None:
            check.fail(
                "transformation.input_mass_unknown",
                f"{key} has no recorded mass, so the yield "
                "cannot be checked: record its mass (ILMD massKg) when it is commissioned",
                key,
            )
        input_kg += state.mass_kg or 0.0
        check.write(check.touched(state, status=Status.CONSUMED))
    for line in facts.input_quantities:
        state = check.held(line.key, "processed", is_class=True)
        used = line.quantity if line.quantity is not None else state.quantity
        if state.quantity is not None and used is not None and used > state.quantity + TOLERANCE_KG:
            check.fail(
                "transformation.input_exceeds_stock",
                f"{line.key} holds {state.quantity:g} {state.uom or ''} but {used:g} are used",
                line.key,
            )
        left = (state.quantity or 0.0) - (used or 0.0)
        mass = line.mass_kg if line.quantity is not None else state.mass_kg
        if mass is None:
            check.fail(
                "transformation.input_mass_unknown",
                f"{line.key} is not measured in a unit of mass (KGM, GRM), so the yield cannot be checked",
                line.key,
            )
        input_kg += mass or 0.0
        remaining_mass = None if state.mass_kg is None else max(state.mass_kg - (mass or 0.0), 0.0)
        status = Status.CONSUMED if left <= TOLERANCE_KG else state.status
        check.write(check.touched(state, quantity=max(left, 0.0), mass_kg=remaining_mass, status=status))
    _transform_outputs(check, input_kg)


def _transform_outputs(check: _Check, input_kg: float) -> None:
    facts = check.facts
    if not facts.outputs and not facts.output_quantities:
        return
    product_type = facts.ilmd_value("productType")
    yield_limit = yield_of(product_type, check.policy.yields) if isinstance(product_type, str) else None
    if yield_limit is None:
        known = ", ".join(sorted(check.policy.yields))
        check.fail(
            "transformation.product_type_required",
            f"the outputs need a known product type in ILMD productType (one of: {known})",
        )
    output_kg = 0.0
    each_kg = _as_float(facts.ilmd_value("massKg"))
    outputs = [(k, False, None) for k in facts.outputs] + [(q.key, True, q) for q in facts.output_quantities]
    for key, is_class, line in outputs:
        if check.state(key) is not None:
            check.fail(
                "identifier.already_commissioned",
                f"{key} is already registered; an output needs a new identifier",
                key,
            )
        mass = line.mass_kg if line is not None else each_kg
        if mass is None:
            check.fail(
                "transformation.output_mass_required",
                f"{key} has no mass: give output quantities in KGM or GRM, or ILMD massKg",
                key,
            )
        output_kg += mass or 0.0
        check.write(
            check.new_item(
                key,
                is_class=is_class,
                quantity=line.quantity if line else None,
                uom=line.uom if line else None,
                mass_kg=mass,
                product_type=product_type if isinstance(product_type, str) else None,
            )
        )
    if yield_limit is not None and isinstance(product_type, str):
        balance = MassBalance(input_kg, output_kg, product_type, yield_limit)
        if not balance.holds:
            check.fail("transformation.mass_balance", balance.explain())


def _pack(check: _Check) -> None:
    facts = check.facts
    if facts.parent is None:
        return
    parent = check.state(facts.parent)
    if parent is None:
        check.write(check.new_item(facts.parent, is_class=False))
    else:
        check.write(check.touched(check.held(facts.parent, "packed into")))
    children = [(k, False) for k in facts.children] + [(q.key, True) for q in facts.child_quantities]
    for key, is_class in children:
        state = check.held(key, "packed", is_class)
        if state.parent not in (None, facts.parent):
            check.fail(
                "aggregation.child_in_other_parent",
                f"{key} is already packed in {state.parent}: unpack it there first (AggregationEvent DELETE)",
                key,
            )
        check.write(check.touched(state, parent=facts.parent))


def _unpack(check: _Check) -> None:
    facts = check.facts
    if facts.parent is None:
        return
    check.held(facts.parent, "unpacked")
    listed = list(facts.children) + [q.key for q in facts.child_quantities]
    for key in listed or check.ledger.children_of(facts.parent):
        state = check.known(key)
        if check.state(key) is not None and state.parent != facts.parent:
            check.fail("aggregation.not_a_child", f"{key} is not packed in {facts.parent}", key)
        check.write(check.touched(state, parent=None))


def _trade(check: _Check) -> None:
    for key, is_class in _object_keys(check.facts):
        check.held(key, "sold", is_class)


def _destroy(check: _Check) -> None:
    for key, is_class in _object_keys(check.facts):
        state = check.state(key)
        if state is not None and state.status is Status.SEIZED and check.actor.org_kind in AUTHORITY_KINDS:
            check.write(check.touched(state, status=Status.DESTROYED))
            continue
        check.write(check.touched(check.held(key, "destroyed", is_class), status=Status.DESTROYED))


def _decommission(check: _Check) -> None:
    for key, is_class in _object_keys(check.facts):
        check.write(check.touched(check.held(key, "decommissioned", is_class), status=Status.DECOMMISSIONED))


def _seize(check: _Check) -> None:
    if check.actor.org_kind not in AUTHORITY_KINDS:
        check.fail(
            "seizure.not_authorised",
            "only customs, the inspectorate or the ministry may record a seizure",
        )
    for key, is_class in _object_keys(check.facts):
        state = check.state(key)
        if state is None:
            # A seized code the registry never saw is still recorded: smuggled stock is evidence.
            state = check.new_item(key, is_class=is_class)
        elif state.status in (Status.CONSUMED, Status.DESTROYED):
            check.fail("item.not_movable", f"{key} cannot be seized: {STATUS_EXPLAINED[state.status]}", key)
        check.write(check.touched(state, status=Status.SEIZED, holder=check.actor.org_id, site=check.site))


def _export(check: _Check) -> None:
    if check.actor.org_kind != "customs":
        check.fail("export.not_customs", "only customs may record that items left the country")
    for key, is_class in _object_keys(check.facts):
        state = check.known(key, is_class)
        if check.state(key) is not None and state.status in FROZEN - {Status.IN_TRANSIT}:
            check.fail("item.not_movable", f"{key} cannot be exported: {STATUS_EXPLAINED[state.status]}", key)
        check.write(check.touched(state, status=Status.EXPORTED, destination=None))


def _observe(check: _Check) -> None:
    """Observations (stock counts, inspections) record what was seen and change no custody."""


_OPERATIONS = {
    "commission": _commission,
    "ship": _ship,
    "receive": _receive,
    "transform": _transform,
    "pack": _pack,
    "unpack": _unpack,
    "trade": _trade,
    "destroy": _destroy,
    "decommission": _decommission,
    "seize": _seize,
    "export": _export,
    "observe": _observe,
}
