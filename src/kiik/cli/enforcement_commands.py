"""`kiik enforcement ...`: seizures (import, export, list, show, custody steps), leak alerts and
their review, regions, cases and penalty estimates, market inspections, live animals in
rehabilitation, analytics and the CITES annual illegal trade report (docs/enforcement.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from kiik.cli.common import DbOption, console, fail, operator_for, registry_for
from kiik.enforcement.domain.errors import EnforcementError, SeizureRowsInvalid

enforcement_app = typer.Typer(
    help="Seizures, leak alerts, seized goods, live animals, cases, market inspections, analytics.",
    no_args_is_help=True,
)
AsOption = Annotated[
    str, typer.Option("--as", help="Code of the organisation acting (an enforcement authority)")
]


def _run(call):  # type: ignore[no-untyped-def]
    """Call a service; a refusal is printed with what is wrong (each bad row of a file on its line)."""
    from kiik.directory.domain.permissions import NotAllowed
    from kiik.errors import NotFound

    try:
        return call()
    except SeizureRowsInvalid as exc:
        for problem in exc.problems:
            console.print(f"  - {problem}", soft_wrap=True, highlight=False)
        raise fail(f"the file has {len(exc.problems)} problems; nothing was recorded") from None
    except (EnforcementError, NotAllowed, NotFound) as exc:
        raise fail(str(exc)) from None


def _show(value: Any) -> None:
    console.print_json(json.dumps(value, default=str, ensure_ascii=False))


@enforcement_app.command("seizure-import")
def seizure_import(file: Path, org: AsOption, db: DbOption = None) -> None:
    """Import seizures from CSV (one row per specimen line), whole or not at all."""
    from kiik.enforcement.services.seizures import import_seizures

    if not file.is_file():
        raise fail(f"{file}: no such file")
    registry = registry_for(db)
    who = operator_for(registry, org)
    text = file.read_text(encoding="utf-8")
    done = _run(
        lambda: import_seizures(registry.uow(), who, text, custody_rules=registry.settings.custody_rules)
    )
    console.print(f"[green]imported:[/] {done['seizures']} seizures, {done['specimenLines']} specimen lines")


@enforcement_app.command("seizure-export")
def seizure_export(
    org: AsOption,
    out: Annotated[Path, typer.Option(help="CSV file to write")],
    year: Annotated[int | None, typer.Option(help="Only seizures of this year")] = None,
    db: DbOption = None,
) -> None:
    """Export seizures as the CSV the import reads."""
    from kiik.enforcement.services.seizures import export_seizures

    registry = registry_for(db)
    who = operator_for(registry, org)
    lines = _run(lambda: list(export_seizures(registry.uow(), who, year)))
    out.write_text("".join(lines), encoding="utf-8")
    console.print(f"[green]written:[/] {out} ({len(lines) - 1} specimen lines)")


@enforcement_app.command("seizures")
def seizures_list(
    org: AsOption,
    year: Annotated[int | None, typer.Option(help="Only this year")] = None,
    db: DbOption = None,
) -> None:
    """List seizures, newest first."""
    from kiik.enforcement.services.seizures import list_seizures

    registry = registry_for(db)
    who = operator_for(registry, org)
    for s in _run(lambda: list_seizures(registry.uow(), who, year)):
        what = ", ".join(f"{x['quantity']:g} {x['unit']} {x['term']}" for x in s["specimens"])
        console.print(
            f"{s['seizedOn']}  {s['reference']}  {s['species']}  {what}  {s['route']}", highlight=False
        )


@enforcement_app.command("seizure")
def seizure_show(reference: str, org: AsOption, db: DbOption = None) -> None:
    """Show a seizure: incident, specimens, each code's verdict, custody steps and alerts."""
    from kiik.enforcement.services.seizures import show_seizure

    registry = registry_for(db)
    who = operator_for(registry, org)
    _show(_run(lambda: show_seizure(registry.uow(), who, reference)))


@enforcement_app.command("custody")
def custody_step(
    reference: str,
    step: Annotated[str, typer.Argument(help="evidence, court, destroyed, science or returned")],
    place: Annotated[str, typer.Option(help="Where the goods are: store, court, institute, owner")],
    org: AsOption,
    note: Annotated[str | None, typer.Option(help="A note (court decision, act number)")] = None,
    db: DbOption = None,
) -> None:
    """Record the seized goods' next custody step (captured as an EPCIS event)."""
    from kiik.enforcement.services.custody import record_step

    registry = registry_for(db)
    who = operator_for(registry, org)
    done = _run(
        lambda: record_step(
            registry.uow(), who, reference, step, place, note, custody_rules=registry.settings.custody_rules
        )
    )
    console.print(f"[green]{done['step']}:[/] {done['codes']} codes, event {done['eventID']}")


@enforcement_app.command("partner-alert")
def partner_alert(reference: str, org: AsOption, db: DbOption = None) -> None:
    """Send partner registries the codes numbered in their country found in this seizure."""
    from kiik.enforcement.services.exchange import send_seizure_alerts

    registry = registry_for(db)
    who = operator_for(registry, org)
    done = _run(lambda: send_seizure_alerts(registry.uow(), who, reference, registry.settings.country))
    console.print(f"[green]sent:[/] {done['sentTo']} (delivered by `kiik partner deliver` or the server)")


@enforcement_app.command("alerts")
def alerts_list(org: AsOption, db: DbOption = None) -> None:
    """Leak alerts: all (ministry), the region's (inspectorate), or those concerning the holder."""
    from kiik.enforcement.services.alerts import list_alerts

    registry = registry_for(db)
    who = operator_for(registry, org)
    _show(_run(lambda: list_alerts(registry.uow(), who)))


@enforcement_app.command("review")
def alert_review(
    alert_id: int,
    status: Annotated[str, typer.Argument(help="investigating, explained or confirmed_leak")],
    org: AsOption,
    note: Annotated[str | None, typer.Option(help="What the review found (needed to close)")] = None,
    db: DbOption = None,
) -> None:
    """Move a leak alert's review on."""
    from kiik.enforcement.services.alerts import review_alert

    registry = registry_for(db)
    who = operator_for(registry, org)
    _show(_run(lambda: review_alert(registry.uow(), who, alert_id, status, note)))


@enforcement_app.command("region")
def region_set(org_code: str, region: str, db: DbOption = None) -> None:
    """Set the region an organisation works in (leak alerts go to the inspectorate of the holder's region)."""
    from kiik.directory.domain.permissions import OrgKind, Principal, Role
    from kiik.enforcement.services.regions import set_region

    registry = registry_for(db)
    operator = Principal(0, "operator", "Registry operator (CLI)", OrgKind.MINISTRY, Role.ADMIN)
    done = _run(lambda: set_region(registry.uow(), operator, org_code, region))
    console.print(f"[green]region:[/] {done['organisation']} works in {done['region']}")


@enforcement_app.command("case-open")
def case_open(
    number: str,
    part: Annotated[str, typer.Option(help="The part of Article 339: 1, 2 or 3")],
    offence_on: Annotated[str, typer.Option(help="Day of the offence, YYYY-MM-DD")],
    suspects: Annotated[int, typer.Option(help="How many suspects")],
    org: AsOption,
    seizure: Annotated[list[str] | None, typer.Option(help="A seizure of the case (repeat)")] = None,
    nationality: Annotated[list[str] | None, typer.Option(help="A suspect's nationality (repeat)")] = None,
    db: DbOption = None,
) -> None:
    """Open a case under Article 339; shows its penalty estimate."""
    from kiik.enforcement.domain.cases import NewCase
    from kiik.enforcement.services.cases import open_case

    registry = registry_for(db)
    who = operator_for(registry, org)
    case = NewCase(number, part, _day(offence_on), suspects, tuple(nationality or ()), tuple(seizure or ()))
    _show(_run(lambda: open_case(registry.uow(), who, case)))


@enforcement_app.command("case")
def case_show(number: str, org: AsOption, db: DbOption = None) -> None:
    """Show a case with its seizures and penalty estimate."""
    from kiik.enforcement.services.cases import show_case

    registry = registry_for(db)
    who = operator_for(registry, org)
    _show(_run(lambda: show_case(registry.uow(), who, number)))


@enforcement_app.command("penalty")
def penalty(offence_on: str, org: AsOption, db: DbOption = None) -> None:
    """The Article 339 penalty estimate for an offence on a day (YYYY-MM-DD)."""
    from kiik.enforcement.services.cases import estimate_penalty

    registry = registry_for(db)
    who = operator_for(registry, org)
    found = _run(lambda: estimate_penalty(who, _day(offence_on)))
    console.print(f"[bold]estimate[/] ({found['rule']}): {found['summary']}", highlight=False)
    console.print(found["notice"], highlight=False)


@enforcement_app.command("inspect")
def inspect(
    place: Annotated[str, typer.Option(help="The market or pharmacy")],
    species: Annotated[str, typer.Option(help="Scientific name of what is on sale")],
    term: Annotated[str, typer.Option(help="CITES term code of the product (HOR, POW, LIV, ...)")],
    org: AsOption,
    code: Annotated[str | None, typer.Option(help="The scanned or typed code")] = None,
    live: Annotated[int, typer.Option(help="Live animals on sale")] = 0,
    on: Annotated[str | None, typer.Option(help="Day of the inspection (default today)")] = None,
    db: DbOption = None,
) -> None:
    """A market inspection: the verdict on a scan (a seizure draft for anything but legal)."""
    from kiik.enforcement.services.market import MarketScan, inspect_market

    registry = registry_for(db)
    who = operator_for(registry, org)
    scan = MarketScan(place, species, term, _day(on) if on else date.today(), code, None, live)
    _show(_run(lambda: inspect_market(registry.uow(), who, scan)))


@enforcement_app.command("animals-admit")
def animals_admit(
    reference: str,
    centre: Annotated[str, typer.Option(help="The rehabilitation centre")],
    mark: Annotated[list[str], typer.Option(help="An animal's individual mark (repeat)")],
    on: Annotated[str, typer.Option(help="Day of admission")],
    org: AsOption,
    db: DbOption = None,
) -> None:
    """Admit a seizure's live animals to a rehabilitation centre."""
    from kiik.enforcement.services.rehabilitation import admit_animals

    registry = registry_for(db)
    who = operator_for(registry, org)
    done = _run(lambda: admit_animals(registry.uow(), who, reference, mark, centre, _day(on)))
    console.print(f"[green]admitted:[/] {done['admitted']} animals to {done['centre']}")


@enforcement_app.command("animal-record")
def animal_record(
    mark: str,
    kind: Annotated[str, typer.Argument(help="health_check, death or release")],
    on: Annotated[str, typer.Option(help="Day, YYYY-MM-DD")],
    org: AsOption,
    place: Annotated[str | None, typer.Option(help="Where it was released")] = None,
    latitude: Annotated[float | None, typer.Option(help="Release point")] = None,
    longitude: Annotated[float | None, typer.Option(help="Release point")] = None,
    note: Annotated[str | None, typer.Option(help="A note")] = None,
    db: DbOption = None,
) -> None:
    """A health check, a death or a release of an animal in rehabilitation."""
    from kiik.enforcement.services.rehabilitation import record_animal

    registry = registry_for(db)
    who = operator_for(registry, org)
    done = _run(
        lambda: record_animal(registry.uow(), who, mark, kind, _day(on), note, place, latitude, longitude)
    )
    console.print(f"[green]{mark}:[/] {done['status']}")


@enforcement_app.command("releases")
def releases(
    org: AsOption,
    year: Annotated[int | None, typer.Option(help="Releases of this year")] = None,
    db: DbOption = None,
) -> None:
    """How many seized animals were released where."""
    from kiik.enforcement.services.rehabilitation import released_where

    registry = registry_for(db)
    who = operator_for(registry, org)
    _show(_run(lambda: released_where(registry.uow(), who, year)))


@enforcement_app.command("analytics")
def analytics(
    start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD")],
    org: AsOption,
    rates: Annotated[
        str | None, typer.Option(help="Seizure × reporting rate per country: KZ:0.4,KG:0.1")
    ] = None,
    db: DbOption = None,
) -> None:
    """Seizure analytics: over time, by species, product, route, detection; leaks; indices."""
    from kiik.enforcement.services.analytics import read_rates, seizure_analytics

    registry = registry_for(db)
    who = operator_for(registry, org)
    _show(_run(lambda: seizure_analytics(registry.uow(), who, _day(start), _day(end), read_rates(rates))))


@enforcement_app.command("illegal-trade-report")
def illegal_trade_report(
    year: int,
    org: AsOption,
    out: Annotated[Path, typer.Option(help="File to write: .csv or .xlsx")],
    db: DbOption = None,
) -> None:
    """The CITES annual illegal trade report of a year, as CSV or XLSX (by the file's extension)."""
    from kiik.enforcement.adapters.xlsx import workbook_bytes
    from kiik.enforcement.services.analytics import as_csv
    from kiik.enforcement.services.analytics import illegal_trade_report as report

    registry = registry_for(db)
    who = operator_for(registry, org)
    header, rows = _run(lambda: report(registry.uow(), who, year))
    if out.suffix.lower() == ".xlsx":
        out.write_bytes(workbook_bytes(f"Illegal trade {year}", header, rows))
    else:
        out.write_text(as_csv(header, rows), encoding="utf-8")
    console.print(f"[green]written:[/] {out} ({len(rows)} specimen lines)")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{text!r} is not a day: write it as YYYY-MM-DD") from None


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.add_typer(enforcement_app, name="enforcement")
