"""Backups of a registry, and their restore into a fresh database (docs/operations.md).

A backup is one folder:

    manifest.json      what was taken: dialect, schema revision, when, the events, log leaves and
                       signed checkpoints counted in the same snapshot as the copy, each file's SHA-256
    database.sqlite3   SQLite: a copy made with SQLite's online backup API (the server keeps writing)
    database.pgdump    PostgreSQL: `pg_dump --format=custom` of one exported snapshot
    keys/<id>.key      the private halves of the signing keys (folder 0700, files 0600); they are not
                       in the database, and a registry restored without them can verify but not sign

Restore refuses a target that already holds tables, checks every file against the manifest,
restores, puts the keys where the restored registry looks for them, and runs the log verification
(`kiik verify-log`) on the copy: the restore succeeds only when the log verifies and the counts are
those of the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import make_url

from kiik.bootstrap.migrate import is_current
from kiik.bootstrap.registry import Registry
from kiik.db.engine import normalise_url
from kiik.ledger.services.log_verification import LogReport, verify_log

MANIFEST = "manifest.json"
FORMAT = "kiik-backup/1"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# What a backup counts in its snapshot, and the restore checks again on the copy.
COUNTED = {
    "events": "SELECT count(*) FROM events",
    "logLeaves": "SELECT count(*) FROM merkle_leaves",
    "checkpoints": "SELECT count(*) FROM merkle_checkpoints",
    "items": "SELECT count(*) FROM items",
}


class BackupError(RuntimeError):
    """A backup that cannot be taken or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]
    report: LogReport
    keys: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _counts(run: Any) -> dict[str, int]:
    return {name: int(run(query)) for name, query in COUNTED.items()}


def _revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _libpq_url(url: str) -> str:
    """The URL as pg_dump and psycopg take it (no SQLAlchemy driver name)."""
    parsed = make_url(normalise_url(url)).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _sqlite_file(url: str) -> Path:
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored: give a file")
    return Path(database).expanduser().resolve()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not on the PATH: install PostgreSQL's client programs (Debian: postgresql-client) "
            "in the version of the server or newer"
        )
    return found


def _copy_keys(source: Path, target: Path) -> int:
    """Copy the private key files, readable by their owner only; an existing different key stops it."""
    if not source.is_dir():
        return 0
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    copied = 0
    for key in sorted(source.glob("*.key")):
        destination = target / key.name
        if destination.exists():
            if destination.read_bytes() != key.read_bytes():
                raise BackupError(f"{destination} exists and holds another key: move it away first")
            continue
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key.read_bytes())
        copied += 1
    return copied


def backup(registry: Registry, target: Path, *, keys: bool = True) -> dict[str, Any]:
    """Take a backup of a running registry into `target` (a new or empty folder); the manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new folder for each backup")
    if not is_current(registry.engine):
        raise BackupError("the database is not initialised or is out of date: run `kiik init` first")
    dialect = registry.engine.dialect.name
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    database = target / DATABASE_FILES[dialect]
    if dialect == "sqlite":
        counts, revision = _backup_sqlite(_sqlite_file(registry.settings.database_url), database)
    else:
        counts, revision = _backup_postgres(registry.settings.database_url, database)
    files = {database.name: _sha256(database)}
    key_count = 0
    if keys:
        key_count = _copy_keys(registry.key_files.directory, target / "keys")
        files.update({f"keys/{key.name}": _sha256(key) for key in sorted((target / "keys").glob("*.key"))})
    manifest = {
        "format": FORMAT,
        "dialect": dialect,
        "schemaRevision": revision,
        "takenAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": make_url(normalise_url(registry.settings.database_url)).render_as_string(),
        "counts": counts,
        "privateKeys": key_count,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _backup_sqlite(source: Path, destination: Path) -> tuple[dict[str, int], str | None]:
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(destination)) as copy:
        live.backup(copy)  # page by page, while the server goes on writing
        # One self-contained file: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        counts = _counts(lambda query: copy.execute(query).fetchone()[0])
        revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    return counts, revision


def _backup_postgres(url: str, destination: Path) -> tuple[dict[str, int], str | None]:
    import psycopg

    pg_dump = _tool("pg_dump")
    with psycopg.connect(_libpq_url(url)) as connection:
        # One snapshot for the counts and the dump: what the manifest says is what the dump holds.
        connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        counts = _counts(lambda query: connection.execute(query).fetchone()[0])  # type: ignore[index]
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]  # type: ignore[index]
        done = subprocess.run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={destination}",
                f"--dbname={_libpq_url(url)}",
            ],
            capture_output=True,
            text=True,
        )
        connection.rollback()
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return counts, revision


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, with every file it names checked against its SHA-256."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} holds no {MANIFEST}: it is not a kiik backup folder") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{source / MANIFEST} is not JSON ({exc}): the backup is damaged") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source / MANIFEST} is not a {FORMAT} manifest")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise BackupError(f"{path} is missing from the backup")
        if _sha256(path) != expected:
            raise BackupError(f"{path} does not match its SHA-256 in the manifest: the backup is damaged")
    return manifest


def _empty(registry: Registry) -> bool:
    dialect = registry.engine.dialect.name
    if dialect == "sqlite":
        path = _sqlite_file(registry.settings.database_url)
        return not path.exists() or path.stat().st_size == 0
    with registry.engine.connect() as connection:
        return not inspect(connection).get_table_names()


def restore(source: Path, registry: Registry, ensure_database: Any = None) -> Restored:
    """Restore the backup in `source` into the registry's database, which must hold no table yet;
    then verify its log. `ensure_database(url)` creates a PostgreSQL database that does not exist."""
    manifest = read_manifest(source)
    dialect = registry.engine.dialect.name
    if manifest["dialect"] != dialect:
        raise BackupError(
            f"this backup is of a {manifest['dialect']} database and the target is {dialect}: "
            f"restore it into a {manifest['dialect']} database"
        )
    if ensure_database is not None:
        ensure_database(registry.settings.database_url)
    if not _empty(registry):
        raise BackupError(
            "the target database already holds tables: restore into a new database (a new file, or a "
            "PostgreSQL database that does not exist yet)"
        )
    database = source / DATABASE_FILES[dialect]
    if dialect == "sqlite":
        target = _sqlite_file(registry.settings.database_url)
        target.parent.mkdir(parents=True, exist_ok=True)
        registry.engine.dispose()
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as copy:
            with closing(sqlite3.connect(target)) as restored:
                copy.backup(restored)
    else:
        done = subprocess.run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={_libpq_url(registry.settings.database_url)}",
                str(database),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    keys = _copy_keys(source / "keys", registry.key_files.directory)
    with registry.engine.connect() as connection:
        counts = _counts(lambda query: connection.execute(text(query)).scalar())
        revision = _revision(connection)
    report = verify_log(registry.uow(), registry.settings.yields)
    _check(manifest, counts, revision)
    return Restored(manifest, counts, report, keys)


def _check(manifest: Mapping[str, Any], counts: Mapping[str, int], revision: str | None) -> None:
    if revision != manifest["schemaRevision"]:
        raise BackupError(
            f"the restored schema is at {revision}, the manifest says {manifest['schemaRevision']}"
        )
    differ = {
        name: (manifest["counts"][name], counts[name])
        for name in COUNTED
        if manifest["counts"][name] != counts[name]
    }
    if differ:
        listed = ", ".join(
            f"{name}: {was} in the manifest, {now} restored" for name, (was, now) in differ.items()
        )
        raise BackupError(f"the restored database does not hold what was backed up ({listed})")
