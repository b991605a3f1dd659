"""The plan of a demo season: who harvests how many animals of which population, where and when.

Everything is drawn from one seeded random generator, so that `kiik demo --horns N --seed S`
builds the same season every time. Animals are shared between the three populations in
proportion to the spring 2024 aerial census (the last one that counted each population; the
figures are in ../shared/reference/cites/saiga_census_kz.csv), and each population's animals
between its harvest teams. Animals and their horns are generated team by team when they are
harvested, so that a full season never sits in memory as events.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kiik.harvest.domain.authorisations import KAZAKHSTAN_TIME, Population, suggested_number
from kiik.harvest.domain.events import HarvestedAnimal, MarkedHorn
from kiik.harvest.domain.geo import Area, Point
from kiik.harvest.domain.populations import population_range

# Spring 2024 aerial census (14 April - 1 May 2024), animals per population.
CENSUS_YEAR = 2024
CENSUS = {Population.URAL: 1_620_000, Population.BETPAKDALA: 1_150_000, Population.USTYURT: 63_600}
CENSUS_SOURCE = "https://altyndala.org/results-from-the-2024-saiga-aerial-census-in-kazakhstan-are-in/"

SEASON_START = date(2025, 9, 1)
SEASON_END = date(2025, 11, 30)

# (organisation code, name, company prefix, population)
TEAMS = (
    ("ural-harvest-1", "Ural harvest team 1", "4870002", Population.URAL),
    ("ural-harvest-2", "Ural harvest team 2", "4870012", Population.URAL),
    ("ural-harvest-3", "Ural harvest team 3", "4870013", Population.URAL),
    ("betpakdala-harvest-1", "Betpakdala harvest team 1", "4870021", Population.BETPAKDALA),
    ("betpakdala-harvest-2", "Betpakdala harvest team 2", "4870022", Population.BETPAKDALA),
    ("ustyurt-harvest-1", "Ustyurt harvest team 1", "4870031", Population.USTYURT),
)
# Teams that mark their horns with a microchip as well as a DataMatrix code.
CHIPPING_TEAMS = frozenset({"ustyurt-harvest-1"})


def animals_per_population(horns: int) -> dict[Population, int]:
    """Animals (two horns each) shared by census, largest remainder first; at least one each."""
    animals = max(horns // 2, len(CENSUS))
    total = sum(CENSUS.values())
    exact = {p: animals * n / total for p, n in CENSUS.items()}
    shares = {p: max(1, int(v)) for p, v in exact.items()}
    by_remainder = sorted(CENSUS, key=lambda p: exact[p] - int(exact[p]), reverse=True)
    n = 0
    while sum(shares.values()) < animals:
        shares[by_remainder[n % len(by_remainder)]] += 1
        n += 1
    while sum(shares.values()) > animals:
        largest = max(shares, key=lambda p: shares[p])
        shares[largest] -= 1
    return shares


@dataclass(frozen=True)
class TeamPlan:
    code: str
    name: str
    prefix: str
    population: Population
    number: int  # the team's number within its population (1, 2, ...)
    animals: int
    authorisation: str
    centre: Point

    @property
    def chips(self) -> bool:
        return self.code in CHIPPING_TEAMS

    def horn_code(self, serial: int) -> str:
        return f"urn:epc:id:sgtin:{self.prefix}.000001.{serial}"


def random_point_in(area: Area, rng: random.Random) -> Point:
    west, south, east, north = area.bounds
    while True:
        point = Point(latitude=rng.uniform(south, north), longitude=rng.uniform(west, east))
        if area.contains(point):
            return point


def plan_teams(horns: int, rng: random.Random) -> list[TeamPlan]:
    shares = animals_per_population(horns)
    plans = []
    for population, animals in shares.items():
        teams = [t for t in TEAMS if t[3] is population]
        for n, (code, name, prefix, _) in enumerate(teams):
            count = animals // len(teams) + (1 if n < animals % len(teams) else 0)
            if count == 0:
                continue
            number = suggested_number(population, SEASON_START.year, n + 1)
            centre = random_point_in(population_range(population), rng)
            plans.append(TeamPlan(code, name, prefix, population, n + 1, count, number, centre))
    return plans


@dataclass(frozen=True)
class HornRecord:
    """What the rest of the season needs of a harvested horn."""

    key: str
    mass_kg: float
    harvested_at: datetime


def harvest_records(team: TeamPlan, rng: random.Random) -> Iterator[tuple[HarvestedAnimal, list[MarkedHorn]]]:
    """The team's animals, in the order they were taken, each a male with two marked horns."""
    area = population_range(team.population)
    days = (SEASON_END - SEASON_START).days + 1
    start = datetime.combine(SEASON_START, datetime.min.time(), KAZAKHSTAN_TIME)
    for n in range(team.animals):
        day = n * days // team.animals
        moment = start + timedelta(days=day, hours=6, minutes=rng.randrange(0, 12 * 60))
        animal = HarvestedAnimal(
            animal_id=f"{team.population.code}-{team.number}-{n + 1:05d}",
            sex="male",
            age_class="adult" if rng.random() < 0.8 else "subadult",
            harvested_at=moment,
            point=_near(team.centre, area, rng),
            authorisation=team.authorisation,
            population=team.population.value,
        )
        horns = []
        for side in ("left", "right"):
            serial = 2 * n + (1 if side == "left" else 2)
            mass = round(min(max(rng.gauss(0.26, 0.04), 0.12), 0.42), 3)
            horns.append(
                MarkedHorn(
                    mass_kg=mass,
                    length_cm=round(min(max(rng.gauss(28.0, 3.0), 18.0), 38.0), 1),
                    code=team.horn_code(serial),
                    microchip=f"398{team.prefix[-3:]}{serial:09d}" if team.chips else None,
                    side=side,
                )
            )
        yield animal, horns


def _near(centre: Point, area: Area, rng: random.Random) -> Point:
    """A point around the team's camp, inside the population's range."""
    for _ in range(30):
        latitude = centre.latitude + rng.gauss(0.0, 0.45)
        longitude = centre.longitude + rng.gauss(0.0, 0.7)
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            point = Point(latitude=round(latitude, 5), longitude=round(longitude, 5))
            if area.contains(point):
                return point
    return centre


def outside(area: Area, near: Point) -> Point:
    """A point well outside an area, for the demo's refused harvest (east of it, same latitude)."""
    west, south, east, north = area.bounds
    return Point(latitude=near.latitude, longitude=min(east + 3.0, 179.0))


def pgln(prefix: str) -> str:
    return f"urn:epc:id:pgln:{prefix}.00000"


def main_site(prefix: str) -> str:
    return f"urn:epc:id:sgln:{prefix}.00000.0"
