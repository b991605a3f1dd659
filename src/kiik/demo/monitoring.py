"""The demo's monitoring: census history, a 2025 offtake plan per population with its
justification, and the camera-trap season at three fence passages (`camera_season`), imported as a
Camtrap DP package through the same validation as any other.

Plans are recorded before the season's harvest authorisations, which are then checked against them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiik.db.unit_of_work import UnitOfWork
from kiik.demo.camera_season import END, PASSAGES, SPECIES, START, camera_season
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.auth import add_organisation
from kiik.monitoring.domain.camtrap_descriptor import camtrap_descriptor
from kiik.monitoring.services.camtrap_import import PackageImported, import_package
from kiik.monitoring.services.census import import_census
from kiik.monitoring.services.plans import RecordPlan, record_plan
from kiik.monitoring.services.ports import PackageSource

SCIENTISTS = ("kz-zoology", "Institute of Zoology: saiga and fence-passage monitoring")
# The census history (../shared/reference/cites/saiga_census_kz.csv): spring aerial counts.
CENSUS_CSV = """survey_year,season,total,ural,betpakdala,ustyurt,source_url
2019,spring aerial,334400,217000,111500,5900,https://en.inform.kz/amp/number-of-saiga-antelopes-in-kazakhstan-increased-by-55_a3540340/
2021,spring aerial,842000,,,,https://astanatimes.com/2022/06/stunning-video-features-mass-river-crossing-by-small-antelopes-saigas-in-western-kazakhstan
2022,spring aerial,1318000,801000,489000,28000,https://astanatimes.com/2022/06/stunning-video-features-mass-river-crossing-by-small-antelopes-saigas-in-western-kazakhstan
2023,spring aerial,1915000,1130000,745300,39700,https://7232.kz/news/3603298/v-kazahstane-perescitali-sajgakov-posle-okota-ih-stalo-pocti-2-mln
2024,spring aerial (14 Apr-1 May),2833600,1620000,1150000,63600,https://altyndala.org/results-from-the-2024-saiga-aerial-census-in-kazakhstan-are-in/
"""
# Season 2025, at most 5 % of each population's 2024 estimate (the last count of each population).
PLANS = {"Ural": 40_000, "Betpakdala": 30_000, "Ustyurt": 2_000}
RULE_SHARE = 0.05
PACKAGE_ID = "kiik-demo-fence-passages-2025"


class PackageFiles(Protocol):
    """How the demo writes its package to a folder and reads it back (validated): given by the caller."""

    def write(
        self, folder: Path, descriptor: dict[str, Any], tables: dict[str, list[dict[str, Any]]]
    ) -> None: ...
    def read(self, folder: Path) -> PackageSource: ...


@dataclass(frozen=True)
class MonitoringDemo:
    surveys: int
    plans: int
    package: PackageImported | None


def load_monitoring(
    uow_factory: Callable[[], UnitOfWork], ministry: Principal, files: PackageFiles | None
) -> MonitoringDemo:
    code, name = SCIENTISTS
    org_id = add_organisation(uow_factory(), code, name, OrgKind.RESEARCH.value)
    scientists = Principal(org_id, code, name, OrgKind.RESEARCH, Role.OPERATOR)
    census = import_census(uow_factory(), scientists, CENSUS_CSV)
    for population, animals in PLANS.items():
        justification = (
            f"Biological justification of the 2025 saiga offtake, {population} population: the spring 2024 "
            f"aerial census; offtake at most {RULE_SHARE:.0%} of the estimate, males only.\n"
        ).encode()
        plan = RecordPlan(
            population, 2025, animals, "estimate", RULE_SHARE, f"justification-{population.lower()}-2025.txt",
            "text/plain", justification,
        )  # fmt: skip
        record_plan(uow_factory(), ministry, plan)
    imported = None
    if files is not None:
        with tempfile.TemporaryDirectory(prefix="kiik-demo-camtrap-") as work:
            folder = Path(work)
            tables = camera_season()
            files.write(folder, _descriptor(), tables)
            imported = import_package(uow_factory(), scientists, files.read(folder))
    return MonitoringDemo(census.added, len(PLANS), imported)


def _descriptor() -> dict[str, Any]:
    return camtrap_descriptor(
        PACKAGE_ID,
        "Camera traps at border-fence passages, Mangistau and Kyzylorda, 2025 (kiik demo)",
        contributor=SCIENTISTS[1],
        positions=[(float(p["latitude"]), float(p["longitude"])) for p in PASSAGES],
        start=START.date().isoformat(),
        end=END.date().isoformat(),
        species=[name for name, *_ in SPECIES] + ["Panthera pardus tulliana"],
        extra_resources=("kiik-fence-passages", "kiik-malfunctions"),
    )
