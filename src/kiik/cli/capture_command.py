"""`kiik capture --org ORG FILE...`: capture EPCIS documents through the same service as the API."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, errors, fail, operator_for, registry_for
from kiik.custody.services.capture import capture_events
from kiik.epcis.adapters.capture_source import open_capture_document


def capture(
    files: Annotated[list[Path], typer.Argument(help="EPCIS 2.0 documents, JSON-LD or XML")],
    org: Annotated[str, typer.Option("--org", help="Organisation on whose behalf the events are recorded")],
    db: DbOption = None,
) -> None:
    """Capture documents; each is stored whole or not at all."""
    registry = registry_for(db)
    principal = operator_for(registry, org)
    settings = registry.settings
    failed = False
    for path in files:
        if not path.is_file():
            raise fail(f"{path}: no such file")
        with open_capture_document(path) as reader:
            outcome = capture_events(
                registry.uow(),
                principal,
                reader.events(),
                custody_rules=settings.custody_rules,
                yields=settings.yields,
                batch_size=settings.capture_batch_size,
                max_errors=settings.max_reported_errors,
                document_problems=reader.document_problems,
                max_events=settings.max_events_per_document,
            )
        if outcome.succeeded:
            console.print(f"[green]{path}[/]: {outcome.summary()}")
            continue
        failed = True
        errors.print(f"[bold red]{path}[/]: {outcome.summary()}")
        table = Table("event", "eventID", "where", "rule", "problem", show_lines=False)
        for error in outcome.errors:
            index = error.get("eventIndex")
            where = error.get("path") or error.get("identifier") or ""
            table.add_row(
                "" if index is None else str(index),
                str(error.get("eventID") or ""),
                str(where),
                str(error.get("rule")),
                str(error.get("message")),
            )
        errors.print(table)
        if outcome.unreported_errors:
            errors.print(f"… and {outcome.unreported_errors} more problems")
    if failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("capture")(capture)
