"""The running totals the dashboard and the stock report read (`item_totals`, `harvest_totals`,
kept by the triggers of migration 0021) stay equal to a full recount of the items and harvested
horns, whatever writes them: captures under a harvest authorisation, shipments, processing, a
correction, a removal, horns counted again, the demo season (field sheets, seizures, exports,
partner notices); and under two writers at once on PostgreSQL, nothing is lost."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, text

from kiik.bootstrap.migrate import alembic_config, upgrade
from kiik.bootstrap.registry import Registry
from kiik.custody.domain.state import ItemState, Status
from kiik.custody.services.overview import overview
from kiik.custody.services.stock import stock_report
from kiik.demo.cast import load_demo
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of
from kiik.harvest.services.running_totals import recount_figures
from tests.support.processing_season import HORNS, MASSES, POWDER, Season, at, harvested
from tests.support.world import make_world


def right(registry: Registry) -> None:
    differences = recount_figures(registry.uow())
    assert differences == [], [d.describe() for d in differences]


def held(season: Season, who: str) -> dict[str, tuple[int, float]]:
    """(items or lots, kg) per status that `who` holds, from the stock report (the totals)."""
    report = stock_report(season.registry.uow(), season.world[who].principal, statuses=["all"])
    found: dict[str, tuple[int, float]] = {}
    for h in report.holdings:
        count, kg = found.get(h.status, (0, 0.0))
        found[h.status] = (count + h.count, round(kg + h.mass_kg, 6))
    return found


def usage(registry: Registry) -> list[tuple[int, int]]:
    with registry.uow() as uow:
        found: Any = uow
        ids = [a.id for a in found.harvest.authorisations()]
        return sorted(found.harvest.usage(ids).values())


def test_totals_follow_every_kind_of_write_and_equal_a_recount(registry: Registry) -> None:
    season = harvested(registry)  # 6 horns of 3 animals, to the warehouse, 4 on to the plant
    right(registry)
    assert usage(registry) == [(3, 6)]
    assert held(season, "plant") == {"active": (4, round(sum(MASSES[:4]), 6))}
    assert held(season, "warehouse") == {"active": (2, round(sum(MASSES[4:]), 6))}

    # Processing: four horns consumed, one powder lot made.
    plant = season.world["plant"]
    season.ok("plant", [build.transformation(HORNS[:4], [(POWDER, 0.9)], at(12), plant.sgln, "powder")])
    right(registry)
    assert held(season, "plant") == {"active": (1, 0.9), "consumed": (4, round(sum(MASSES[:4]), 6))}

    # A correction: a shipment to the wrong organisation declared erroneous, the right one captured.
    warehouse, harvester = season.world["warehouse"], season.world["harvester"]
    mistaken = build.shipping(HORNS[4:], at(14), warehouse.sgln, warehouse.pgln, harvester.pgln)
    mistaken["eventID"] = "urn:uuid:5a8d3f7e-0000-4000-8000-0000000000a1"
    season.ok("warehouse", [mistaken])
    assert held(season, "warehouse") == {"in_transit": (2, round(sum(MASSES[4:]), 6))}
    declaration = dict(
        mistaken, errorDeclaration={"declarationTime": "2025-09-27T10:00:00Z", "reason": "incorrect_data"}
    )
    fixed = build.shipping(
        HORNS[4:], at(14) + timedelta(minutes=5), warehouse.sgln, warehouse.pgln, plant.pgln
    )
    season.ok("warehouse", [declaration, fixed])
    right(registry)
    season.ok("plant", [build.receiving(HORNS[4:], at(15), plant.sgln)])
    right(registry)
    assert held(season, "warehouse") == {}
    assert held(season, "plant")["active"] == (3, round(0.9 + sum(MASSES[4:]), 6))

    # A state removed and a horn counted again (what a commissioning's correction does).
    with registry.uow() as uow:
        stores: Any = uow
        stores.items.remove([key_of(HORNS[5])])
        stores.harvest.record_horns([], replaced=[key_of(HORNS[5])])
        uow.commit()
    right(registry)
    assert usage(registry) == [(3, 5)]  # the third animal keeps its other horn
    with registry.uow() as uow:
        stores = uow
        stores.harvest.record_horns([], replaced=[key_of(HORNS[4])])
        uow.commit()
    right(registry)
    assert usage(registry) == [(2, 4)]

    # The first page's figures are the totals' too.
    ministry = season.world["ministry"].principal
    summary = overview(registry.uow(), ministry)
    with registry.engine.connect() as connection:
        assert summary.event_count == connection.scalar(text("SELECT count(*) FROM events")) > 0
    by_status = {s.status: (s.count, round(s.mass_kg, 6)) for s in summary.items_by_status}
    assert by_status == {"active": (2, round(0.9 + MASSES[4], 6)), "consumed": (4, round(sum(MASSES[:4]), 6))}


def test_a_total_changed_by_hand_is_found_and_repaired(registry: Registry) -> None:
    season = harvested(registry, to_plant=0)
    with registry.engine.begin() as connection:
        connection.execute(
            text("UPDATE item_totals SET item_count = item_count + 5 WHERE holder_org_id = :held"),
            {"held": season.world["warehouse"].org_id},
        )
        connection.execute(text("UPDATE harvest_totals SET animals = 7"))
    found = recount_figures(registry.uow())
    assert sorted((d.table, d.kept, d.counted) for d in found) == [
        ("harvest_totals", (7, 6), (3, 6)),
        ("item_totals", (11, round(sum(MASSES) * 1e9)), (6, round(sum(MASSES) * 1e9))),
    ]
    assert held(season, "warehouse")["active"][0] == 11  # what the page would show
    assert recount_figures(registry.uow(), repair=True) == found
    right(registry)
    assert held(season, "warehouse") == {"active": (6, round(sum(MASSES), 6))}


def test_the_migration_fills_the_totals_from_the_rows_there(registry: Registry) -> None:
    """Migration 0021 taken back (triggers and totals dropped) and made again over a season."""
    season = harvested(registry)
    config = alembic_config(registry.engine)
    with registry.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0020")
        assert "item_totals" not in inspect(connection).get_table_names()
    upgrade(registry.engine)
    right(registry)
    assert usage(registry) == [(3, 6)]
    assert held(season, "plant") == {"active": (4, round(sum(MASSES[:4]), 6))}
    season.ship("plant", "warehouse", HORNS[:1], 20)  # and the triggers are back
    right(registry)
    assert held(season, "plant") == {"active": (3, round(sum(MASSES[1:4]), 6))}


def test_the_demo_season_keeps_its_totals_right(registry: Registry) -> None:
    load_demo(
        registry.uow,
        open_capture_document,
        custody_rules=True,
        yields=registry.settings.yields,
        horns=60,
        seed=3,
    )
    right(registry)
    with registry.engine.connect() as connection:
        statuses = set(
            connection.scalars(text("SELECT DISTINCT status FROM item_totals WHERE item_count <> 0"))
        )
    assert {"active", "consumed", "seized"} <= statuses


def _states(prefix: str, holder: int, site: str, n: int) -> list[ItemState]:
    return [
        ItemState(
            key=f"{prefix}-{i}",
            is_class=False,
            holder=holder,
            site=site,
            status=Status.ACTIVE,
            mass_kg=0.25,
            product_type="whole_horn",
            species="Saiga tatarica",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_writers_at_once_lose_nothing(registry: Registry) -> None:
    """Two transactions at the same moment, five times: each moves 20 of its own items from one
    holder to the other (the first from the warehouse to the plant, the second back) and adds 5
    more. Both change the same two rows of the totals; the second waits for the first's, the rows
    taken in key order by both, so neither deadlocks nor loses an update. SQLite has one writer,
    so the race is PostgreSQL's."""
    world = make_world(registry)
    a, b = world["warehouse"], world["plant"]
    with registry.uow() as uow:
        stores: Any = uow
        stores.items.save(_states("urn:a", a.org_id, a.sgln, 100) + _states("urn:b", b.org_id, b.sgln, 100))
        uow.commit()
    start = threading.Barrier(2, timeout=30)
    failures: list[BaseException] = []

    def write(mine: str, to: Any, round_: int) -> None:
        try:
            with registry.uow() as uow:
                stores: Any = uow
                keys = [f"{mine}-{i}" for i in range(round_ * 20, round_ * 20 + 20)]
                moved = [
                    s.with_changes(holder=to.org_id, site=to.sgln) for s in stores.items.load(keys).values()
                ]
                start.wait()
                stores.items.save(moved, new_keys=set())
                stores.items.save(_states(f"{mine}-new-{round_}", to.org_id, to.sgln, 5), new_keys=None)
                uow.commit()
        except BaseException as exc:  # reported below, with the deadlock or the error it was
            failures.append(exc)

    for round_ in range(5):
        writers = [
            threading.Thread(target=write, args=("urn:a", b, round_)),
            threading.Thread(target=write, args=("urn:b", a, round_)),
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(60)
        assert not any(w.is_alive() for w in writers)
    assert failures == []
    right(registry)
    # Each holder: 100 - 5 x 20 moved away + 5 x 20 moved in + 5 x 5 added by the other's writer.
    for member in (a, b):
        report = stock_report(registry.uow(), member.principal, statuses=["all"])
        assert sum(h.count for h in report.holdings) == 125
        assert round(sum(h.mass_kg for h in report.holdings), 6) == 31.25
