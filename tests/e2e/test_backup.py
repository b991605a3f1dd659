"""`kiik backup` and `kiik restore` as an operator runs them, on SQLite and PostgreSQL: the demo
registry is backed up, restored into a new database with its keys, and its log verified there."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.e2e.test_cli import kiik


def _keys(path: Path) -> dict[str, str]:
    return {"KIIK_KEY_DIR": str(path)}


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_backup_restores_into_a_new_database_that_verifies_and_signs(
    dialect: str, new_database, tmp_path: Path
) -> None:
    source, target = new_database(dialect, "source"), new_database(dialect, "restored")
    source_keys, target_keys = _keys(tmp_path / "source-keys"), _keys(tmp_path / "restored-keys")
    kiik("init", db=source, env=source_keys)
    kiik("demo", db=source, env=source_keys)
    kiik("log", "checkpoint", db=source, env=source_keys)
    original = json.loads(kiik("verify-log", "--json", db=source, env=source_keys).stdout)

    taken = kiik("backup", str(tmp_path / "backup"), db=source, env=source_keys).stdout
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["events"] == original["events"] > 600
    assert manifest["counts"]["checkpoints"] == 1 and manifest["privateKeys"] == 1
    assert f"{original['events']:,} events" in taken
    key_file = next((tmp_path / "backup" / "keys").glob("*.key"))
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "backup").stat().st_mode) == 0o700

    restored = kiik("restore", str(tmp_path / "backup"), db=target, env=target_keys).stdout
    assert "the log verifies" in restored and "the counts match the manifest" in restored
    assert (tmp_path / "restored-keys" / key_file.name).read_bytes() == key_file.read_bytes()
    again = json.loads(kiik("verify-log", "--json", db=target, env=target_keys).stdout)
    assert (again["events"], again["leaves"], again["intact"]) == (
        original["events"],
        original["leaves"],
        True,
    )
    # The restored registry signs with the restored key: a new checkpoint over the same log.
    checkpoint = json.loads(kiik("log", "checkpoint", db=target, env=target_keys).stdout)
    assert checkpoint["tree_size"] == original["leaves"] and checkpoint["key_id"] == key_file.stem

    # A second restore into the same (now full) database is refused and changes nothing.
    refused = kiik("restore", str(tmp_path / "backup"), db=target, env=target_keys, check=False)
    assert refused.returncode == 1 and "already holds tables" in refused.stderr


def test_a_damaged_or_edited_backup_is_not_restored(new_database, tmp_path: Path) -> None:
    source = new_database("sqlite", "source")
    keys = _keys(tmp_path / "keys")
    kiik("init", db=source, env=keys)
    kiik("demo", db=source, env=keys)
    folder = tmp_path / "backup"
    kiik("backup", str(folder), "--no-keys", db=source, env=keys)
    assert not (folder / "keys").exists()

    # Damaged in storage: the file no longer matches its manifest.
    database = folder / "database.sqlite3"
    original = database.read_bytes()
    database.write_bytes(original[:-4096])
    damaged = kiik("restore", str(folder), db=new_database("sqlite", "a"), check=False)
    assert damaged.returncode == 1 and "does not match its SHA-256" in damaged.stderr
    assert not (tmp_path / "a.db").exists()

    # Edited with care (an event's time changed and the manifest's hash rewritten): the log catches it.
    database.write_bytes(original)
    connection = sqlite3.connect(database)
    connection.execute("UPDATE events SET event_time = '2020-01-01 00:00:00' WHERE id = 5")
    connection.commit()
    connection.close()
    manifest = json.loads((folder / "manifest.json").read_text())
    import hashlib

    manifest["files"]["database.sqlite3"] = hashlib.sha256(database.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    edited = kiik(
        "restore", str(folder), db=new_database("sqlite", "b"), env=_keys(tmp_path / "b"), check=False
    )
    assert edited.returncode == 1 and "does not match its events" in edited.stderr

    # A PostgreSQL target for a SQLite backup is refused, naming both.
    wrong = kiik(
        "restore", str(folder), db=new_database("postgres", "c"), env=_keys(tmp_path / "c"), check=False
    )
    assert (
        wrong.returncode == 1
        and "backup is of a sqlite database and the target is postgresql" in wrong.stderr
    )


def test_backup_refuses_a_folder_in_use(new_database, tmp_path: Path) -> None:
    source = new_database("sqlite", "source")
    kiik("init", db=source, env=_keys(tmp_path / "keys"))
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    refused = kiik("backup", str(tmp_path / "used"), db=source, env=_keys(tmp_path / "keys"), check=False)
    assert refused.returncode == 1 and "is not empty" in refused.stderr
    assert sorted(p.name for p in (tmp_path / "used").iterdir()) == ["notes.txt"]
