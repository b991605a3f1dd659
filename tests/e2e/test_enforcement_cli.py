"""`kiik enforcement ...` as a person runs it, on SQLite and PostgreSQL."""

from __future__ import annotations

import zipfile
from pathlib import Path

from kiik.bootstrap.registry import Registry
from tests.e2e.test_cli import kiik
from tests.support.enforcement import NEVER_ISSUED, enforcement_world

HEADER = "reference,seized_on,agency,detection_method,species,term,quantity,unit,codes,origin,destination\n"


def test_import_list_inspect_and_report(registry: Registry, tmp_path: Path) -> None:
    enforcement_world(registry)
    db = registry.settings.database_url
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "S-1,2026-10-01,Customs,x-ray,Saiga tatarica,HOR,2,PAILS,,KZ,CN\n")
    refused = kiik("enforcement", "seizure-import", str(bad), "--as", "customs", db=db, check=False)
    assert refused.returncode == 1 and "rows 2 (S-1): specimens[1].unit: 'PAILS'" in refused.stdout
    good = tmp_path / "good.csv"
    good.write_text(HEADER + f"S-1,2026-10-01,Customs,x-ray,Saiga tatarica,HOR,2,NAR,{NEVER_ISSUED},KZ,CN?\n")
    assert (
        "1 seizures, 1 specimen lines"
        in kiik("enforcement", "seizure-import", str(good), "--as", "customs", db=db).stdout
    )
    seized = kiik(
        "enforcement",
        "inspect",
        "--place",
        "Barakholka",
        "--species",
        "Testudo horsfieldii",
        "--term",
        "LIV",
        "--live",
        "4",
        "--on",
        "2026-10-02",
        "--as",
        "inspector",
        db=db,
    ).stdout
    assert '"verdict": "banned"' in seized
    out = tmp_path / "report.xlsx"
    kiik("enforcement", "illegal-trade-report", "2026", "--out", str(out), "--as", "customs", db=db)
    with zipfile.ZipFile(out) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "Testudo horsfieldii" in sheet and "S-1" in sheet
