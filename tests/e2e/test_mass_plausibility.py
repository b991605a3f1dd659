"""A horn of 2,400 kg is refused at capture with the bound it breaks, nothing stored; the ministry,
and only the ministry, changes a bound over the API, and later captures use it."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.directory.services.auth import create_token
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of
from tests.support.documents import capture
from tests.support.harvest import authorised_origin
from tests.support.world import make_world

HORN = "urn:epc:id:sgtin:4870002.000001.77"
HARVESTED = datetime(2025, 9, 12, 8, tzinfo=UTC)


def harvest_of(registry: Registry, world: dict, mass: float) -> dict:  # type: ignore[type-arg]
    ilmd = {**authorised_origin(registry, world), "animalID": "URL-77", "massKg": mass}
    ilmd["productType"] = "whole_horn"
    return build.commissioning([HORN], HARVESTED, world["harvester"].sgln, ilmd=ilmd)


def test_a_horn_of_2400_kg_is_refused_until_the_ministry_changes_the_bound(registry: Registry) -> None:
    world = make_world(registry)
    outcome = capture(registry, world["harvester"].principal, [harvest_of(registry, world, 2400.0)])
    assert not outcome.succeeded
    [error] = [e for e in outcome.errors if e["rule"] == "mass.implausible"]
    assert "2400 kg is not plausible" in error["message"] and "from 0.03 to 1.5 kg" in error["message"]
    with registry.uow() as uow:
        assert uow.items.get(key_of(HORN)) is None

    with TestClient(create_app(registry)) as client:
        bound = {"product_type": "whole_horn", "measured": "item", "species": "Saiga tatarica",
                 "least_kg": 0.03, "most_kg": 3000.0}
        as_warehouse = {"Authorization": f"Bearer {world['warehouse'].token}"}
        admin = create_token(registry.uow(), "ministry", "admin").token
        as_ministry = {"Authorization": f"Bearer {admin}"}
        as_ministry_operator = {"Authorization": f"Bearer {world['ministry'].token}"}
        for not_allowed in (as_ministry_operator, as_warehouse):
            assert client.put("/api/stock/mass-bounds", json=bound, headers=not_allowed).status_code == 403
        wrong = client.put("/api/stock/mass-bounds", json={**bound, "least_kg": 5.0, "most_kg": 1.0},
                           headers=as_ministry)
        assert wrong.status_code == 400 and "0 < least < most" in wrong.json()["detail"]
        assert client.put("/api/stock/mass-bounds", json=bound, headers=as_ministry).status_code == 200
        listed = client.get("/api/stock/mass-bounds", headers=as_warehouse).json()["bounds"]
        assert {"product_type": "whole_horn", "measured": "item", "species": "Saiga tatarica",
                "least_kg": 0.03, "most_kg": 3000.0} in listed

    assert capture(registry, world["harvester"].principal, [harvest_of(registry, world, 2400.0)]).succeeded
