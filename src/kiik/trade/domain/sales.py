"""Domestic sales of marked derivatives: who sold what to which kind of buyer, at the agreed price.

kiik records prices and reports them; it never sets them. A marked item is sold once; a lot is sold
by the kilogram, never more than it holds. The price report gives, per product and year, what was
sold and the price per kilogram the market agreed (lowest, median, highest).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.errors import N_

BUYER_KINDS = ("pharmacy", "manufacturer", "person")
TOLERANCE_KG = 1e-6


@dataclass(frozen=True)
class SaleLine:
    key: str
    is_class: bool
    kg: float | None


@dataclass(frozen=True)
class DerivativeSale:
    id: str
    seller_org_id: int
    buyer_kind: str
    buyer: str
    product_type: str
    lines: tuple[SaleLine, ...]
    price_kzt: float
    sold_at: datetime

    @property
    def items(self) -> int:
        return sum(1 for line in self.lines if not line.is_class)

    @property
    def mass_kg(self) -> float:
        return round(sum(line.kg or 0.0 for line in self.lines), 6)


def terms_problems(sale_id: str, buyer_kind: object, buyer: object, price: object) -> list[Violation]:
    found = []
    if buyer_kind not in BUYER_KINDS:
        found.append(
            Violation(
                "trade.buyer_kind",
                N_(
                    "sale %(sale)s: the buyer's kind (kiik:buyerKind) is %(kind)s; use one of %(known)s",
                    sale=sale_id,
                    kind=repr(buyer_kind),
                    known=", ".join(BUYER_KINDS),
                ),
            )
        )
    if not isinstance(buyer, str) or not buyer.strip():
        found.append(
            Violation("trade.buyer_required", N_("sale %(sale)s: name the buyer (kiik:buyer)", sale=sale_id))
        )
    if isinstance(price, bool) or not isinstance(price, int | float) or not 0 < price < 1e13:
        found.append(
            Violation(
                "trade.price_required",
                N_(
                    "sale %(sale)s: the agreed price in tenge (kiik:priceKZT) must be a number above 0, not "
                    "%(price)s; kiik records the price the parties agreed, it never sets one",
                    sale=sale_id,
                    price=repr(price),
                ),
            )
        )
    return found


def already_sold(key: str) -> Violation:
    return Violation(
        "trade.already_sold",
        N_(
            "%(key)s is recorded sold already: a marked item is sold once. Check the code scanned; a second "
            "sale of the same code is reported to the inspectorate",
            key=key,
        ),
        key,
    )


def beyond_lot(key: str, lot_kg: float, sold_kg: float, kg: float) -> Violation:
    return Violation(
        "trade.sale_exceeds_lot",
        N_(
            "%(key)s holds %(lot)s kg and %(sold)s kg of it are recorded sold: %(kg)s kg more cannot come "
            "from it",
            key=key,
            lot=format(lot_kg, "g"),
            sold=format(sold_kg, "g"),
            kg=format(kg, "g"),
        ),
        key,
    )


def price_report(sales: Iterable[DerivativeSale]) -> list[dict[str, Any]]:
    """Per product type and year: sales, items, kilograms, tenge, and the price per kilogram."""
    groups: dict[tuple[str, int], list[DerivativeSale]] = {}
    for sale in sales:
        groups.setdefault((sale.product_type, sale.sold_at.year), []).append(sale)
    report = []
    for (product, year), group in sorted(groups.items()):
        per_kg = sorted(s.price_kzt / s.mass_kg for s in group if s.mass_kg > 0)
        report.append(
            {
                "product": product,
                "year": year,
                "sales": len(group),
                "items": sum(s.items for s in group),
                "massKg": round(sum(s.mass_kg for s in group), 6),
                "totalKZT": round(sum(s.price_kzt for s in group), 2),
                "pricePerKgKZT": _spread(per_kg),
                "buyers": {kind: sum(1 for s in group if s.buyer_kind == kind) for kind in BUYER_KINDS},
            }
        )
    return report


def _spread(values: Sequence[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {
        "lowest": round(values[0], 2),
        "median": round(median(values), 2),
        "highest": round(values[-1], 2),
    }
