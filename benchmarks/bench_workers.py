"""HTTP capture with one and with several workers (`kiik serve --workers N`), on PostgreSQL, beside
the raw insert rate of the same database in the same run.

    .venv/bin/python benchmarks/bench_workers.py [--events 20000] [--workers 1 2] [--db postgresql://...]

Figures (wall-clock):

- raw insert: the ceiling, as in bench_capture.py (event and identifier rows through the event
  store's COPY path, nothing checked);
- document capture: 1,000-event documents of horn commissioning (harvest origin, every rule on),
  sent by 2×N clients at once to `kiik serve --workers N`, each polling its job to the end;
  events stored per second from the first upload to the last job's end;
- single events: `POST /epcis/events` of one commissioning event each, from 8 clients for a fixed
  time; requests per second and the latency's median and 99th percentile.

The machine's cores are shared by the server's workers, the clients and PostgreSQL: say how many
there were beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import httpx  # noqa: E402
from bench_capture import raw_insert  # noqa: E402
from common import HARVESTER_SITE as SITE  # noqa: E402
from common import commissioning_document, free_port, fresh_registry, harvest_setup  # noqa: E402

from kiik.epcis.domain import event_builders as build  # noqa: E402

KIIK = [sys.executable, "-m", "kiik.cli.main"]


def serve(url: str, workers: int, keys: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [*KIIK, "serve", "--db", url, "--port", str(port), "--workers", str(workers)],
        env={**os.environ, "KIIK_KEY_DIR": keys, "KIIK_PARTNER_DELIVERY_SECONDS": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/epcis/", timeout=1).status_code == 200:
                time.sleep(2 * workers)  # every worker up, not only the first
                return process, base
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("kiik serve did not start")


def documents(folder: Path, count: int, tag: int, origin: dict[str, str]) -> list[bytes]:
    return [
        commissioning_document(folder / f"{tag}-{n}.json", 1000, f"{tag}{n:05d}", SITE, origin).read_bytes()
        for n in range(count)
    ]


def capture_rate(base: str, token: str, bodies: list[bytes], clients: int) -> float:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
    queue = list(bodies)
    lock = threading.Lock()
    failures: list[str] = []

    def client() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=300) as http:
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                location = http.post("/epcis/capture", content=body).headers["Location"]
                while (job := http.get(location).json())["running"]:
                    time.sleep(0.02)
                if not job["success"]:
                    failures.append(json.dumps(job["errors"][:2]))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"captures failed: {failures[:3]}")
    return len(bodies) * 1000 / elapsed


def single_events(
    base: str, token: str, origin: dict[str, str], tag: int, seconds: float
) -> tuple[float, float, float]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
    latencies: list[float] = []
    refusals: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))
    start = datetime(2025, 9, 1, 6, 0, tzinfo=UTC)

    def client() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            while time.monotonic() < stop:
                with lock:
                    n = next(counter)
                event = build.commissioning(
                    [f"urn:epc:id:sgtin:4870002.9{tag:05d}.{n + 1}"],
                    start + timedelta(seconds=n),
                    SITE,
                    ilmd={
                        **origin,
                        "animalID": f"S{tag}-{n}",
                        "harvestDate": "2025-09-01",
                        "massKg": 0.25,
                        "productType": "whole_horn",
                    },
                )
                began = time.perf_counter()
                answer = http.post("/epcis/events", content=json.dumps(event))
                took = time.perf_counter() - began
                if answer.status_code != 201:
                    with lock:
                        refusals.append(f"{answer.status_code} {answer.text[:300]}")
                    return
                with lock:
                    latencies.append(took)

    threads = [threading.Thread(target=client) for _ in range(8)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if refusals:
        raise SystemExit(f"single events refused: {refusals[:2]}")
    ordered = sorted(latencies)
    return len(ordered) / elapsed, ordered[len(ordered) // 2] * 1000, ordered[int(len(ordered) * 0.99)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--events", type=int, default=20_000, help="events captured per worker count")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=float, default=10.0, help="how long single events are sent")
    args = parser.parse_args()
    per_run = max(1, args.events // 1000)
    print(f"{os.cpu_count()} cores; documents of 1,000 events, {per_run} per run")
    with fresh_registry(args.db) as registry, tempfile.TemporaryDirectory() as folder:
        animals = (per_run * 1000 * len(args.workers)) // 2 + 10**6
        _principal, token, origin = harvest_setup(registry, animals)
        raw_path = commissioning_document(Path(folder) / "raw.json", args.events, "777777", SITE, origin)
        print(f"raw insert: {raw_insert(registry, raw_path):,.0f} events/s")
        for tag, workers in enumerate(args.workers, 1):
            bodies = documents(Path(folder), per_run, tag, origin)
            process, base = serve(registry.settings.database_url, workers, str(Path(folder) / "keys"))
            try:
                rate = capture_rate(base, token, bodies, 2 * workers)
                print(f"workers={workers}: document capture {rate:,.0f} events/s", flush=True)
                per_second, p50, p99 = single_events(base, token, origin, tag, args.seconds)
                print(
                    f"workers={workers}: single events {per_second:,.0f} req/s, "
                    f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"
                )
            finally:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)


if __name__ == "__main__":
    main()
