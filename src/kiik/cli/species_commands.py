"""`kiik species ...` and `kiik quota ...`: the species register and the export quotas."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, operator_for, registry_for, root_operator
from kiik.errors import NotFound
from kiik.species.domain.quotas import Quota, QuotaError
from kiik.species.domain.species import RegisterError
from kiik.species.services.quotas import list_quotas, set_quota
from kiik.species.services.register import SaveRule, add_rule, read_register, seed_register, withdraw_rule

species = typer.Typer(help="The species register: taxa and dated rules (ministry).", no_args_is_help=True)
quota = typer.Typer(help="Export quotas (CITES Res. Conf. 14.7).", no_args_is_help=True)


@species.command("seed")
def seed(db: DbOption = None) -> None:
    """Load the starting register (Saiga tatarica, Testudo horsfieldii, rules, CoP20 quota) where absent."""
    result = seed_register(registry_for(db).uow())
    console.print(f"register seeded: {result.taxa} taxa, {result.rules} rules, {result.quotas} quotas added")


@species.command("list")
def list_register(db: DbOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The taxa and their rules."""
    register = read_register(registry_for(db).uow(), root_operator(), withdrawn=True)
    if as_json:
        console.print_json(json.dumps(register.to_json()))
        return
    table = Table("taxon", "appendix", "rule id", "rule", "in force", "legal basis")
    for taxon in register.taxa:
        rules = [r for r in register.rules if r.scientific_name == taxon.scientific_name] or [None]
        for rule in rules:
            table.add_row(
                f"{taxon.scientific_name} ({taxon.name_en})",
                taxon.cites_appendix,
                str(rule.id) if rule else "",
                f"{rule.kind}: {rule.title}{' (withdrawn)' if rule.withdrawn else ''}" if rule else "",
                rule.period if rule else "",
                rule.legal_basis if rule else "",
            )
    console.print(table)


@species.command("add-rule")
def add_rule_command(
    scientific_name: Annotated[str, typer.Argument(help="e.g. 'Testudo horsfieldii'")],
    kind: Annotated[str, typer.Option(help="total_ban or export_under_quota")],
    title: Annotated[str, typer.Option()],
    valid_from: Annotated[str, typer.Option(help="first day, YYYY-MM-DD")],
    legal_basis: Annotated[str, typer.Option()],
    org: Annotated[str, typer.Option(help="the ministry's organisation code")],
    valid_until: Annotated[str | None, typer.Option(help="last day, YYYY-MM-DD")] = None,
    penalty_article: Annotated[str | None, typer.Option()] = None,
    penalty_max_mci: Annotated[int | None, typer.Option()] = None,
    db: DbOption = None,
) -> None:
    """Add a dated rule (the edit is audited under the ministry's name)."""
    registry = registry_for(db)
    command = SaveRule(
        scientific_name,
        kind,
        title,
        date.fromisoformat(valid_from),
        legal_basis,
        date.fromisoformat(valid_until) if valid_until else None,
        penalty_article=penalty_article,
        penalty_max_mci=penalty_max_mci,
    )
    try:
        rule = add_rule(registry.uow(), operator_for(registry, org), command)
    except (RegisterError, NotFound) as exc:
        raise fail(str(exc)) from exc
    console.print(f"rule {rule.id} added: {rule.title} ({rule.period})")


@species.command("withdraw-rule")
def withdraw_rule_command(
    rule_id: int,
    org: Annotated[str, typer.Option(help="the ministry's organisation code")],
    db: DbOption = None,
) -> None:
    registry = registry_for(db)
    try:
        rule = withdraw_rule(registry.uow(), operator_for(registry, org), rule_id)
    except (RegisterError, NotFound) as exc:
        raise fail(str(exc)) from exc
    console.print(f"rule {rule.id} withdrawn")


@quota.command("list")
def list_quota_command(db: DbOption = None) -> None:
    """Quotas and their balance per year."""
    table = Table("id", "quota", "year", "cap", "reserved", "used", "remaining")
    for view in list_quotas(registry_for(db).uow(), root_operator()):
        for b in view.balances:
            table.add_row(
                str(view.quota.id),
                view.quota.describe(),
                str(b.year),
                f"{b.cap:,.3f}",
                f"{b.reserved:,.3f}",
                f"{b.used:,.3f}",
                f"{b.remaining:,.3f}",
            )
    console.print(table)


@quota.command("add")
def add_quota_command(
    scientific_name: str,
    first_year: Annotated[int, typer.Option()],
    yearly_cap: Annotated[float, typer.Option(help="in the unit, per year")],
    legal_basis: Annotated[str, typer.Option()],
    org: Annotated[str, typer.Option(help="the ministry's organisation code")],
    last_year: Annotated[int | None, typer.Option()] = None,
    term: Annotated[str | None, typer.Option(help="CITES term code; none: every term")] = None,
    unit: str = "KGM",
    source: str = "W",
    purpose: str = "T",
    destination: Annotated[str | None, typer.Option(help="ISO alpha-2; none: any")] = None,
    db: DbOption = None,
) -> None:
    """Open a quota for one year or a programme of years with the same yearly cap."""
    registry = registry_for(db)
    try:
        view = set_quota(
            registry.uow(),
            operator_for(registry, org),
            Quota(
                scientific_name,
                term,
                unit,
                source,
                purpose,
                destination,
                first_year,
                last_year or first_year,
                yearly_cap,
                legal_basis,
            ),
        )
    except (QuotaError, NotFound) as exc:
        raise fail(str(exc)) from exc
    console.print(f"quota {view.quota.id} opened: {view.quota.describe()}")


def register(app: typer.Typer) -> None:
    app.add_typer(species, name="species")
    app.add_typer(quota, name="quota")
