"""The demo season's wrongdoing: a border seizure and five laundering attempts the registry refuses.

Each attempt is a document a dishonest operator might send. kiik refuses it whole and the refusal
stays on record as a failed capture job (`GET /epcis/capture/{id}` shows the rule and the reason).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from kiik.demo.capture import Irregularity, SeasonCapture
from kiik.demo.plan import HornRecord, TeamPlan, harvest_records, main_site, outside
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.identifiers import canonical_key
from kiik.epcis.domain.vocabulary import BIZSTEP_SEIZING, DISPOSITION_SEIZED
from kiik.harvest.domain.authorisations import KAZAKHSTAN_TIME
from kiik.harvest.domain.events import HarvestedAnimal, MarkedHorn, harvest_event
from kiik.harvest.domain.populations import population_range

CUSTOMS = ("kz-customs", "4870006")
# Codes that no organisation was ever issued: horns smuggled under made-up labels.
FORGED = ("urn:epc:id:sgtin:4870099.000001.77", "urn:epc:id:sgtin:4870099.000001.78")


class LotLike(Protocol):
    key: str
    plant: str
    horns: list[str]


def seizure(capture: SeasonCapture, horn: str, when: datetime) -> list[Irregularity]:
    """Customs seizes at the border a horn a team never shipped, and two horns with forged codes."""
    code, prefix = CUSTOMS
    event = build.stock_count([horn, *FORGED], when, main_site(prefix))
    event.update(bizStep=BIZSTEP_SEIZING, disposition=DISPOSITION_SEIZED)
    capture.capture("seizures", code, [event])
    return [
        Irregularity(
            "seized_registered_code",
            "customs seized at the border a horn that carries a registry code: it leaked from a harvest "
            "team's legal stock",
            code=horn,
        ),
        Irregularity(
            "seized_unknown_code",
            "customs seized two horns whose codes the registry never issued: no legal origin",
            code=FORGED[0],
        ),
    ]


def laundering_attempts(
    capture: SeasonCapture,
    teams: Sequence[TeamPlan],
    stock: Mapping[str, list[HornRecord]],
    lots: Sequence[LotLike],
    spare: Sequence[str],
) -> list[Irregularity]:
    when = datetime(2026, 2, 2, 10, 0, tzinfo=KAZAKHSTAN_TIME)
    found = [
        _more_out_than_in(capture, spare, when),
        _inputs_already_consumed(capture, lots, when + timedelta(hours=1)),
        _outside_area(capture, teams[-1]),
        _registered_twice(capture, teams[0]),
    ]
    remaining = [h for horns in stock.values() for h in horns]
    if len(remaining) >= 2:
        found.append(
            _received_never_shipped(capture, [h.key for h in remaining[:2]], when + timedelta(hours=2))
        )
    return found


def _more_out_than_in(capture: SeasonCapture, spare: Sequence[str], when: datetime) -> Irregularity:
    site = main_site("4870004")
    lot = "urn:epc:class:lgtin:4870004.000002.PWD-2026-X001"
    event = build.transformation(list(spare[:3]), [(lot, 2.5)], when, site, "powder")
    return capture.attempt(
        "refused_mass_balance",
        "the Oral plant tried to record 2.5 kg of powder from three horns (about 0.8 kg of horn)",
        "oral-plant",
        [event],
    )


def _inputs_already_consumed(capture: SeasonCapture, lots: Sequence[LotLike], when: datetime) -> Irregularity:
    first = lots[0]
    prefix = first.key.split(":")[-1].split(".")[0]
    lot = f"urn:epc:class:lgtin:{prefix}.000003.SLC-2026-X002"
    event = build.transformation(first.horns[:3], [(lot, 0.3)], when, main_site(prefix), "slices")
    return capture.attempt(
        "refused_inputs_consumed",
        f"{first.plant} tried to make a new lot from three horns that lot {first.key} had already consumed",
        first.plant,
        [event],
    )


def _outside_area(capture: SeasonCapture, team: TeamPlan) -> Irregularity:
    rng = random.Random(0)
    animal, horns = next(harvest_records(replace(team, animals=1), rng))
    area = population_range(team.population)
    animal = replace(
        animal, animal_id=f"{team.population.code}-{team.number}-X0001", point=outside(area, team.centre)
    )
    marked = [replace(h, code=team.horn_code(900_001 + n), microchip=None) for n, h in enumerate(horns)]
    events = [harvest_event(animal, horn, main_site(team.prefix)) for horn in marked]
    return capture.attempt(
        "refused_outside_area",
        f"{team.name} tried to register an animal taken at {animal.point.text()}, outside the area of "
        f"its authorisation {team.authorisation}",
        team.code,
        events,
    )


def _registered_twice(capture: SeasonCapture, team: TeamPlan) -> Irregularity:
    rng = random.Random(0)
    animal, horns = next(harvest_records(replace(team, animals=1), rng))
    spelled = canonical_key(team.horn_code(1))  # the same horn, as a GS1 Digital Link
    horn: MarkedHorn = replace(horns[0], code=spelled, microchip=None)
    again: HarvestedAnimal = replace(animal, animal_id=f"{team.population.code}-{team.number}-X0002")
    return capture.attempt(
        "refused_registered_twice",
        f"{team.name} tried to register its horn {team.horn_code(1)} a second time, under its Digital Link "
        f"{spelled}",
        team.code,
        [harvest_event(again, horn, main_site(team.prefix))],
    )


def _received_never_shipped(capture: SeasonCapture, horns: list[str], when: datetime) -> Irregularity:
    event = build.receiving(horns, when, main_site("4870008"))
    return capture.attempt(
        "refused_not_shipped",
        "the Shymkent plant tried to receive two horns that the warehouse never shipped to it",
        "shymkent-plant",
        [event],
    )
