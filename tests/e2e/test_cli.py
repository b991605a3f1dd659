"""The `kiik` command as a person runs it: a real process, a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiik.epcis.domain import event_builders as build

KIIK = [sys.executable, "-m", "kiik.cli.main"]


def kiik(
    *args: str, db: str | None = None, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    command = [*KIIK, *args, *(["--db", db] if db else [])]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}: {result.stdout}{result.stderr}")
    return result


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kiik.db'}"
    kiik("init", db=url)
    return url


def test_init_creates_and_is_repeatable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'kiik.db'}"
    assert "database ready" in kiik("init", db=url).stdout
    assert "database ready" in kiik("init", db=url).stdout
    assert (tmp_path / "sub" / "kiik.db").exists()


def test_commands_refuse_an_uninitialised_database(tmp_path: Path) -> None:
    result = kiik("demo", db=f"sqlite:///{tmp_path / 'none.db'}", check=False)
    assert result.returncode == 1 and "kiik init" in result.stderr


def test_organisations_tokens_and_capture(db: str, tmp_path: Path) -> None:
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
    )
    kiik("site", "add", "--org", "ural-1", "urn:epc:id:sgln:4870002.00000.0", "--name", "Camp", db=db)
    listing = kiik("org", "list", db=db).stdout
    assert "ural-1" in listing and "https://id.gs1.org/417/4870002000003" in listing
    token = kiik("token", "create", "--org", "ural-1", "--role", "operator", db=db).stdout.strip()
    assert token.startswith("kiik_") and len(token) > 40

    moment = datetime(2025, 9, 12, 8, 0, tzinfo=UTC)
    horn = "urn:epc:id:sgtin:4870002.000001.1"
    good = tmp_path / "harvest.jsonld"
    good.write_text(
        json.dumps(
            build.document(
                [
                    build.commissioning(
                        [horn], moment, "urn:epc:id:sgln:4870002.00000.0", ilmd={"massKg": 0.25}
                    )
                ]
            )
        )
    )
    result = kiik("capture", "--org", "ural-1", str(good), db=db)
    assert "1 stored" in result.stdout

    again = tmp_path / "again.jsonld"
    again.write_text(
        json.dumps(
            build.document(
                [
                    build.commissioning(
                        ["https://id.gs1.org/01/04870002000010/21/1"], moment.replace(hour=9), None
                    )
                ]
            )
        )
    )
    refused = kiik("capture", "--org", "ural-1", str(again), db=db, check=False)
    assert refused.returncode == 1
    assert "identifier.already_commissioned" in refused.stderr and "nothing was stored" in refused.stderr

    trace = kiik("trace", "(01)04870002000010(21)1", db=db)
    assert "04870002000010" in trace.stdout


def test_bad_input_is_explained(db: str) -> None:
    result = kiik("org", "add", "x", "--name", "X", "--kind", "smuggler", db=db, check=False)
    assert result.returncode == 1 and "unknown organisation kind 'smuggler'" in result.stderr
    result = kiik("token", "create", "--org", "nobody", db=db, check=False)
    assert result.returncode == 1 and "no organisation with code 'nobody'" in result.stderr
    result = kiik("capture", "--org", "nobody", "missing.json", db=db, check=False)
    assert result.returncode == 1


def test_demo_loads_once_and_prints_tokens(db: str) -> None:
    first = kiik("demo", db=db)
    assert "demo data loaded" in first.stdout and "kz-ministry: kiik_" in first.stdout
    second = kiik("demo", db=db)
    assert "already present" in second.stdout and "kiik_" in second.stdout
