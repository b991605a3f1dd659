"""Proceeds over HTTP and the command line: the ministry's rules, a cull's fee, a correction, the report."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from tests.e2e.test_cli import kiik
from tests.support.trade import deliver, meat_world


def test_rules_fees_a_correction_and_the_report(registry: Registry) -> None:
    meat = meat_world(registry)
    ministry = {"Authorization": f"Bearer {meat.world['ministry'].token}"}
    trader = {"Authorization": f"Bearer {meat.world['trader'].token}"}
    fee = {
        "title": "Cull fee 2025",
        "charge": "cull",
        "basis": "per_item",
        "rate": 1500.0,
        "valid_from": "2025-01-01",
        "legal_basis": "order 15/1",
    }
    allocation = {
        "title": "Allocation 2025",
        "shares": {"protection": 0.6, "habitat": 0.2, "research": 0.2},
        "valid_from": "2025-01-01",
        "legal_basis": "order 15/4",
    }
    with TestClient(create_app(registry)) as client:
        assert client.post("/api/proceeds/fee-rules", json=fee, headers=trader).status_code == 403
        assert client.post("/api/proceeds/fee-rules", json=fee, headers=ministry).status_code == 201
        bad = client.post(
            "/api/proceeds/allocation-rules",
            json={**allocation, "shares": {"protection": 0.6}},
            headers=ministry,
        )
        assert bad.status_code == 400 and "add up to 0.6" in bad.json()["detail"]
        assert (
            client.post("/api/proceeds/allocation-rules", json=allocation, headers=ministry).status_code
            == 201
        )
        deliver(meat, "D1", 10, 150.0)
        entries = client.get("/api/proceeds/entries", params={"year": 2025}, headers=trader).json()
        assert [e["kind"] for e in entries] == ["fee", "allocation"]
        assert entries[0]["lines"] == [
            {"account": "due:harvester", "debitKZT": 15_000.0, "creditKZT": 0.0},
            {"account": "proceeds:Ural", "debitKZT": 0.0, "creditKZT": 15_000.0},
        ]
        url = f"/api/proceeds/entries/{entries[0]['id']}/corrections"
        made = client.post(
            url, json={"reason": "9 carcasses", "amount_kzt": 13_500.0, "day": "2025-08-20"}, headers=ministry
        )
        assert made.status_code == 201 and len(made.json()["entries"]) == 4
        report = client.get("/api/proceeds/report", params={"year": 2025}, headers=trader).json()
        [ural] = report["populations"]
        assert (
            ural["inKZT"] == 13_500.0 and ural["allocatedKZT"]["protection"] == 8_100.0 and report["balanced"]
        )
        assert client.get("/api/proceeds/report", params={"year": 1999}, headers=trader).status_code == 400
    shown = kiik("proceeds", "report", "--year", "2025", db=registry.settings.database_url).stdout
    assert "13,500.00" in shown and "8,100.00" in shown and "the ledger balances" in shown
