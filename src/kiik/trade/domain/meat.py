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
from kiik.errors import N_
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
        raise TradeError(N_("the lot's code is not valid: %(reason)s", reason=str(exc))) from None
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
        raise TradeError(
            N_(
                "unknown meat product %(product)s: use one of %(known)s",
                product=repr(run.product_type),
                known=", ".join(MEAT_YIELDS),
            )
        )
    if not run.vet_certificate.strip():
        raise TradeError(
            N_("a processing run needs the reference of the veterinary certificate it is released under")
        )
    if not run.inputs or any(kg <= 0 for _, kg in run.inputs):
        raise TradeError(N_("a processing run takes more than 0 kg from each carcass batch it names"))
    if not run.lots:
        raise TradeError(N_("a processing run makes at least one lot"))
    keys = [lot_key(run.gtin, lot.batch) for lot in run.lots]
    duplicates = sorted({lot.batch for lot in run.lots if [x.batch for x in run.lots].count(lot.batch) > 1})
    if duplicates:
        raise TradeError(
            N_(
                "batch numbers %(batches)s are given twice: each lot has its own",
                batches=", ".join(duplicates),
            )
        )
    for lot in run.lots:
        _check_lot(run, lot)
    share = run.output_kg / run.input_kg
    if not bound.least <= share <= bound.most:
        raise TradeError(
            N_(
                "%(output)s kg of %(product)s from %(input)s kg of carcasses is a yield of %(share)s, "
                "outside %(least)s to %(most)s: check the masses, the packs and the carcass batches used",
                output=format(run.output_kg, "g"),
                product=run.product_type,
                input=format(run.input_kg, "g"),
                share=format(share, ".2f"),
                least=format(bound.least, "g"),
                most=format(bound.most, "g"),
            )
        )
    return keys


def _check_lot(run: ProcessingRun, lot: LotPlan) -> None:
    if lot.packs <= 0:
        raise TradeError(N_("lot %(batch)s must hold at least one pack", batch=lot.batch))
    least, most = PACK_KG
    if not least <= lot.pack_mass_kg <= most:
        raise TradeError(
            N_(
                "lot %(batch)s: a pack of %(kg)s kg is outside %(least)s to %(most)s kg: give the pack's net "
                "mass in kilograms",
                batch=lot.batch,
                kg=format(lot.pack_mass_kg, "g"),
                least=format(least, "g"),
                most=format(most, "g"),
            )
        )
    days = (lot.use_by - run.made_on).days
    if not 0 < days <= LONGEST_SHELF_LIFE_DAYS:
        raise TradeError(
            N_(
                "lot %(batch)s: use-by %(use_by)s must fall after the day it was made (%(made_on)s) and "
                "within %(days)s days of it",
                batch=lot.batch,
                use_by=lot.use_by,
                made_on=run.made_on,
                days=LONGEST_SHELF_LIFE_DAYS,
            )
        )
