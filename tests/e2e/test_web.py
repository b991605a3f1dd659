"""The web pages a person sees: the item page after logging in."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.epcis.domain import event_builders as build
from tests.support.harvest import authorised_origin
from tests.support.world import make_world

HORN = "urn:epc:id:sgtin:4870002.000001.7"


def test_item_page_shows_the_verdict_holder_and_origin(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    event = build.commissioning(
        [HORN],
        datetime(2025, 9, 12, tzinfo=UTC),
        team.sgln,
        ilmd={
            **authorised_origin(registry, world),
            "species": "Saiga tatarica",
            "population": "Ural",
            "animalID": "URL-7",
            "harvestDate": "2025-09-12",
            "massKg": 0.3,
        },
    )
    with TestClient(create_app(registry)) as client:
        assert (
            client.post(
                "/epcis/capture",
                content=json.dumps(build.document([event])),
                headers={"Authorization": f"Bearer {team.token}"},
            ).status_code
            == 202
        )
        public = client.get("/items/" + quote(HORN, safe=""))
        assert public.status_code == 200 and "Legal origin: yes" in public.text
        assert "Saiga tatarica" in public.text and "Ural harvest team 1" not in public.text
        client.headers["Authorization"] = f"Bearer {world['inspector'].token}"
        page = client.get("/lookup", params={"code": "(01)04870002000010(21)7"}, follow_redirects=True)
        assert page.status_code == 200
        assert "Legal: registered, origin traced" in page.text
        assert "Held by <strong>Ural harvest team 1</strong>" in page.text and "Saiga tatarica" in page.text
        assert "animal URL-7" in page.text and "harvested and registered" in page.text
        unknown = client.get("/items/" + quote("urn:epc:id:sgtin:4870002.000001.8", safe=""))
        assert unknown.status_code == 404 and "Unknown code" in unknown.text
        invalid = client.get("/items/" + quote("https://id.gs1.org/01/04870002000011/21/7", safe=""))
        assert invalid.status_code == 400 and "check digit" in invalid.text
