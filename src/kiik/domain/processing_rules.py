"""Processing and packing: transformations with their mass balance, aggregation into shipping units."""

from __future__ import annotations

from kiik.domain.custody import Status
from kiik.domain.custody_check import CustodyCheck, as_float
from kiik.domain.mass_balance import TOLERANCE_KG, MassBalance, yield_of


def transform(check: CustodyCheck) -> None:
    facts = check.facts
    input_kg = 0.0
    species: set[str] = set()
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
        species.update([state.species] if state.species else [])
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
        species.update([state.species] if state.species else [])
        remaining_mass = None if state.mass_kg is None else max(state.mass_kg - (mass or 0.0), 0.0)
        status = Status.CONSUMED if left <= TOLERANCE_KG else state.status
        check.write(check.touched(state, quantity=max(left, 0.0), mass_kg=remaining_mass, status=status))
    transform_outputs(check, input_kg, species)


def transform_outputs(check: CustodyCheck, input_kg: float, input_species: set[str]) -> None:
    """Commission the outputs; they are of the species of their inputs (all of them, when mixed)."""
    facts = check.facts
    if not facts.outputs and not facts.output_quantities:
        return
    product_type = facts.ilmd_value("productType")
    named = facts.ilmd_value("species")
    output_species = named if isinstance(named, str) else (", ".join(sorted(input_species)) or None)
    yield_limit = yield_of(product_type, check.policy.yields) if isinstance(product_type, str) else None
    if yield_limit is None:
        known = ", ".join(sorted(check.policy.yields))
        check.fail(
            "transformation.product_type_required",
            f"the outputs need a known product type in ILMD productType (one of: {known})",
        )
    output_kg = 0.0
    each_kg = as_float(facts.ilmd_value("massKg"))
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
                species=output_species,
            )
        )
    if yield_limit is not None and isinstance(product_type, str):
        balance = MassBalance(input_kg, output_kg, product_type, yield_limit)
        if not balance.holds:
            check.fail("transformation.mass_balance", balance.explain())


def pack(check: CustodyCheck) -> None:
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


def unpack(check: CustodyCheck) -> None:
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
