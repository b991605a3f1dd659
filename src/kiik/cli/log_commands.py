"""`kiik verify-log` and `kiik log checkpoint`: the tamper-evident Merkle log of events."""

from __future__ import annotations

import json

import typer

from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.ledger.services.log_verification import verify_log
from kiik.ledger.services.merkle_log import publish_checkpoint

log = typer.Typer(help="The Merkle log of every captured event (RFC 9162).", no_args_is_help=True)


@log.command("checkpoint")
def checkpoint(db: DbOption = None) -> None:
    """Sign and print the log's checkpoint as it is now (what GET /api/log/checkpoint publishes)."""
    registry = registry_for(db)
    console.print_json(json.dumps(publish_checkpoint(registry.uow(), registry.settings.country).to_json()))


def verify(
    db: DbOption = None, as_json: bool = typer.Option(False, "--json", help="print the report as JSON")
) -> None:
    """Recompute the log from the stored events; report any edited, deleted or reordered record, any
    query column or item state that the events do not give."""
    registry = registry_for(db)
    report = verify_log(registry.uow(), registry.settings.yields)
    if as_json:
        console.print_json(json.dumps(report.to_json()))
    else:
        console.print(
            f"{report.events} events, {report.leaves} logged, {report.unlogged} awaiting the log, "
            f"{report.checkpoints} signed checkpoints checked; the columns of every event and the "
            f"states of {report.items} items checked against the events"
        )
        for problem in report.problems:
            console.print(f"[red]{problem['problem']}[/]: {problem['message']}", soft_wrap=True)
    if not report.intact:
        raise fail(
            f"the log does not match the stored events ({len(report.problems)} problems)",
            "the records named above were changed outside kiik: restore them from a backup and report it",
        )
    if not as_json:
        console.print("the log matches the stored events")


def register(app: typer.Typer) -> None:
    app.add_typer(log, name="log")
    app.command("verify-log")(verify)
