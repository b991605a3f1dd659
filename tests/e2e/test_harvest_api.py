"""The harvest API over HTTP: the ministry authorises, a team uploads its field sheet exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import events
from tests.support.world import make_world

SHEET = (Path(__file__).resolve().parents[1] / "fixtures" / "harvest-sheet.csv").read_bytes()
TERMS = {
    "harvester": "harvester",
    "population": "Ural",
    "validFrom": "2025-07-01",
    "validTo": "2025-11-30",
    "maxAnimals": 500,
}


def bearer(world: Any, code: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world[code].token}"}


def stored_events(registry: Registry) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(events)) or 0)


def test_the_ministry_authorises_and_each_harvester_reads_its_own(registry: Registry) -> None:
    world = make_world(registry)
    with TestClient(create_app(registry)) as client:
        made = client.post("/api/harvest/authorisations", json=TERMS, headers=bearer(world, "ministry"))
        assert made.status_code == 201, made.text
        assert made.headers["Location"] == "/api/harvest/authorisations/KZ-2025-URL-001"
        assert made.json()["identifier"] == "urn:kiik:harvest-authorisation:KZ-2025-URL-001"
        refused = client.post("/api/harvest/authorisations", json=TERMS, headers=bearer(world, "harvester"))
        assert refused.status_code == 403 and "harvest_authorisations:issue" in refused.json()["detail"]
        bad = client.post(
            "/api/harvest/authorisations",
            json={**TERMS, "area": {"type": "Polygon", "coordinates": [[[51, 50], [52, 50], [52, 51]]]}},
            headers=bearer(world, "ministry"),
        )
        assert bad.status_code == 400 and "at least 4 positions" in bad.json()["detail"]
        extra = client.post(
            "/api/harvest/authorisations", json={**TERMS, "org_id": 1}, headers=bearer(world, "ministry")
        )
        assert extra.status_code == 400  # no mass assignment of fields the model does not name
        own = client.get("/api/harvest/authorisations", headers=bearer(world, "harvester")).json()
        assert [a["number"] for a in own["authorisations"]] == ["KZ-2025-URL-001"]
        none = client.get("/api/harvest/authorisations", headers=bearer(world, "warehouse")).json()
        assert none == {"authorisations": []}
        one = client.get(
            "/api/harvest/authorisations/urn:kiik:harvest-authorisation:KZ-2025-URL-001",
            headers=bearer(world, "inspector"),
        )
        assert one.status_code == 200 and one.json()["maxAnimals"] == 500
        hidden = client.get("/api/harvest/authorisations/KZ-2025-URL-001", headers=bearer(world, "warehouse"))
        assert hidden.status_code == 404


def test_a_sheet_uploaded_twice_is_recorded_once_and_a_reused_key_is_refused(registry: Registry) -> None:
    world = make_world(registry)
    team = bearer(world, "harvester")
    with TestClient(create_app(registry)) as client:
        assert (
            client.post(
                "/api/harvest/authorisations", json=TERMS, headers=bearer(world, "ministry")
            ).status_code
            == 201
        )
        headers = {**team, "Content-Type": "text/csv", "Idempotency-Key": "f3b1c0de-2025-09-12"}
        first = client.post("/api/harvest/imports", content=SHEET, headers=headers)
        assert first.status_code == 201, first.text
        assert first.json()["stored"] == 6 and first.json()["status"] == "recorded"
        again = client.post("/api/harvest/imports", content=SHEET, headers=headers)
        assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
        assert again.json()["captureID"] == first.json()["captureID"] and again.json()["status"] == "replayed"
        assert stored_events(registry) == 6
        other = client.post("/api/harvest/imports", content=SHEET[:-60], headers=headers)
        assert other.status_code == 422 and "recorded another sheet" in other.json()["detail"]
        usage = client.get("/api/harvest/authorisations/KZ-2025-URL-001", headers=team).json()
        assert (usage["animalsRegistered"], usage["hornsRegistered"]) == (3, 6)
        viewer = client.post("/api/harvest/imports", content=SHEET, headers={"Content-Type": "text/csv"})
        assert viewer.status_code == 401


def test_a_bad_sheet_is_refused_with_its_rows_and_nothing_is_stored(registry: Registry) -> None:
    world = make_world(registry)
    with TestClient(create_app(registry)) as client:
        client.post("/api/harvest/authorisations", json=TERMS, headers=bearer(world, "ministry"))
        bad = SHEET.replace(b"URL-T1-0002,male", b"URL-T1-0002,female").replace(b"0.301", b"301")
        response = client.post("/api/harvest/imports", content=bad, headers=bearer(world, "harvester"))
        assert response.status_code == 400
        body = response.json()
        assert body["title"] == "Sheet refused" and body["status"] == 400
        assert {(e["row"], e["column"], e["rule"]) for e in body["errors"]} == {
            (4, "sex", "harvest.female_horn"),
            (5, "sex", "harvest.female_horn"),
            (6, "mass_kg", "sheet.invalid_value"),
        }
        assert "row 6, mass_kg" in body["detail"]
        assert stored_events(registry) == 0
