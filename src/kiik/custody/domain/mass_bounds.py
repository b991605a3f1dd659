"""Plausible masses: what a marked item or a lot of a product type can weigh, per species.

A whole saiga horn of 2,400 kg or of 0.1 g is a typo (a unit, a decimal point), and so is a powder
lot a thousand times heavier than a plant makes. Masses are checked where they enter the registry
(commissioning, the outputs of a transformation) against bounds the ministry can change; the
defaults below are deliberately wide, to catch slips of units and decimals, not to judge a horn.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from kiik.errors import N_, Wording

SAIGA = "Saiga tatarica"


class Measured(StrEnum):
    """What a bound weighs: one marked item (a horn, a pack), or a lot (the kilograms of a class)."""

    ITEM = "item"
    LOT = "lot"


@dataclass(frozen=True)
class MassBound:
    product_type: str
    measured: Measured
    least_kg: float
    most_kg: float
    species: str | None = None  # None: any species without a bound of its own

    def __post_init__(self) -> None:
        if not (self.least_kg > 0 and self.most_kg > self.least_kg):
            raise ValueError(
                f"a mass bound needs 0 < least < most, not {self.least_kg:g} to {self.most_kg:g} kg"
            )

    def describe(self) -> Wording:
        sentence = DESCRIBED[(self.measured is Measured.ITEM, self.species is not None)]
        return sentence.filled(
            product=self.product_type,
            species=self.species or "",
            least=f"{self.least_kg:g}",
            most=f"{self.most_kg:g}",
        )


# A bound in words, by (a marked item?, of one species?): one whole sentence each for the pages.
DESCRIBED = {
    (True, True): N_("a marked %(product)s of %(species)s weighs from %(least)s to %(most)s kg"),
    (True, False): N_("a marked %(product)s weighs from %(least)s to %(most)s kg"),
    (False, True): N_("a lot of %(product)s of %(species)s weighs from %(least)s to %(most)s kg"),
    (False, False): N_("a lot of %(product)s weighs from %(least)s to %(most)s kg"),
}


# A saiga horn weighs a few hundred grams (the demo's and the field sheets' horns: 0.2-0.35 kg); a
# horn tip a fraction of that. Derivative lots are made of a few hundred horns (DESIGN.md), packs of
# a few grams; a tonne of powder is a tonne of horns more than one plant's season.
DEFAULT_MASS_BOUNDS: tuple[MassBound, ...] = (
    MassBound("whole_horn", Measured.ITEM, 0.03, 1.5, SAIGA),
    MassBound("horn_tip", Measured.ITEM, 0.005, 0.5, SAIGA),
    *(
        MassBound(product, Measured.LOT, 0.001, 1000.0)
        for product in (
            "whole_horn",
            "horn_tip",
            "pieces",
            "slices",
            "shavings",
            "powder",
            "granules",
            "extract",
        )
    ),
)


class MassBounds:
    """The bounds in force: the ministry's, and the defaults where it set none."""

    def __init__(self, set_by_ministry: Iterable[MassBound] = ()) -> None:
        self._bounds = {(b.product_type, b.measured, b.species): b for b in DEFAULT_MASS_BOUNDS}
        self._bounds.update({(b.product_type, b.measured, b.species): b for b in set_by_ministry})

    def all(self) -> list[MassBound]:
        return sorted(self._bounds.values(), key=lambda b: (b.product_type, b.measured, b.species or ""))

    def bound_for(
        self, product_type: str | None, measured: Measured, species: str | None
    ) -> MassBound | None:
        if product_type is None:
            return None
        found = self._bounds.get((product_type, measured, species))
        return found or self._bounds.get((product_type, measured, None))

    def implausible(
        self, kg: float | None, product_type: str | None, measured: Measured, species: str | None
    ) -> Wording | None:
        """Why `kg` cannot be right for such an item or lot, or None when it is plausible (or unbounded)."""
        bound = self.bound_for(product_type, measured, species)
        if kg is None or bound is None or bound.least_kg <= kg <= bound.most_kg:
            return None
        return N_(
            "%(kg)s kg is not plausible: %(bound)s (the ministry's bounds); check the value and "
            "its unit (KGM or GRM), or ask the ministry to change the bound (`kiik stock bounds`)",
            kg=f"{kg:g}",
            bound=bound.describe(),
        )
