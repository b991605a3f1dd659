"""Issuing and reading harvest authorisations through the services (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import NotAllowed
from kiik.directory.services.auth import add_organisation
from kiik.errors import NotFound
from kiik.harvest.domain.authorisations import HarvestError
from kiik.harvest.domain.geo import Point
from kiik.harvest.services.authorisations import (
    AuthoriseHarvest,
    authorise_harvest,
    get_authorisation,
    list_authorisations,
)
from tests.support.harvest import ministry
from tests.support.world import make_world

SEASON = (date(2025, 7, 1), date(2025, 11, 30))
AREA = {
    "type": "Polygon",
    "coordinates": [[[51.0, 50.5], [51.8, 50.5], [51.8, 51.2], [51.0, 51.2], [51.0, 50.5]]],
}


def issue(registry: Registry, world: Any, **changes: Any) -> Any:
    terms: dict[str, Any] = {
        "harvester": "harvester",
        "population": "Ural",
        "valid_from": SEASON[0],
        "valid_to": SEASON[1],
        "max_animals": 500,
    }
    terms.update(changes)
    return authorise_harvest(registry.uow(), ministry(world), AuthoriseHarvest(**terms))


def test_the_ministry_issues_numbered_authorisations(registry: Registry) -> None:
    world = make_world(registry)
    first = issue(registry, world).authorisation
    second = issue(registry, world).authorisation
    other = issue(registry, world, population="ustyurt", max_animals=40).authorisation
    assert (first.number, second.number, other.number) == (
        "KZ-2025-URL-001",
        "KZ-2025-URL-002",
        "KZ-2025-UST-001",
    )
    assert first.identifier == "urn:kiik:harvest-authorisation:KZ-2025-URL-001"
    assert first.holder == "Ural harvest team 1 (harvester)" and first.window == "2025-07-01 to 2025-11-30"
    # Without an area, the population's approximate range; with one, exactly that area.
    assert first.area.contains(Point(50.95, 51.35)) and "approximate range" in first.area_label
    own = issue(registry, world, area=AREA, area_label="hunting block 7", number="WKO-7-2025").authorisation
    assert (own.number, own.area_label) == ("WKO-7-2025", "hunting block 7")
    assert own.area.contains(Point(50.95, 51.35)) and not own.area.contains(Point(50.2, 50.5))
    assert first.area.contains(Point(50.2, 50.5))


def test_bad_requests_say_what_is_wrong(registry: Registry) -> None:
    world = make_world(registry)
    issue(registry, world, number="KZ-2025-URL-010")
    cases = [
        ({"number": "KZ-2025-URL-010"}, "exists already"),
        ({"number": "KZ 2025"}, "not a harvest authorisation number"),
        ({"harvester": "warehouse"}, "is a warehouse; harvest authorisations are issued to harvester"),
        ({"harvester": "nobody"}, "no organisation with code 'nobody'"),
        ({"population": "Mongolian"}, "unknown saiga population"),
        ({"valid_to": date(2025, 6, 1)}, "before it starts"),
        ({"max_animals": 0}, "at least 1"),
        ({"area": {"type": "Point", "coordinates": [51, 50]}}, "not a usable GeoJSON polygon"),
    ]
    for changes, says in cases:
        with pytest.raises(HarvestError, match=says):
            issue(registry, world, **changes)


def test_only_the_ministry_issues(registry: Registry) -> None:
    world = make_world(registry)
    command = AuthoriseHarvest("harvester", "Ural", *SEASON, 10)
    with pytest.raises(NotAllowed, match="harvest_authorisations:issue"):
        authorise_harvest(registry.uow(), world["harvester"].principal, command)


def test_a_harvester_reads_its_own_the_authorities_read_all(registry: Registry) -> None:
    world = make_world(registry)
    add_organisation(registry.uow(), "ural-2", "Ural team 2", "harvester", "urn:epc:id:pgln:4870008.00000")
    mine = issue(registry, world).authorisation.number
    theirs = issue(registry, world, harvester="ural-2").authorisation.number
    seen = {code: [v.authorisation.number for v in list_authorisations(registry.uow(), world[code].principal)]
            for code in ("harvester", "warehouse", "ministry", "inspector")}  # fmt: skip
    assert seen == {
        "harvester": [mine],
        "warehouse": [],
        "ministry": [mine, theirs],
        "inspector": [mine, theirs],
    }
    urn = f"urn:kiik:harvest-authorisation:{mine}"
    assert get_authorisation(registry.uow(), world["harvester"].principal, urn).authorisation.number == mine
    with pytest.raises(NotFound, match=f"no harvest authorisation {theirs} that you may see"):
        get_authorisation(registry.uow(), world["harvester"].principal, theirs)
    view = get_authorisation(registry.uow(), world["customs"].principal, theirs).to_json()
    assert view["harvester"] == "Ural team 2 (ural-2)" and view["animalsRegistered"] == 0
    assert view["area"]["type"] == "Polygon" and view["validTo"] == "2025-11-30"
