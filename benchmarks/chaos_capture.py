"""Crash safety, shown by killing: capture through HTTP without pause while the kiik server is
killed with SIGKILL at random moments, and (on PostgreSQL) the database server too, then check that
nothing acknowledged was lost and nothing was stored in part.

    .venv/bin/python benchmarks/chaos_capture.py --db sqlite --server-kills 20
    .venv/bin/python benchmarks/chaos_capture.py --db postgres --server-kills 20 --db-kills 10

PostgreSQL runs in a cluster of the script's own (initdb, its own port and folder; the machine's
shared server is never touched). Clients send documents of 1 to 400 commissioning events; every
horn's serial names its document, so each document's events can be counted afterwards. Checks, each
printed, and the exit code is 1 when any fails:

1. every document acknowledged as captured (job succeeded) is stored, all its events;
2. no document is stored in part (a document's events are all there or none);
3. `kiik verify-log` passes (the Merkle log, checkpoints, columns and item states);
4. no capture job is left running: each one polled says succeeded or failed;
5. capture goes on: a document sent after the last kill is captured.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pg_cluster import Cluster, free_port, scratch  # noqa: E402

from kiik.db.engine import normalise_url  # noqa: E402
from kiik.epcis.domain import event_builders as build  # noqa: E402

KIIK = [sys.executable, "-m", "kiik.cli.main"]
SITE = "urn:epc:id:sgln:4870002.00000.0"
PREFIX = "urn:epc:id:sgtin:4870002.000001."
SIZES = (1, 10, 100, 400)


def kiik(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([*KIIK, *args], capture_output=True, text=True, env={**os.environ, **env})
    if done.returncode != 0:
        raise SystemExit(f"kiik {' '.join(args)} failed: {done.stdout}{done.stderr}")
    return done.stdout


def document(number: int, size: int) -> bytes:
    moment = datetime(2025, 9, 12, tzinfo=UTC) + timedelta(seconds=number)
    events = [
        build.commissioning([f"{PREFIX}{number}{i:04d}"], moment, SITE, ilmd={"massKg": 0.25})
        for i in range(size)
    ]
    return json.dumps(build.document(events)).encode()


class Server:
    """`kiik serve` in a process group of its own, killed whole with SIGKILL."""

    def __init__(self, db: str, env: dict[str, str], workers: int) -> None:
        self.db, self.env, self.workers = db, env, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [*KIIK, "serve", "--db", self.db, "--port", str(self.port)]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **self.env},
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/epcis/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise SystemExit("kiik serve did not start")

    def kill(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


class Clients:
    """Threads that capture one document after another and remember how each ended."""

    def __init__(self, base: str, token: str, count: int, seed: int) -> None:
        self.base, self.token, self.count = base, token, count
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.next_number = 1
        self.sizes: dict[int, int] = {}  # document -> events sent
        self.outcome: dict[int, str] = {}  # document -> succeeded | failed | unknown
        self.jobs: dict[int, str] = {}  # document -> its job's location
        self.refusals = 0  # answers 5xx while the database was down (sent again)
        self.statuses: Counter[int] = Counter()  # answers other than 202, by status
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=600)

    def _take(self) -> tuple[int, int]:
        with self.lock:
            number = self.next_number
            self.next_number += 1
            size = self.random.choice(SIZES)
            self.sizes[number] = size
        return number, size

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/ld+json"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=30) as http:
            while not self.stopping.is_set():
                number, size = self._take()
                self.outcome[number] = self.capture(http, number, size)

    def capture(self, http: httpx.Client, number: int, size: int) -> str:
        body = document(number, size)
        while True:
            try:
                answer = http.post("/epcis/capture", content=body)
            except httpx.ConnectError:  # nobody listening: not sent; send it when the server is back
                time.sleep(0.1)
                continue
            except httpx.HTTPError:
                return "unknown"  # the server died before it answered: stored whole or not at all
            if answer.status_code != 202:
                self.statuses[answer.status_code] += 1
            if answer.status_code < 500:
                break
            # The database is down: no job was started, so nothing can be stored; send it again.
            self.refusals += 1
            time.sleep(0.2)
        if answer.status_code != 202:
            return "unknown"
        self.jobs[number] = answer.headers["Location"]
        return poll(http, answer.headers["Location"])


def poll(http: httpx.Client, location: str, timeout: float = 300) -> str:
    """How the job ended, asking again through restarts; 'running' only if it never ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            answer = http.get(location)
            if answer.status_code == 200 and not answer.json()["running"]:
                return "succeeded" if answer.json()["success"] else "failed"
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.1)
    return "running"


def stored_per_document(url: str) -> Counter[int]:
    engine = create_engine(normalise_url(url))
    counts: Counter[int] = Counter()
    with engine.connect() as connection:
        for body in connection.execute(text("SELECT body FROM events")).scalars():
            data = json.loads(body) if isinstance(body, str) else body
            for epc in data.get("epcList", []):
                if epc.startswith(PREFIX):
                    counts[int(epc[len(PREFIX) :][:-4])] += 1
        running = connection.execute(
            text("SELECT count(*) FROM capture_jobs WHERE status = 'running'")
        ).scalar()
    engine.dispose()
    counts[-1] = int(running or 0)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--server-kills", type=int, default=20)
    parser.add_argument("--db-kills", type=int, default=0, help="kills of PostgreSQL (its own cluster)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--between", type=float, nargs=2, default=(0.5, 3.0), help="seconds between kills")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (database, logs)")
    args = parser.parse_args(argv)
    if args.db == "sqlite" and args.db_kills:
        parser.error("--db-kills needs --db postgres (SQLite is in the server's process)")
    chance = random.Random(args.seed)
    folder = scratch("kiik-chaos-")
    cluster: Cluster | None = None
    env = {"KIIK_KEY_DIR": str(folder / "keys"), "KIIK_PARTNER_DELIVERY_SECONDS": "0"}
    started = time.monotonic()
    try:
        if args.db == "postgres":
            cluster = Cluster(folder / "pg").init(max_connections=200)
            cluster.start()
            db = cluster.create_database("kiik")
        else:
            db = f"sqlite:///{folder / 'kiik.db'}"
        kiik("init", "--db", db, env=env)
        kiik(
            "org",
            "add",
            "ural-1",
            "--name",
            "Ural team 1",
            "--kind",
            "harvester",
            "--pgln",
            "urn:epc:id:pgln:4870002.00000",
            "--db",
            db,
            env=env,
        )
        kiik("site", "add", "--org", "ural-1", SITE, "--name", "Camp", "--db", db, env=env)
        token = kiik("token", "create", "--org", "ural-1", "--role", "operator", "--db", db, env=env).strip()
        server = Server(db, env, args.workers)
        server.start()
        clients = Clients(server.base, token, args.clients, args.seed)
        clients.start()
        plan = ["server"] * args.server_kills + ["database"] * args.db_kills
        chance.shuffle(plan)
        for number, target in enumerate(plan, 1):
            time.sleep(chance.uniform(*args.between))
            if target == "server":
                server.kill()
                server.start()
            else:
                assert cluster is not None
                cluster.kill()
                cluster.start()
            print(f"kill {number}/{len(plan)}: {target}", flush=True)
        time.sleep(1)
        clients.stop()
        # Capture goes on after the last kill.
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
        with httpx.Client(base_url=server.base, headers=headers, timeout=60) as http:
            last = clients.next_number
            clients.sizes[last] = 5
            clients.outcome[last] = clients.capture(http, last, 5)
            # Every job that got a Location, polled once more: none may stay running.
            still = {n: poll(http, loc, timeout=60) for n, loc in clients.jobs.items()}
        server.stop()
        stored = stored_per_document(db)
        verified = subprocess.run(
            [*KIIK, "verify-log", "--db", db], capture_output=True, text=True, env={**os.environ, **env}
        )
    finally:
        if cluster is not None:
            cluster.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    elapsed = time.monotonic() - started

    outcomes = Counter(clients.outcome.values())
    lost = [n for n, how in clients.outcome.items() if how == "succeeded" and stored[n] != clients.sizes[n]]
    partial = [n for n in clients.sizes if stored[n] not in (0, clients.sizes[n])]
    failed_but_stored = [n for n, how in clients.outcome.items() if how == "failed" and stored[n]]
    running = [n for n, how in still.items() if how == "running"]
    events = sum(count for n, count in stored.items() if n >= 0)
    checks = {
        "every acknowledged document stored whole": not lost,
        "no document stored in part": not partial,
        "no failed job stored anything": not failed_but_stored,
        "kiik verify-log passes": verified.returncode == 0,
        "no capture job left running": not running and stored[-1] == 0,
        "capture goes on after the last kill": clients.outcome[last] == "succeeded",
    }
    print(
        f"{args.db}: {args.server_kills} server kills, {args.db_kills} database kills in {elapsed:.0f} s; "
        f"{len(clients.sizes)} documents sent: {outcomes['succeeded']} acknowledged, {outcomes['failed']} "
        f"failed (interrupted), {outcomes['unknown']} without an answer; {events:,} events stored; "
        f"{clients.refusals} answers 5xx while the database was down (sent again); other answers than 202: "
        f"{dict(clients.statuses) or 'none'}"
    )
    for name, passed in checks.items():
        print(f"  {'ok  ' if passed else 'FAIL'} {name}")
    if not all(checks.values()):
        print(
            f"lost={lost[:10]} partial={partial[:10]} failed_but_stored={failed_but_stored[:10]} "
            f"running={running[:10]} jobs_running_in_db={stored[-1]}\n{verified.stdout}{verified.stderr}"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
