"""`kiik backup` and `kiik restore`: the database and the signing keys, restored and verified."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kiik.bootstrap.backup import BackupError, backup, restore
from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.cli.db_commands import ensure_database


def take(
    target: Annotated[Path, typer.Argument(help="A new (or empty) folder to write the backup into")],
    db: DbOption = None,
    keys: Annotated[
        bool, typer.Option("--keys/--no-keys", help="Copy the private signing keys into the backup")
    ] = True,
) -> None:
    """Back up the registry while it serves: the database and the private signing keys."""
    registry = registry_for(db)
    try:
        manifest = backup(registry, target, keys=keys)
    except BackupError as exc:
        raise fail(f"no backup taken: {exc}") from exc
    counts = manifest["counts"]
    console.print(
        f"[green]backup taken[/] in {target}: {counts['events']:,} events, {counts['logLeaves']:,} log "
        f"leaves, {counts['checkpoints']:,} checkpoints, {counts['items']:,} items, "
        f"{manifest['privateKeys']} private keys (schema {manifest['schemaRevision']})"
    )
    if manifest["privateKeys"]:
        console.print(
            "[dim]the folder holds private keys: keep it where only the registry's operators can read it[/]"
        )
    else:
        console.print(
            "[yellow]no private keys in this backup: a registry restored from it can verify but not sign[/]"
        )


def put_back(
    source: Annotated[Path, typer.Argument(help="A folder written by `kiik backup`")],
    db: DbOption = None,
) -> None:
    """Restore a backup into a new database, then verify its Merkle log and counts."""
    registry = registry_for(db)
    try:
        restored = restore(source, registry, ensure_database=ensure_database)
    except BackupError as exc:
        raise fail(f"not restored: {exc}") from exc
    report = restored.report
    console.print(
        f"restored {restored.counts['events']:,} events and {restored.counts['items']:,} items into "
        f"{registry.engine.url.render_as_string()}; "
        f"{restored.keys} private keys into {registry.key_files.directory}"
    )
    for problem in report.problems:
        console.print(f"[red]{problem['problem']}[/]: {problem['message']}", soft_wrap=True)
    if not report.intact:
        raise fail(
            f"the restored log does not match its events ({len(report.problems)} problems)",
            "the backup was changed after it was taken: restore an older one",
        )
    console.print(
        f"[green]the log verifies[/]: {report.events:,} events, {report.leaves:,} logged, "
        f"{report.checkpoints} signed checkpoints; the counts match the manifest"
    )


def register(app: typer.Typer) -> None:
    app.command("backup")(take)
    app.command("restore")(put_back)
