"""A demo season, recorded through the capture path: harvest, the state warehouse, plants, lots,
stock counts, a pharmacy, and the irregularities the registry must flag.

The steps, in the order of the calendar:

1. the ministry authorises each harvest team (one authorisation per team, its population's range);
2. the teams register every horn (field registration: one commissioning per horn, origin in ILMD)
   and ship them to the state warehouse in Almaty, which receives them;
3. the warehouse counts its stock (and misses three horns: open stock discrepancies);
4. 70% of the horns go to two plants (Ural horns to Oral, the others to Shymkent), which process
   them into lots of powder, slices and shavings (one powder lot close to its yield limit), count
   their stock (one lot weighs less than registered), repack powder into pharmacy packs, sell
   packs to a pharmacy, ship a lot of slices to an exporter and sell it a lot of shavings (of
   powder in a small season);
5. customs seizes at the border a horn that a team never shipped (a registered code: a leak from
   legal stock) with two horns whose codes the registry never issued;
6. five laundering attempts are refused, each recorded as a failed capture job.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kiik.demo.attempts import laundering_attempts, seizure
from kiik.demo.capture import Irregularity, SeasonCapture
from kiik.demo.plan import (
    SEASON_END,
    SEASON_START,
    HornRecord,
    TeamPlan,
    harvest_records,
    main_site,
    pgln,
    plan_teams,
)
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain import event_builders as build
from kiik.harvest.domain.authorisations import KAZAKHSTAN_TIME, Population
from kiik.harvest.domain.events import harvest_event
from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest

WAREHOUSE = ("almaty-warehouse", "4870003")
PLANTS = {"oral-plant": "4870004", "shymkent-plant": "4870008"}
PHARMACY = ("almaty-pharmacy", "4870009")
EXPORTER = ("saiga-export", "4870005")
HARVEST_DOCUMENT = 5000  # horns per field upload
TRUCK = 2500  # horns per shipment
PROCESSED_SHARE = 0.7
PRODUCTS = (
    ("powder", "000002", "PWD", 0.5),
    ("slices", "000003", "SLC", 0.25),
    ("shavings", "000004", "SHV", 0.25),
)
PACK_ITEM_REFERENCE = "000005"
PACKS = 10
SPARE_HORNS = 6  # received by the Oral plant and kept whole (the refused attempts use them)


@dataclass
class Lot:
    key: str
    plant: str
    product: str
    mass_kg: float
    horns: list[str]


@dataclass
class SeasonReport:
    horns: int = 0
    animals: dict[str, int] = field(default_factory=dict)
    teams: int = 0
    lots: dict[str, int] = field(default_factory=dict)
    events: int = 0
    jobs: int = 0
    powder_lot: str | None = None
    export_lot: tuple[str, float] | None = None  # (class key, kg): held by the exporter, for China
    pharmacy_pack: str | None = None
    pharmacy_packs: list[tuple[str, float]] = field(default_factory=list)  # held by the pharmacy
    irregularities: list[Irregularity] = field(default_factory=list)


def at(day: datetime, hours: float = 0.0) -> datetime:
    return day + timedelta(hours=hours)


def day(year: int, month: int, date: int, hour: int = 9) -> datetime:
    return datetime(year, month, date, hour, 0, tzinfo=KAZAKHSTAN_TIME)


class Season:
    def __init__(self, capture: SeasonCapture, ministry: Principal, horns: int, seed: int) -> None:
        self.capture, self.ministry = capture, ministry
        self.rng = random.Random(seed)
        self.teams = plan_teams(horns, self.rng)
        self.report = SeasonReport(teams=len(self.teams))
        self.stock: dict[str, list[HornRecord]] = {}  # team code -> horns, in harvest order
        self.held_back: HornRecord | None = None
        self.lots: list[Lot] = []
        self.spare: list[str] = []

    @property
    def horn_total(self) -> int:
        return 2 * sum(t.animals for t in self.teams)

    def work(self) -> int:
        """The progress bar's total: items named by the season's events, roughly."""
        horns = self.horn_total
        return 4 * horns + 3 * int(PROCESSED_SHARE * horns) + 200

    def run(self) -> SeasonReport:
        self.capture.progress.start(self.work())
        for team in self.teams:
            self.authorise(team)
        for team in self.teams:
            self.harvest(team)
            self.to_warehouse(team)
        missing = self.warehouse_count()
        self.process()
        self.report.irregularities += missing
        self.report.irregularities += self.plant_counts()
        self.pharmacy()
        assert self.held_back is not None
        self.report.irregularities += seizure(self.capture, self.held_back.key, day(2025, 12, 3, 14))
        self.report.irregularities += laundering_attempts(
            self.capture, self.teams, self.stock, self.lots, self.spare
        )
        self.report.horns = self.horn_total
        self.report.events, self.report.jobs = self.capture.stored, self.capture.jobs
        return self.report

    def authorise(self, team: TeamPlan) -> None:
        command = AuthoriseHarvest(
            harvester=team.code,
            population=team.population.value,
            valid_from=SEASON_START,
            valid_to=SEASON_END,
            max_animals=team.animals + 2,
            number=team.authorisation,
        )
        authorise_harvest(self.capture.uow_factory(), self.ministry, command)

    def harvest(self, team: TeamPlan) -> None:
        site = main_site(team.prefix)
        horns: list[HornRecord] = []
        events: list[dict[str, Any]] = []
        for animal, marked in harvest_records(team, self.rng):
            for horn in marked:
                events.append(harvest_event(animal, horn, site))
                horns.append(HornRecord(horn.epc, horn.mass_kg, animal.harvested_at))
            if len(events) >= HARVEST_DOCUMENT:
                self.capture.capture("field registration", team.code, events)
                events = []
        self.capture.capture("field registration", team.code, events)
        name = team.population.value
        self.report.animals[name] = self.report.animals.get(name, 0) + team.animals
        if self.held_back is None:
            # The team's last horn never reaches the warehouse: customs will seize it at the border.
            self.held_back = horns.pop()
        self.stock[team.code] = horns

    def to_warehouse(self, team: TeamPlan) -> None:
        code, prefix = WAREHOUSE
        horns = self.stock[team.code]
        shipments, receipts = [], []
        for start in range(0, len(horns), TRUCK):
            batch = horns[start : start + TRUCK]
            shipped = at(batch[-1].harvested_at.replace(hour=9, minute=0), 24)
            keys = [h.key for h in batch]
            shipments.append(
                build.shipping(
                    keys, shipped, main_site(team.prefix), pgln(team.prefix), pgln(prefix), main_site(prefix)
                )
            )
            receipts.append(build.receiving(keys, at(shipped, 50), main_site(prefix)))
        self.capture.capture("shipping to the warehouse", team.code, shipments)
        self.capture.capture("receiving at the warehouse", code, receipts)

    def warehouse_count(self) -> list[Irregularity]:
        """A complete stock count at the warehouse that misses three horns."""
        code, prefix = WAREHOUSE
        everything = [h.key for horns in self.stock.values() for h in horns]
        missed = sorted(self.rng.sample(everything, 3))
        listed = sorted(set(everything) - set(missed))
        count = {
            **build.stock_count(listed, day(2025, 12, 2, 10), main_site(prefix)),
            "bizStep": "stock_taking",
        }
        self.capture.capture("stock count at the warehouse", code, [count])
        for horns in self.stock.values():
            horns[:] = [h for h in horns if h.key not in set(missed)]
        return [
            Irregularity(
                "stock_not_found",
                f"the warehouse's stock count of 2 December 2025 did not find {len(missed)} horns "
                "registered there",
                code=missed[0],
            )
        ]

    def process(self) -> None:
        plants: dict[str, list[HornRecord]] = {plant: [] for plant in PLANTS}
        for team in self.teams:
            horns = self.stock[team.code]
            share = int(len(horns) * PROCESSED_SHARE)
            plant = "oral-plant" if team.population is Population.URAL else "shymkent-plant"
            plants[plant] += horns[:share]
            self.stock[team.code] = horns[share:]
        spare_team = self.teams[0].code
        spare = self.stock[spare_team][-SPARE_HORNS:]
        self.stock[spare_team] = self.stock[spare_team][:-SPARE_HORNS]
        self.spare = [h.key for h in spare]
        for n, (plant, horns) in enumerate(plants.items()):
            extra = spare if plant == "oral-plant" else []
            self.to_plant(plant, [h.key for h in horns + extra], day(2025, 12, 5 + n))
            self.transform(plant, horns, day(2025, 12, 10 + n))

    def to_plant(self, plant: str, keys: list[str], when: datetime) -> None:
        code, prefix = WAREHOUSE
        to = PLANTS[plant]
        shipments, receipts = [], []
        for n, start in enumerate(range(0, len(keys), TRUCK)):
            batch = keys[start : start + TRUCK]
            shipped = at(when, n)
            shipments.append(
                build.shipping(batch, shipped, main_site(prefix), pgln(prefix), pgln(to), main_site(to))
            )
            receipts.append(build.receiving(batch, at(shipped, 26), main_site(to)))
        self.capture.capture("shipping to the plants", code, shipments)
        self.capture.capture("receiving at the plants", plant, receipts)

    def transform(self, plant: str, horns: list[HornRecord], when: datetime) -> None:
        prefix = PLANTS[plant]
        size = max(4, min(300, len(horns) // 10))
        events = []
        serials: dict[str, int] = {}
        for n, start in enumerate(range(0, len(horns), size)):
            batch = horns[start : start + size]
            if len(batch) < 2:
                continue
            product, reference, tag, _ = self.product(n)
            serials[tag] = serials.get(tag, 0) + 1
            key = f"urn:epc:class:lgtin:{prefix}.{reference}.{tag}-2025-{serials[tag]:04d}"
            limit = self.capture.yields.get(product, 1.0)
            near_limit = plant == "oral-plant" and product == "powder" and serials[tag] == 2
            factor = 0.995 if near_limit else self.rng.uniform(0.86, 0.96)
            mass = round(sum(h.mass_kg for h in batch) * limit * factor, 3)
            keys = [h.key for h in batch]
            events.append(build.transformation(keys, [(key, mass)], at(when, n), main_site(prefix), product))
            self.lots.append(Lot(key, plant, product, mass, keys))
            self.report.lots[product] = self.report.lots.get(product, 0) + 1
            if near_limit:
                self.report.irregularities.append(
                    Irregularity(
                        "near_yield_limit",
                        f"a {product} lot of the Oral plant weighs 99.5% of what its horns allow at the "
                        f"{limit:.0%} yield limit",
                        code=key,
                    )
                )
        self.capture.capture("processing into lots", plant, events)

    def product(self, n: int) -> tuple[str, str, str, float]:
        if n < 2:
            return PRODUCTS[0]  # every plant starts with powder: the demo's pharmacy packs need it
        return self.rng.choices(PRODUCTS, weights=[p[3] for p in PRODUCTS])[0]

    def plant_counts(self) -> list[Irregularity]:
        """Each plant counts its stock; one lot weighs 4.5% less than registered."""
        found: list[Irregularity] = []
        for n, plant in enumerate(PLANTS):
            lots = [lot for lot in self.lots if lot.plant == plant]
            lines = []
            for lot in lots:
                weighed = lot.mass_kg
                if not found and lot.product != "powder":
                    weighed = round(lot.mass_kg * 0.955, 3)
                    found.append(
                        Irregularity(
                            "stock_mass_difference",
                            f"the {lot.product} lot weighed {weighed:g} kg at the plant's stock count, "
                            f"{lot.mass_kg:g} kg are registered",
                            code=lot.key,
                        )
                    )
                lines.append({"epcClass": lot.key, "quantity": weighed, "uom": "KGM"})
            horns = self.spare if plant == "oral-plant" else []
            count = build.stock_count(horns, day(2026, 1, 10 + n), main_site(PLANTS[plant]))
            count.update(bizStep="stock_taking", quantityList=lines)
            if not horns:
                del count["epcList"]
            self.capture.capture("stock counts at the plants", plant, [count])
        return found

    def pharmacy(self) -> None:
        """Powder repacked into pharmacy packs; packs sold to a pharmacy; slices shipped to an exporter."""
        plant, prefix = "oral-plant", PLANTS["oral-plant"]
        powder = next(lot for lot in self.lots if lot.plant == plant and lot.product == "powder")
        used = round(min(1.0, powder.mass_kg / 2), 3)
        each = round(used / PACKS - 0.0005, 3)
        lot_name = powder.key.rsplit(".", 1)[-1]
        packs = [
            (
                f"urn:epc:class:lgtin:{prefix}.{PACK_ITEM_REFERENCE}.{lot_name}-P{n:02d}",
                each,
            )
            for n in range(1, PACKS + 1)
        ]
        repack = build.transformation(
            [], packs, day(2026, 1, 15), main_site(prefix), "powder", input_quantities=[(powder.key, used)]
        )
        repack["bizStep"] = "repackaging"
        self.capture.capture("repacking for pharmacies", plant, [repack])
        self.report.powder_lot, self.report.pharmacy_pack = powder.key, packs[0][0]
        self.report.pharmacy_packs = packs[: PACKS // 2]
        to, to_prefix = PHARMACY
        lines = [{"epcClass": key, "quantity": kg, "uom": "KGM"} for key, kg in packs[: PACKS // 2]]
        self.move_lots(plant, prefix, to, to_prefix, lines, day(2026, 1, 20), received=True)
        slices = [lot for lot in self.lots if lot.plant == plant and lot.product == "slices"][:1]
        if slices:
            lines = [{"epcClass": slices[0].key, "quantity": slices[0].mass_kg, "uom": "KGM"}]
            self.move_lots(plant, prefix, EXPORTER[0], EXPORTER[1], lines, day(2026, 1, 25), received=False)
        self.to_exporter()

    def to_exporter(self) -> None:
        """A lot sold by the Shymkent plant to the exporter, who receives it (and applies for an
        export permit to China: `kiik.demo.china_export`): shavings, or powder in a small season."""
        plant = "shymkent-plant"
        preferred = ("shavings", "slices", "powder")
        made = sorted(
            (lot for lot in self.lots if lot.plant == plant), key=lambda lot: preferred.index(lot.product)
        )
        if not made:
            return
        lot = made[0]
        lines = [{"epcClass": lot.key, "quantity": lot.mass_kg, "uom": "KGM"}]
        self.move_lots(plant, PLANTS[plant], EXPORTER[0], EXPORTER[1], lines, day(2026, 2, 2), received=True)
        self.report.export_lot = (lot.key, lot.mass_kg)

    def move_lots(
        self,
        org: str,
        prefix: str,
        to: str,
        to_prefix: str,
        lines: Sequence[Mapping[str, Any]],
        when: datetime,
        received: bool,
    ) -> None:
        ship = build.shipping(
            [], when, main_site(prefix), pgln(prefix), pgln(to_prefix), main_site(to_prefix)
        )
        del ship["epcList"]
        ship["quantityList"] = [dict(line) for line in lines]
        self.capture.capture("sales", org, [ship])
        if received:
            receive = build.receiving([], at(when, 20), main_site(to_prefix))
            del receive["epcList"]
            receive["quantityList"] = [dict(line) for line in lines]
            self.capture.capture("sales", to, [receive])
