"""The monitoring API over HTTP: a package in as a zip, rates with a chosen threshold, the export
that validates again, the vehicle alert, and a harvest authorisation beyond the plan refused."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.monitoring.adapters.camtrap_reader import read_package
from tests.support.monitoring import CENSUS_FILE, scientists, zipped
from tests.support.small_passage import write_small_passage
from tests.support.world import make_world


def test_a_package_in_and_out_with_rates_and_alerts(registry: Registry, tmp_path: Path) -> None:
    world = make_world(registry)
    _, token = scientists(registry)
    science = {"Authorization": f"Bearer {token}"}
    border = {"Authorization": f"Bearer {world['customs'].token}"}
    with TestClient(create_app(registry)) as client:
        body = zipped(write_small_passage(tmp_path / "p"))
        made = client.post("/api/monitoring/camtrap-packages", content=body, headers=science)
        assert made.status_code == 201, made.text
        assert made.json()["observations"] == 9 and made.json()["alerts"] == 1
        refused = client.post("/api/monitoring/camtrap-packages", content=b"not a zip", headers=science)
        assert refused.status_code == 422 and refused.json()["problems"]
        forbidden = client.post("/api/monitoring/camtrap-packages", content=body, headers=border)
        assert forbidden.status_code == 403
        rates = client.get(
            "/api/monitoring/detection-rates",
            params={"threshold": 60, "species": "Gazella subgutturosa"},
            headers=border,
        ).json()
        assert [
            (r["thresholdMinutes"], r["trapNights"], r["events"], r["eventsPer100TrapNights"])
            for r in rates["rows"]
        ] == [(60, 6.5, 3, 46.154)]
        csv = client.get("/api/monitoring/detection-rates", params={"format": "csv"}, headers=border)
        assert csv.headers["content-type"].startswith("text/csv") and "eventsPer100TrapNights" in csv.text
        alerts = client.get("/api/monitoring/alerts", headers=border).json()["alerts"]
        assert [(a["kind"], a["photo"]) for a in alerts] == [("vehicle", "media/d1/IMG_0009.JPG")]
        exported = client.get("/api/monitoring/camtrap-packages/small-passage/export", headers=science)
        assert exported.status_code == 200
        zipfile.ZipFile(io.BytesIO(exported.content)).extractall(tmp_path / "out")
        again = read_package(tmp_path / "out")
        assert sum(1 for _ in again.rows("kiik-malfunctions")) == 1


def test_census_plan_and_an_authorisation_beyond_it(registry: Registry) -> None:
    world = make_world(registry)
    _, token = scientists(registry)
    ministry = {"Authorization": f"Bearer {world['ministry'].token}"}
    with TestClient(create_app(registry)) as client:
        imported = client.post(
            "/api/monitoring/census/import",
            content=CENSUS_FILE.read_bytes(),
            headers={"Authorization": f"Bearer {token}"},
        )
        assert imported.json() == {"added": 18, "unchanged": 0}
        plan = {
            "population": "Ural",
            "season": 2025,
            "maxAnimals": 300,
            "ruleBasis": "estimate",
            "ruleShare": 0.05,
            "justification": {
                "filename": "ural.txt",
                "mediaType": "text/plain",
                "contentBase64": base64.b64encode(b"why").decode(),
            },
        }
        made = client.post("/api/monitoring/plans", json=plan, headers=ministry)
        assert made.status_code == 201, made.text
        terms = {
            "harvester": "harvester",
            "population": "Ural",
            "validFrom": "2025-07-01",
            "validTo": "2025-11-30",
        }
        beyond = client.post(
            "/api/harvest/authorisations", json={**terms, "maxAnimals": 301}, headers=ministry
        )
        assert beyond.status_code == 422
        assert (
            "the 2025 offtake plan for Ural allows 300 animals; 0 are authorised already, so 300 remain"
            in beyond.json()["detail"]
        )
        assert (
            client.post(
                "/api/harvest/authorisations", json={**terms, "maxAnimals": 300}, headers=ministry
            ).status_code
            == 201
        )
        report = client.get("/api/monitoring/offtake-report", headers=ministry).json()["seasons"]
        assert [
            (r["population"], r["planned"], r["authorised"], r["census"]["estimate"]) for r in report
        ] == [("Ural", 300, 300, 1_620_000)]
        document = client.get("/api/monitoring/plans/Ural/2025/justification", headers=ministry)
        assert (
            document.content == b"why"
            and document.headers["x-content-sha256"] == made.json()["justification"]["sha256"]
        )
