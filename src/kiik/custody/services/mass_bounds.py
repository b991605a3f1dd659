"""The plausible masses of marked items and lots: read by everyone who captures, set by the ministry.

Capture refuses a mass outside its bound (`mass.implausible`, see kiik.custody.domain.mass_bounds);
the ministry widens or narrows a bound here, for a product type, item or lot, and a species or any.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiik.custody.domain.mass_bounds import MassBound, MassBounds, Measured
from kiik.custody.services.stock import InvalidSetting, StockUnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.audit import record


@dataclass(frozen=True)
class SetMassBound:
    product_type: str
    measured: str  # item or lot
    least_kg: float
    most_kg: float
    species: str | None = None


def bound_json(bound: MassBound) -> dict[str, Any]:
    return {
        "product_type": bound.product_type,
        "measured": bound.measured.value,
        "species": bound.species,
        "least_kg": bound.least_kg,
        "most_kg": bound.most_kg,
    }


def mass_bounds(uow: StockUnitOfWork, principal: Principal) -> list[MassBound]:
    """Every bound in force: the ministry's, and the defaults for the rest."""
    require(principal, Permission.STOCK_READ)
    with uow:
        return MassBounds(uow.stock.mass_bounds()).all()


def set_mass_bound(uow: StockUnitOfWork, principal: Principal, command: SetMassBound) -> MassBound:
    """Set the bound of a product type (item or lot; one species or any); later captures use it."""
    require(principal, Permission.STOCK_SETTINGS_MANAGE)
    product_type = command.product_type.strip()
    if not product_type:
        raise InvalidSetting("name the product type the bound is for (whole_horn, powder, ...)")
    try:
        measured = Measured(command.measured)
    except ValueError:
        raise InvalidSetting(f"a bound weighs an `item` or a `lot`, not {command.measured!r}") from None
    try:
        bound = MassBound(product_type, measured, command.least_kg, command.most_kg, command.species or None)
    except ValueError as exc:
        raise InvalidSetting(str(exc)) from None
    with uow:
        uow.stock.set_mass_bound(bound, principal.org_code)
        record(uow, principal, "setting.changed", "mass_bound", **bound_json(bound))
        uow.commit()
    return bound
