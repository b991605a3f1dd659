"""The public check of a meat pack: where its lot came from, and whether the pack may be on sale.

A pack carries its lot's code (GTIN and batch) and nothing of its own, so the check answers for the
lot: the population and the cull period its carcasses came from, the plant, the use-by day. A pack
is not legal when its lot was recalled, when every pack of the lot is recorded sold already (this
one should not exist), or when its use-by day has passed. The reasons are codes; the page words
them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class NotLegal(StrEnum):
    RECALLED = "recalled"
    EXHAUSTED = "exhausted"
    EXPIRED = "expired"


@dataclass(frozen=True)
class MeatLot:
    key: str
    gtin: str
    batch: str
    product_type: str
    plant: str
    packs: int
    pack_mass_kg: float
    made_on: date
    use_by: date
    vet_certificate: str
    population: str
    cull_from: date
    cull_to: date
    culls: tuple[str, ...]
    packs_sold: int = 0
    recalled_on: date | None = None
    recall_reason: str | None = None

    @property
    def mass_kg(self) -> float:
        return round(self.packs * self.pack_mass_kg, 6)

    @property
    def packs_left(self) -> int:
        return max(self.packs - self.packs_sold, 0)


@dataclass(frozen=True)
class PackCheck:
    lot: MeatLot
    checked_on: date
    reasons: tuple[NotLegal, ...] = field(default=())

    @property
    def legal(self) -> bool:
        return not self.reasons

    def to_json(self) -> dict[str, Any]:
        lot = self.lot
        return {
            "code": lot.key,
            "legal": self.legal,
            "reasons": [r.value for r in self.reasons],
            "checkedOn": self.checked_on.isoformat(),
            "product": lot.product_type,
            "species": "Saiga tatarica",
            "population": lot.population,
            "cullPeriod": {"from": lot.cull_from.isoformat(), "to": lot.cull_to.isoformat()},
            "culls": list(lot.culls),
            "plant": lot.plant,
            "madeOn": lot.made_on.isoformat(),
            "useBy": lot.use_by.isoformat(),
            "veterinaryCertificate": lot.vet_certificate,
            "packMassKg": lot.pack_mass_kg,
            "recalledOn": lot.recalled_on.isoformat() if lot.recalled_on else None,
            "recallReason": lot.recall_reason,
        }


def check_pack(lot: MeatLot, today: date) -> PackCheck:
    reasons = []
    if lot.recalled_on is not None:
        reasons.append(NotLegal.RECALLED)
    if lot.packs_sold >= lot.packs:
        reasons.append(NotLegal.EXHAUSTED)
    if today > lot.use_by:
        reasons.append(NotLegal.EXPIRED)
    return PackCheck(lot, today, tuple(reasons))
