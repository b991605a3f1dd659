"""`kiik stock [--org ORG]`, `kiik stock discrepancies`, `kiik stock tolerance [VALUE]`,
`kiik stock bounds [PRODUCT_TYPE --least KG --most KG]`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, registry_for, root_operator
from kiik.custody.services.mass_bounds import SetMassBound, mass_bounds, set_mass_bound
from kiik.custody.services.stock import (
    DiscrepancyReport,
    InvalidSetting,
    StockReport,
    list_discrepancies,
    mass_tolerance,
    set_mass_tolerance,
    stock_report,
)
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.errors import NotFound, QueryError

stock_app = typer.Typer(
    help="Stock: holdings per organisation and site (by species, product type and status, counted "
    "and weighed), and what stock counts found wrong. Run without a subcommand for the holdings.",
    invoke_without_command=True,
)

OrgOption = Annotated[str | None, typer.Option("--org", help="Only this organisation (its code)")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (as the API answers)")]


def _kg(value: float | None) -> str:
    return "" if value is None else f"{value:,.3f}"


def _holdings(report: StockReport) -> None:
    table = Table(title=f"Stock ({', '.join(report.statuses)})")
    for column in ("organisation", "site", "species", "product", "status", "kind"):
        table.add_column(column)
    table.add_column("count", justify="right")
    table.add_column("kg", justify="right")
    for h in report.holdings:
        site = h.site_name or h.site or ""
        table.add_row(
            h.org.code,
            site,
            h.species or "",
            h.product_type or "",
            h.status,
            h.kind,
            f"{h.count:,}",
            _kg(h.mass_kg),
        )
    console.print(table)
    for total in report.totals():
        items, lots = f"{total['items']:,} items", f"{total['lots']:,} lots"
        console.print(f"{total['org']['code']}: {items}, {lots}, {_kg(total['mass_kg'])} kg")


@stock_app.callback()
def stock(
    ctx: typer.Context,
    org: OrgOption = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="Statuses to show (repeat it), or `all`; default: in stock"),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Holdings per organisation and site, by species, product type and status."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        report = stock_report(registry_for(db).uow(), root_operator(), org, status)
    except (NotFound, QueryError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        console.print_json(data=report.to_json())
    elif not report.holdings:
        console.print("no stock on record" + (f" for {org}" if org else ""))
    else:
        _holdings(report)


def _discrepancy_table(report: DiscrepancyReport) -> None:
    table = Table(title="Stock-count discrepancies" + (" (open)" if report.open_only else ""))
    for column in ("counted", "site", "by", "kind", "item"):
        table.add_column(column, overflow="fold")
    table.add_column("what is wrong", overflow="fold")
    table.add_column("resolved", overflow="fold")
    for d in report.discrepancies:
        resolved = "" if d.open else f"{d.resolution} ({d.resolved_by_event_id})"
        table.add_row(
            d.counted_at.strftime("%Y-%m-%d %H:%M"),
            d.site,
            d.counted_by.code if d.counted_by else "",
            d.kind,
            d.key,
            d.message,
            resolved,
        )
    console.print(table)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts.items())) or "none"
    console.print(f"{'open' if report.open_only else 'all'} discrepancies: {summary}")


@stock_app.command("discrepancies")
def discrepancies(
    org: OrgOption = None,
    show_all: Annotated[bool, typer.Option("--all", help="Resolved ones too")] = False,
    count: Annotated[str | None, typer.Option("--count", help="Only those of one count (eventID)")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="not_found, registered_elsewhere, ...")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What stock counts found wrong: open ones (until an event resolves them), or all."""
    try:
        report = list_discrepancies(
            registry_for(db).uow(),
            root_operator(),
            org=org,
            open_only=not show_all,
            count_event_id=count,
            kind=kind,
        )
    except (NotFound, QueryError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        console.print_json(data=report.to_json())
    else:
        _discrepancy_table(report)


@stock_app.command("tolerance")
def tolerance(
    value: Annotated[
        float | None, typer.Argument(help="A fraction: 0.02 means a 2% mass difference is tolerated")
    ] = None,
    db: DbOption = None,
) -> None:
    """Show or set the mass tolerance of stock counts (default 0.02)."""
    registry = registry_for(db)
    if value is None:
        console.print(f"{mass_tolerance(registry.uow(), root_operator()):g}")
        return
    operator = Principal(0, "operator", "Registry operator (CLI)", OrgKind.MINISTRY, Role.ADMIN)
    try:
        set_mass_tolerance(registry.uow(), operator, value)
    except InvalidSetting as exc:
        raise fail(str(exc)) from exc
    console.print(f"[green]mass tolerance of stock counts set to {value:g}[/] ({value:.1%})")


@stock_app.command("bounds")
def bounds(
    product_type: Annotated[
        str | None, typer.Argument(help="The product type to set a bound for (whole_horn, powder, ...)")
    ] = None,
    least: Annotated[float | None, typer.Option("--least", help="The least plausible mass, kg")] = None,
    most: Annotated[float | None, typer.Option("--most", help="The most plausible mass, kg")] = None,
    lot: Annotated[bool, typer.Option("--lot", help="A lot's kilograms rather than one marked item")] = False,
    species: Annotated[str | None, typer.Option(help="A species (default: any species)")] = None,
    db: DbOption = None,
) -> None:
    """Show the plausible masses capture checks, or set one (with PRODUCT_TYPE, --least and --most)."""
    registry = registry_for(db)
    if product_type is None:
        table = Table("product type", "item or lot", "species", "least kg", "most kg", box=None)
        for bound in mass_bounds(registry.uow(), root_operator()):
            measured, who = bound.measured.value, bound.species or "any"
            table.add_row(bound.product_type, measured, who, f"{bound.least_kg:g}", f"{bound.most_kg:g}")
        console.print(table)
        return
    if least is None or most is None:
        raise fail("give both --least and --most (kg) to set a bound", "`kiik stock bounds` lists them")
    operator = Principal(0, "operator", "Registry operator (CLI)", OrgKind.MINISTRY, Role.ADMIN)
    command = SetMassBound(product_type, "lot" if lot else "item", least, most, species)
    try:
        bound = set_mass_bound(registry.uow(), operator, command)
    except InvalidSetting as exc:
        raise fail(str(exc)) from exc
    console.print(f"[green]bound set:[/] {bound.describe()}")


def register(app: typer.Typer) -> None:
    app.add_typer(stock_app, name="stock")
