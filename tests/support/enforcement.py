"""A registry with a small season, and seizures built for enforcement tests (tests only)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import Role
from kiik.enforcement.domain.cases import NewCase
from kiik.enforcement.domain.seizure import NewSeizure, Route, RouteCountry, Specimen
from kiik.enforcement.services.alerts import list_alerts
from kiik.enforcement.services.cases import open_case
from kiik.enforcement.services.regions import set_region
from kiik.enforcement.services.rehabilitation import admit_animals
from kiik.enforcement.services.seizures import record_seizure
from kiik.species.services.register import seed_register
from tests.support.season import Season, small_season
from tests.support.world import Member, make_world

SAIGA = "Saiga tatarica"
TORTOISE = "Testudo horsfieldii"
NEVER_ISSUED = "urn:epc:id:sgtin:4870002.000001.99999"
KYRGYZ_CODE = "urn:epc:id:sgtin:4700002.000001.5"


@dataclass
class EnforcementWorld:
    registry: Registry
    world: dict[str, Member]
    season: Season


def enforcement_world(registry: Registry) -> EnforcementWorld:
    world = make_world(registry)
    seed_register(registry.uow(), quotas=False)
    season = small_season(registry, world, lot_count=1)
    ministry = replace(world["ministry"].principal, role=Role.ADMIN)
    set_region(registry.uow(), ministry, "trader", "West Kazakhstan")
    set_region(registry.uow(), ministry, "inspector", "West Kazakhstan")
    return EnforcementWorld(registry, world, season)


def horn_seizure(reference: str, codes: list[str], pieces: int, **changes: object) -> NewSeizure:
    seizure = NewSeizure(
        reference=reference,
        seized_on=date(2026, 10, 1),
        agency="State Revenue Committee, customs",
        detection_method="x-ray",
        species=SAIGA,
        specimens=(Specimen("HOR", pieces, "NAR", tuple(codes)),),
        region="West Kazakhstan",
        place="Zhaisan border post",
        latitude=50.1,
        longitude=51.2,
        route=Route(
            RouteCountry("KZ", True), RouteCountry("KZ", True), (RouteCountry("KG"),), RouteCountry("CN")
        ),
        transport_mode="road",
        concealment="false floor of a lorry",
        offenders=2,
        offender_nationalities=("KZ", "KG"),
    )
    return replace(seizure, **changes)  # type: ignore[arg-type]


def enforcement_objects(registry: Registry, world: dict[str, Member], trader_horn: str) -> dict[str, str]:
    """The access world's enforcement objects: a seizure of the trader's horn with its alert, a
    seizure of live tortoises with one animal in rehabilitation, and a case."""
    ministry = replace(world["ministry"].principal, role=Role.ADMIN)
    set_region(registry.uow(), ministry, "trader", "West Kazakhstan")
    set_region(registry.uow(), ministry, "inspector", "West Kazakhstan")
    customs, inspector = world["customs"].principal, world["inspector"].principal
    record_seizure(
        registry.uow(), customs, horn_seizure("MATRIX-1", [trader_horn], 1, seized_on=date(2026, 1, 2))
    )
    tortoises = replace(
        horn_seizure("MATRIX-T", [], 1, seized_on=date(2026, 1, 2)),
        species=TORTOISE,
        specimens=(Specimen("LIV", 5, "NAR"),),
    )
    record_seizure(registry.uow(), inspector, tortoises)
    admit_animals(registry.uow(), inspector, "MATRIX-T", ["MATRIX-T1"], "Matrix centre", date(2026, 1, 2))
    open_case(registry.uow(), inspector, NewCase("339-MATRIX", "1", date(2026, 1, 2), 1, (), ("MATRIX-T",)))
    [alert] = list_alerts(registry.uow(), world["ministry"].principal)
    return {
        "seizure": "MATRIX-1",
        "tortoises": "MATRIX-T",
        "rehab-animal": "MATRIX-T1",
        "case": "339-MATRIX",
        "alert": str(alert["id"]),
    }
