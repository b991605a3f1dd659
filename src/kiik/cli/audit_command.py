"""`kiik audit`: the trail of administrative actions, newest first."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, registry_for, root_operator
from kiik.directory.services.audit import read_audit


def audit(
    since: Annotated[str | None, typer.Option(help="only entries from this day or moment (ISO 8601)")] = None,
    action: Annotated[
        str | None, typer.Option(help="only actions starting so: permit., token.created")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 100,
    as_json: bool = typer.Option(False, "--json", help="print the entries as JSON"),
    db: DbOption = None,
) -> None:
    """Who changed what and when: organisations, sites, tokens, keys, partners, permits, settings."""
    try:
        moment = datetime.fromisoformat(since) if since else None
    except ValueError:
        raise fail(
            f"--since {since!r} is not a date or time: give it as 2026-12-06 or 2026-12-06T10:00"
        ) from None
    entries = read_audit(registry_for(db).uow(), root_operator(), since=moment, action=action, limit=limit)
    if as_json:
        console.print_json(json.dumps([e.to_json() for e in entries]))
        return
    table = Table("when (UTC)", "who", "action", "subject", "details", box=None)
    for entry in entries:
        details = ", ".join(f"{k}={v}" for k, v in entry.details.items() if v not in (None, "", []))
        table.add_row(
            entry.at.isoformat(timespec="seconds"), entry.actor, entry.action, entry.subject, details
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
