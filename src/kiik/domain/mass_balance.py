"""Mass balance of a transformation: what comes out may not weigh more than what went in allows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TOLERANCE_KG = 1e-6


@dataclass(frozen=True)
class MassBalance:
    input_kg: float
    output_kg: float
    product_type: str
    yield_limit: float

    @property
    def allowed_kg(self) -> float:
        return self.input_kg * self.yield_limit

    @property
    def holds(self) -> bool:
        return self.output_kg <= self.allowed_kg + TOLERANCE_KG

    def explain(self) -> str:
        return (
            f"the outputs weigh {self.output_kg:.3f} kg but {self.input_kg:.3f} kg of input allows at most "
            f"{self.allowed_kg:.3f} kg of {self.product_type} (yield {self.yield_limit:.2f})"
        )


def yield_of(product_type: str, yields: Mapping[str, float]) -> float | None:
    return yields.get(product_type)
