"""Peak memory of capturing one large document: the capture streams, so memory must not grow with it.

    .venv/bin/python benchmarks/bench_capture_memory.py [--events 50000 400000] [--db postgresql://...]

Each size runs in a fresh process (a fresh database too) and reports the document's size on disk,
the capture rate and the peak resident memory (ru_maxrss) of the capturing process and of the
worker process that reads a large document ahead (see kiik.epcis.adapters.capture_pipeline).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import HARVESTER_SITE as SITE  # noqa: E402
from common import capture_file, commissioning_document, fresh_registry, harvest_setup  # noqa: E402

from kiik.epcis.adapters.capture_pipeline import end_idle_workers  # noqa: E402


def child(events: int, db: str | None) -> None:
    with fresh_registry(db) as registry, tempfile.TemporaryDirectory() as folder:
        principal, _, origin = harvest_setup(registry, animals=events)
        path = commissioning_document(Path(folder) / "big.jsonld", events, "000001", SITE, origin)
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        outcome = capture_file(registry, principal, path)
        elapsed = time.perf_counter() - started
        assert outcome.succeeded and outcome.stored == events, outcome.errors[:3]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        end_idle_workers()  # a child's peak is known once it has ended
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(
            json.dumps(
                {
                    "events": events,
                    "mb": path.stat().st_size / 1e6,
                    "seconds": elapsed,
                    "baseline_mb": baseline / 1024,
                    "peak_mb": peak / 1024,
                    "worker_peak_mb": worker / 1024,
                }
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, nargs="+", default=[50_000, 400_000])
    parser.add_argument("--db", default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.events[0], args.db)
        return
    print(f"{'events':>9} {'document':>10} {'rate':>12} {'peak RSS':>10} {'worker RSS':>11}")
    for count in args.events:
        command = [sys.executable, __file__, "--child", "--events", str(count)] + (
            ["--db", args.db] if args.db else []
        )
        line = (
            subprocess.run(command, check=True, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        figures = json.loads(line)
        rate = count / figures["seconds"]
        print(
            f"{count:>9} {figures['mb']:>8.0f}MB {rate:>8.0f} ev/s {figures['peak_mb']:>8.0f}MB"
            f" {figures['worker_peak_mb']:>9.0f}MB"
        )


if __name__ == "__main__":
    main()
