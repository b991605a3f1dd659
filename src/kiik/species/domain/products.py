"""What each listed species is traded as: its product types and the unit each is counted in.

A commissioning of a species that lists its products names one of them (or no product type: a
field registration that says only the species). A species that lists none (the snow leopard) is
limited by its rules alone: its total ban refuses any taking or trade.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiik.custody.domain.state import Violation
from kiik.errors import N_
from kiik.species.domain.species import RegisterError

# What people call each product type of the register (its code: whole_horn, powder, ...), marked for
# the pages' catalogs; a page shows `product_name(code)` translated.
PRODUCT_NAMES = {
    "whole_horn": N_("whole horn"),
    "horn_tip": N_("horn tip"),
    "pieces": N_("pieces of horn"),
    "slices": N_("slices"),
    "shavings": N_("shavings"),
    "powder": N_("powder"),
    "granules": N_("granules"),
    "extract": N_("extract"),
    "carcass": N_("carcass"),
    "meat_cuts": N_("meat cuts"),
    "minced_meat": N_("minced meat"),
    "canned_meat": N_("canned meat"),
    "musk_pod": N_("musk pod"),
    "live_bird": N_("live bird"),
    "hunting_trophy": N_("hunting trophy"),
    "root": N_("root"),
    "berries": N_("berries"),
    "hips": N_("rose hips"),
}


def product_name(product_type: str) -> str:
    """A product type as people say it: a Wording the pages translate, or (a type the register
    added later) its code with spaces."""
    return PRODUCT_NAMES.get(product_type) or product_type.replace("_", " ")


# UN/ECE Recommendation 20 codes, as EPCIS quantities use them.
UNITS = {"KGM": "kilograms", "GRM": "grams", "H87": "pieces"}


@dataclass(frozen=True)
class TradedProduct:
    scientific_name: str
    product_type: str
    unit: str
    description: str = ""

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise RegisterError(
                f"unit {self.unit!r} of {self.product_type} is unknown: use {', '.join(UNITS)} "
                "(kilograms, grams, pieces)"
            )
        if not self.product_type.replace("_", "").isalnum() or not self.product_type.islower():
            raise RegisterError(
                f"product type {self.product_type!r} must be lower-case words joined by '_', e.g. 'meat_cuts'"
            )


def product_not_traded(
    products: Iterable[TradedProduct], species: str, product_type: str, key: str | None
) -> list[Violation]:
    """A product type the register does not list for a species (nothing when the species lists none)."""
    listed = sorted(p.product_type for p in products if p.scientific_name == species)
    if not listed or product_type in listed:
        return []
    return [
        Violation(
            "species.product_not_traded",
            f"{key or 'the event'} is {product_type} of {species}, which the species register does not "
            f"list as traded: use one of {', '.join(listed)}, or ask the ministry to add the product type",
            key,
        )
    ]
