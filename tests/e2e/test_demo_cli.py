"""`kiik demo --horns N --seed S` as a person runs it: a season, its irregularities and where to look."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import kiik


def test_demo_season_prints_irregularities_and_the_powder_lot_page(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'season.db'}"
    kiik("init", db=db)
    result = kiik("demo", "--horns", "40", "--seed", "4", db=db)
    out = result.stdout
    assert "demo data loaded" in out and "season: 40 horns of 20 animals" in out
    assert "Irregularities kiik flags" in out
    for rule in (
        "transformation.mass_balance",
        "item.not_movable",
        "harvest.outside_area",
        "identifier.already_commissioned",
        "receiving.not_shipped",
    ):
        assert rule in out
    assert "http://127.0.0.1:8000/items/urn%3Aepc%3Aclass%3Algtin%3A4870004.000002.PWD-2025-0001" in out
    assert "kz-inspectorate: kiik_" in out
    again = kiik("demo", "--horns", "40", db=db)
    assert "already present" in again.stdout
    few = kiik("demo", "--horns", "5", db=db, check=False)
    assert few.returncode == 1 and "at least 20" in few.stderr
