"""`kiik init` prepares the register and the signing key; the species, quota, keys, permit and
report commands as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli import kiik


def test_init_seeds_the_register_and_makes_a_signing_key_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kiik.db'}"
    first = kiik("init", db=db).stdout
    assert "9 taxa, 10 rules, 1 quotas added" in first and " made" in first
    again = kiik("init", db=db).stdout
    assert "0 taxa, 0 rules, 0 quotas added" in again and " made" not in again
    listing = kiik("species", "list", db=db).stdout
    assert "Testudo horsfieldii" in listing and "total_ban" in listing and "2040-12-31" in listing
    assert "10,000.000" in kiik("quota", "list", db=db).stdout
    key = json.loads(kiik("keys", "list", db=db).stdout)
    assert (
        len(key["keys"]) == 1
        and key["keys"][0]["crv"] == "Ed25519"
        and key["current"] == key["keys"][0]["kid"]
    )
    assert "retired" in kiik("keys", "rotate", db=db).stdout
    keys = json.loads(kiik("keys", "list", db=db).stdout)
    assert (
        len(keys["keys"]) == 2
        and keys["keys"][0]["valid_until"]
        and keys["current"] == keys["keys"][1]["kid"]
    )
    report = kiik("report", "cites-annual", "--year", "2026", db=db).stdout
    assert report.startswith("Appendix,SpeciesName,TermCode,Quantity,UnitCode,TradingPartner")


def test_permit_commands_explain_refusals(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kiik.db'}"
    kiik("init", db=db)
    kiik("org", "add", "saiga-export", "--name", "Saiga Export LLP", "--kind", "trader", db=db)
    refused = kiik(
        "permit",
        "apply",
        "urn:epc:id:sgtin:4870002.000001.1",
        "--org",
        "saiga-export",
        "--importer",
        "X",
        "--country",
        "CN",
        db=db,
        check=False,
    )
    assert refused.returncode == 1 and "permit.item_unknown" in refused.stdout + refused.stderr
    missing = kiik("permit", "show", "KZ/2026/000001", db=db, check=False)
    assert missing.returncode == 1 and "no permit or application" in missing.stderr
    assert "0 permits expired" in kiik("permit", "expire", db=db).stdout
