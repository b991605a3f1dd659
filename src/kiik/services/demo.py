"""A small demo registry: the cast of organisations and a few horns from harvest to powder.

Everything goes through the same services users call (organisations, tokens, event capture with
validation and custody rules), so the demo exercises the real path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from kiik.domain import event_builders as build
from kiik.domain.permissions import OrgKind, Principal, Role
from kiik.services.auth import add_organisation, add_site, create_token
from kiik.services.capture import CaptureOutcome, capture_events
from kiik.services.harvest_authorisations import AuthoriseHarvest, authorise_harvest
from kiik.services.ports import UnitOfWork

# (code, name, kind, company prefix); PGLN and main site SGLN are derived from the prefix.
CAST = (
    ("kz-ministry", "Committee of Forestry and Wildlife", OrgKind.MINISTRY, "4870001"),
    ("ural-harvest-1", "Ural harvest team 1", OrgKind.HARVESTER, "4870002"),
    ("almaty-warehouse", "State horn warehouse, Almaty", OrgKind.WAREHOUSE, "4870003"),
    ("oral-plant", "Horn processing plant, Oral", OrgKind.PROCESSOR, "4870004"),
    ("saiga-export", "Saiga Export LLP", OrgKind.TRADER, "4870005"),
    ("kz-customs", "State Revenue Committee: customs", OrgKind.CUSTOMS, "4870006"),
    ("kz-inspectorate", "Forestry and Wildlife Inspectorate", OrgKind.INSPECTORATE, "4870007"),
)

# Opens a document (bytes) for capture: the EPCIS reader, handed in by the entry point.
DocumentOpener = Callable[[bytes], Any]


@dataclass
class DemoResult:
    created: bool
    tokens: dict[str, str]
    events: int


def pgln(prefix: str) -> str:
    return f"urn:epc:id:pgln:{prefix}.00000"


def main_site(prefix: str) -> str:
    return f"urn:epc:id:sgln:{prefix}.00000.0"


def load_demo(
    uow_factory: Callable[[], UnitOfWork],
    open_document: DocumentOpener,
    *,
    custody_rules: bool,
    yields: dict[str, float],
) -> DemoResult:
    """Load the demo once; on later runs only hand out fresh login tokens."""
    with uow_factory() as uow:
        existing = uow.directory.organisation(CAST[0][0])
    created = existing is None
    events = 0
    if created:
        for code, name, kind, prefix in CAST:
            add_organisation(uow_factory(), code, name, kind.value, pgln(prefix))
            add_site(uow_factory(), code, main_site(prefix), f"{name}: main site")
        events = _season(uow_factory, open_document, custody_rules, yields)
    tokens = {
        code: create_token(uow_factory(), code, "admin", "demo login").token
        for code in ("kz-ministry", "almaty-warehouse", "kz-inspectorate")
    }
    return DemoResult(created, tokens, events)


def _principal(uow_factory: Callable[[], UnitOfWork], code: str) -> Principal:
    with uow_factory() as uow:
        org = uow.directory.organisation(code)
    return Principal(org.id, org.code, org.name, OrgKind(org.kind), Role.OPERATOR)


def _capture(
    uow_factory: Callable[[], UnitOfWork],
    open_document: DocumentOpener,
    code: str,
    events: Sequence[dict[str, Any]],
    custody_rules: bool,
    yields: dict[str, float],
) -> CaptureOutcome:
    reader = open_document(json.dumps(build.document(events)).encode())
    outcome = capture_events(
        uow_factory(),
        _principal(uow_factory, code),
        reader.events(),
        custody_rules=custody_rules,
        yields=yields,
        document_problems=reader.document_problems,
    )
    if not outcome.succeeded:
        raise RuntimeError(f"demo data for {code} was refused: {outcome.errors[:3]}")
    return outcome


def _season(
    uow_factory: Callable[[], UnitOfWork],
    open_document: DocumentOpener,
    rules: bool,
    yields: dict[str, float],
) -> int:
    start = datetime(2025, 9, 12, 7, 30, tzinfo=UTC)
    harvester, warehouse, plant = CAST[1][3], CAST[2][3], CAST[3][3]
    horns = [f"urn:epc:id:sgtin:{harvester}.000001.{n}" for n in range(1, 9)]
    masses = [0.262, 0.248, 0.301, 0.295, 0.274, 0.281, 0.233, 0.240]
    # The ministry authorises the team first: a saiga horn enters the registry only under an authorisation.
    authorisation = authorise_harvest(
        uow_factory(),
        _principal(uow_factory, "kz-ministry"),
        AuthoriseHarvest("ural-harvest-1", "Ural", date(2025, 7, 1), date(2025, 11, 30), 1000),
    ).authorisation.identifier
    harvest = []
    for number, (horn, mass) in enumerate(zip(horns, masses, strict=True)):
        animal = f"URL-2025-{1001 + number // 2}"
        harvest.append(
            build.commissioning(
                [horn],
                start + timedelta(minutes=20 * number),
                main_site(harvester),
                ilmd={
                    "species": "Saiga tatarica",
                    "population": "Ural",
                    "animalID": animal,
                    "sex": "male",
                    "harvestDate": "2025-09-12",
                    "massKg": mass,
                    "productType": "whole_horn",
                    "harvestPoint": "50.95,51.35",
                    "harvestAuthorisation": authorisation,
                },
            )
        )
    lot = f"urn:epc:class:lgtin:{plant}.000002.PWD-2025-001"
    steps = [
        ("ural-harvest-1", harvest),
        (
            "ural-harvest-1",
            [
                build.shipping(
                    horns,
                    start + timedelta(days=2),
                    main_site(harvester),
                    pgln(harvester),
                    pgln(warehouse),
                    main_site(warehouse),
                )
            ],
        ),
        ("almaty-warehouse", [build.receiving(horns, start + timedelta(days=4), main_site(warehouse))]),
        ("almaty-warehouse", [build.stock_count(horns, start + timedelta(days=30), main_site(warehouse))]),
        (
            "almaty-warehouse",
            [
                build.shipping(
                    horns[:4],
                    start + timedelta(days=40),
                    main_site(warehouse),
                    pgln(warehouse),
                    pgln(plant),
                    main_site(plant),
                )
            ],
        ),
        ("oral-plant", [build.receiving(horns[:4], start + timedelta(days=41), main_site(plant))]),
        (
            "oral-plant",
            [
                build.transformation(
                    horns[:4], [(lot, 0.95)], start + timedelta(days=45), main_site(plant), "powder"
                )
            ],
        ),
    ]
    count = 0
    for code, events in steps:
        count += _capture(uow_factory, open_document, code, events, rules, yields).stored
    return count
