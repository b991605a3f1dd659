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
from kiik.errors import N_
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

# The sentences that name the kind of permit or its unit, one whole sentence per kind.
PERMIT_REQUIRED = {
    TakeKind.HUNTING: N_(
        "%(species)s is taken only under a hunting permit: give its number in ILMD kiik:takePermit"
    ),
    TakeKind.COLLECTION: N_(
        "%(species)s is taken only under a collection permit: give its number in ILMD kiik:takePermit"
    ),
}
PERMIT_KIND = {
    TakeKind.HUNTING: N_("%(species)s is taken under a hunting permit, not a collection one"),
    TakeKind.COLLECTION: N_("%(species)s is taken under a collection permit, not a hunting one"),
}
EXHAUSTED = {
    TakeKind.HUNTING: N_(
        "permit %(number)s allows %(limit)s trophies; %(used)s are taken already and %(amount)s more would "
        "exceed it"
    ),
    TakeKind.COLLECTION: N_(
        "permit %(number)s allows %(limit)s kg; %(used)s are taken already and %(amount)s more would "
        "exceed it"
    ),
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
            raise TradeError(N_("a permit needs a number of 1 to 60 characters, e.g. 'HUNT-2026-0042'"))
        expected = TAKEN_UNDER_PERMIT.get(self.species)
        if expected is None:
            listed = ", ".join(f"{s} ({k.value})" for s, k in TAKEN_UNDER_PERMIT.items())
            raise TradeError(
                N_(
                    "%(species)s is not taken under a hunting or collection permit: %(listed)s are",
                    species=self.species,
                    listed=listed,
                )
            )
        if expected is not self.kind:
            raise TradeError(PERMIT_KIND[expected].filled(species=self.species))
        if self.ends < self.starts:
            raise TradeError(
                N_(
                    "permit %(number)s ends (%(ends)s) before it starts (%(starts)s)",
                    number=self.number,
                    ends=self.ends,
                    starts=self.starts,
                )
            )
        if not 0 < self.limit <= 1e7:
            raise TradeError(
                N_("permit %(number)s needs a limit above 0 (trophies or kilograms)", number=self.number)
            )
        if not self.area.strip():
            raise TradeError(
                N_("permit %(number)s names the area where the taking is allowed", number=self.number)
            )

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
            sentence = PERMIT_REQUIRED[TAKEN_UNDER_PERMIT[species]].filled(species=species)
            return [Violation("trade.take_permit_required", sentence, key)]
        unknown = N_("there is no permit %(number)s: check the number", number=number)
        return [Violation("trade.unknown_take_permit", unknown, key)]
    found = []
    if permit.holder_org_id != actor_org_id:
        found.append(
            Violation(
                "trade.not_permit_holder",
                N_("permit %(number)s was issued to another organisation", number=permit.number),
                key,
            )
        )
    if permit.species != species:
        found.append(
            Violation(
                "trade.permit_species",
                N_(
                    "permit %(number)s is for %(permitted)s, not %(species)s",
                    number=permit.number,
                    permitted=permit.species,
                    species=species,
                ),
                key,
            )
        )
    if not permit.starts <= day <= permit.ends:
        found.append(
            Violation(
                "trade.outside_permit_dates",
                N_(
                    "%(key)s is taken on %(day)s, outside permit %(number)s (%(starts)s to %(ends)s)",
                    key=key,
                    day=day,
                    number=permit.number,
                    starts=permit.starts,
                    ends=permit.ends,
                ),
                key,
            )
        )
    if used + amount > permit.limit + 1e-6:
        found.append(
            Violation(
                "trade.permit_exhausted",
                EXHAUSTED[permit.kind].filled(
                    number=permit.number,
                    limit=format(permit.limit, "g"),
                    used=format(used, "g"),
                    amount=format(amount, "g"),
                ),
                key,
            )
        )
    return found
