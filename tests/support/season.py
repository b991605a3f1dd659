"""A small saiga season built through capture, and the register and quota permits need (tests only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kiik.bootstrap.registry import Registry
from kiik.epcis.domain import event_builders as build
from kiik.species.domain.quotas import Quota
from kiik.species.services.quotas import set_quota
from kiik.species.services.register import seed_register
from tests.support.documents import capture
from tests.support.world import Member

T0 = datetime(2026, 9, 1, 7, 0, tzinfo=UTC)
SAIGA = "Saiga tatarica"


@dataclass
class Season:
    horns: list[str]
    lots: dict[str, float]  # lot key (as captured) -> kg, held by the trader
    trader_horns: list[str]  # whole horns held by the trader


def horn(n: int) -> str:
    return f"urn:epc:id:sgtin:4870002.000001.{n}"


def lot(name: str) -> str:
    return f"urn:epc:class:lgtin:4870004.000002.{name}"


def ok(outcome):  # type: ignore[no-untyped-def]
    assert outcome.succeeded, outcome.errors
    return outcome


def authorise(registry: Registry, world: dict[str, Member], at: datetime = T0) -> str:
    """A harvest authorisation for the harvester in the Ural population around `at`."""
    try:
        from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest
    except ImportError:  # a registry without harvest authorisations
        return "urn:kiik:harvest-authorisation:none"
    start, end = at.date() - timedelta(days=30), at.date() + timedelta(days=60)
    command = AuthoriseHarvest("harvester", "Ural", start, end, 500)
    view = authorise_harvest(registry.uow(), world["ministry"].principal, command)
    return str(view.authorisation.identifier)


def harvest(
    registry: Registry,
    team: Member,
    numbers: list[int],
    authorisation: str,
    mass: float = 0.25,
    at: datetime = T0,
) -> None:
    events = [
        build.commissioning(
            [horn(n)],
            at + timedelta(minutes=i),
            team.sgln,
            ilmd={
                "species": SAIGA,
                "population": "Ural",
                "animalID": f"URL-{(n + 1) // 2}",
                "sex": "male",
                "harvestDate": at.date().isoformat(),
                "massKg": mass,
                "productType": "whole_horn",
                "harvestPoint": "50.95,51.35",
                "harvestAuthorisation": authorisation,
            },
        )
        for i, n in enumerate(numbers)
    ]
    ok(capture(registry, team.principal, events))


def move(registry: Registry, src: Member, dst: Member, keys: list[str], at: datetime) -> None:
    ok(capture(registry, src.principal, [build.shipping(keys, at, src.sgln, src.pgln, dst.pgln, dst.sgln)]))
    ok(capture(registry, dst.principal, [build.receiving(keys, at + timedelta(hours=2), dst.sgln)]))


def move_lots(registry: Registry, src: Member, dst: Member, lots: dict[str, float], at: datetime) -> None:
    quantities = [{"epcClass": k, "quantity": kg, "uom": "KGM"} for k, kg in lots.items()]
    ship = build.shipping([], at, src.sgln, src.pgln, dst.pgln, dst.sgln)
    del ship["epcList"]
    ship["quantityList"] = quantities
    receive = build.receiving([], at + timedelta(hours=2), dst.sgln)
    del receive["epcList"]
    receive["quantityList"] = quantities
    ok(capture(registry, src.principal, [ship]))
    ok(capture(registry, dst.principal, [receive]))


def small_season(registry: Registry, world: dict[str, Member], lot_count: int = 3) -> Season:
    """Eight horns per lot harvested, stored, ground into powder lots and sold to the trader, plus
    two whole horns that go straight to the trader."""
    team, warehouse, plant, trader = world["harvester"], world["warehouse"], world["plant"], world["trader"]
    numbers = list(range(1, 8 * lot_count + 3))
    harvest(registry, team, numbers, authorise(registry, world))
    horns = [horn(n) for n in numbers]
    move(registry, team, warehouse, horns, T0 + timedelta(days=2))
    move(registry, warehouse, plant, horns[:-2], T0 + timedelta(days=5))
    move(registry, warehouse, trader, horns[-2:], T0 + timedelta(days=5))
    lots: dict[str, float] = {}
    for n in range(lot_count):
        key = lot(f"PWD-{n + 1}")
        inputs = horns[8 * n : 8 * n + 8]
        made = build.transformation(
            inputs, [(key, 1.8)], T0 + timedelta(days=8, hours=n), plant.sgln, "powder"
        )
        ok(capture(registry, plant.principal, [made]))
        lots[key] = 1.8
    move_lots(registry, plant, trader, lots, T0 + timedelta(days=10))
    return Season(horns, lots, horns[-2:])


def open_register(registry: Registry, world: dict[str, Member], cap: float = 100.0) -> int:
    """The seeded register plus a quota for this year and the next with `cap` kg (to China or anywhere)."""
    seed_register(registry.uow(), quotas=False)
    year = datetime.now(UTC).year
    view = set_quota(
        registry.uow(),
        world["ministry"].principal,
        Quota(SAIGA, None, "KGM", "W", "T", None, year, year + 1, cap, "test quota"),
    )
    assert view.quota.id is not None
    return view.quota.id
