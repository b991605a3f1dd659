"""A small season for processing, lineage and stock tests, captured through the real path.

Three male saigas of the Ural population, two horns each, harvested under an authorisation, taken to
the warehouse; the first two animals' horns go on to the plant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from kiik.bootstrap.registry import Registry
from kiik.custody.services.capture import CaptureOutcome
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of
from tests.support.documents import capture, rules_of
from tests.support.harvest import authorised_origin
from tests.support.world import Member, make_world

T0 = datetime(2025, 9, 12, 8, 0, tzinfo=UTC)
HORNS = [f"urn:epc:id:sgtin:4870002.000001.{n}" for n in range(1, 7)]
MASSES = [0.30, 0.26, 0.28, 0.24, 0.25, 0.27]
ANIMALS = ["URL-2025-001", "URL-2025-001", "URL-2025-002", "URL-2025-002", "URL-2025-003", "URL-2025-003"]
POWDER = "urn:epc:class:lgtin:4870004.000002.PWD-1"


def lot(name: str) -> str:
    return f"urn:epc:class:lgtin:4870004.000002.{name}"


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


@dataclass
class Season:
    registry: Registry
    world: dict[str, Member]
    event_ids: dict[str, str] = field(default_factory=dict)

    def capture(self, who: str, events: list[dict[str, Any]]) -> CaptureOutcome:
        return capture(self.registry, self.world[who].principal, events)

    def ok(self, who: str, events: list[dict[str, Any]]) -> None:
        outcome = self.capture(who, events)
        assert outcome.succeeded, outcome.errors

    def refused(self, who: str, events: list[dict[str, Any]]) -> list[str]:
        outcome = self.capture(who, events)
        assert not outcome.succeeded
        return rules_of(outcome)

    def site(self, who: str) -> str:
        return self.world[who].sgln

    def ship(self, source: str, destination: str, epcs: list[str], days: float, lots: Any = ()) -> None:
        src, dst = self.world[source], self.world[destination]
        shipped = build.shipping(epcs, at(days), src.sgln, src.pgln, dst.pgln)
        received = build.receiving(epcs, at(days + 0.5), dst.sgln)
        if lots:
            lines = [{"epcClass": code, "quantity": kg, "uom": "KGM"} for code, kg in lots]
            shipped["quantityList"] = received["quantityList"] = lines
        self.ok(source, [shipped])
        self.ok(destination, [received])


def harvested(registry: Registry, *, to_plant: int = 4) -> Season:
    world = make_world(registry)
    season = Season(registry, world)
    origin = authorised_origin(registry, world)
    events = []
    for n, (horn, mass, animal) in enumerate(zip(HORNS, MASSES, ANIMALS, strict=True)):
        ilmd = {
            **origin,
            "animalID": animal,
            "massKg": mass,
            "productType": "whole_horn",
            "harvestDate": "2025-09-12",
        }
        event = build.commissioning(
            [horn], T0 + timedelta(minutes=10 * n), season.site("harvester"), ilmd=ilmd
        )
        event["eventID"] = f"urn:uuid:7d1c2a51-9d5e-4d3a-8f0e-3c2b1a00000{n + 1}"
        season.event_ids[key_of(horn)] = event["eventID"]
        events.append(event)
    season.ok("harvester", events)
    season.ship("harvester", "warehouse", HORNS, 2)
    if to_plant:
        season.ship("warehouse", "plant", HORNS[:to_plant], 10)
    return season
