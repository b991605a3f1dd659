"""Stock on SQLite and PostgreSQL: holdings by organisation and site, stock counts and the
discrepancies they record, open until an event resolves them."""

from __future__ import annotations

import pytest

from kiik.bootstrap.registry import Registry
from kiik.custody.domain import processing_events as process
from kiik.custody.services.stock import InvalidSetting, list_discrepancies, set_mass_tolerance, stock_report
from kiik.directory.domain.permissions import NotAllowed
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of
from kiik.epcis.domain.vocabulary import BIZSTEP_SEIZING, DISPOSITION_SEIZED
from kiik.errors import NotFound, QueryError
from tests.support.harvest import ministry
from tests.support.processing_season import HORNS, MASSES, POWDER, Season, at, harvested

SMUGGLED = "urn:epc:id:sgtin:4870099.000001.5"


def lines(report: object) -> set[tuple[str, str, str | None, str, str, int, float]]:
    return {
        (h.org.code, h.kind, h.product_type, h.status, h.species or "", h.count, round(h.mass_kg, 6))
        for h in report.holdings  # type: ignore[attr-defined]
    }


def open_kinds(season: Season, who: str = "ministry", **query: object) -> dict[str, str]:
    report = list_discrepancies(season.registry.uow(), season.world[who].principal, **query)  # type: ignore[arg-type]
    return {d.key: d.kind for d in report.discrepancies}


def test_holdings_by_organisation_site_species_product_and_status(registry: Registry) -> None:
    season = harvested(registry)
    season.ok(
        "plant", [process.processing(HORNS[:2], [(POWDER, 0.5)], at(12), season.site("plant"), "powder")]
    )
    ministry_view = stock_report(registry.uow(), season.world["ministry"].principal)
    assert lines(ministry_view) == {
        ("plant", "item", "whole_horn", "active", "Saiga tatarica", 2, round(sum(MASSES[2:4]), 6)),
        ("plant", "lot", "powder", "active", "Saiga tatarica", 1, 0.5),
        ("warehouse", "item", "whole_horn", "active", "Saiga tatarica", 2, round(sum(MASSES[4:]), 6)),
    }
    [plant_site] = {h.site_name for h in ministry_view.holdings if h.org.code == "plant"}
    assert plant_site == "Processing plant, Oral, main site"
    with_closed = stock_report(registry.uow(), season.world["plant"].principal, statuses=["all"])
    assert (
        "plant",
        "item",
        "whole_horn",
        "consumed",
        "Saiga tatarica",
        2,
        round(sum(MASSES[:2]), 6),
    ) in lines(with_closed)
    assert {h.org.code for h in with_closed.holdings} == {"plant"}
    only_warehouse = stock_report(registry.uow(), season.world["inspector"].principal, org="warehouse")
    assert {h.org.code for h in only_warehouse.holdings} == {"warehouse"}
    assert only_warehouse.totals() == [
        {
            "org": {"code": "warehouse", "name": "State horn warehouse, Almaty"},
            "items": 2,
            "lots": 0,
            "mass_kg": round(sum(MASSES[4:]), 6),
        }
    ]


def test_an_organisation_sees_only_its_own_stock(registry: Registry) -> None:
    season = harvested(registry)
    with pytest.raises(NotFound, match="you see your own stock"):
        stock_report(registry.uow(), season.world["plant"].principal, org="warehouse")
    with pytest.raises(NotFound):
        stock_report(registry.uow(), season.world["ministry"].principal, org="nobody")
    with pytest.raises(QueryError, match="is no status"):
        stock_report(registry.uow(), season.world["ministry"].principal, statuses=["lost"])


def test_a_count_records_what_it_found_wrong(registry: Registry) -> None:
    season = harvested(registry, to_plant=0)
    warehouse = season.site("warehouse")
    # Horns 1-6 are at the warehouse. The count misses horn 1, weighs horn 2 light, and finds a code
    # nobody registered.
    count = process.stock_taking(
        HORNS[1:] + [SMUGGLED], at(20), warehouse, masses={HORNS[1]: 0.2, HORNS[2]: 0.281}
    )
    count["eventID"] = "urn:uuid:5f0e7d32-1111-4aaa-8bbb-000000000001"
    season.ok("warehouse", [count])
    assert open_kinds(season) == {
        key_of(HORNS[0]): "not_found",
        key_of(HORNS[1]): "mass_difference",
        key_of(SMUGGLED): "not_registered",
    }
    report = list_discrepancies(
        registry.uow(), season.world["warehouse"].principal, count_event_id=count["eventID"]
    )
    assert report.counts == {"not_found": 1, "mass_difference": 1, "not_registered": 1}
    missing = next(d for d in report.discrepancies if d.kind == "not_found")
    assert missing.registered_mass_kg == MASSES[0] and missing.counted_by is not None
    assert missing.counted_by.code == "warehouse" and missing.open
    # The same count again (a later one) does not repeat what is still open.
    again = process.stock_taking(HORNS[1:], at(21), warehouse)
    season.ok("warehouse", [again])
    assert len(list_discrepancies(registry.uow(), season.world["ministry"].principal).discrepancies) == 3


def test_a_discrepancy_stays_open_until_an_event_resolves_it(registry: Registry) -> None:
    season = harvested(registry, to_plant=0)
    warehouse = season.site("warehouse")
    season.ok(
        "warehouse", [process.stock_taking(HORNS[2:] + [SMUGGLED], at(20), warehouse, masses={HORNS[2]: 0.2})]
    )
    assert set(open_kinds(season).values()) == {"not_found", "mass_difference", "not_registered"}
    # Horn 1 turns up at a later partial count; horn 2 is declared lost; horn 3 is processed; the
    # smuggled code is seized by the inspectorate.
    season.ok("warehouse", [process.cycle_count([HORNS[0]], at(21), warehouse)])
    season.ok("warehouse", [process.declare_lost([HORNS[1]], at(22), warehouse)])
    seizure = process.cycle_count([SMUGGLED], at(23), season.site("inspector"))
    seizure.update(bizStep=BIZSTEP_SEIZING, disposition=DISPOSITION_SEIZED)
    season.ok("inspector", [seizure])
    assert open_kinds(season) == {key_of(HORNS[2]): "mass_difference"}
    season.ship("warehouse", "plant", [HORNS[2]], 24)
    season.ok(
        "plant", [process.processing([HORNS[2]], [(POWDER, 0.2)], at(25), season.site("plant"), "powder")]
    )
    assert open_kinds(season) == {}
    resolved = list_discrepancies(registry.uow(), season.world["ministry"].principal, open_only=False)
    reasons = {d.key: d.resolution for d in resolved.discrepancies}
    assert reasons[key_of(HORNS[0])] == f"found by a count at {warehouse}"
    assert reasons[key_of(HORNS[1])] == "decommissioned (declared lost)"
    assert reasons[key_of(SMUGGLED)] == "seized" and reasons[key_of(HORNS[2])] == "processed"
    assert all(d.resolved_by_event_id for d in resolved.discrepancies)


def test_a_horn_found_where_it_is_not_registered(registry: Registry) -> None:
    season = harvested(registry, to_plant=2)
    # Horn 1 is at the plant, yet the warehouse finds it on its shelf; horn 3 is shipped but not received.
    warehouse, plant = season.world["warehouse"], season.world["plant"]
    season.ok("warehouse", [build.shipping([HORNS[2]], at(15), warehouse.sgln, warehouse.pgln, plant.pgln)])
    season.ok("warehouse", [process.cycle_count([HORNS[0], HORNS[2]], at(16), warehouse.sgln)])
    assert open_kinds(season) == {
        key_of(HORNS[0]): "registered_elsewhere",
        key_of(HORNS[2]): "registered_elsewhere",
    }
    season.ok("plant", [build.receiving([HORNS[2]], at(17), plant.sgln)])
    assert open_kinds(season) == {key_of(HORNS[0]): "registered_elsewhere"}
    plant_view = open_kinds(season, "plant")
    assert key_of(HORNS[0]) in plant_view  # the registered holder sees it too


def test_counts_are_refused_where_they_cannot_be_judged(registry: Registry) -> None:
    season = harvested(registry, to_plant=0)
    warehouse = season.site("warehouse")
    assert season.refused("plant", [process.stock_taking(HORNS, at(20), warehouse)]) == [
        "stock_count.not_site_owner"
    ]
    no_site = process.stock_taking(HORNS, at(20), warehouse)
    del no_site["bizLocation"]
    assert season.refused("warehouse", [no_site]) == ["stock_count.site_required"]
    w, p = season.world["warehouse"], season.world["plant"]
    shipped = build.shipping([HORNS[0]], at(19), w.sgln, w.pgln, p.pgln)
    after = season.refused("warehouse", [shipped, process.stock_taking(HORNS[1:], at(20), warehouse)])
    assert after == ["stock_count.after_custody_events"]
    # An authority may count any site.
    season.ok("inspector", [process.cycle_count(HORNS[:1], at(20), warehouse)])


def test_the_mass_tolerance_is_set_by_the_ministry(registry: Registry) -> None:
    season = harvested(registry, to_plant=0)
    with pytest.raises(NotAllowed):
        set_mass_tolerance(registry.uow(), season.world["ministry"].principal, 0.1)
    with pytest.raises(InvalidSetting):
        set_mass_tolerance(registry.uow(), ministry(season.world), 1.5)
    set_mass_tolerance(registry.uow(), ministry(season.world), 0.25)
    season.ok(
        "warehouse",
        [process.cycle_count([HORNS[0]], at(20), season.site("warehouse"), masses={HORNS[0]: 0.24})],
    )
    assert open_kinds(season) == {}
