"""`kiik harvest ...` as a person runs it: a real process and a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import kiik

SHEET = Path(__file__).resolve().parents[1] / "fixtures" / "harvest-sheet.csv"


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kiik.db'}"
    kiik("init", db=url)
    kiik("org", "add", "kz-ministry", "--name", "Committee", "--kind", "ministry", db=url)
    kiik("org", "add", "ural-1", "--name", "Ural team 1", "--kind", "harvester", db=url)
    kiik("site", "add", "--org", "ural-1", "urn:epc:id:sgln:4870002.00000.0", "--name", "Camp", db=url)
    return url


def authorise(db: str, *extra: str) -> str:
    return kiik(
        "harvest", "authorise", "--org", "ural-1", "--population", "Ural",
        "--from", "2025-07-01", "--to", "2025-11-30", "--max-animals", "500", *extra, db=db,
    ).stdout  # fmt: skip


def test_authorise_import_twice_and_list(db: str, tmp_path: Path) -> None:
    assert "urn:kiik:harvest-authorisation:KZ-2025-URL-001" in authorise(db)
    first = kiik("harvest", "import", str(SHEET), "--org", "ural-1", "--key", "team1-2025-09-12", db=db)
    assert "sheet recorded: 6 horns of 3 animals, 6 events stored" in first.stdout
    second = kiik("harvest", "import", str(SHEET), "--org", "ural-1", "--key", "team1-2025-09-12", db=db)
    assert "already recorded" in second.stdout and "6 events stored" in second.stdout
    # Without --key, the sheet's SHA-256 is the key: sending it again records nothing new either.
    third = kiik("harvest", "import", str(SHEET), "--org", "ural-1", db=db)
    assert "0 events stored, 6 recorded before" in third.stdout
    again = kiik("harvest", "import", str(SHEET), "--org", "ural-1", db=db)
    assert "already recorded" in again.stdout
    listing = kiik("harvest", "authorisations", db=db).stdout
    assert "KZ-2025-URL-001" in listing and "3 of 500" in listing
    edited = tmp_path / "edited.csv"
    edited.write_bytes(SHEET.read_bytes().replace(b"0.262", b"0.263"))
    reused = kiik(
        "harvest", "import", str(edited), "--org", "ural-1", "--key", "team1-2025-09-12", db=db, check=False
    )
    assert reused.returncode == 1 and "recorded another sheet" in reused.stderr


def test_a_bad_sheet_names_its_rows_and_stores_nothing(db: str, tmp_path: Path) -> None:
    area = tmp_path / "block7.geojson"
    square = [[51.0, 50.5], [51.8, 50.5], [51.8, 51.2], [51.0, 51.2], [51.0, 50.5]]
    area.write_text(json.dumps({"type": "Polygon", "coordinates": [square]}))
    assert "block7.geojson" in authorise(db, "--area", str(area))
    bad = tmp_path / "bad.csv"
    text = SHEET.read_text().replace("50.9021,51.4206", "43.2500,76.9500").replace("subadult", "elderly")
    bad.write_text(text)
    result = kiik("harvest", "import", str(bad), "--org", "ural-1", db=db, check=False)
    assert result.returncode == 1 and "nothing was stored" in result.stderr
    for expected in ("│ 4   │ age_class", "│ 5   │ age_class", "│ 6   │ latitude", "│ 7   │ latitude"):
        assert expected in result.stderr, result.stderr
    assert "harvest.outside_area" in result.stderr
    listing = kiik("harvest", "authorisations", db=db).stdout
    assert "0 of 500" in listing
    terms = ["--population", "Mongolian", "--from", "2025-07-01", "--to", "2025-11-30", "--max-animals", "5"]
    wrong = kiik("harvest", "authorise", "--org", "ural-1", *terms, db=db, check=False)
    assert wrong.returncode == 1 and "unknown saiga population 'Mongolian'" in wrong.stderr
