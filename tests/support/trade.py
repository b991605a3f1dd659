"""A small meat chain for tests: a cull, a delivery to the plant, a processing run, two shops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation, add_site
from kiik.species.services.register import seed_register
from kiik.trade.domain.meat import LotPlan
from kiik.trade.services.culls import DeliverCarcasses, RegisterCull, deliver_carcasses, register_cull
from kiik.trade.services.meat_lots import Process, process, receive_lot
from tests.support.world import Member, make_world

CARCASS_GTIN = "04870002000201"  # the team's GTIN for a saiga carcass
CUTS_GTIN = "04870004000308"  # the plant's GTIN for saiga meat cuts, 0.5 kg packs
CULL = "CULL-2025-URL-01"


def gtin(body: str) -> str:
    from kiik.epcis.domain.gs1_keys import with_check_digit

    return with_check_digit(body)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class MeatWorld:
    registry: Registry
    world: dict[str, Member]
    shops: dict[str, Principal]
    carcasses: str = ""

    def principal(self, code: str) -> Principal:
        return self.shops[code] if code in self.shops else self.world[code].principal

    @property
    def yields(self) -> dict[str, float]:
        return self.registry.settings.yields


def add_shop(registry: Registry, code: str, name: str, company: str) -> Principal:
    org_id = add_organisation(registry.uow(), code, name, "trader", pgln=f"urn:epc:id:pgln:{company}.00000")
    add_site(registry.uow(), code, f"urn:epc:id:sgln:{company}.00000.0", f"{name}, shop")
    return Principal(org_id, code, name, OrgKind.TRADER, Role.OPERATOR)


def meat_world(registry: Registry, *, animals: int = 400) -> MeatWorld:
    world = make_world(registry)
    seed_register(registry.uow())
    shops = {
        "wholesaler": add_shop(registry, "wholesaler", "Dala Meat Wholesale LLP", "4870011"),
        "shop-oral": add_shop(registry, "shop-oral", "Magnum shop, Oral", "4870012"),
        "shop-astana": add_shop(registry, "shop-astana", "Small shop, Astana", "4870013"),
    }
    register_cull(
        registry.uow(),
        world["ministry"].principal,
        RegisterCull(
            CULL,
            "Ural",
            "West Kazakhstan, hunting grounds 1-4",
            date(2025, 7, 1),
            date(2025, 11, 30),
            "KZ-2025-URL-CULL",
            animals,
            "harvester",
        ),
    )
    return MeatWorld(registry, world, shops)


def deliver(meat: MeatWorld, batch: str, carcasses: int, kg: float, day: date = date(2025, 8, 5)) -> str:
    key = deliver_carcasses(
        meat.registry.uow(),
        meat.world["harvester"].principal,
        DeliverCarcasses(CULL, CARCASS_GTIN, batch, carcasses, kg, "plant", at(day)),
        meat.yields,
    )
    receive_lot(meat.registry.uow(), meat.world["plant"].principal, key, at(day, 16), meat.yields)
    return key


def make_cuts(meat: MeatWorld, inputs: list[tuple[str, float]], lots: list[tuple[str, int]]) -> list[str]:
    plans = tuple(LotPlan(batch, packs, 0.5, date(2025, 9, 30)) for batch, packs in lots)
    return process(
        meat.registry.uow(),
        meat.world["plant"].principal,
        Process("meat_cuts", CUTS_GTIN, "VET-KZ-2025-0815", tuple(inputs), plans, at(date(2025, 8, 6))),
        meat.yields,
    )


def meat_lot_of_the_plant(registry: Registry, world: dict[str, Member]) -> tuple[str, str]:
    """In an existing world: a cull of the harvester team, a delivery to the plant, one lot the plant
    holds. Returns the cull's number and the lot's code."""
    seed_register(registry.uow())
    number = "CULL-2025-URL-MATRIX"
    register_cull(
        registry.uow(),
        world["ministry"].principal,
        RegisterCull(
            number,
            "Ural",
            "hunting grounds 9",
            date(2025, 7, 1),
            date(2025, 11, 30),
            "KZ-2025-URL-CULL",
            50,
            "harvester",
        ),
    )
    yields = registry.settings.yields
    batch = deliver_carcasses(
        registry.uow(),
        world["harvester"].principal,
        DeliverCarcasses(number, CARCASS_GTIN, "DM1", 10, 150.0, "plant", at(date(2025, 8, 1))),
        yields,
    )
    receive_lot(registry.uow(), world["plant"].principal, batch, at(date(2025, 8, 1), 16), yields)
    plans = (LotPlan("LM1", 100, 0.5, date(2028, 1, 1)),)
    command = Process("canned_meat", CUTS_GTIN, "VET-M", ((batch, 100.0),), plans, at(date(2025, 8, 2)))
    [lot] = process(registry.uow(), world["plant"].principal, command, yields)
    return number, lot
