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
from kiik.trade.domain.errors import TradeError

CARCASS_KG = (6.0, 40.0)  # the mean mass of the carcasses of one delivery, least and most
POPULATIONS = ("Ural", "Betpakdala", "Ustyurt")


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
            raise TradeError("a cull operation needs a number of 1 to 60 characters, e.g. 'CULL-2025-URL-01'")
        if self.population not in POPULATIONS:
            raise TradeError(
                f"unknown saiga population {self.population!r}: use one of {', '.join(POPULATIONS)}"
            )
        if self.ends < self.starts:
            raise TradeError(f"cull {self.number} ends ({self.ends}) before it starts ({self.starts})")
        if self.animals_allowed <= 0:
            raise TradeError(f"cull {self.number} must allow at least one animal, not {self.animals_allowed}")
        if not self.authorisation.strip():
            raise TradeError(f"cull {self.number} needs the number of the authorisation it runs under")

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
        named = f"cull operation {batch.cull_number!r}" if batch.cull_number else "no cull operation"
        return [
            Violation(
                "trade.unknown_cull",
                f"{key} names {named}: carcasses are commissioned under a registered cull operation "
                "(ILMD kiik:cullOperation; `kiik trade culls` lists them)",
                key,
            )
        ]
    if operation.team_org_id != actor_org_id:
        return [
            Violation(
                "trade.not_cull_team",
                f"cull {operation.number} is carried out by another team: only its team records its "
                "carcasses",
                key,
            )
        ]
    found: list[Violation] = []
    if batch.species != "Saiga tatarica" or batch.population != operation.population:
        found.append(
            Violation(
                "trade.cull_origin",
                f"{key} gives species {batch.species!r} and population {batch.population!r}, but cull "
                f"{operation.number} takes Saiga tatarica of the {operation.population} population",
                key,
            )
        )
    if not operation.starts <= batch.delivered_on <= operation.ends:
        found.append(
            Violation(
                "trade.outside_cull_dates",
                f"{key} is recorded on {batch.delivered_on}, outside cull {operation.number} "
                f"({operation.period}): record it on a day of the operation",
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
                f"{key} needs its number of carcasses (ILMD kiik:carcasses, more than 0) and its mass "
                "(quantity in KGM)",
                key,
            )
        ]
    left = operation.animals_allowed - delivered_before
    if count > left:
        return [
            Violation(
                "trade.cull_exceeded",
                f"{key} carries {count} carcasses but cull {operation.number} may take "
                f"{operation.animals_allowed} animals and {delivered_before} are recorded already "
                f"({left} left)",
                key,
            )
        ]
    mean, (least, most) = kg / count, CARCASS_KG
    if not least <= mean <= most:
        return [
            Violation(
                "trade.carcass_mass",
                f"{key}: {kg:g} kg for {count} carcasses is {mean:.1f} kg each, outside {least:g} to "
                f"{most:g} kg: check the unit and the count",
                key,
            )
        ]
    return []
