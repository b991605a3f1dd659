"""`kiik proceeds ...`: the fee and allocation rules, the ledger, corrections, the year's report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, operator_for, registry_for, root_operator

proceeds_app = typer.Typer(
    help="Proceeds to conservation: fees, the ledger, allocation.", no_args_is_help=True
)
AsOption = Annotated[str, typer.Option("--as", help="Code of the organisation acting (the ministry)")]


def _run(call):  # type: ignore[no-untyped-def]
    from kiik.directory.domain.permissions import NotAllowed
    from kiik.errors import NotFound
    from kiik.proceeds.domain.rules import ProceedsError

    try:
        return call()
    except (ProceedsError, NotAllowed, NotFound, ValueError) as exc:
        raise fail(str(exc)) from None


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option} {text!r} is not a date", "write it as YYYY-MM-DD") from None


@proceeds_app.command("fee-rule")
def fee_rule(
    title: Annotated[str, typer.Option(help="The rule's name")],
    charge: Annotated[str, typer.Option(help="sale, export or cull")],
    basis: Annotated[str, typer.Option(help="per_kg, per_item or share_of_price")],
    rate: Annotated[float, typer.Option(help="Tenge per kg or item, or the share of the price (0.05 = 5 %)")],
    valid_from: Annotated[str, typer.Option(help="First day, YYYY-MM-DD")],
    legal_basis: Annotated[str, typer.Option(help="The order that sets it")],
    org: AsOption,
    valid_until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD")] = None,
    species: Annotated[str | None, typer.Option(help="Only this species")] = None,
    product: Annotated[str | None, typer.Option(help="Only this product type")] = None,
    db: DbOption = None,
) -> None:
    """Add a dated fee rule (the ministry)."""
    from kiik.proceeds.domain.rules import Basis, Charge, FeeRule
    from kiik.proceeds.services.ledger import add_fee_rule

    registry = registry_for(db)
    who = operator_for(registry, org)
    start = _day(valid_from, "--valid-from")
    assert start is not None
    rule = _run(
        lambda: FeeRule(
            title, Charge(charge), Basis(basis), rate, start, legal_basis, _day(valid_until, "--valid-until"),
            species, product,
        )
    )  # fmt: skip
    saved = _run(lambda: add_fee_rule(registry.uow(), who, rule))
    console.print(f"[green]fee rule added:[/] {saved.id} {saved.title}")


@proceeds_app.command("allocation-rule")
def allocation_rule(
    title: Annotated[str, typer.Option(help="The rule's name")],
    protection: Annotated[float, typer.Option(help="Share to the protection of the populations")],
    habitat: Annotated[float, typer.Option(help="Share to their habitat")],
    research: Annotated[float, typer.Option(help="Share to research")],
    valid_from: Annotated[str, typer.Option(help="First day, YYYY-MM-DD")],
    legal_basis: Annotated[str, typer.Option(help="The order that sets it")],
    org: AsOption,
    valid_until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD")] = None,
    db: DbOption = None,
) -> None:
    """Add a dated allocation rule (the ministry); the shares add up to 1."""
    from kiik.proceeds.domain.rules import AllocationRule
    from kiik.proceeds.services.ledger import add_allocation_rule

    registry = registry_for(db)
    who = operator_for(registry, org)
    start = _day(valid_from, "--valid-from")
    assert start is not None
    shares = {"protection": protection, "habitat": habitat, "research": research}
    rule = _run(lambda: AllocationRule(title, start, legal_basis, shares, _day(valid_until, "--valid-until")))
    saved = _run(lambda: add_allocation_rule(registry.uow(), who, rule))
    console.print(f"[green]allocation rule added:[/] {saved.id} {saved.title}")


@proceeds_app.command("rules")
def rules(db: DbOption = None) -> None:
    """The fee and allocation rules."""
    from kiik.proceeds.services.ledger import proceeds_rules

    registry = registry_for(db)
    fees, allocations = _run(lambda: proceeds_rules(registry.uow(), root_operator()))
    table = Table("id", "fee rule", "charge", "basis", "rate", "species", "product", "from", "until")
    for r in fees:
        table.add_row(
            str(r.id), r.title, r.charge.value, r.basis.value, f"{r.rate:g}", r.species or "any",
            r.product_type or "any", str(r.valid_from), str(r.valid_until or ""),
        )  # fmt: skip
    console.print(table)
    table = Table("id", "allocation rule", "shares", "from", "until")
    for a in allocations:
        shares = ", ".join(f"{k} {v:.0%}" for k, v in a.shares.items())
        table.add_row(str(a.id), a.title, shares, str(a.valid_from), str(a.valid_until or ""))
    console.print(table)


@proceeds_app.command("entries")
def entries(year: Annotated[int, typer.Option(help="The year")], db: DbOption = None) -> None:
    """The ledger's entries of a year."""
    from kiik.proceeds.services.ledger import ledger_entries

    registry = registry_for(db)
    table = Table("id", "day", "kind", "population", "KZT", "description")
    for e in _run(lambda: ledger_entries(registry.uow(), root_operator(), year)):
        table.add_row(
            str(e.id), str(e.day), e.kind.value, e.population, f"{e.amount / 100:,.2f}", e.description
        )
    console.print(table)


@proceeds_app.command("correct")
def correct(
    entry: Annotated[int, typer.Argument(help="The fee entry's id")],
    reason: Annotated[str, typer.Option(help="Why")],
    org: AsOption,
    amount: Annotated[
        float | None, typer.Option(help="The right fee in tenge; none: nothing was owed")
    ] = None,
    db: DbOption = None,
) -> None:
    """Correct a fee by new entries: its reversal (and its allocation's), and the right fee."""
    from kiik.proceeds.services.ledger import correct_fee

    registry = registry_for(db)
    who = operator_for(registry, org)
    made = _run(lambda: correct_fee(registry.uow(), who, entry, reason, datetime.now(UTC).date(), amount))
    console.print(f"[green]corrected:[/] new entries {', '.join(map(str, made))}")


@proceeds_app.command("report")
def report(year: Annotated[int, typer.Option(help="The year")], db: DbOption = None) -> None:
    """What came in per population in a year and where it was allocated."""
    from kiik.proceeds.services.ledger import proceeds_report

    registry = registry_for(db)
    answer = _run(lambda: proceeds_report(registry.uow(), root_operator(), year))
    table = Table("population", "in (KZT)", "protection", "habitat", "research", "not yet allocated")
    for row in answer["populations"]:
        allocated = row["allocatedKZT"]
        table.add_row(
            row["population"], f"{row['inKZT']:,.2f}", f"{allocated['protection']:,.2f}",
            f"{allocated['habitat']:,.2f}", f"{allocated['research']:,.2f}", f"{row['unallocatedKZT']:,.2f}",
        )  # fmt: skip
    console.print(table)
    console.print(
        "the ledger balances" if answer["ledgerBalanced"] else "[red]the ledger does not balance[/]"
    )


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.add_typer(proceeds_app, name="proceeds")
