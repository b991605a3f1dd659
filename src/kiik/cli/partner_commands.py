"""`kiik partner ...`: partner registries, delivery of the outbox, messages received."""

from __future__ import annotations

import json
import threading
import time
from typing import Annotated

import typer

from kiik.bootstrap.registry import Registry
from kiik.cli.common import DbOption, console, fail, registry_for
from kiik.errors import NotFound
from kiik.partners.adapters.client import HttpPartnerClient
from kiik.partners.services.delivery import collect_outbox, deliver_outbox
from kiik.partners.services.registries import PartnerError, add_partner, list_partners, refresh_keys

partner = typer.Typer(
    help="Partner registries (the importing or exporting country's kiik).", no_args_is_help=True
)


@partner.command("add")
def add(
    country: Annotated[str, typer.Argument(help="the partner's country, ISO 3166 alpha-2 (CN)")],
    url: Annotated[str, typer.Option("--url", help="the partner registry's base URL")],
    name: Annotated[str, typer.Option(help="a name for people")] = "",
    key: Annotated[
        list[str] | None, typer.Option("--key", help="a public key as KID=X (base64url); repeatable")
    ] = None,
    collects: Annotated[
        bool, typer.Option(help="the partner collects its messages (`kiik partner outbox`): none is sent")
    ] = False,
    db: DbOption = None,
) -> None:
    """Register a partner registry; without --key its keys are fetched from URL/api/keys."""
    pairs = []
    for given in key or []:
        if "=" not in given:
            raise fail(f"{given!r} is not KID=X", "copy kid and x from the partner's GET /api/keys")
        kid, x = given.split("=", 1)
        pairs.append((kid, x))
    try:
        client = None if pairs else HttpPartnerClient()
        added = add_partner(
            registry_for(db).uow(), None, country, name, url, pairs, client, collects=collects
        )
    except (PartnerError, Exception) as exc:
        raise fail(str(exc), "check the country, the URL and that the partner is reachable") from exc
    new = ", ".join(added["keys_added"]) or "none new"
    console.print(f"partner {added['country']} at {added['base_url']}; keys added: {new}")


@partner.command("keys")
def keys(country: str, db: DbOption = None) -> None:
    """Fetch the partner's published keys again (after it rotated); older keys are kept."""
    added = refresh_keys(registry_for(db).uow(), None, country.upper(), HttpPartnerClient())
    console.print(f"keys added: {', '.join(added) or 'none new'}")


@partner.command("list")
def list_(db: DbOption = None) -> None:
    console.print_json(json.dumps(list_partners(registry_for(db).uow())))


@partner.command("deliver")
def deliver(
    db: DbOption = None, force: Annotated[bool, typer.Option(help="also messages still backing off")] = True
) -> None:
    """Send the outbox's undelivered messages now; what fails is retried later."""
    registry = registry_for(db)
    report = deliver_outbox(registry.uow, HttpPartnerClient(), force=force)
    console.print_json(json.dumps(report.to_json()))
    if report.failed:
        raise fail(f"{len(report.failed)} messages not delivered", "they stay in the outbox and are retried")


@partner.command("outbox")
def outbox(
    country: Annotated[str, typer.Argument(help="the partner's country, ISO 3166 alpha-2")],
    collect: Annotated[bool, typer.Option(help="mark them collected (handed over to the partner)")] = False,
    db: DbOption = None,
) -> None:
    """Print the signed messages kept for a partner (JWS, one a line), oldest first."""
    try:
        kept = collect_outbox(registry_for(db).uow, country, collect=collect)
    except NotFound as exc:
        raise fail(str(exc)) from exc
    for message in kept:
        console.print(message, soft_wrap=True, highlight=False)


@partner.command("check-log")
def check_log(country: str, db: DbOption = None) -> None:
    """Fetch the partner's signed checkpoint and check it extends the last one kept (RFC 9162)."""
    from kiik.ledger.adapters.signing import verify_with
    from kiik.partners.services.log_check import HistoryRewritten, check_partner_log

    try:
        result = check_partner_log(registry_for(db).uow(), country, HttpPartnerClient(), verify_with)
    except HistoryRewritten as exc:
        raise fail(str(exc), "keep the earlier checkpoint as evidence") from exc
    console.print_json(json.dumps(result))


@partner.command("arrive")
def arrive(
    number: str,
    items: Annotated[list[str], typer.Argument(help="codes scanned on arrival; CODE=KG for a weighed item")],
    org: Annotated[str, typer.Option("--org", help="this country's customs organisation (code)")],
    db: DbOption = None,
) -> None:
    """Record what arrived under a partner's permit (customs); the signed confirmation is queued."""
    from kiik.cli.common import operator_for
    from kiik.errors import NotFound
    from kiik.partners.services.imports import RecordArrival, record_arrival
    from kiik.permits.domain.lifecycle import PermitError, parse_number
    from kiik.permits.services.ports import PermitRefused

    registry = registry_for(db)
    codes = [item.split("=", 1)[0] for item in items]
    kilos = {item.split("=", 1)[0]: float(item.split("=", 1)[1]) for item in items if "=" in item}
    try:
        body = record_arrival(
            registry.uow(), operator_for(registry, org), RecordArrival(parse_number(number), codes, kilos)
        )
    except PermitRefused as exc:
        for problem in exc.problems:
            console.print(f"[red]{problem.rule}[/]: {problem.message}")
        raise fail(str(exc).split(":")[0], "scan only the codes that arrived under this permit") from exc
    except (PermitError, NotFound) as exc:
        raise fail(str(exc)) from exc
    console.print_json(json.dumps(body))


@partner.command("reconcile")
def reconcile(
    permit: Annotated[str | None, typer.Option("--permit", help="one permit, e.g. KZ/2026/000001")] = None,
    start: Annotated[str | None, typer.Option("--from", help="first day of export, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option("--to", help="last day of export, YYYY-MM-DD")] = None,
    side: Annotated[str | None, typer.Option("--side", help="export or import; both by default")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="the report as JSON")] = False,
    as_csv_: Annotated[bool, typer.Option("--csv", help="one row per discrepancy, as CSV")] = False,
    db: DbOption = None,
) -> None:
    """Reconcile consignments with partner registries: not arrived, not exported, mass, overdue."""
    from kiik.cli.common import root_operator
    from kiik.cli.reconciliation_table import print_report
    from kiik.errors import NotFound
    from kiik.partners.domain.reconciliation import Period, ReconciliationError, Side
    from kiik.partners.services.reconciliation import Reconcile, ReconcileSettings, as_csv, reconcile_partners
    from kiik.permits.domain.lifecycle import PermitError, parse_number

    if as_json and as_csv_:
        raise fail("--json and --csv are exclusive", "choose one, or neither for a table")
    try:
        registry = registry_for(db)
    except ValueError as exc:  # a KIIK_RECONCILE_* or KIIK_CONFIRMATION_DUE_DAYS that is not a number
        raise fail(str(exc)) from exc
    try:
        if side is not None and side not in {s.value for s in Side}:
            raise ReconciliationError(f"--side {side!r} is neither 'export' nor 'import'")
        command = Reconcile(
            None if permit is None else parse_number(permit),
            Period.parse(start, end),
            None if side is None else Side(side),
        )
        report = reconcile_partners(
            registry.uow(), root_operator(), command, ReconcileSettings.of(registry.settings)
        )
    except (ReconciliationError, PermitError, NotFound) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        console.print_json(json.dumps(report.to_json()))
    elif as_csv_:
        typer.echo(as_csv(report), nl=False)
    else:
        print_report(console, report)


def start_delivery(registry: Registry) -> threading.Thread | None:
    """`kiik serve` delivers the outbox every KIIK_PARTNER_DELIVERY_SECONDS (0 turns it off)."""
    every = registry.settings.partner_delivery_seconds
    if every <= 0:
        return None

    def loop() -> None:
        client = HttpPartnerClient()
        while True:
            try:
                deliver_outbox(registry.uow, client)
            except Exception as exc:  # the loop outlives a database hiccup; the next round retries
                console.print(f"[red]partner delivery:[/] {exc}")
            time.sleep(every)

    thread = threading.Thread(target=loop, name="kiik-partner-delivery", daemon=True)
    thread.start()
    return thread


def register(app: typer.Typer) -> None:
    app.add_typer(partner, name="partner")
