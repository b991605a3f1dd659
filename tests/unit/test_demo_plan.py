"""The demo season's plan (census shares, teams, animals) and the harvest map, without a database."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from kiik.demo.plan import CENSUS, CENSUS_YEAR, animals_per_population, harvest_records, plan_teams
from kiik.harvest.domain.authorisations import Population
from kiik.harvest.domain.geo import Point
from kiik.harvest.domain.populations import population_range
from kiik.inspection.harvest_sites import HarvestSite
from kiik.web.harvest_map import MAX_POINTS, harvest_map, map_height, project


def test_census_figures_are_the_reference_census(reference: Path) -> None:
    with (reference / "cites" / "saiga_census_kz.csv").open() as source:
        rows = [r for r in csv.DictReader(source) if r["ural"] and r["betpakdala"] and r["ustyurt"]]
    latest = max(rows, key=lambda r: int(r["survey_year"]))
    assert int(latest["survey_year"]) == CENSUS_YEAR
    assert CENSUS == {
        Population.URAL: int(latest["ural"]),
        Population.BETPAKDALA: int(latest["betpakdala"]),
        Population.USTYURT: int(latest["ustyurt"]),
    }


def test_animals_are_shared_in_proportion_to_the_census() -> None:
    shares = animals_per_population(100_000)
    assert sum(shares.values()) == 50_000
    total = sum(CENSUS.values())
    for population, count in shares.items():
        assert abs(count - 50_000 * CENSUS[population] / total) <= 1
    assert animals_per_population(20) == {Population.URAL: 5, Population.BETPAKDALA: 4, Population.USTYURT: 1}


def test_teams_harvest_males_with_two_horns_inside_their_population_range() -> None:
    teams = plan_teams(200, random.Random(1))
    assert sum(t.animals for t in teams) == 100 and len({t.authorisation for t in teams}) == len(teams)
    first = list(harvest_records(teams[0], random.Random(2)))
    assert first == list(harvest_records(teams[0], random.Random(2)))  # same seed, same season
    area = population_range(teams[0].population)
    for animal, horns in first:
        assert animal.sex == "male" and len(horns) == 2 and area.contains(animal.point)
        assert all(0.12 <= h.mass_kg <= 0.42 and h.code for h in horns)
    days = [a.harvested_at for a, _ in first]
    assert days == sorted(days)


def _site(n: int, latitude: float, longitude: float) -> HarvestSite:
    return HarvestSite(
        f"horn-{n}",
        Point(latitude, longitude),
        "Ural",
        "Saiga tatarica",
        f"A{n}",
        "2025-09-12",
        None,
        0.25,
        None,
        None,
    )


def test_the_map_places_harvest_points_on_kazakhstan() -> None:
    x, y = project(43.24, 76.95)  # Almaty, in the south-east
    assert 0 < x < 640 and 0 < y < map_height() and x > 400 and y > map_height() / 2
    drawn = harvest_map([_site(1, 50.95, 51.35), _site(2, 50.95, 51.35), _site(3, 49.5, 50.0)])
    assert drawn.placed == 3 and len(drawn.points) == 3 and {p.code for p in drawn.points} == {"url"}
    assert len(drawn.ranges) == 3 and drawn.outline.startswith("M")
    assert drawn.close_up is not None and len(drawn.close_up.points) == 3  # all taken near Oral
    close = drawn.close_up.points
    assert max(p.x for p in close) - min(p.x for p in close) > 5 * (
        max(p.x for p in drawn.points) - min(p.x for p in drawn.points)
    )
    spread = harvest_map([_site(1, 50.95, 51.35), _site(2, 45.0, 70.0)])
    assert spread.close_up is None
    many = harvest_map([_site(n, 48 + n / 10_000, 50.0) for n in range(MAX_POINTS + 500)])
    assert many.thinned and len(many.points) == MAX_POINTS and many.placed == MAX_POINTS + 500
