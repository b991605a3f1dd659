"""The short run of the crash-safety script (benchmarks/chaos_capture.py; the long run, 20 server and
10 database kills, is in docs/benchmarks.md): capture through HTTP while the server, and on
PostgreSQL the database server of the script's own cluster, are killed with SIGKILL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "chaos_capture.py"


@pytest.mark.parametrize(
    "arguments",
    [
        ["--db", "sqlite", "--server-kills", "3"],
        ["--db", "postgres", "--server-kills", "1", "--db-kills", "2"],
    ],
    ids=["sqlite", "postgres"],
)
def test_kills_lose_nothing_acknowledged_and_leave_no_half_document(arguments: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments, "--between", "0.3", "1.5"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = done.stdout
    for check in (
        "every acknowledged document stored whole",
        "no document stored in part",
        "kiik verify-log passes",
        "no capture job left running",
        "capture goes on after the last kill",
    ):
        assert f"ok   {check}" in report, report
    assert " acknowledged" in report and "FAIL" not in report
