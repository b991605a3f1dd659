"""A cull operation and the carcasses it delivers to processing plants.

The ministry registers an operation (population, area, dates, the authorisation it runs under,
the number of animals it may take, the team that takes them); the team delivers carcasses to a
plant in batches. A delivery falls inside the operation's dates and count, and its mass is what
that many carcasses can weigh: a dressed saiga carcass weighs about 10 to 20 kg, so the bounds
below catch slips of units and digits, not lean animals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiik.custody.domain.state import Violation
from kiik.errors import N_
from kiik.trade.domain.errors import TradeError

CARCASS_KG = (6.0, 40.0)  # the mean mass of the carcasses of one delivery, least and most
POPULATIONS = ("Ural", "Betpakdala", "Ustyurt")
# A carcass batch's cull operation, named but not registered, or not named at all.
UNKNOWN_CULL = N_(
    "%(key)s names cull operation %(number)s: carcasses are commissioned under a registered cull "
    "operation (ILMD kiik:cullOperation; `kiik trade culls` lists them)"
)
NO_CULL = N_(
    "%(key)s names no cull operation: carcasses are commissioned under a registered cull operation "
    "(ILMD kiik:cullOperation; `kiik trade culls` lists them)"
)


@dataclass(frozen=True)
class CullOperation:
    number: str
    population: str
    area: str
    starts: date
    ends: date
    authorisation: str
    animals_allowed: int
    team_org_id: int
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.number.strip() or len(self.number) > 60:
            raise TradeError(
                N_("a cull operation needs a number of 1 to 60 characters, e.g. 'CULL-2025-URL-01'")
            )
        if self.population not in POPULATIONS:
            raise TradeError(
                N_(
                    "unknown saiga population %(population)s: use one of %(known)s",
                    population=repr(self.population),
                    known=", ".join(POPULATIONS),
                )
            )
        if self.ends < self.starts:
            raise TradeError(
                N_(
                    "cull %(number)s ends (%(ends)s) before it starts (%(starts)s)",
                    number=self.number,
                    ends=self.ends,
                    starts=self.starts,
                )
            )
        if self.animals_allowed <= 0:
            raise TradeError(
                N_(
                    "cull %(number)s must allow at least one animal, not %(allowed)s",
                    number=self.number,
                    allowed=self.animals_allowed,
                )
            )
        if not self.authorisation.strip():
            raise TradeError(
                N_("cull %(number)s needs the number of the authorisation it runs under", number=self.number)
            )

    @property
    def period(self) -> str:
        return f"{self.starts.isoformat()} to {self.ends.isoformat()}"


@dataclass(frozen=True)
class CarcassBatch:
    """Carcasses taken under a cull operation, commissioned as one batch (a class, in kg)."""

    key: str
    cull_number: str | None
    carcasses: int | None
    mass_kg: float | None
    delivered_on: date
    species: str | None
    population: str | None


def carcass_violations(
    operation: CullOperation | None, batch: CarcassBatch, delivered_before: int, actor_org_id: int
) -> list[Violation]:
    """What is wrong with commissioning a carcass batch under its operation (empty when nothing)."""
    key = batch.key
    if operation is None:
        sentence = UNKNOWN_CULL if batch.cull_number else NO_CULL
        return [
            Violation("trade.unknown_cull", sentence.filled(key=key, number=repr(batch.cull_number)), key)
        ]
    if operation.team_org_id != actor_org_id:
        return [
            Violation(
                "trade.not_cull_team",
                N_(
                    "cull %(number)s is carried out by another team: only its team records its carcasses",
                    number=operation.number,
                ),
                key,
            )
        ]
    found: list[Violation] = []
    if batch.species != "Saiga tatarica" or batch.population != operation.population:
        found.append(
            Violation(
                "trade.cull_origin",
                N_(
                    "%(key)s gives species %(species)s and population %(population)s, but cull %(number)s "
                    "takes Saiga tatarica of the %(taken)s population",
                    key=key,
                    species=repr(batch.species),
                    population=repr(batch.population),
                    number=operation.number,
                    taken=operation.population,
                ),
                key,
            )
        )
    if not operation.starts <= batch.delivered_on <= operation.ends:
        found.append(
            Violation(
                "trade.outside_cull_dates",
                N_(
                    "%(key)s is recorded on %(day)s, outside cull %(number)s (%(starts)s to %(ends)s): "
                    "record it on a day of the operation",
                    key=key,
                    day=batch.delivered_on,
                    number=operation.number,
                    starts=operation.starts.isoformat(),
                    ends=operation.ends.isoformat(),
                ),
                key,
            )
        )
    found += _count_and_mass(operation, batch, delivered_before)
    return found


def _count_and_mass(operation: CullOperation, batch: CarcassBatch, delivered_before: int) -> list[Violation]:
    key, count, kg = batch.key, batch.carcasses, batch.mass_kg
    if count is None or count <= 0 or kg is None:
        return [
            Violation(
                "trade.carcass_count_required",
                N_(
                    "%(key)s needs its number of carcasses (ILMD kiik:carcasses, more than 0) and its mass "
                    "(quantity in KGM)",
                    key=key,
                ),
                key,
            )
        ]
    left = operation.animals_allowed - delivered_before
    if count > left:
        return [
            Violation(
                "trade.cull_exceeded",
                N_(
                    "%(key)s carries %(count)s carcasses but cull %(number)s may take %(allowed)s animals "
                    "and %(before)s are recorded already (%(left)s left)",
                    key=key,
                    count=count,
                    number=operation.number,
                    allowed=operation.animals_allowed,
                    before=delivered_before,
                    left=left,
                ),
                key,
            )
        ]
    mean, (least, most) = kg / count, CARCASS_KG
    if not least <= mean <= most:
        return [
            Violation(
                "trade.carcass_mass",
                N_(
                    "%(key)s: %(kg)s kg for %(count)s carcasses is %(mean)s kg each, outside %(least)s to "
                    "%(most)s kg: check the unit and the count",
                    key=key,
                    kg=format(kg, "g"),
                    count=count,
                    mean=format(mean, ".1f"),
                    least=format(least, "g"),
                    most=format(most, "g"),
                ),
                key,
            )
        ]
    return []
