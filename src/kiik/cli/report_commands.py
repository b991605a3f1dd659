"""`kiik report ...`: quota use and the CITES annual report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kiik.cli.common import DbOption, console, registry_for, root_operator
from kiik.permits.services.reports import annual_report, as_csv, quota_use

report = typer.Typer(help="Reports: quota use, CITES annual report.", no_args_is_help=True)


@report.command("quota-use")
def quota_use_command(year: int | None = None, db: DbOption = None) -> None:
    """Quota use per year and per exporter (JSON)."""
    console.print_json(json.dumps(quota_use(registry_for(db).uow(), root_operator(), year)))


@report.command("cites-annual")
def cites_annual(
    year: Annotated[int, typer.Option()],
    out: Annotated[Path | None, typer.Option("--out", help="file to write; stdout when absent")] = None,
    db: DbOption = None,
) -> None:
    """The CITES annual report rows as CSV (Trade Database upload format, exporter side)."""
    text = as_csv(annual_report(registry_for(db).uow(), root_operator(), year))
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text)
        console.print(f"{out} written")


def register(app: typer.Typer) -> None:
    app.add_typer(report, name="report")
