"""`kiik monitoring ...`: census, offtake plans and their report, Camtrap DP packages, detection
rates and alerts (docs/monitoring.md)."""

from __future__ import annotations

import mimetypes
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, operator_for, registry_for, root_operator
from kiik.monitoring.domain.errors import MonitoringError, PackageInvalid

monitoring_app = typer.Typer(
    help="Census, offtake plans, camera traps at fence passages.", no_args_is_help=True
)
AsOption = Annotated[
    str, typer.Option("--as", help="Code of the organisation acting (scientists or the ministry)")
]


def _run(call):  # type: ignore[no-untyped-def]
    """Call a service; a refusal is printed with what is wrong (each problem of a package on its line)."""
    from kiik.directory.domain.permissions import NotAllowed
    from kiik.errors import NotFound

    try:
        return call()
    except PackageInvalid as exc:
        for problem in exc.problems:
            console.print(f"  - {problem}", soft_wrap=True, highlight=False)
        raise fail(f"the package is not valid ({len(exc.problems)} errors); nothing was stored") from None
    except (MonitoringError, NotAllowed, NotFound) as exc:
        raise fail(str(exc)) from None


@monitoring_app.command("census-import")
def census_import(file: Path, org: AsOption, db: DbOption = None) -> None:
    """Import the census CSV (one row per year, one column per population; blank = not reported)."""
    from kiik.monitoring.services.census import import_census

    if not file.is_file():
        raise fail(f"{file}: no such file")
    registry = registry_for(db)
    who = operator_for(registry, org)
    done = _run(lambda: import_census(registry.uow(), who, file.read_text(encoding="utf-8")))
    console.print(f"[green]census imported:[/] {done.added} surveys added, {done.unchanged} already recorded")


@monitoring_app.command("census-add")
def census_add(
    population: Annotated[str, typer.Option(help="Ural, Betpakdala, Ustyurt or Kazakhstan (the total)")],
    year: Annotated[int, typer.Option(help="Year of the survey")],
    method: Annotated[str, typer.Option(help="How the animals were counted, e.g. 'spring aerial'")],
    estimate: Annotated[int, typer.Option(help="Animals estimated")],
    source: Annotated[str, typer.Option(help="The source document: a reference or an address")],
    org: AsOption,
    ci_lower: Annotated[int | None, typer.Option(help="Lower end of the 95 % confidence interval")] = None,
    ci_upper: Annotated[int | None, typer.Option(help="Upper end of the 95 % confidence interval")] = None,
    se: Annotated[float | None, typer.Option("--se", help="Standard error")] = None,
    db: DbOption = None,
) -> None:
    """Record one census survey by hand."""
    from kiik.monitoring.domain.census import CensusSurvey
    from kiik.monitoring.services.census import record_survey

    registry = registry_for(db)
    who = operator_for(registry, org)
    survey = CensusSurvey(
        population, year, method, estimate, source, ci_lower=ci_lower, ci_upper=ci_upper, standard_error=se
    )
    done = _run(lambda: record_survey(registry.uow(), who, survey))
    console.print(f"[green]survey recorded:[/] {done.population} {done.year}: {done.estimate:,}")


@monitoring_app.command("passage-add")
def passage_add(
    location: Annotated[str, typer.Option(help="The locationID its camera deployments use")],
    name: Annotated[str, typer.Option(help="The passage's name")],
    region: Annotated[str, typer.Option(help="e.g. Mangistau, Kyzylorda")],
    fence: Annotated[str, typer.Option(help="The fence it crosses")],
    border: Annotated[str, typer.Option(help="The border, e.g. KZ-UZ")],
    latitude: Annotated[float, typer.Option()],
    longitude: Annotated[float, typer.Option()],
    org: AsOption,
    opened: Annotated[str | None, typer.Option(help="The day it opened, YYYY-MM-DD")] = None,
    db: DbOption = None,
) -> None:
    """Register a fence passage (a location watched by camera traps)."""
    from datetime import date

    from kiik.monitoring.domain.passages import FencePassage
    from kiik.monitoring.services.passages import register_passage

    try:
        opened_on = date.fromisoformat(opened) if opened else None
    except ValueError:
        raise fail(f"--opened {opened!r} is not a date", "write it as YYYY-MM-DD") from None
    registry = registry_for(db)
    who = operator_for(registry, org)
    passage = FencePassage(location, name, region, fence, border, latitude, longitude, opened_on)
    _run(lambda: register_passage(registry.uow(), who, passage))
    console.print(f"[green]passage registered:[/] {location} ({name}, {region}, {border})")


@monitoring_app.command("packages")
def packages(db: DbOption = None) -> None:
    """Camera-trap packages imported."""
    from kiik.monitoring.services.passages import list_packages

    registry = registry_for(db)
    table = Table("id", "title", "observations", "imported")
    for p in _run(lambda: list_packages(registry.uow(), root_operator())):
        table.add_row(p["id"], p["title"], f"{p['observations']:,}", p["importedAt"])
    console.print(table)


@monitoring_app.command("census")
def census(db: DbOption = None) -> None:
    """Each population's surveys by year, with the change since the survey before."""
    from kiik.monitoring.services.census import census_trends

    registry = registry_for(db)
    table = Table("population", "year", "method", "estimate", "lower bound", "change", "growth / year")
    for population, points in _run(lambda: census_trends(registry.uow(), root_operator())).items():
        for p in points:
            growth = f"{p['annualGrowth']:.1%}" if p["annualGrowth"] is not None else ""
            table.add_row(
                population,
                str(p["year"]),
                p["method"],
                f"{p['estimate']:,}",
                _n(p["lowerBound"]),
                _n(p["change"]),
                growth,
            )
    console.print(table)


def _n(value: int | None) -> str:
    return "" if value is None else f"{value:,}"


@monitoring_app.command("plan")
def plan(
    population: Annotated[str, typer.Option(help="Ural, Betpakdala or Ustyurt")],
    season: Annotated[int, typer.Option(help="The harvest season (year)")],
    max_animals: Annotated[int, typer.Option("--max-animals", help="Animals planned")],
    share: Annotated[float, typer.Option(help="The rule's share, a fraction (0.05 = 5 %)")],
    justification: Annotated[Path, typer.Option(help="The biological justification document")],
    org: AsOption,
    basis: Annotated[
        str, typer.Option(help="lower_bound (of the latest census) or estimate")
    ] = "lower_bound",
    db: DbOption = None,
) -> None:
    """Record a season's offtake plan for a population (the ministry), with its justification."""
    from kiik.monitoring.services.plans import RecordPlan, record_plan

    if not justification.is_file():
        raise fail(f"{justification}: no such file")
    registry = registry_for(db)
    who = operator_for(registry, org)
    kind = mimetypes.guess_type(justification.name)[0] or "application/octet-stream"
    command = RecordPlan(
        population, season, max_animals, basis, share, justification.name, kind, justification.read_bytes()
    )
    made = _run(lambda: record_plan(registry.uow(), who, command))
    console.print(
        f"[green]plan recorded:[/] {made.label}: {made.max_animals} animals, {made.rule.statement()} "
        f"({made.census_year} census: {made.census_basis:,}); "
        f"justification sha256 {made.justification.sha256}",
        soft_wrap=True,
        highlight=False,
    )


@monitoring_app.command("offtake")
def offtake(db: DbOption = None) -> None:
    """Plan, authorised, registered and census per population and season."""
    from kiik.harvest.services.offtake_report import offtake_report

    registry = registry_for(db)
    table = Table("season", "population", "planned", "authorised", "registered", "remaining", "census")
    for row in _run(lambda: offtake_report(registry.uow(), root_operator())):
        census = row["census"]
        seen = f"{census['estimate']:,} ({census['year']})" if census else "none"
        table.add_row(
            str(row["season"]), row["population"], _n(row["planned"]), _n(row["authorised"]),
            _n(row["registered"]), _n(row["remaining"]), seen,
        )  # fmt: skip
    console.print(table)


@monitoring_app.command("camtrap-import")
def camtrap_import(package: Path, org: AsOption, db: DbOption = None) -> None:
    """Import a Camtrap DP package (a folder with datapackage.json, or a zip of one), validated first."""
    from kiik.monitoring.adapters.camtrap_reader import read_package
    from kiik.monitoring.adapters.camtrap_writer import unzip_package
    from kiik.monitoring.services.camtrap_import import import_package

    registry = registry_for(db)
    who = operator_for(registry, org)
    with tempfile.TemporaryDirectory(prefix="kiik-camtrap-") as work:
        folder = unzip_package(package, Path(work)) if package.is_file() else package
        done = _run(lambda: import_package(registry.uow(), who, read_package(folder)))
    console.print(
        f"[green]imported[/] {done.package_key}: {done.deployments} deployments, {done.media} media, "
        f"{done.observations} observations, {done.malfunctions} malfunction intervals, "
        f"{done.passages_added} passages added, {done.alerts} alerts",
        soft_wrap=True,
    )


@monitoring_app.command("camtrap-export")
def camtrap_export(package_id: str, target: Path, db: DbOption = None) -> None:
    """Export an imported package as Camtrap DP: a folder, or a zip when TARGET ends in .zip."""
    from kiik.monitoring.adapters.camtrap_writer import FolderWriter, zip_folder
    from kiik.monitoring.services.camtrap_export import export_package

    registry = registry_for(db)
    with tempfile.TemporaryDirectory(prefix="kiik-export-") as work:
        folder = Path(work) / "package" if target.suffix == ".zip" else target
        written = _run(
            lambda: export_package(registry.uow(), root_operator(), package_id, FolderWriter(folder))
        )
        if target.suffix == ".zip":
            zip_folder(folder, target)
    counts = ", ".join(f"{count} {name}" for name, count in written.items())
    console.print(f"[green]exported[/] {package_id} to {target}: {counts}", soft_wrap=True)


@monitoring_app.command("rates")
def rates(
    threshold: Annotated[float, typer.Option(help="Minutes between independent events")] = 30,
    species: Annotated[list[str] | None, typer.Option(help="Scientific name (repeat for more)")] = None,
    location: Annotated[list[str] | None, typer.Option(help="Passage locationID (repeat for more)")] = None,
    compare_opening: Annotated[bool, typer.Option(help="Split each passage at the day it opened")] = False,
    csv: Annotated[Path | None, typer.Option(help="Write the rows as CSV to this file")] = None,
    db: DbOption = None,
) -> None:
    """Events per 100 trap-nights per passage, species and period, with the threshold and effort used."""
    from kiik.monitoring.domain.analysis import AnalysisRequest
    from kiik.monitoring.services.analysis import detection_rates, rates_csv

    registry = registry_for(db)
    request = AnalysisRequest(
        threshold=timedelta(minutes=threshold),
        species=tuple(species or ()),
        locations=tuple(location or ()),
        compare_opening=compare_opening,
    )
    rows = _run(lambda: detection_rates(registry.uow(), root_operator(), request))
    if csv is not None:
        csv.write_text(rates_csv(rows), encoding="utf-8")
    table = Table(
        "passage", "species", "period", "threshold (min)", "trap-nights", "events", "per 100", "largest group"
    )
    for r in rows:
        per = "" if r.per_100_trap_nights is None else f"{r.per_100_trap_nights:.2f}"
        table.add_row(
            r.passage or r.location_id, r.species, r.period, f"{r.threshold_minutes:g}",
            f"{r.trap_nights:.2f}", str(r.events), per, str(r.largest_group),
        )  # fmt: skip
    console.print(table)


@monitoring_app.command("alerts")
def alerts(db: DbOption = None) -> None:
    """People, vehicles and leopards seen at passages (for the border service and scientists)."""
    from kiik.monitoring.services.passages import list_alerts

    registry = registry_for(db)
    table = Table("observed (UTC)", "kind", "subject", "location", "deployment", "photo")
    for a in _run(lambda: list_alerts(registry.uow(), root_operator())):
        table.add_row(
            a["observedAt"],
            a["kind"],
            a["subject"],
            a["locationID"] or "",
            a["deploymentID"],
            a["photo"] or "",
        )
    console.print(table)


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.add_typer(monitoring_app, name="monitoring")
