"""`kiik serve --workers 2` on PostgreSQL, as an operator starts it: clients capture through both
workers at once; every acknowledged document is stored whole, the Merkle log has one order of leaves
and verifies; a worker killed mid-capture leaves no job "running" for its client; SQLite refuses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from kiik.epcis.domain import event_builders as build
from tests.e2e.test_cli import KIIK, kiik
from tests.support.browser import free_port

SITE = "urn:epc:id:sgln:4870002.00000.0"


def _document(client: int, number: int, size: int) -> bytes:
    moment = datetime(2025, 9, 12, 8, 0, tzinfo=UTC) + timedelta(minutes=client * 1000 + number)
    horns = [f"urn:epc:id:sgtin:4870002.000001.{client}{number:04d}{i:03d}" for i in range(size)]
    events = [build.commissioning([horn], moment, SITE, ilmd={"massKg": 0.25}) for horn in horns]
    return json.dumps(build.document(events)).encode()


def _workers(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    workers = []
    for pid in map(int, children):
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        if b"spawn_main" in command:
            workers.append(pid)
    return workers


def _wait_ready(base: str, server: subprocess.Popen, workers: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[0]
        try:
            if httpx.get(f"{base}/epcis/", timeout=2).status_code == 200 and len(_workers(server)) == workers:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("the workers did not start")


def _poll(client: httpx.Client, location: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(location).json()
        if not job["running"]:
            return job
        time.sleep(0.1)
    raise AssertionError(f"{location} still running")


def test_two_workers_capture_at_once_and_a_dead_worker_leaves_no_job_running(
    new_database, tmp_path: Path
) -> None:
    db = new_database("postgres", "workers")
    env = {"KIIK_KEY_DIR": str(tmp_path / "keys")}
    kiik("init", db=db, env=env)
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
        db=db,
        env=env,
    )
    kiik("site", "add", "--org", "ural-1", SITE, "--name", "Camp", db=db, env=env)
    token = kiik("token", "create", "--org", "ural-1", "--role", "operator", db=db, env=env).stdout.strip()
    port = free_port()
    server = subprocess.Popen(
        [*KIIK, "serve", "--db", db, "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, server, 2)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
        acknowledged: list[dict] = []
        lock = threading.Lock()

        def client(number: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                for document in range(3):
                    answer = http.post("/epcis/capture", content=_document(number, document, 40))
                    assert answer.status_code == 202, answer.text
                    job = _poll(http, answer.headers["Location"])
                    with lock:
                        acknowledged.append(job)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(1, 7)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(acknowledged) == 18 and all(job["success"] for job in acknowledged), acknowledged
        assert sum(job["storedCount"] for job in acknowledged) == 18 * 40

        # One worker is killed while it captures a large document; whichever worker the client
        # polls next says how the job ended instead of "running" for ever.
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            answer = http.post("/epcis/capture", content=_document(9, 1, 3000))
            assert answer.status_code == 202
            for pid in _workers(server):
                os.kill(pid, signal.SIGKILL)
            _wait_ready(base, server, 2)  # the supervisor starts new workers
            job = _poll(http, answer.headers["Location"])
        assert not job["running"]
        if not job["success"]:
            assert job["errors"][0]["rule"] == "capture.interrupted" and job["storedCount"] == 0
        else:
            assert job["storedCount"] == 3000
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=60)

    report = json.loads(kiik("verify-log", "--json", db=db, env=env).stdout)
    stored = 18 * 40 + (3000 if job["success"] else 0)
    assert (report["events"], report["leaves"], report["intact"]) == (stored, stored, True)


def test_sqlite_refuses_more_than_one_worker(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'kiik.db'}"
    kiik("init", db=db)
    refused = kiik("serve", "--workers", "2", db=db, check=False)
    assert refused.returncode == 1
    assert "--workers 2 needs PostgreSQL" in refused.stderr and "one worker" in refused.stderr
