"""A processing run on the floor: horns (or lots) scanned in, lots of one product out with their
masses. Before it is sent the page shows the mass balance and the plausible-mass checks the capture
will apply (`yield_check`); sending records one TransformationEvent (`record_processing`) through
the floor's one way of recording (`kiik.custody.services.floor.record_event`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiik.custody.domain.mass_balance import InputMass, MassBalance, yield_of
from kiik.custody.domain.mass_bounds import MassBounds, Measured
from kiik.custody.services.floor import (
    CodeReader,
    EventValidator,
    FloorError,
    FloorOutcome,
    event_id_of,
    own_site,
    record_event,
    scanned_keys,
)
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.errors import N_, Wording


@dataclass(frozen=True)
class OutputLot:
    code: str
    mass_kg: float | None


@dataclass(frozen=True)
class Processing:
    """A processing run: whole horns (or lots) in, lots of one product type out, masses in kg."""

    inputs: Sequence[str]
    product_type: str
    outputs: Sequence[OutputLot]
    idempotency_key: str


@dataclass
class YieldCheck:
    """What the run's masses say before it is sent: input and output kg, what the yield allows,
    and any output mass the ministry's bounds call implausible (by output line)."""

    input_kg: float
    output_kg: float
    allowed_kg: float | None
    yield_limit: float | None
    holds: bool
    explanation: str | None
    implausible: dict[int, Wording] = field(default_factory=dict)
    unmeasured: list[str] = field(default_factory=list)


def yield_check(
    uow: UnitOfWork,
    principal: Principal,
    command: Processing,
    read_code: CodeReader,
    yields: dict[str, float],
) -> YieldCheck:
    """The mass balance and plausible-mass checks capture will apply, worked out for the page."""
    require(principal, Permission.ITEMS_READ)
    keys = scanned_keys(command.inputs, read_code)
    with uow:
        states = uow.items.load(keys)
        stores: Any = uow
        bounds = MassBounds(stores.stock.mass_bounds())
        uow.commit()
    used = [InputMass(s.product_type, s.mass_kg or 0.0) for s in states.values()]
    unmeasured = [k for k in keys if k not in states or states[k].mass_kg is None]
    species = {s.species for s in states.values() if s.species}
    output_kg = sum(o.mass_kg or 0.0 for o in command.outputs)
    limit = yield_of(command.product_type, yields)
    implausible = {}
    for n, line in enumerate(command.outputs):
        why = bounds.implausible(line.mass_kg, command.product_type, Measured.LOT, next(iter(species), None))
        if why:
            implausible[n] = why
    input_kg = sum(u.kg for u in used)
    if limit is None:
        return YieldCheck(input_kg, output_kg, None, None, False, None, implausible, unmeasured)
    balance = MassBalance(tuple(used), output_kg, command.product_type, limit)
    return YieldCheck(
        input_kg,
        output_kg,
        balance.allowed_kg,
        limit,
        balance.holds,
        None if balance.holds else balance.explain(),
        implausible,
        unmeasured,
    )


def record_processing(
    uow: UnitOfWork,
    principal: Principal,
    command: Processing,
    read_code: CodeReader,
    validate: EventValidator,
    *,
    custody_rules: bool,
    yields: dict[str, float],
    now: datetime | None = None,
) -> FloorOutcome:
    """One TransformationEvent: the inputs consumed, the output lots commissioned with their kg."""
    require(principal, Permission.EVENTS_CAPTURE)
    event_id = event_id_of(command.idempotency_key)
    if command.product_type not in yields:
        raise FloorError(
            N_("choose the product made (one of: %(products)s)", products=", ".join(sorted(yields))),
            "product_type",
        )
    keys = scanned_keys(command.inputs, read_code)
    if not command.outputs:
        raise FloorError(N_("name at least one output lot with its mass"), "outputs")
    outputs = []
    for n, line in enumerate(command.outputs):
        try:
            lot = read_code(line.code)
        except InvalidIdentifier as exc:
            raise FloorError(
                N_("%(code)s: %(reason)s", code=line.code, reason=exc.args[0]), f"output-{n}-code"
            ) from exc
        if not lot.is_class:
            raise FloorError(
                N_(
                    "%(code)s names one item; an output is a lot (a GTIN with a batch/lot number, "
                    "(01)…(10)…)",
                    code=line.code,
                ),
                f"output-{n}-code",
            )
        if line.mass_kg is None or line.mass_kg <= 0:
            raise FloorError(N_("give the lot's mass in kilograms, more than 0"), f"output-{n}-mass")
        outputs.append((str(lot.canonical), float(line.mass_kg)))
    with uow:
        here = own_site(uow, principal, None)
        uow.commit()
    event = build.transformation(keys, outputs, now or datetime.now(UTC), here, command.product_type)
    event["eventID"] = event_id
    return record_event(uow, principal, event, keys, validate, yields, custody_rules)
