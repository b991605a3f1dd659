"""Where an item's sources were harvested, from their commissioning ILMD, and the flags of a
harvest outside its authorisation (date, area, population, or no authorisation at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from kiik.custody.services.lineage import LineageNode, local_names
from kiik.custody.services.queries import ReadUnitOfWork
from kiik.db.unit_of_work import UnitOfWork
from kiik.errors import N_, Wording, listed
from kiik.harvest.domain.authorisations import HarvestError, authorisation_number, is_saiga
from kiik.harvest.domain.geo import GeoError, Point, read_point
from kiik.harvest.services.ports import harvest_store
from kiik.inspection.flag import Flag

# How many offending sources a harvest flag names before it counts the rest.
NAMED_SOURCES = 3


@dataclass(frozen=True)
class HarvestSite:
    """A source item's harvest, from its commissioning ILMD."""

    key: str
    point: Point | None
    population: str | None
    species: str | None
    animal_id: str | None
    harvest_date: str | None
    authorisation: str | None
    mass_kg: float | None
    share: float | None  # of the inspected item's source mass, 0..1
    recorded_by: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "latitude": self.point.latitude if self.point else None,
            "longitude": self.point.longitude if self.point else None,
            "population": self.population,
            "species": self.species,
            "animalID": self.animal_id,
            "harvestDate": self.harvest_date,
            "authorisation": self.authorisation,
            "massKg": self.mass_kg,
            "share": self.share,
        }


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _point(value: Any) -> Point | None:
    try:
        return read_point(value) if value is not None else None
    except GeoError:
        return None


def harvest_sites(sources: Sequence[LineageNode]) -> list[HarvestSite]:
    """The harvest of every source item that has one on record, with its share of the source mass
    (the lineage's own share when it gives one, else the source's mass over all sources' mass)."""
    total = sum(n.mass_kg or 0.0 for n in sources if n.origin is not None)
    sites = []
    for node in sources:
        if node.origin is None:
            continue
        origin = local_names(node.origin.ilmd)
        share = getattr(node, "share", None)
        if not isinstance(share, int | float):
            share = (node.mass_kg / total) if node.mass_kg and total else None
        sites.append(
            HarvestSite(
                key=node.key,
                point=_point(origin.get("harvestPoint")),
                population=_text(origin.get("population")),
                species=_text(origin.get("species")),
                animal_id=_text(origin.get("animalID")),
                harvest_date=_text(origin.get("harvestDate")),
                authorisation=_text(origin.get("harvestAuthorisation")),
                mass_kg=node.mass_kg,
                share=share,
                recorded_by=node.origin.recorded_by.name if node.origin.recorded_by else None,
            )
        )
    return sites


def harvest_flags(uow: ReadUnitOfWork, sites: Sequence[HarvestSite]) -> list[Flag]:
    """Harvests that fall outside their authorisation (stored, for instance, while rules were off)."""
    store = harvest_store(cast(UnitOfWork, uow))
    cache: dict[str, Any] = {}
    problems: list[Wording] = []
    for site in sites:
        problem = _harvest_problem(site, store, cache)
        if problem:
            problems.append(N_("%(key)s: %(problem)s", key=site.key, problem=problem))
    if not problems:
        return []
    named: list[str] = list(problems[:NAMED_SOURCES])
    if len(problems) > NAMED_SOURCES:
        named.append(N_("and %(count)s more", count=len(problems) - NAMED_SOURCES))
    return [
        Flag(
            "harvest_irregular",
            "bad",
            N_(
                "harvest outside its authorisation (%(count)s of %(sources)s sources)",
                count=len(problems),
                sources=len(sites),
            ),
            N_(
                "%(problems)s. Horns taken outside an authorisation have no legal origin: hold the item "
                "and report it to the ministry.",
                problems=listed(named),
            ),
            N_("its harvest is not covered by an authorisation"),
        )
    ]


def _harvest_problem(site: HarvestSite, store: Any, cache: dict[str, Any]) -> Wording | None:
    if site.authorisation is None:
        return N_("harvested without an authorisation") if is_saiga(site.species) else None
    try:
        number = authorisation_number(site.authorisation)
    except HarvestError:
        return N_("%(value)s is not an authorisation number", value=repr(site.authorisation))
    if number not in cache:
        cache[number] = store.authorisation(number)
    authorisation = cache[number]
    if authorisation is None:
        return N_("authorisation %(number)s does not exist", number=number)
    if site.point is not None and not authorisation.area.contains(site.point):
        return N_(
            "taken at %(point)s, outside the area of %(number)s", point=site.point.text(), number=number
        )
    try:
        day = date.fromisoformat(site.harvest_date) if site.harvest_date else None
    except ValueError:
        day = None
    if day is not None and not authorisation.covers(day):
        return N_(
            "taken on %(day)s, outside the window of %(number)s (%(window)s)",
            day=day.isoformat(),
            number=number,
            window=authorisation.window,
        )
    if site.population and site.population.lower() != authorisation.population.value.lower():
        return N_(
            "of the %(population)s population, but %(number)s covers the %(covered)s",
            population=site.population,
            number=number,
            covered=authorisation.population.value,
        )
    return None
