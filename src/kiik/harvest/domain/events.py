"""Harvest records as EPCIS events: one commissioning ObjectEvent per marked horn, the origin in ILMD.

Field sheets (`kiik harvest import`) and generated seasons (`kiik demo`) both build their events
here, so that every harvest reaches the registry in one shape. The events are deterministic (no
eventID, no clock): the same horn recorded twice gives the same event, which capture stores once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import MICROCHIP_URN
from kiik.harvest.domain.authorisations import SAIGA, authorisation_urn
from kiik.harvest.domain.geo import Point

WHOLE_HORN = "whole_horn"


@dataclass(frozen=True)
class HarvestedAnimal:
    """One culled animal as the harvest team recorded it."""

    animal_id: str
    sex: str  # male / female (a female's horn is refused by the harvest rule)
    age_class: str | None  # juvenile / subadult / adult
    harvested_at: datetime  # aware: its offset is kept as the event's time zone
    point: Point
    authorisation: str  # number (KZ-2025-URL-001) or URN
    population: str | None = None
    species: str = SAIGA


@dataclass(frozen=True)
class MarkedHorn:
    """A horn and its marks: a GS1 code (DataMatrix) and/or an ISO 11784 microchip."""

    mass_kg: float
    length_cm: float | None = None
    code: str | None = None  # the registry key of its DataMatrix (an SGTIN), when marked with one
    microchip: str | None = None  # 15 digits
    side: str | None = None  # left / right

    @property
    def epc(self) -> str:
        """The code the horn is registered under: its DataMatrix, else its microchip."""
        if self.code:
            return self.code
        if self.microchip:
            return MICROCHIP_URN + self.microchip
        raise ValueError("a marked horn needs a DataMatrix code or a microchip number")


def harvest_event(animal: HarvestedAnimal, horn: MarkedHorn, site: str | None) -> dict[str, Any]:
    """The commissioning of one horn, where `site` (SGLN) is where the team keeps it."""
    origin: dict[str, Any] = {
        "species": animal.species,
        "population": animal.population,
        "animalID": animal.animal_id,
        "sex": animal.sex,
        "ageClass": animal.age_class,
        "harvestDate": animal.harvested_at.date().isoformat(),
        "harvestPoint": animal.point.text(),
        "harvestAuthorisation": authorisation_urn(animal.authorisation),
        "massKg": horn.mass_kg,
        "lengthCm": horn.length_cm,
        "productType": WHOLE_HORN,
        "hornSide": horn.side,
        # A horn carrying both marks is registered by its DataMatrix; the chip travels with it.
        "microchip": horn.microchip if horn.code else None,
    }
    return build.commissioning([horn.epc], animal.harvested_at, site, ilmd=origin)


def harvest_events(
    records: Iterable[tuple[HarvestedAnimal, Sequence[MarkedHorn]]], site: str | None
) -> list[dict[str, Any]]:
    """One event per horn, animal by animal, in the order given."""
    return [harvest_event(animal, horn, site) for animal, horns in records for horn in horns]
