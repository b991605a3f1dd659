"""Stock, discrepancies, shares of mass and the animal trace over HTTP and through the `kiik` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.migrate import upgrade
from kiik.bootstrap.registry import Registry
from kiik.config import Settings
from kiik.custody.domain import processing_events as process
from kiik.db.engine import make_engine
from kiik.epcis.domain.event_facts import key_of
from tests.support.processing_season import HORNS, POWDER, Season, at, harvested

KIIK = [sys.executable, "-m", "kiik.cli.main"]


def processed(registry: Registry) -> Season:
    season = harvested(registry)
    plant = season.site("plant")
    season.ok("plant", [process.processing(HORNS[:4], [(POWDER, 0.9)], at(12), plant, "powder")])
    season.ok("warehouse", [process.stock_taking(HORNS[5:], at(13), season.site("warehouse"))])
    return season


def get(client: TestClient, season: Season, who: str, path: str) -> dict:  # type: ignore[type-arg]
    response = client.get(path, headers={"Authorization": f"Bearer {season.world[who].token}"})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_stock_and_discrepancies_over_http(registry: Registry) -> None:
    season = processed(registry)
    client = TestClient(create_app(registry))
    mine = get(client, season, "plant", "/api/stock")
    assert {(h["product_type"], h["count"]) for h in mine["holdings"]} == {("powder", 1)}
    assert mine["totals"][0]["lots"] == 1 and mine["statuses"] == ["active", "in_transit", "seized"]
    everyone = get(client, season, "ministry", "/api/stock?org=warehouse&status=all")
    assert {h["org"]["code"] for h in everyone["holdings"]} == {"warehouse"}
    refused = client.get(
        "/api/stock?org=warehouse", headers={"Authorization": f"Bearer {season.world['plant'].token}"}
    )
    assert refused.status_code == 404 and "your own stock" in refused.json()["detail"]
    bad = client.get(
        "/api/stock?status=lost", headers={"Authorization": f"Bearer {season.world['plant'].token}"}
    )
    assert bad.status_code == 400
    found = get(client, season, "warehouse", "/api/stock/discrepancies")
    assert [(d["kind"], d["key"]) for d in found["discrepancies"]] == [("not_found", key_of(HORNS[4]))]
    assert found["discrepancies"][0]["registered"]["holder"]["code"] == "warehouse"
    assert get(client, season, "trader", "/api/stock/discrepancies")["discrepancies"] == []
    assert client.get("/api/stock").status_code == 401


def test_trace_and_animal_products_over_http(registry: Registry) -> None:
    season = processed(registry)
    client = TestClient(create_app(registry))
    trace = get(client, season, "plant", f"/api/items/{quote(POWDER, safe='')}/trace")
    origins = trace["lineage"]["origins"]
    assert [a["animal_id"] for a in origins["animals"]] == ["URL-2025-001", "URL-2025-002"]
    assert sum(a["share"] for a in origins["animals"]) == pytest.approx(1.0)
    assert origins["populations"][0]["population"] == "Ural" and origins["mass_kg"] == 0.9
    assert all("share" in s for s in trace["lineage"]["sources"])
    animal = get(client, season, "ministry", "/api/animals/URL-2025-002/products")
    assert [p["key"] for p in animal["products"]] == [key_of(POWDER)]
    assert animal["origin"]["population"] == "Ural"
    unknown = client.get(
        "/api/animals/nobody/products", headers={"Authorization": f"Bearer {season.world['plant'].token}"}
    )
    assert unknown.status_code == 404


@pytest.fixture
def season_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kiik.db'}"
    engine = make_engine(url)
    upgrade(engine)
    processed(Registry(Settings(database_url=url), engine))
    engine.dispose()
    return url


def kiik(*args: str, db: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    result = subprocess.run([*KIIK, *args, "--db", db], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_the_stock_commands(season_db: str) -> None:
    report = kiik("stock", db=season_db).stdout
    assert "plant" in report and "powder" in report and "warehouse" in report
    as_json = json.loads(kiik("stock", "--org", "plant", "--json", db=season_db).stdout)
    assert {h["product_type"] for h in as_json["holdings"]} == {"powder"}
    listed = kiik("stock", "discrepancies", db=season_db).stdout
    assert "not_found" in listed and "open discrepancies: 1 not_found" in listed
    assert kiik("stock", "tolerance", db=season_db).stdout.strip() == "0.02"
    assert "set to 0.05" in kiik("stock", "tolerance", "0.05", db=season_db).stdout


def test_kiik_trace_shows_shares_and_traces_an_animal(season_db: str) -> None:
    out = kiik("trace", POWDER, db=season_db).stdout
    assert "Origin of the mass" in out and "URL-2025-001" in out and "of the mass" in out
    animal = kiik("trace", "--animal", "URL-2025-001", db=season_db).stdout
    assert "Products containing any of the animal" in animal and "PWD-1" in animal
    as_json = json.loads(kiik("trace", "--animal", "URL-2025-001", "--json", db=season_db).stdout)
    assert [p["key"] for p in as_json["products"]] == [key_of(POWDER)]
