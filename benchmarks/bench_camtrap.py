"""A Camtrap DP package of a million observations: import (validated whole) and detection rates.

    .venv/bin/python benchmarks/bench_camtrap.py                       # SQLite, 1,000,000 observations
    .venv/bin/python benchmarks/bench_camtrap.py --db postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/bench_camtrap.py --observations 100000 # a smaller run

The package (20 deployments at 20 passages over a season, one malfunction each; visits of five
species, each photographed one to five times seconds apart, about three observations a visit) is
written once to a temporary folder. Measured: validation (the descriptor against the official
profile, every row with frictionless), then storing it (one transaction), then detection rates over
every passage and species with the default 30-minute threshold (median of a few runs).
Targets: import < 60 s, rates < 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import fresh_registry  # noqa: E402

from kiik.directory.domain.permissions import OrgKind, Principal, Role  # noqa: E402
from kiik.directory.services.auth import add_organisation  # noqa: E402
from kiik.monitoring.adapters.camtrap_reader import read_package  # noqa: E402
from kiik.monitoring.adapters.camtrap_writer import FolderWriter  # noqa: E402
from kiik.monitoring.domain.analysis import AnalysisRequest  # noqa: E402
from kiik.monitoring.domain.camtrap_descriptor import camtrap_descriptor  # noqa: E402
from kiik.monitoring.services.analysis import detection_rates  # noqa: E402
from kiik.monitoring.services.camtrap_import import import_package  # noqa: E402

SPECIES = ("Gazella subgutturosa", "Ovis vignei", "Equus hemionus", "Vulpes corsac", "Canis lupus")
START = datetime(2025, 4, 1, tzinfo=UTC)
DAYS = 180


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def write(folder: Path, observations: int, seed: int) -> None:
    rng = random.Random(seed)
    deployments = [f"d{n:02d}" for n in range(20)]
    writer = FolderWriter(folder)
    writer.write_dicts(
        "deployments",
        [
            {"deploymentID": d, "locationID": f"P{d}", "latitude": 44.0, "longitude": 56.0,
             "deploymentStart": stamp(START), "deploymentEnd": stamp(START + timedelta(days=DAYS))}
            for d in deployments
        ],
    )  # fmt: skip
    writer.write_dicts("media", [])
    # Visits: a group passes a camera and is photographed one to five times, 2-10 s apart.
    visits = observations // 3
    spacing = DAYS * 86400 / (visits / len(deployments))

    def rows():  # type: ignore[no-untyped-def]
        n = 0
        visit = 0
        while n < observations:
            deployment = deployments[visit % len(deployments)]
            moment = START + timedelta(seconds=int(visit // len(deployments) * spacing + rng.randrange(600)))
            species = SPECIES[rng.randrange(len(SPECIES))]
            group = rng.randint(1, 9)
            for _ in range(min(rng.randint(1, 5), observations - n)):
                yield {
                    "observationID": f"o{n}", "deploymentID": deployment,
                    "eventStart": stamp(moment), "eventEnd": stamp(moment), "observationLevel": "media",
                    "observationType": "animal", "scientificName": species,
                    "count": rng.randint(1, group),
                    "observationTags": "direction:into-KZ" if visit % 2 else "",
                }  # fmt: skip
                moment += timedelta(seconds=rng.randint(2, 10))
                n += 1
            visit += 1

    writer.write_dicts("observations", rows())
    writer.write_records(
        "kiik-malfunctions",
        [
            {"deploymentID": d, "malfunctionStart": stamp(START + timedelta(days=30)),
             "malfunctionEnd": stamp(START + timedelta(days=33)), "reason": "battery"}
            for d in deployments
        ],
    )  # fmt: skip
    writer.finish(
        camtrap_descriptor(
            "bench", "benchmark package", contributor="kiik benchmarks", positions=[(44.0, 56.0)],
            start=START.date().isoformat(), end=(START + timedelta(days=DAYS)).date().isoformat(),
            species=list(SPECIES), extra_resources=("kiik-malfunctions",),
        )
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=None, help="database URL (default: a new SQLite file)")
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="detection-rate runs (median reported)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--in-process", action="store_true", help="check the rows before storing, in this process"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="kiik-bench-camtrap-") as work,
        fresh_registry(args.db) as registry,
    ):
        folder = Path(work)
        started = time.perf_counter()
        write(folder, args.observations, args.seed)
        print(f"package written: {args.observations:,} observations in {time.perf_counter() - started:.1f} s")
        org_id = add_organisation(registry.uow(), "zoology", "Institute of Zoology", OrgKind.RESEARCH.value)
        who = Principal(org_id, "zoology", "Institute of Zoology", OrgKind.RESEARCH, Role.OPERATOR)
        started = time.perf_counter()
        package = read_package(folder, background=not args.in_process)
        done = import_package(registry.uow(), who, package)
        total = time.perf_counter() - started
        how = "rows checked in this process" if args.in_process else "rows checked in a worker while stored"
        print(
            f"{registry.engine.dialect.name}: import {total:.1f} s "
            f"for {done.observations:,} observations ({how})"
        )
        times, rows = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            rows = detection_rates(registry.uow(), who, AnalysisRequest())
            times.append(time.perf_counter() - started)
        events = sum(r.events for r in rows)
        print(
            f"{registry.engine.dialect.name}: detection rates {statistics.median(times):.2f} s median of "
            f"{args.runs} ({len(rows)} rows, {events:,} events, 30-minute threshold)"
        )


if __name__ == "__main__":
    main()
