"""Backward from a lot to every animal with its share of the mass, forward from an animal to every lot
containing any of it; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import item_origins
from kiik.custody.domain import processing_events as process
from kiik.epcis.domain.event_facts import key_of
from kiik.errors import NotFound
from kiik.inspection.animal_trace import animal_products
from kiik.inspection.trace import item_lineage, trace_item
from tests.support.documents import capture
from tests.support.processing_season import HORNS, MASSES, POWDER, Season, at, harvested, lot

GRANULES = lot("GRN-1")


def processed(registry: Registry) -> Season:
    """Horns 1-4 (animals 1 and 2) into powder; 0.5 of the 0.9 kg powder and horn 5 (animal 3) into
    granules, which go to the trader."""
    season = harvested(registry, to_plant=5)
    plant = season.site("plant")
    season.ok("plant", [process.processing(HORNS[:4], [(POWDER, 0.9)], at(12), plant, "powder")])
    granules = process.processing(
        [HORNS[4]], [(GRANULES, 0.68)], at(13), plant, "granules", lots_used=[(POWDER, 0.5)]
    )
    season.ok("plant", [granules])
    season.ship("plant", "trader", [], 14, lots=[(GRANULES, 0.68)])
    return season


def test_a_lot_traces_back_to_every_animal_with_its_share_of_the_mass(registry: Registry) -> None:
    season = processed(registry)
    lineage = item_lineage(registry.uow(), season.world["trader"].principal, GRANULES)
    shares = {n.key: n.share for n in lineage.sources}
    # Granules: 0.5 kg of powder and 0.25 kg of horn 5. The powder: horns 1-4 by their masses (1.08 kg).
    powder = 0.5 / 0.75
    expected = {key_of(h): powder * m / 1.08 for h, m in zip(HORNS[:4], MASSES[:4], strict=True)}
    expected[key_of(HORNS[4])] = 0.25 / 0.75
    assert shares == pytest.approx(expected)
    summary = lineage.origins
    assert summary is not None and summary.mass_kg == 0.68 and not summary.estimated
    animals = {a.animal_id: a for a in summary.animals}
    assert animals["URL-2025-001"].share == pytest.approx(powder * 0.56 / 1.08)
    assert animals["URL-2025-003"].share == pytest.approx(1 / 3)
    assert animals["URL-2025-001"].sources == [key_of(HORNS[0]), key_of(HORNS[1])]
    assert animals["URL-2025-001"].harvest_dates == ["2025-09-12"]
    assert animals["URL-2025-001"].harvest_sites == [season.site("harvester")]
    [ural] = summary.populations
    assert (ural.population, ural.animals, ural.share) == ("Ural", 3, pytest.approx(1.0))
    as_json = lineage.to_json()["origins"]
    assert as_json["animals"][0]["mass_kg"] == pytest.approx(
        0.68 * max(a.share for a in summary.animals), abs=1e-6
    )
    assert as_json["untraced_share"] == 0


def test_origins_come_from_the_projection_written_at_capture(registry: Registry) -> None:
    season = processed(registry)
    with registry.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(item_origins)) == len(HORNS)
    trace = trace_item(registry.uow(), season.world["ministry"].principal, POWDER)
    [source] = [n for n in trace.lineage.sources if n.key == key_of(HORNS[0])]
    assert source.origin is not None and source.origin.event_id == season.event_ids[key_of(HORNS[0])]
    assert source.origin.ilmd["kiik:animalID"] == "URL-2025-001"
    assert trace.verdict.animals == 2 and trace.verdict.origin_traced


def test_a_corrected_commissioning_changes_the_origin(registry: Registry) -> None:
    season = processed(registry)
    first = key_of(HORNS[5])
    harvester = season.world["harvester"].principal
    wrong_id = season.event_ids[first]
    declaration = {
        "type": "ObjectEvent",
        "eventTime": "2025-09-12T08:50:00.000Z",
        "eventTimeZoneOffset": "+00:00",
        "action": "ADD",
        "eventID": wrong_id,
        "epcList": [HORNS[5]],
        "errorDeclaration": {"declarationTime": "2025-09-13T00:00:00Z", "reason": "incorrect_data"},
    }
    assert capture(registry, harvester, [declaration]).succeeded
    with pytest.raises(NotFound):
        animal_products(registry.uow(), season.world["ministry"].principal, "URL-2025-003-X")
    found = animal_products(registry.uow(), season.world["ministry"].principal, "URL-2025-003")
    assert [n.key for n in found.items] == [key_of(HORNS[4])]  # horn 6's commissioning is erroneous now


def test_an_animal_traces_forward_to_every_lot_containing_any_of_it(registry: Registry) -> None:
    season = processed(registry)
    ministry = season.world["ministry"].principal
    found = animal_products(registry.uow(), ministry, "URL-2025-001")
    assert [n.key for n in found.items] == [key_of(HORNS[0]), key_of(HORNS[1])]
    assert [n.key for n in found.products] == [key_of(POWDER), key_of(GRANULES)]
    assert found.origin["population"] == "Ural" and found.origin["harvestSite"] == season.site("harvester")
    third = animal_products(registry.uow(), ministry, "URL-2025-003")
    assert [n.key for n in third.products] == [key_of(GRANULES)]
    as_json = found.to_json()
    assert as_json["items"][0]["used_in"][0]["outputs"][0]["key"] == key_of(POWDER)


def test_an_animal_is_traced_within_the_readers_view(registry: Registry) -> None:
    season = processed(registry)
    # The plant processed the horns: it sees them and the lots it made, not what the trader holds now.
    plant = animal_products(registry.uow(), season.world["plant"].principal, "URL-2025-001")
    granules = [n for n in plant.products if n.key == key_of(GRANULES)]
    assert granules and not granules[0].visible and granules[0].holder is None
    # The trader holds the granules: it sees the horn that went into them directly, not the powder's horns.
    trader = season.world["trader"].principal
    third = animal_products(registry.uow(), trader, "URL-2025-003")
    assert [n.key for n in third.items] == [key_of(HORNS[4])] and not third.items[0].visible
    assert [(n.key, n.visible) for n in third.products] == [(key_of(GRANULES), True)]
    with pytest.raises(NotFound):
        animal_products(registry.uow(), trader, "URL-2025-001")
    with pytest.raises(NotFound):
        animal_products(registry.uow(), season.world["harvester"].principal, "no-such-animal")
