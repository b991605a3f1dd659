"""The demo's monitoring on both databases: census history, plans recorded before the season's
authorisations, three fence passages with a season of camera traps, the leopard and the vehicle."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from kiik.bootstrap.registry import Registry
from kiik.demo.cast import load_demo
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.harvest.services.offtake_report import offtake_report
from kiik.monitoring.adapters.camtrap_reader import read_package
from kiik.monitoring.adapters.camtrap_writer import FolderWriter
from kiik.monitoring.domain.analysis import AnalysisRequest
from kiik.monitoring.services.analysis import detection_rates
from kiik.monitoring.services.passages import list_alerts

BORDER_SERVICE = Principal(0, "kz-customs", "Customs", OrgKind.CUSTOMS, Role.VIEWER)


class Files:
    def write(
        self, folder: Path, descriptor: dict[str, Any], tables: dict[str, list[dict[str, Any]]]
    ) -> None:
        writer = FolderWriter(folder)
        for table in ("deployments", "media", "observations"):
            writer.write_dicts(table, tables[table])
        for resource in ("kiik-fence-passages", "kiik-malfunctions"):
            writer.write_records(resource, tables[resource])
        writer.finish(descriptor)

    def read(self, folder: Path) -> Any:
        return read_package(folder)


def test_the_demo_monitors_the_passages_and_plans_the_harvest(registry: Registry) -> None:
    result = load_demo(
        registry.uow,
        open_capture_document,
        custody_rules=registry.settings.custody_rules,
        yields=registry.settings.yields,
        horns=40,
        seed=4,
        camera_trap_files=Files(),
    )
    monitoring = result.monitoring
    assert monitoring is not None and monitoring.package is not None
    assert (monitoring.surveys, monitoring.plans, monitoring.package.passages_added) == (17, 3, 3)
    assert monitoring.package.malfunctions == 1
    report = offtake_report(registry.uow(), BORDER_SERVICE)
    assert {r["population"]: r["planned"] for r in report} == {
        "Ural": 40_000,
        "Betpakdala": 30_000,
        "Ustyurt": 2_000,
    }
    assert sum(r["registered"] for r in report) == 20  # 40 horns of 20 animals, all under plans
    kinds = [(a["kind"], a["locationID"]) for a in list_alerts(registry.uow(), BORDER_SERVICE)]
    assert kinds == [("vehicle", "KZO-UZ-01"), ("species of concern", "MNG-UZ-01")]
    rows = detection_rates(
        registry.uow(), BORDER_SERVICE, AnalysisRequest(threshold=timedelta(minutes=30), compare_opening=True)
    )
    kyzylkum = {(r.species, r.period): r for r in rows if r.location_id == "KZO-UZ-01"}
    before, after = (
        kyzylkum[("Gazella subgutturosa", "before opening")],
        kyzylkum[("Gazella subgutturosa", "after opening")],
    )
    assert after.per_100_trap_nights > before.per_100_trap_nights > 0  # the passage opened on 1 June
    broken = next(r for r in rows if r.location_id == "MNG-TM-01" and r.period == "after opening")
    assert broken.trap_nights == 168.0  # 182 days less the two weeks without power
    assert {r.species for r in rows} >= {
        "Gazella subgutturosa",
        "Ovis vignei",
        "Equus hemionus",
        "Panthera pardus tulliana",
    }
