"""Taking wild specimens under a permit: argali trophies by hunting permit, plants by collection permit.

The ministry issues a permit to an organisation (an outfitter, a collector) for one species, an area
and dates, with a limit: trophies (pieces) for a hunting permit, kilograms for a collection permit.
Every commissioning of such a species names its permit (ILMD kiik:takePermit); the taking falls
inside the permit's dates and limit and is recorded by its holder. The trophy then leaves under a
CITES export permit like any other specimen (kiik.permits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiik.custody.domain.state import Violation
from kiik.trade.domain.errors import TradeError


class TakeKind(StrEnum):
    HUNTING = "hunting"
    COLLECTION = "collection"


# The species whose every taking needs a permit, and the kind of permit.
TAKEN_UNDER_PERMIT = {
    "Ovis ammon": TakeKind.HUNTING,
    "Glycyrrhiza glabra": TakeKind.COLLECTION,
    "Juniperus seravschanica": TakeKind.COLLECTION,
    "Rosa canina": TakeKind.COLLECTION,
}


@dataclass(frozen=True)
class TakePermit:
    number: str
    kind: TakeKind
    species: str
    area: str
    starts: date
    ends: date
    holder_org_id: int
    limit: float  # trophies for hunting, kilograms for collection
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.number.strip() or len(self.number) > 60:
            raise TradeError("a permit needs a number of 1 to 60 characters, e.g. 'HUNT-2026-0042'")
        expected = TAKEN_UNDER_PERMIT.get(self.species)
        if expected is None:
            listed = ", ".join(f"{s} ({k.value})" for s, k in TAKEN_UNDER_PERMIT.items())
            raise TradeError(
                f"{self.species} is not taken under a hunting or collection permit: {listed} are"
            )
        if expected is not self.kind:
            raise TradeError(
                f"{self.species} is taken under a {expected.value} permit, not a {self.kind.value} one"
            )
        if self.ends < self.starts:
            raise TradeError(f"permit {self.number} ends ({self.ends}) before it starts ({self.starts})")
        if not 0 < self.limit <= 1e7:
            raise TradeError(f"permit {self.number} needs a limit above 0 (trophies or kilograms)")
        if not self.area.strip():
            raise TradeError(f"permit {self.number} names the area where the taking is allowed")

    @property
    def unit(self) -> str:
        return "trophies" if self.kind is TakeKind.HUNTING else "kg"


def taking_violations(
    permit: TakePermit | None, number: object, species: str, key: str, day: date, amount: float, used: float,
    actor_org_id: int,
) -> list[Violation]:  # fmt: skip
    """What is wrong with taking `amount` (trophies or kg) of `species` under a permit."""
    if permit is None:
        if not isinstance(number, str):
            kind = TAKEN_UNDER_PERMIT[species].value
            return [
                Violation(
                    "trade.take_permit_required",
                    f"{species} is taken only under a {kind} permit: give its number in ILMD kiik:takePermit",
                    key,
                )
            ]
        return [Violation("trade.unknown_take_permit", f"there is no permit {number}: check the number", key)]
    found = []
    if permit.holder_org_id != actor_org_id:
        found.append(
            Violation(
                "trade.not_permit_holder", f"permit {permit.number} was issued to another organisation", key
            )
        )
    if permit.species != species:
        found.append(
            Violation(
                "trade.permit_species", f"permit {permit.number} is for {permit.species}, not {species}", key
            )
        )
    if not permit.starts <= day <= permit.ends:
        found.append(
            Violation(
                "trade.outside_permit_dates",
                f"{key} is taken on {day}, outside permit {permit.number} ({permit.starts} to {permit.ends})",
                key,
            )
        )
    if used + amount > permit.limit + 1e-6:
        found.append(
            Violation(
                "trade.permit_exhausted",
                f"permit {permit.number} allows {permit.limit:g} {permit.unit}; {used:g} are taken already "
                f"and {amount:g} more would exceed it",
                key,
            )
        )
    return found
