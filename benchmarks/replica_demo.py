"""A PostgreSQL primary and a streaming replica on loopback ports, with kiik reading its event
queries from the replica (KIIK_READ_DATABASE_URL) and writing to the primary.

    .venv/bin/python benchmarks/replica_demo.py

The replica applies the primary's log two seconds late (`recovery_min_apply_delay`), so what it shows
is not luck of timing: right after the harvest team captures, its own query is served by the primary
(it must see its own events), while the ministry's query, served by the replica, does not show them
yet; once the replica has caught up both read from the replica. Each step is printed with the
`Kiik-Read-From` header kiik answered; the exit code is 1 when a step is not as described.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chaos_capture import kiik  # noqa: E402
from pg_cluster import Cluster, free_port, scratch  # noqa: E402

from kiik.epcis.domain import event_builders as build  # noqa: E402

KIIK = [sys.executable, "-m", "kiik.cli.main"]
SITE = "urn:epc:id:sgln:4870002.00000.0"
DELAY_S = 2


def main() -> int:
    folder = scratch("kiik-replica-")
    primary = Cluster(folder / "primary").init(wal_level="replica", max_wal_senders=5)
    replica: Cluster | None = None
    server: subprocess.Popen[bytes] | None = None
    failures: list[str] = []

    def step(text: str, ok: bool) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {text}")
        if not ok:
            failures.append(text)

    try:
        primary.start()
        db = primary.create_database("kiik")
        replica = primary.replica(folder / "replica", recovery_min_apply_delay=f"'{DELAY_S}s'")
        replica.start()
        read_db = replica.url("kiik")
        print(f"primary {db}\nreplica {read_db} (applies the log {DELAY_S} s late)")
        env = {"KIIK_KEY_DIR": str(folder / "keys"), "KIIK_PARTNER_DELIVERY_SECONDS": "0"}
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
        kiik("org", "add", "mepr", "--name", "Ministry", "--kind", "ministry", "--db", db, env=env)
        kiik("site", "add", "--org", "ural-1", SITE, "--name", "Camp", "--db", db, env=env)
        team = kiik("token", "create", "--org", "ural-1", "--role", "operator", "--db", db, env=env).strip()
        ministry = kiik("token", "create", "--org", "mepr", "--role", "viewer", "--db", db, env=env).strip()
        time.sleep(DELAY_S + 1)  # the replica knows the organisations and tokens
        port = free_port()
        server = subprocess.Popen(
            [*KIIK, "serve", "--db", db, "--port", str(port)],
            env={**os.environ, **env, "KIIK_READ_DATABASE_URL": read_db},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if httpx.get(f"{base}/epcis/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)

        def events(token: str) -> tuple[int, str]:
            answer = httpx.get(
                f"{base}/epcis/events?perPage=100", headers={"Authorization": f"Bearer {token}"}
            )
            answer.raise_for_status()
            listed = answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            return len(listed), answer.headers.get("Kiik-Read-From", "?")

        moment = datetime(2025, 9, 12, 8, 0, tzinfo=UTC)
        document = build.document(
            [
                build.commissioning(
                    [f"urn:epc:id:sgtin:4870002.000001.{n}"], moment, SITE, ilmd={"massKg": 0.25}
                )
                for n in range(1, 51)
            ]
        )
        headers = {"Authorization": f"Bearer {team}", "Content-Type": "application/ld+json"}
        answer = httpx.post(f"{base}/epcis/capture", content=json.dumps(document), headers=headers)
        while httpx.get(f"{base}{answer.headers['Location']}", headers=headers).json()["running"]:
            time.sleep(0.05)
        print("the harvest team captured 50 events")
        count, source = events(team)
        step(
            f"the team's own query right after: {count} events, read from the {source}",
            count == 50 and source == "primary",
        )
        count, source = events(ministry)
        step(
            f"the ministry's query at the same moment: {count} events, read from the {source} "
            f"(not applied there yet)",
            count == 0 and source == "replica",
        )
        time.sleep(DELAY_S + 1)
        count, source = events(team)
        step(
            f"the team's query {DELAY_S + 1} s later: {count} events, read from the {source}",
            count == 50 and source == "replica",
        )
        count, source = events(ministry)
        step(
            f"the ministry's query then: {count} events, read from the {source}",
            count == 50 and source == "replica",
        )
        refused = subprocess.run(
            ["psql", read_db, "-c", "DELETE FROM events"], capture_output=True, text=True
        )
        step("the replica refuses writes (read-only transaction)", "read-only" in refused.stderr)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        if replica is not None:
            replica.stop()
        primary.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
