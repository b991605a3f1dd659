"""`kiik site add --parent` and `kiik site move`: sites within sites, as WD_bizLocation reads them; a
site cannot be placed within itself or within a site inside it, and the refusal says why."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, select

from kiik.directory.adapters.tables import sites
from tests.e2e.test_cli import db, kiik  # noqa: F401 (db is a fixture)

MAIN = "urn:epc:id:sgln:4870002.00000.0"
COLD = "urn:epc:id:sgln:4870002.00000.1"
SHELF = "urn:epc:id:sgln:4870002.00000.11"


def _parents(url: str) -> dict[str, str | None]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = list(connection.execute(select(sites.c.id, sites.c.name, sites.c.parent_id)))
    engine.dispose()
    names = {row.id: row.name for row in rows}
    return {row.name: names.get(row.parent_id) for row in rows}


def test_sites_are_placed_within_sites_and_moved(db: str, tmp_path: Path) -> None:  # noqa: F811
    kiik(
        "org",
        "add",
        "camp",
        "--name",
        "Camp",
        "--kind",
        "harvester",
        "--pgln",
        "urn:epc:id:pgln:4870002.00000",
        db=db,
    )
    kiik("site", "add", "--org", "camp", MAIN, "--name", "Main", db=db)
    kiik("site", "add", "--org", "camp", COLD, "--name", "Cold", "--parent", MAIN, db=db)
    kiik("site", "add", "--org", "camp", SHELF, "--name", "Shelf", "--parent", COLD, db=db)
    assert _parents(db) == {"Main": None, "Cold": "Main", "Shelf": "Cold"}

    refused = kiik("site", "move", MAIN, "--parent", SHELF, db=db, check=False)
    assert refused.returncode != 0 and "within itself" in refused.stdout + refused.stderr
    unknown = kiik(
        "site",
        "add",
        "--org",
        "camp",
        "urn:epc:id:sgln:4870002.00000.2",
        "--name",
        "Yard",
        "--parent",
        "urn:epc:id:sgln:4870099.00000.0",
        db=db,
        check=False,
    )
    assert unknown.returncode != 0 and "no site" in unknown.stdout + unknown.stderr
    assert _parents(db) == {"Main": None, "Cold": "Main", "Shelf": "Cold"}  # nothing changed

    kiik("site", "move", SHELF, "--parent", MAIN, db=db)
    kiik("site", "move", COLD, db=db)
    assert _parents(db) == {"Main": None, "Cold": None, "Shelf": "Main"}


def test_an_organisation_is_changed_and_what_is_not_given_stays(db: str) -> None:  # noqa: F811
    kiik("org", "add", "camp", "--name", "Camp", "--kind", "harvester", db=db)
    said = kiik("org", "change", "camp", "--name", "Ural camp", db=db).stdout
    assert "name 'Camp' -> 'Ural camp'" in said and "kind" not in said
    listed = kiik("org", "list", db=db).stdout
    assert "Ural camp" in listed and "harvester" in listed
    refused = kiik("org", "change", "camp", "--kind", "wizard", db=db, check=False)
    assert refused.returncode != 0 and "unknown organisation kind" in refused.stdout + refused.stderr
    unknown = kiik("org", "change", "nobody", "--name", "X", db=db, check=False)
    assert unknown.returncode != 0 and "no organisation" in unknown.stdout + unknown.stderr
