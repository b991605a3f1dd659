"""Mass balance of a transformation: what comes out may not weigh more than what went in allows.

Each input counts at the yield of the change it undergoes. An input already of the output's
product type is repacked (or split, or relabelled): its mass passes at yield 1.0 and no more, so a
split never creates mass. Any other input is processed at the output product type's yield. And
processing goes one way, from the whole horn towards powder and extract: a derivative is never
made back into a less processed form (`PROCESSING_STAGES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kiik.errors import N_, Wording

TOLERANCE_KG = 1e-6

REPACK_YIELD = 1.0

# How far processing has gone: an output's stage may not be lower than any input's. Product types
# a deployment adds to its yields without a stage here are not ordered.
PROCESSING_STAGES: Mapping[str, int] = {
    "whole_horn": 0,
    "horn_tip": 1,
    "pieces": 1,
    "slices": 2,
    "shavings": 2,
    "granules": 3,
    "powder": 3,
    "extract": 4,
}


@dataclass(frozen=True)
class InputMass:
    """The mass of one input a transformation uses, and its product type (None when unrecorded)."""

    product_type: str | None
    kg: float


def is_repack(input_type: str | None, product_type: str) -> bool:
    return input_type == product_type


@dataclass(frozen=True)
class MassBalance:
    inputs: tuple[InputMass, ...]
    output_kg: float
    product_type: str
    yield_limit: float

    @property
    def input_kg(self) -> float:
        return sum(i.kg for i in self.inputs)

    @property
    def repacked_kg(self) -> float:
        return sum(i.kg for i in self.inputs if is_repack(i.product_type, self.product_type))

    @property
    def processed_kg(self) -> float:
        return self.input_kg - self.repacked_kg

    @property
    def allowed_kg(self) -> float:
        return self.repacked_kg * REPACK_YIELD + self.processed_kg * self.yield_limit

    @property
    def holds(self) -> bool:
        return self.output_kg <= self.allowed_kg + TOLERANCE_KG

    def explain(self) -> Wording:
        if self.processed_kg <= TOLERANCE_KG:
            return N_(
                "a repack of %(product)s cannot create mass: the outputs weigh %(output)s kg but the inputs "
                "give %(input)s kg; give output quantities that add up to at most %(allowed)s kg",
                product=self.product_type,
                output=format(self.output_kg, ".3f"),
                input=format(self.input_kg, ".3f"),
                allowed=format(self.allowed_kg, ".3f"),
            )
        values = {
            "output": f"{self.output_kg:.3f}",
            "input": f"{self.input_kg:.3f}",
            "allowed": f"{self.allowed_kg:.3f}",
            "product": self.product_type,
            "yield": f"{self.yield_limit:.2f}",
        }
        if self.repacked_kg > TOLERANCE_KG:
            return N_(
                "the outputs weigh %(output)s kg but %(input)s kg of input (%(repacked)s kg of it already "
                "%(product)s, repacked at yield 1.00) allows at most %(allowed)s kg of %(product)s "
                "(yield %(yield)s)",
                repacked=format(self.repacked_kg, ".3f"),
                **values,
            )
        return N_(
            "the outputs weigh %(output)s kg but %(input)s kg of input allows at most %(allowed)s kg of "
            "%(product)s (yield %(yield)s)",
            **values,
        )


def yield_of(product_type: str, yields: Mapping[str, float]) -> float | None:
    return yields.get(product_type)


def backwards_inputs(input_types: Iterable[str | None], product_type: str) -> list[str]:
    """Input product types more processed than the output: making the output from them would undo
    processing (powder back into whole horn), which no plant can do."""
    target = PROCESSING_STAGES.get(product_type)
    if target is None:
        return []
    found = []
    for input_type in input_types:
        stage = PROCESSING_STAGES.get(input_type or "")
        if stage is not None and stage > target and input_type not in found:
            found.append(input_type or "")
    return found
