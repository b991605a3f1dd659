"""`kiik trade ...` as a person runs it, on SQLite and PostgreSQL: a cull to a shop, the label, the check."""

from __future__ import annotations

import json
from pathlib import Path

from kiik.bootstrap.registry import Registry
from kiik.species.services.register import seed_register
from tests.e2e.test_cli import kiik
from tests.support.trade import CARCASS_GTIN, CUTS_GTIN
from tests.support.world import make_world


def test_a_cull_to_the_shop_from_the_command_line(registry: Registry, tmp_path: Path) -> None:
    db = registry.settings.database_url
    make_world(registry)
    seed_register(registry.uow())
    cull = (
        "--number",
        "CULL-2025-URL-C",
        "--population",
        "Ural",
        "--area",
        "grounds 3",
        "--starts",
        "2025-07-01",
    )
    terms = (
        "--ends",
        "2025-11-30",
        "--authorisation",
        "KZ-2025-URL-CULL",
        "--animals",
        "30",
        "--team",
        "harvester",
    )
    refused = kiik("trade", "cull-add", *cull, *terms, "--as", "trader", db=db, check=False)
    assert refused.returncode == 1 and "culls:manage" in refused.stderr
    assert (
        "CULL-2025-URL-C (Ural" in kiik("trade", "cull-add", *cull, *terms, "--as", "ministry", db=db).stdout
    )
    delivery = ("--cull", "CULL-2025-URL-C", "--gtin", CARCASS_GTIN, "--batch", "C1", "--carcasses", "20")
    by = ("--kg", "300", "--plant", "plant", "--as", "harvester", "--at", "2025-08-01T08:00:00+05:00")
    sent = kiik("trade", "deliver", *delivery, *by, db=db)
    batch = "https://id.gs1.org/01/04870002000201/10/C1"
    assert batch in sent.stdout
    kiik("trade", "receive", batch, "--as", "plant", "--at", "2025-08-01T18:00:00+05:00", db=db)
    run = tmp_path / "run.json"
    run.write_text(
        json.dumps(
            {
                "product_type": "canned_meat",
                "gtin": CUTS_GTIN,
                "vet_certificate": "VET-C",
                "inputs": [{"code": batch, "mass_kg": 300}],
                "lots": [{"batch": "T1", "packs": 500, "pack_mass_kg": 0.325, "use_by": "2027-08-01"}],
            }
        )
    )
    made = kiik("trade", "process", str(run), "--as", "plant", "--at", "2025-08-02T09:00:00+05:00", db=db)
    lot = "https://id.gs1.org/01/04870004000308/10/T1"
    assert lot in made.stdout
    kiik("trade", "ship", lot, "--to", "trader", "--as", "plant", "--at", "2025-08-03T09:00:00+05:00", db=db)
    kiik("trade", "receive", lot, "--as", "trader", "--at", "2025-08-03T15:00:00+05:00", db=db)
    noon = ("--as", "trader", "--at", "2025-08-04T12:00:00+05:00")
    too_many = kiik("trade", "sell", lot, "--packs", "501", *noon, db=db, check=False)
    assert too_many.returncode == 1 and "trade.lot_exhausted" in too_many.stdout
    kiik("trade", "sell", lot, "--packs", "20", *noon, db=db)
    check = json.loads(kiik("trade", "check", "(01)04870004000308(10)T1", db=db).stdout)
    assert check["legal"] is True and check["population"] == "Ural" and check["product"] == "canned_meat"
    label = tmp_path / "label.svg"
    written = kiik(
        "trade", "label", lot, "--out", str(label), db=db, env={"KIIK_PUBLIC_URL": "https://kiik.kz"}
    )
    assert "https://kiik.kz/01/04870004000308/10/T1" in written.stdout and label.read_text().startswith(
        "<?xml"
    )
    assert "500" in kiik("trade", "lots", db=db).stdout
    culls = kiik("trade", "culls", db=db).stdout
    assert "20 of 30" in culls and "300" in culls
