"""`kiik monitoring ...` as a person runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from kiik.bootstrap.registry import Registry
from tests.e2e.test_cli import kiik
from tests.support.monitoring import CENSUS_FILE, example_package
from tests.support.small_passage import write_small_passage


def test_census_plan_packages_rates_and_alerts(registry: Registry, tmp_path: Path) -> None:
    db = registry.settings.database_url
    kiik("org", "add", "zoology", "--name", "Institute of Zoology", "--kind", "research", db=db)
    kiik(
        "org",
        "add",
        "kz-ministry",
        "--name",
        "Committee of Forestry and Wildlife",
        "--kind",
        "ministry",
        db=db,
    )
    out = kiik("monitoring", "census-import", str(CENSUS_FILE), "--as", "zoology", db=db).stdout
    assert "18 surveys added, 0 already recorded" in out
    assert "1,620,000" in kiik("monitoring", "census", db=db).stdout
    justification = tmp_path / "ural-2025.txt"
    justification.write_text("5 % of the 2024 estimate\n")
    terms = ("--population", "Ural", "--season", "2025", "--max-animals", "60000", "--share", "0.05")
    by = ("--justification", str(justification), "--as", "kz-ministry")
    plan = kiik("monitoring", "plan", *terms, "--basis", "estimate", *by, db=db)
    assert "the 2025 offtake plan for Ural: 60000 animals" in plan.stdout
    refused = kiik("monitoring", "plan", *terms, *by, db=db, check=False)
    assert refused.returncode == 1 and "reports no confidence interval" in refused.stderr
    assert "60,000" in kiik("monitoring", "offtake", db=db).stdout
    by_hand = ("--population", "Ural", "--year", "2025", "--method", "spring aerial", "--estimate", "1900000")
    sources = ("--source", "report 2025", "--ci-lower", "1700000", "--ci-upper", "2100000", "--as", "zoology")
    assert "Ural 2025: 1,900,000" in kiik("monitoring", "census-add", *by_hand, *sources, db=db).stdout
    place = (
        "--location",
        "MNG-01",
        "--name",
        "Ustyurt 1",
        "--region",
        "Mangistau",
        "--fence",
        "Ustyurt fence",
    )
    where = ("--border", "KZ-UZ", "--latitude", "44.6", "--longitude", "56.0", "--opened", "2023-10-01")
    assert (
        "passage registered: MNG-01"
        in kiik("monitoring", "passage-add", *place, *where, "--as", "zoology", db=db).stdout
    )

    package = write_small_passage(tmp_path / "small")
    out = kiik("monitoring", "camtrap-import", str(package), "--as", "zoology", db=db).stdout
    assert "9 observations, 1 malfunction intervals, 1 passages added, 1 alerts" in out
    rates_file = tmp_path / "rates.csv"
    out = kiik(
        "monitoring",
        "rates",
        "--threshold",
        "60",
        "--species",
        "Gazella subgutturosa",
        "--csv",
        str(rates_file),
        db=db,
    )
    assert "46.15" in out.stdout
    header, row = list(csv.reader(rates_file.read_text().splitlines()))[:2]
    shown = dict(zip(header, row, strict=True))
    assert [shown[k] for k in ("thresholdMinutes", "trapNights", "events", "eventsPer100TrapNights")] == [
        "60.0",
        "6.5",
        "3",
        "46.154",
    ]
    assert "media/d1/IMG_0009.JPG" in kiik("monitoring", "alerts", db=db).stdout
    target = tmp_path / "export.zip"
    kiik("monitoring", "camtrap-export", "small-passage", str(target), db=db)
    assert "kiik-malfunctions.csv" in zipfile.ZipFile(target).namelist()
    assert "small-passage" in kiik("monitoring", "packages", db=db).stdout

    bad = example_package(tmp_path / "bad")
    (bad / "deployments.csv").write_text((bad / "deployments.csv").read_text().replace("51.496", "951.496"))
    refused = kiik("monitoring", "camtrap-import", str(bad), "--as", "zoology", db=db, check=False)
    assert refused.returncode == 1 and "nothing was stored" in refused.stderr
    assert "deployments, row 2, field latitude: '951.496' is above the maximum 90" in refused.stdout
