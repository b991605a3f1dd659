"""Processing and packing: transformations with their mass balance, aggregation into shipping units.

A transformation consumes what it uses and commissions its outputs. Horns (instances) are used
whole; a lot (a class, in kg) may be used in part, and is closed for good (consumed) once nothing is
left of it: its code can then never be used again, neither as an input nor as a new output. Splitting
or repacking a lot is a transformation whose output product type is the input's: its mass passes at
yield 1.0, so the outputs together never weigh more than what was taken from the lot.
"""

from __future__ import annotations

from kiik.custody.domain.check import CustodyCheck, as_float
from kiik.custody.domain.mass_balance import TOLERANCE_KG, InputMass, MassBalance, backwards_inputs, yield_of
from kiik.custody.domain.state import FROZEN, ItemState, Status
from kiik.epcis.domain.event_facts import QuantityLine
from kiik.epcis.domain.vocabulary import MASS_UNITS_IN_KG
from kiik.errors import N_

REPACKAGING = "repackaging"


def transform(check: CustodyCheck) -> None:
    facts = check.facts
    used: list[InputMass] = []
    species: set[str] = set()
    for key in facts.inputs:
        state = check.held(key, "processed")
        if state.mass_kg is None and check.state(key) is not None:
            check.fail(
                "transformation.input_mass_unknown",
                N_(
                    "%(key)s has no recorded mass, so the yield cannot be checked: record its mass "
                    "(ILMD massKg) when it is commissioned",
                    key=key,
                ),
                key,
            )
        used.append(InputMass(state.product_type, state.mass_kg or 0.0))
        species.update([state.species] if state.species else [])
        check.write(check.touched(state, status=Status.CONSUMED))
    for line in facts.input_quantities:
        state = check.held(line.key, "processed", is_class=True)
        mass = _use_lot(check, state, line)
        used.append(InputMass(state.product_type, mass or 0.0))
        species.update([state.species] if state.species else [])
    transform_outputs(check, used, species)


def _use_lot(check: CustodyCheck, state: ItemState, line: QuantityLine) -> float | None:
    """Take what the line uses from a lot (all of it when no quantity is given); returns the kg used."""
    whole = line.quantity is None
    mass = state.mass_kg if whole else line.mass_kg
    if mass is None:
        check.fail(
            "transformation.input_mass_unknown",
            N_(
                "%(key)s is not measured in a unit of mass (KGM, GRM), so the yield cannot be checked",
                key=line.key,
            ),
            line.key,
        )
    available = state.mass_kg
    closed_already = state.status in FROZEN  # reported as not movable
    if not closed_already and available is not None and mass is not None and mass > available + TOLERANCE_KG:
        check.fail(
            "transformation.input_exceeds_stock",
            N_(
                "%(key)s holds %(available)s kg but %(used)s kg of it are used: a lot cannot give more "
                "than it holds (what is left of it after earlier uses)",
                key=line.key,
                available=format(available, "g"),
                used=format(mass, "g"),
            ),
            line.key,
        )
    left_kg = None if available is None else max(available - (mass or 0.0), 0.0)
    left = 0.0 if whole else _quantity_left(state, line, mass)
    closed = whole or left <= TOLERANCE_KG or (left_kg is not None and left_kg <= TOLERANCE_KG)
    check.write(
        check.touched(
            state,
            quantity=0.0 if closed else left,
            mass_kg=0.0 if closed and left_kg is not None else left_kg,
            status=Status.CONSUMED if closed else state.status,
        )
    )
    return mass


def _quantity_left(state: ItemState, line: QuantityLine, mass_kg: float | None) -> float:
    """What is left of the lot in its own unit (the line may use another unit of mass)."""
    held = state.quantity or 0.0
    if state.uom == line.uom or line.quantity is None:
        return max(held - (line.quantity or 0.0), 0.0)
    factor = MASS_UNITS_IN_KG.get(state.uom or "")
    if factor is not None and mass_kg is not None:
        return max(held - mass_kg / factor, 0.0)
    return max(held - line.quantity, 0.0)


def transform_outputs(check: CustodyCheck, used: list[InputMass], input_species: set[str]) -> None:
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
            N_("the outputs need a known product type in ILMD productType (one of: %(known)s)", known=known),
        )
    elif isinstance(product_type, str):
        _one_way(check, used, product_type)
    output_kg = 0.0
    each_kg = as_float(facts.ilmd_value("massKg"))
    outputs = [(k, False, None) for k in facts.outputs] + [(q.key, True, q) for q in facts.output_quantities]
    for key, is_class, line in outputs:
        if check.state(key) is not None:
            check.fail(
                "identifier.already_commissioned",
                N_(
                    "%(key)s is already registered; an output needs a new identifier (a closed lot's "
                    "code is never used again)",
                    key=key,
                ),
                key,
            )
        mass = line.mass_kg if line is not None else each_kg
        if mass is None or mass <= 0:
            check.fail(
                "transformation.output_mass_required",
                N_(
                    "%(key)s has no mass: give output quantities in KGM or GRM, or ILMD massKg, of more "
                    "than 0 kg",
                    key=key,
                ),
                key,
            )
        else:
            check.check_mass(key, mass, product_type, output_species, is_class)
        output_kg += max(mass or 0.0, 0.0)
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
        balance = MassBalance(tuple(used), output_kg, product_type, yield_limit)
        if not balance.holds:
            check.fail("transformation.mass_balance", balance.explain())


def _one_way(check: CustodyCheck, used: list[InputMass], product_type: str) -> None:
    """Processing never goes back to a less processed form; a repackaging never changes the form."""
    backwards = backwards_inputs((i.product_type for i in used), product_type)
    if backwards:
        check.fail(
            "transformation.not_reversible",
            N_(
                "%(inputs)s cannot be made into %(product)s: processing goes from the whole horn to "
                "pieces, slices, shavings, powder or granules and extract, never back",
                inputs=", ".join(backwards),
                product=product_type,
            ),
        )
    if check.facts.biz_step == REPACKAGING:
        changed = sorted({i.product_type or "unrecorded" for i in used if i.product_type != product_type})
        if changed:
            check.fail(
                "transformation.repack_changes_form",
                N_(
                    "a repackaging keeps the product type, but %(inputs)s would become %(product)s: "
                    "record processing with another business step (e.g. commissioning)",
                    inputs=", ".join(changed),
                    product=product_type,
                ),
            )


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
                N_(
                    "%(key)s is already packed in %(parent)s: unpack it there first (AggregationEvent "
                    "DELETE)",
                    key=key,
                    parent=state.parent,
                ),
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
            check.fail(
                "aggregation.not_a_child",
                N_("%(key)s is not packed in %(parent)s", key=key, parent=facts.parent),
                key,
            )
        check.write(check.touched(state, parent=None))
