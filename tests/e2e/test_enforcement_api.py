"""The enforcement API over HTTP: a seizure in, its verdicts, the alert reviewed, the custody steps,
analytics, the annual illegal trade report as CSV and as XLSX, and errors that name the field."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from tests.support.enforcement import NEVER_ISSUED, enforcement_world

SEIZURE = {
    "reference": "KZ-API-1",
    "seizedOn": "2026-10-01",
    "agency": "State Revenue Committee, customs",
    "detectionMethod": "x-ray",
    "species": "Saiga tatarica",
    "region": "West Kazakhstan",
    "latitude": 50.1,
    "longitude": 51.2,
    "route": {
        "origin": {"country": "KZ", "known": True},
        "transit": [{"country": "KG"}],
        "destination": {"country": "CN"},
    },
    "transportMode": "road",
    "offenders": 2,
    "offenderNationalities": ["KZ", "KG"],
}


def test_a_seizure_through_the_api_to_the_annual_report(registry: Registry) -> None:
    ew = enforcement_world(registry)
    leaked = ew.season.trader_horns[0]
    customs = {"Authorization": f"Bearer {ew.world['customs'].token}"}
    inspector = {"Authorization": f"Bearer {ew.world['inspector'].token}"}
    trader = {"Authorization": f"Bearer {ew.world['trader'].token}"}
    body = {
        **SEIZURE,
        "specimens": [{"term": "HOR", "quantity": 5, "unit": "NAR", "codes": [leaked, NEVER_ISSUED]}],
    }
    with TestClient(create_app(registry)) as client:
        made = client.post("/api/enforcement/seizures", json=body, headers=customs)
        assert made.status_code == 201, made.text
        assert made.json()["verdicts"] == {"leak": 1, "forgery": 1, "unmarked": 3}
        assert client.get("/api/enforcement/seizures/KZ-API-1", headers=trader).status_code == 403
        bad = client.post(
            "/api/enforcement/seizures",
            json={**body, "reference": "KZ-API-2", "specimens": [{"term": "ZZZ", "quantity": 1}]},
            headers=customs,
        )
        assert bad.status_code == 400 and "specimens[1].term: 'ZZZ'" in bad.json()["detail"]
        [alert] = client.get("/api/enforcement/alerts", headers=inspector).json()["alerts"]
        review = client.post(
            f"/api/enforcement/alerts/{alert['id']}/review",
            json={"status": "investigating"},
            headers=inspector,
        )
        assert review.status_code == 200 and review.json()["status"] == "investigating"
        own = client.get("/api/enforcement/alerts", headers=trader).json()["alerts"]
        assert [a["status"] for a in own] == ["investigating"] and "seizure" not in own[0]
        for step, place in (
            ("evidence", "Customs store, Oral"),
            ("court", "Oral court"),
            ("science", "Institute of Zoology"),
        ):
            done = client.post(
                "/api/enforcement/seizures/KZ-API-1/custody",
                json={"step": step, "place": place},
                headers=customs,
            )
            assert done.status_code == 200, done.text
        facts = client.get(
            "/api/enforcement/analytics",
            params={"from": "2026-01-01", "to": "2026-12-31", "rates": "KZ:0.5"},
            headers=customs,
        ).json()
        assert facts["seizures"] == 1 and facts["byRoute"] == [{"route": "KZ → KG? → CN?", "seizures": 1}]
        assert (
            facts["leaks"]["leakShare"] == 0.5 and facts["leaks"]["byHolderKind"][0]["holderKind"] == "trader"
        )
        assert facts["map"][0]["latitude"] == 50.1
        assert facts["indices"]["unadjustedCountries"] == ["CN", "KG"]
        report = client.get("/api/enforcement/illegal-trade-report", params={"year": 2026}, headers=customs)
        rows = list(csv.reader(io.StringIO(report.text)))
        assert rows[0][0] == "Date of seizure" and rows[1][9] == "HOR" and rows[1][11] == "5.0"
        xlsx = client.get(
            "/api/enforcement/illegal-trade-report", params={"year": 2026, "format": "xlsx"}, headers=customs
        )
        with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
            sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
        texts = [t.text for t in sheet.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t")]
        assert "Date of seizure" in texts and "horns" in texts
        estimate = client.get(
            "/api/enforcement/penalty-estimate", params={"offenceOn": "2026-03-01"}, headers=inspector
        )
        assert estimate.json()["fine_kzt"]["max"] == 12_975_000 and estimate.json()["estimate"] is True
