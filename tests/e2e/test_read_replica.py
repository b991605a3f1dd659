"""The read replica as benchmarks/replica_demo.py shows it: a primary and a streaming replica of the
script's own, the replica two seconds behind, kiik answering each query from the replica unless the
asker's own writes are not there yet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "replica_demo.py"


def test_queries_read_the_replica_and_each_organisation_reads_its_own_writes() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout
    assert "ok   the team's own query right after: 50 events, read from the primary" in lines
    assert "ok   the ministry's query at the same moment: 0 events, read from the replica" in lines
    assert "ok   the team's query 3 s later: 50 events, read from the replica" in lines
    assert "FAIL" not in lines
