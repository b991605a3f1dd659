"""The origin of an item's mass, summed up: each animal (with its population, harvest site and date)
and each population, with the share of the item's mass it gave."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

NO_POPULATION = "unrecorded"


class OriginStep(Protocol):
    @property
    def fields(self) -> dict[str, Any]: ...
    @property
    def location(self) -> str | None: ...
    @property
    def event_time(self) -> datetime: ...


class Source(Protocol):
    """A source item of a lineage (see `kiik.custody.services.lineage.LineageNode`)."""

    @property
    def key(self) -> str: ...
    @property
    def share(self) -> float | None: ...
    @property
    def origin(self) -> OriginStep | None: ...


def _kg(share: float, mass_kg: float | None) -> float | None:
    return None if mass_kg is None else round(share * mass_kg, 6)


@dataclass
class AnimalShare:
    animal_id: str | None
    species: str | None
    population: str | None
    sex: str | None
    harvest_dates: list[str] = field(default_factory=list)
    harvest_points: list[str] = field(default_factory=list)
    harvest_sites: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    share: float = 0.0

    def to_json(self, mass_kg: float | None) -> dict[str, Any]:
        return {
            "animal_id": self.animal_id,
            "species": self.species,
            "population": self.population,
            "sex": self.sex,
            "harvest_dates": self.harvest_dates,
            "harvest_points": self.harvest_points,
            "harvest_sites": self.harvest_sites,
            "sources": self.sources,
            "share": round(self.share, 9),
            "mass_kg": _kg(self.share, mass_kg),
        }


@dataclass
class PopulationShare:
    population: str
    species: str | None
    animals: int = 0
    share: float = 0.0

    def to_json(self, mass_kg: float | None) -> dict[str, Any]:
        return {
            "population": self.population,
            "species": self.species,
            "animals": self.animals,
            "share": round(self.share, 9),
            "mass_kg": _kg(self.share, mass_kg),
        }


@dataclass
class OriginSummary:
    """Shares of `mass_kg` (the traced item's mass) by animal and by population. Sources with no
    commissioning on record make up `untraced_share`. `estimated` when some transformation did not
    record how much of an input it used, and its inputs were weighted equally."""

    mass_kg: float | None
    animals: list[AnimalShare]
    populations: list[PopulationShare]
    untraced_share: float
    estimated: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "mass_kg": self.mass_kg,
            "estimated": self.estimated,
            "animals": [a.to_json(self.mass_kg) for a in self.animals],
            "populations": [p.to_json(self.mass_kg) for p in self.populations],
            "untraced_share": round(self.untraced_share, 9),
            "untraced_mass_kg": _kg(self.untraced_share, self.mass_kg),
        }


def _add(values: list[str], value: Any) -> None:
    if value is not None and str(value) not in values:
        values.append(str(value))


def summarise(sources: Sequence[Source], mass_kg: float | None, estimated: bool) -> OriginSummary:
    animals: dict[str, AnimalShare] = {}
    untraced = 0.0
    for source in sources:
        share = source.share or 0.0
        if source.origin is None:
            untraced += share
            continue
        ilmd = source.origin.fields
        animal_id = ilmd.get("animalID")
        group = f"animal:{animal_id}" if animal_id is not None else f"item:{source.key}"
        animal = animals.get(group)
        if animal is None:
            species, population, sex = ilmd.get("species"), ilmd.get("population"), ilmd.get("sex")
            animal = animals[group] = AnimalShare(
                str(animal_id) if animal_id is not None else None,
                str(species) if species is not None else None,
                str(population) if population is not None else None,
                str(sex) if sex is not None else None,
            )
        animal.share += share
        animal.sources.append(source.key)
        _add(animal.harvest_dates, ilmd.get("harvestDate") or source.origin.event_time.date().isoformat())
        _add(animal.harvest_points, ilmd.get("harvestPoint"))
        _add(animal.harvest_sites, source.origin.location)
    populations: dict[tuple[str, str | None], PopulationShare] = {}
    for animal in animals.values():
        name = animal.population or NO_POPULATION
        population = populations.setdefault((name, animal.species), PopulationShare(name, animal.species))
        population.share += animal.share
        population.animals += 1 if animal.animal_id is not None else 0
    ordered = sorted(animals.values(), key=lambda a: (-a.share, a.animal_id or "", a.sources[0]))
    by_share = sorted(populations.values(), key=lambda p: (-p.share, p.population))
    return OriginSummary(mass_kg, ordered, by_share, untraced, estimated)
