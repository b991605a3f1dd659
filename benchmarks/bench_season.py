"""A full demo season captured through the capture path: time and peak memory, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_season.py [--horns 100000] [--seed 2025]
        [--db sqlite] [--db postgresql://postgres@127.0.0.1:5432/postgres]

Each database runs in a fresh child process on a fresh database, so that the peak resident memory
(ru_maxrss) is the season's own; the read-ahead worker's peak is given beside it, and the peak of the
two together (sampled every 50 ms), on which the 500 MB target is judged. The season is `kiik demo
--horns N`: authorisations, field registration in documents of 5,000 horns, shipments to the
warehouse and the plants, stock counts, processing into lots, repacks, sales, a seizure and five
refused laundering attempts, every document through the EPCIS reader, the custody and feature rules
and a capture job. The child then times the inspector's page of the season's powder lot (the trace
back to its animals, with its flags).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import fresh_registry, percentiles  # noqa: E402

from kiik.demo.cast import load_demo  # noqa: E402
from kiik.directory.domain.permissions import OrgKind, Principal, Role  # noqa: E402
from kiik.epcis.adapters.capture_pipeline import end_idle_workers  # noqa: E402
from kiik.epcis.adapters.capture_source import open_capture_document  # noqa: E402
from kiik.inspection.verdict import inspect_item  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_PEAK_MB = 500.0


class PeakMemory:
    """The largest resident memory of this process and its children (the read-ahead worker)
    together, sampled every 50 ms from /proc (Linux): the two peaks need not come at the same time."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            pids = [os.getpid(), *_children()]
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in pids))


def _children() -> list[int]:
    found = []
    for task in Path("/proc/self/task").iterdir():
        try:
            found += [int(pid) for pid in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def child(horns: int, seed: int, db: str | None) -> None:
    with fresh_registry(None if db == "sqlite" else db) as registry, PeakMemory() as memory:
        before = resource.getrusage(resource.RUSAGE_SELF)
        cpu_before = before.ru_utime + before.ru_stime
        started = time.perf_counter()
        result = load_demo(
            registry.uow,
            open_capture_document,
            custody_rules=True,
            yields=registry.settings.yields,
            horns=horns,
            seed=seed,
        )
        elapsed = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime - cpu_before
        season = result.season
        assert season is not None and season.powder_lot is not None
        inspector = Principal(0, "bench", "Benchmark", OrgKind.INSPECTORATE, Role.VIEWER)
        samples = []
        for _ in range(20):
            begun = time.perf_counter()
            inspection = inspect_item(registry.uow(), inspector, season.powder_lot, registry.settings.yields)
            samples.append(time.perf_counter() - begun)
        median, p95 = percentiles(samples)
        end_idle_workers()  # so that the read-ahead worker counts among this process's children
        worker = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(
            json.dumps(
                {
                    "db": registry.engine.dialect.name,
                    "horns": season.horns,
                    "events": season.events,
                    "jobs": season.jobs,
                    "seconds": elapsed,
                    "cpu_seconds": cpu,
                    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                    "worker_peak_mb": worker.ru_maxrss / 1024,
                    "together_peak_mb": memory.peak_kb / 1024,
                    "worker_cpu_seconds": worker.ru_utime + worker.ru_stime,
                    "lot_sources": len(inspection.trace.lineage.sources),
                    "page_median_ms": median * 1000,
                    "page_p95_ms": p95 * 1000,
                }
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--horns", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--db", action="append", help="sqlite, or a PostgreSQL admin URL (repeatable)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    databases = args.db or ["sqlite"]
    if args.child:
        child(args.horns, args.seed, databases[0])
        return
    print(
        f"{'database':<11} {'horns':>7} {'events':>7} {'seconds':>8} {'CPU s':>7} {'events/s':>9} "
        f"{'peak RSS':>9} {'worker':>7} {'together':>9} {'lot page p50/p95':>17}"
    )
    failed = False
    for db in databases:
        command = [sys.executable, __file__, "--child", "--horns", str(args.horns), "--seed", str(args.seed)]
        output = subprocess.run(command + ["--db", db], check=True, capture_output=True, text=True).stdout
        figures = json.loads(output.strip().splitlines()[-1])
        rate = figures["events"] / figures["seconds"]
        print(
            f"{figures['db']:<11} {figures['horns']:>7} {figures['events']:>7} {figures['seconds']:>7.1f}s "
            f"{figures['cpu_seconds']:>6.1f}s "
            f"{rate:>9.0f} {figures['peak_mb']:>7.0f}MB {figures['worker_peak_mb']:>5.0f}MB "
            f"{figures['together_peak_mb']:>7.0f}MB "
            f"{figures['page_median_ms']:>7.0f}/{figures['page_p95_ms']:.0f} ms "
            f"({figures['lot_sources']} horns)"
        )
        # Memory is judged on the season's process and its read-ahead worker together.
        peak = max(figures["peak_mb"], figures["together_peak_mb"])
        failed |= figures["seconds"] > TARGET_SECONDS or peak > TARGET_PEAK_MB
    print(
        f"targets: under {TARGET_SECONDS:.0f} s and {TARGET_PEAK_MB:.0f} MB per season"
        + (" (MISSED)" if failed else "")
    )


if __name__ == "__main__":
    main()
