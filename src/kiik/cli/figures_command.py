"""`kiik check-figures [--repair]`: the running totals the dashboard and the stock report read,
recounted from the items and harvested horns and compared."""

from __future__ import annotations

import typer

from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.harvest.services.running_totals import recount_figures


def check_figures(
    db: DbOption = None,
    repair: bool = typer.Option(False, "--repair", help="fill the totals that differ again from the recount"),
) -> None:
    """Recount items per holder, status, site, species, product type and kind, events per
    organisation, and animals and horns per harvest authorisation, and compare them with the
    running totals kept at capture."""
    registry = registry_for(db)
    differences = recount_figures(registry.uow(), repair=repair)
    for difference in differences:
        console.print(f"[red]differs[/]: {difference.describe()}", soft_wrap=True)
    if differences and not repair:
        raise fail(
            f"{len(differences)} running totals differ from a recount",
            "the items, events or horns were changed outside kiik, or a trigger of migration 0021 "
            "is missing; run `kiik check-figures --repair` to fill the totals again from the recount",
        )
    if differences:
        console.print(f"{len(differences)} running totals filled again from the recount")
    else:
        console.print("the running totals match a recount of the items, events and harvested horns")


def register(app: typer.Typer) -> None:
    app.command("check-figures")(check_figures)
