"""`kiik harvest authorise|authorisations|import`: harvest authorisations and field sheets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, errors, fail, operator_for, registry_for, root_operator
from kiik.harvest.domain.authorisations import HarvestError

harvest_app = typer.Typer(help="Harvest authorisations and field registration.", no_args_is_help=True)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option} {text!r} is not a date", "write it as YYYY-MM-DD, e.g. 2025-09-01") from None


def _ministry_code(registry, given: str | None) -> str:  # type: ignore[no-untyped-def]
    if given:
        return given
    with registry.uow() as uow:
        ministries = [o.code for o in uow.directory.organisations() if o.kind == "ministry"]
    if len(ministries) != 1:
        found = ", ".join(ministries) or "none"
        raise fail(f"cannot tell which ministry issues it (ministries: {found})", "name it with --by CODE")
    return ministries[0]


@harvest_app.command("authorise")
def authorise(
    org: Annotated[str, typer.Option("--org", help="Code of the harvester organisation authorised")],
    population: Annotated[str, typer.Option(help="Ural, Betpakdala or Ustyurt")],
    valid_from: Annotated[str, typer.Option("--from", help="First day of the harvest, YYYY-MM-DD")],
    valid_to: Annotated[str, typer.Option("--to", help="Last day of the harvest (inclusive), YYYY-MM-DD")],
    max_animals: Annotated[int, typer.Option("--max-animals", help="Most animals that may be taken")],
    area: Annotated[
        Path | None,
        typer.Option(
            help="GeoJSON file with the area (Polygon/MultiPolygon); default: the population's range"
        ),
    ] = None,
    area_label: Annotated[str | None, typer.Option(help="What the area is, for people")] = None,
    number: Annotated[
        str | None, typer.Option(help="Authorisation number; default KZ-<year>-<POP>-<nnn>")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Code of the issuing ministry (default: the only one)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Issue a harvest authorisation (as the ministry) and print its identifier."""
    from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest

    registry = registry_for(db)
    shape = None
    if area is not None:
        if not area.is_file():
            raise fail(f"{area}: no such file")
        try:
            shape = json.loads(area.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise fail(f"{area} is not JSON: {exc}") from None
    command = AuthoriseHarvest(
        harvester=org,
        population=population,
        valid_from=_day(valid_from, "--from"),
        valid_to=_day(valid_to, "--to"),
        max_animals=max_animals,
        area=shape,
        area_label=area_label or (area.name if area else None),
        number=number,
    )
    ministry = operator_for(registry, _ministry_code(registry, by))
    from kiik.monitoring.domain.errors import PlanExceeded

    try:
        view = authorise_harvest(registry.uow(), ministry, command)
    except (HarvestError, PlanExceeded) as exc:
        raise fail(str(exc)) from None
    a = view.authorisation
    console.print(
        f"[green]authorised[/] {a.identifier}: {a.holder}, {a.population.value} population, "
        f"{a.window}, up to {a.max_animals} animals ({a.area_label or 'area given'})",
        soft_wrap=True,
        highlight=False,
    )


@harvest_app.command("authorisations")
def authorisations(
    org: Annotated[str | None, typer.Option("--org", help="Only this harvester's")] = None,
    db: DbOption = None,
) -> None:
    """List harvest authorisations and how many animals and horns were registered under each."""
    from kiik.harvest.services.authorisations import list_authorisations

    registry = registry_for(db)
    views = list_authorisations(registry.uow(), root_operator())
    table = Table("number", "harvester", "population", "window", "animals", "horns", "area")
    for view in views:
        a = view.authorisation
        if org and not a.holder.endswith(f"({org})"):
            continue
        table.add_row(
            a.number,
            a.holder,
            a.population.value,
            a.window,
            f"{view.animals} of {a.max_animals}",
            str(view.horns),
            a.area_label or "given",
        )
    console.print(table)


@harvest_app.command("import")
def import_sheet(
    file: Annotated[
        Path, typer.Argument(help="The field sheet: CSV, one row per horn (docs/harvest-sheet.md)")
    ],
    org: Annotated[str, typer.Option("--org", help="The harvest team's organisation code")],
    key: Annotated[
        str | None, typer.Option("--key", help="Idempotency key; default: the sheet's SHA-256")
    ] = None,
    db: DbOption = None,
) -> None:
    """Record a field sheet once: all of it or, with every problem by row and column, nothing."""
    from kiik.epcis.adapters.barcodes import parse_scanned
    from kiik.epcis.adapters.capture_source import open_capture_document
    from kiik.harvest.services.sheet_import import (
        CapturePath,
        IdempotencyKeyReused,
        ImportHarvestSheet,
        import_harvest_sheet,
    )

    if not file.is_file():
        raise fail(f"{file}: no such file")
    registry = registry_for(db)
    settings = registry.settings
    path = CapturePath(
        open_document=open_capture_document,
        custody_rules=settings.custody_rules,
        yields=settings.yields,
        read_code=parse_scanned,
        batch_size=settings.capture_batch_size,
        max_errors=settings.max_reported_errors,
    )
    principal = operator_for(registry, org)
    try:
        outcome = import_harvest_sheet(
            registry.uow(), principal, ImportHarvestSheet(file.read_bytes(), key), path
        )
    except (IdempotencyKeyReused, HarvestError) as exc:
        raise fail(str(exc)) from None
    if outcome.succeeded:
        console.print(f"[green]{file}[/]: {outcome.summary()}", soft_wrap=True, highlight=False)
        console.print(f"idempotency key: {outcome.idempotency_key}", soft_wrap=True, highlight=False)
        return
    errors.print(f"[bold red]{file}[/]: {outcome.summary()}", soft_wrap=True, highlight=False)
    table = Table("row", "column", "rule", "problem")
    for error in outcome.errors:
        table.add_row(
            "" if error.row is None else str(error.row), error.column or "", error.rule, str(error.message)
        )
    errors.print(table)
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(harvest_app, name="harvest")
