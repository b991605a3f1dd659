"""The rules that protect the chain of custody, applied to one event at a time.

`apply_event` decides what an event does (commission, ship, receive, transform, pack, ...),
checks the rules for it against the ledger and, when `enforce` is off or nothing is broken,
writes the new states into the ledger. A broken rule never half-changes the ledger.
"""

from __future__ import annotations

from kiik.custody.domain.check import (
    DEFAULT_YIELDS,
    CustodyCheck,
    CustodyPolicy,
    Directory,
    as_float,
    cannot,
    object_keys,
)
from kiik.custody.domain.processing import pack, transform, unpack
from kiik.custody.domain.state import (
    AUTHORITY_KINDS,
    FROZEN,
    STATUS_EXPLAINED,
    Actor,
    Ledger,
    Status,
    Violation,
)
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.domain.vocabulary import BIZSTEP_SEIZING, DISPOSITION_EXPORTED, DISPOSITION_SEIZED
from kiik.errors import N_

NEVER_SHIPPED = N_("it was never shipped")

__all__ = ["DEFAULT_YIELDS", "CustodyPolicy", "Directory", "apply_event", "operation_of"]


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


def apply_event(facts: EventFacts, actor: Actor, ledger: Ledger, policy: CustodyPolicy) -> list[Violation]:
    """Check one event and, when allowed, record its effect in the ledger. Returns what it broke."""
    check = CustodyCheck(facts, actor, ledger, policy)
    if not facts.declares_error:
        _OPERATIONS[operation_of(facts)](check)
    if check.violations and policy.enforce:
        return check.violations
    for state in check.writes.values():
        ledger.put(state)
    return check.violations if policy.enforce else []


def _commission(check: CustodyCheck) -> None:
    facts = check.facts
    mass_each = as_float(facts.ilmd_value("massKg"))
    product_type = facts.ilmd_value("productType")
    species = facts.ilmd_value("species")
    for key, is_class in object_keys(facts):
        existing = check.state(key)
        if existing is not None:
            check.fail(
                "identifier.already_commissioned",
                N_(
                    "%(key)s is already registered (held by %(holder)s, status %(status)s); an identifier "
                    "is commissioned once",
                    key=key,
                    holder=check.policy.directory.org_name(existing.holder),
                    status=existing.status,
                ),
                key,
            )
        line = next((q for q in facts.quantities if q.key == key), None) if is_class else None
        check.check_mass(key, line.mass_kg if line else mass_each, product_type, species, is_class)
        check.write(
            check.new_item(
                key,
                is_class=is_class,
                quantity=line.quantity if line else None,
                uom=line.uom if line else None,
                mass_kg=line.mass_kg if line else mass_each,
                product_type=product_type if isinstance(product_type, str) else None,
                species=species if isinstance(species, str) else None,
            )
        )


def _ship(check: CustodyCheck) -> None:
    facts = check.facts
    destination = _destination_org(check)
    for key, is_class in object_keys(facts):
        for inner in check.with_contents([key]):
            state = check.held(inner, "shipped", is_class and inner == key)
            check.write(check.touched(state, status=Status.IN_TRANSIT, destination=destination))


def _destination_org(check: CustodyCheck) -> int | None:
    directory = check.policy.directory
    if not check.facts.destinations:
        check.fail(
            "shipping.destination_required",
            N_(
                "a shipment must name its destination: add a destinationList entry of type owning_party "
                "(PGLN) or location (SGLN)"
            ),
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
        "shipping.unknown_destination",
        N_("the destination %(names)s is no registered organisation or site", names=names),
    )
    return None


def _receive(check: CustodyCheck) -> None:
    for key, is_class in object_keys(check.facts):
        for inner in check.with_contents([key]):
            state = check.known(inner, is_class and inner == key)
            if check.state(inner) is None:
                continue
            if state.status is not Status.IN_TRANSIT:
                reason = NEVER_SHIPPED if state.status is Status.ACTIVE else STATUS_EXPLAINED[state.status]
                check.fail("receiving.not_shipped", cannot(inner, "received", reason), inner)
            elif state.destination is not None and state.destination != check.actor.org_id:
                directory = check.policy.directory
                check.fail(
                    "receiving.not_destination",
                    N_(
                        "%(key)s was shipped to %(destination)s, not to %(actor)s",
                        key=inner,
                        destination=directory.org_name(state.destination),
                        actor=directory.org_name(check.actor.org_id),
                    ),
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


def _trade(check: CustodyCheck) -> None:
    for key, is_class in object_keys(check.facts):
        check.held(key, "sold", is_class)


def _destroy(check: CustodyCheck) -> None:
    for key, is_class in object_keys(check.facts):
        state = check.state(key)
        if state is not None and state.status is Status.SEIZED and check.actor.org_kind in AUTHORITY_KINDS:
            check.write(check.touched(state, status=Status.DESTROYED))
            continue
        check.write(check.touched(check.held(key, "destroyed", is_class), status=Status.DESTROYED))


def _decommission(check: CustodyCheck) -> None:
    for key, is_class in object_keys(check.facts):
        check.write(check.touched(check.held(key, "decommissioned", is_class), status=Status.DECOMMISSIONED))


def _seize(check: CustodyCheck) -> None:
    if check.actor.org_kind not in AUTHORITY_KINDS:
        check.fail(
            "seizure.not_authorised",
            N_("only customs, the inspectorate or the ministry may record a seizure"),
        )
    for key, is_class in object_keys(check.facts):
        state = check.state(key)
        if state is None:
            # A seized code the registry never saw is still recorded: smuggled stock is evidence.
            state = check.new_item(key, is_class=is_class)
        elif state.status in (Status.CONSUMED, Status.DESTROYED):
            check.fail("item.not_movable", cannot(key, "seized", STATUS_EXPLAINED[state.status]), key)
        check.write(check.touched(state, status=Status.SEIZED, holder=check.actor.org_id, site=check.site))


def _export(check: CustodyCheck) -> None:
    if check.actor.org_kind != "customs":
        check.fail("export.not_customs", N_("only customs may record that items left the country"))
    for key, is_class in object_keys(check.facts):
        state = check.known(key, is_class)
        if check.state(key) is not None and state.status in FROZEN - {Status.IN_TRANSIT}:
            check.fail("item.not_movable", cannot(key, "exported", STATUS_EXPLAINED[state.status]), key)
        check.write(check.touched(state, status=Status.EXPORTED, destination=None))


def _observe(check: CustodyCheck) -> None:
    """Observations (stock counts, inspections) record what was seen and change no custody."""


_OPERATIONS = {
    "commission": _commission,
    "ship": _ship,
    "receive": _receive,
    "transform": transform,
    "pack": pack,
    "unpack": unpack,
    "trade": _trade,
    "destroy": _destroy,
    "decommission": _decommission,
    "seize": _seize,
    "export": _export,
    "observe": _observe,
}
