"""Meat lots: what a plant makes from carcasses, by mass, within the yields of each product.

A processing run takes kilograms of carcasses from delivered batches and makes lots of one meat
product; each lot is a GTIN and a batch number (an LGTIN, the code on every pack's label), a number
of packs of one mass, a use-by day, and the veterinary certificate it was released under. What the
lots weigh together must lie between the least and the most a kilogram of carcass gives of that
product: more is meat from elsewhere, less is meat that went somewhere unrecorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiik.epcis.domain.gs1_keys import InvalidIdentifier, digital_link, normalise_gtin, validate_value
from kiik.trade.domain.errors import TradeError


@dataclass(frozen=True)
class YieldBound:
    least: float
    most: float


# Kilograms of product per kilogram of carcass. Boneless cuts are about half a saiga carcass; mince
# takes trimmings too; a tin's net mass counts only its meat.
MEAT_YIELDS: dict[str, YieldBound] = {
    "meat_cuts": YieldBound(0.40, 0.75),
    "minced_meat": YieldBound(0.45, 0.85),
    "canned_meat": YieldBound(0.35, 0.80),
}
PACK_KG = (0.05, 25.0)
LONGEST_SHELF_LIFE_DAYS = 3 * 365  # canned meat keeps for years; chilled cuts for days


def lot_key(gtin: str, batch: str) -> str:
    """The lot's code: the GS1 Digital Link of GTIN and batch, as the pack's QR code carries it."""
    try:
        gtin = normalise_gtin(gtin)
        validate_value("01", gtin)
        validate_value("10", batch)
    except InvalidIdentifier as exc:
        raise TradeError(f"the lot's code is not valid: {exc}") from None
    return digital_link([("01", gtin), ("10", batch)])


@dataclass(frozen=True)
class LotPlan:
    batch: str
    packs: int
    pack_mass_kg: float
    use_by: date

    @property
    def mass_kg(self) -> float:
        return round(self.packs * self.pack_mass_kg, 6)


@dataclass(frozen=True)
class ProcessingRun:
    """Carcass batches in (their codes and the kilograms taken), lots of one product out."""

    product_type: str
    gtin: str
    made_on: date
    vet_certificate: str
    inputs: tuple[tuple[str, float], ...]
    lots: tuple[LotPlan, ...]

    @property
    def input_kg(self) -> float:
        return sum(kg for _, kg in self.inputs)

    @property
    def output_kg(self) -> float:
        return sum(lot.mass_kg for lot in self.lots)


def check_run(run: ProcessingRun) -> list[str]:
    """Check a processing run; returns the lots' codes in order, or raises a TradeError naming the fault."""
    bound = MEAT_YIELDS.get(run.product_type)
    if bound is None:
        raise TradeError(f"unknown meat product {run.product_type!r}: use one of {', '.join(MEAT_YIELDS)}")
    if not run.vet_certificate.strip():
        raise TradeError(
            "a processing run needs the reference of the veterinary certificate it is released under"
        )
    if not run.inputs or any(kg <= 0 for _, kg in run.inputs):
        raise TradeError("a processing run takes more than 0 kg from each carcass batch it names")
    if not run.lots:
        raise TradeError("a processing run makes at least one lot")
    keys = [lot_key(run.gtin, lot.batch) for lot in run.lots]
    duplicates = sorted({lot.batch for lot in run.lots if [x.batch for x in run.lots].count(lot.batch) > 1})
    if duplicates:
        raise TradeError(f"batch numbers {', '.join(duplicates)} are given twice: each lot has its own")
    for lot in run.lots:
        _check_lot(run, lot)
    share = run.output_kg / run.input_kg
    if not bound.least <= share <= bound.most:
        raise TradeError(
            f"{run.output_kg:g} kg of {run.product_type} from {run.input_kg:g} kg of carcasses is a yield of "
            f"{share:.2f}, outside {bound.least:g} to {bound.most:g}: check the masses, the packs and "
            "the carcass batches used"
        )
    return keys


def _check_lot(run: ProcessingRun, lot: LotPlan) -> None:
    if lot.packs <= 0:
        raise TradeError(f"lot {lot.batch} must hold at least one pack")
    least, most = PACK_KG
    if not least <= lot.pack_mass_kg <= most:
        raise TradeError(
            f"lot {lot.batch}: a pack of {lot.pack_mass_kg:g} kg is outside {least:g} to {most:g} kg: "
            "give the pack's net mass in kilograms"
        )
    days = (lot.use_by - run.made_on).days
    if not 0 < days <= LONGEST_SHELF_LIFE_DAYS:
        raise TradeError(
            f"lot {lot.batch}: use-by {lot.use_by} must fall after the day it was made ({run.made_on}) "
            f"and within {LONGEST_SHELF_LIFE_DAYS} days of it"
        )
