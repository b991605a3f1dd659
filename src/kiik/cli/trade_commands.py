"""`kiik trade ...`: cull operations, carcass deliveries, meat lots from the plant to the shop, recalls,
pack labels and the public pack check (docs/trade.md)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kiik.cli.common import DbOption, console, fail, operator_for, registry_for, root_operator

trade_app = typer.Typer(help="Legal trade: saiga meat from the cull to the shop.", no_args_is_help=True)
AsOption = Annotated[str, typer.Option("--as", help="Code of the organisation acting")]
AtOption = Annotated[str | None, typer.Option("--at", help="When, as an ISO time (default: now)")]


def _run(call):  # type: ignore[no-untyped-def]
    """Call a service; a refusal is printed with every rule it broke."""
    from kiik.directory.domain.permissions import NotAllowed
    from kiik.epcis.domain.identifiers import InvalidIdentifier
    from kiik.errors import NotFound
    from kiik.trade.domain.errors import TradeError, TradeRefused

    try:
        return call()
    except TradeRefused as exc:
        for problem in exc.problems:
            console.print(f"  - {problem.rule}: {problem.message}", soft_wrap=True, highlight=False)
        raise fail("refused by the registry's rules; nothing was recorded") from None
    except (TradeError, NotAllowed, NotFound, InvalidIdentifier) as exc:
        raise fail(str(exc)) from None


def _when(at: str | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        raise fail(f"--at {at!r} is not a time", "write it as 2025-08-05T10:00:00+05:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"{option} {text!r} is not a date", "write it as YYYY-MM-DD") from None


@trade_app.command("cull-add")
def cull_add(
    number: Annotated[str, typer.Option(help="The operation's number, e.g. CULL-2025-URL-01")],
    population: Annotated[str, typer.Option(help="Ural, Betpakdala or Ustyurt")],
    area: Annotated[str, typer.Option(help="Where the animals are taken")],
    starts: Annotated[str, typer.Option(help="First day, YYYY-MM-DD")],
    ends: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD")],
    authorisation: Annotated[str, typer.Option(help="The authorisation it runs under")],
    animals: Annotated[int, typer.Option(help="How many animals it may take")],
    team: Annotated[str, typer.Option(help="Code of the team's organisation")],
    org: AsOption,
    db: DbOption = None,
) -> None:
    """Register a cull operation (the ministry)."""
    from kiik.trade.services.culls import RegisterCull, register_cull

    registry = registry_for(db)
    command = RegisterCull(
        number, population, area, _day(starts, "--starts"), _day(ends, "--ends"), authorisation, animals, team
    )
    done = _run(lambda: register_cull(registry.uow(), operator_for(registry, org), command))
    console.print(f"[green]cull registered:[/] {done.number} ({done.population}, {done.period})")


@trade_app.command("culls")
def culls(db: DbOption = None) -> None:
    """Cull operations and their mass balance from carcasses to packs."""
    from kiik.trade.services.culls import list_culls

    registry = registry_for(db)
    table = Table("cull", "population", "period", "carcasses", "kg", "lots", "packs", "sold", "recalled lots")
    for cull in _run(lambda: list_culls(registry.uow(), root_operator())):
        b = cull["balance"]
        table.add_row(
            cull["number"],
            cull["population"],
            f"{cull['starts']} to {cull['ends']}",
            f"{b['carcasses']:,} of {cull['animalsAllowed']:,}",
            f"{b['carcass_kg']:,.0f}",
            f"{b['lots']:,}",
            f"{b['packs']:,}",
            f"{b['packs_sold']:,}",
            f"{b['recalled_lots']:,}",
        )
    console.print(table)


@trade_app.command("deliver")
def deliver(
    cull: Annotated[str, typer.Option(help="The cull operation's number")],
    gtin: Annotated[str, typer.Option(help="The team's GTIN for a saiga carcass")],
    batch: Annotated[str, typer.Option(help="The delivery's batch number")],
    carcasses: Annotated[int, typer.Option(help="Number of carcasses")],
    kg: Annotated[float, typer.Option(help="Their mass in kilograms")],
    plant: Annotated[str, typer.Option(help="Code of the processing plant")],
    org: AsOption,
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Deliver a batch of carcasses to a plant (the cull's team)."""
    from kiik.trade.services.culls import DeliverCarcasses, deliver_carcasses

    registry = registry_for(db)
    command = DeliverCarcasses(cull, gtin, batch, carcasses, kg, plant, _when(at))
    who = operator_for(registry, org)
    key = _run(lambda: deliver_carcasses(registry.uow(), who, command, registry.settings.yields))
    console.print(f"[green]delivered:[/] {key} ({carcasses} carcasses, {kg:g} kg) to {plant}")


@trade_app.command("process")
def process_run(
    run: Annotated[
        Path, typer.Argument(help="A JSON file: product_type, gtin, vet_certificate, inputs, lots")
    ],
    org: AsOption,
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Make meat lots from carcass batches (the plant); the file is a POST /api/trade/processing-runs body."""
    from kiik.trade.domain.meat import LotPlan
    from kiik.trade.services.meat_lots import Process, process

    try:
        body = json.loads(run.read_text(encoding="utf-8"))
        command = Process(
            body["product_type"],
            body["gtin"],
            body["vet_certificate"],
            tuple((i["code"], float(i["mass_kg"])) for i in body["inputs"]),
            tuple(
                LotPlan(
                    lot["batch"], int(lot["packs"]), float(lot["pack_mass_kg"]), _day(lot["use_by"], "use_by")
                )
                for lot in body["lots"]
            ),
            _when(at or body.get("at")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise fail(f"{run}: cannot read the run ({exc})", "see docs/trade.md for the file's fields") from None
    registry = registry_for(db)
    who = operator_for(registry, org)
    for key in _run(lambda: process(registry.uow(), who, command, registry.settings.yields)):
        console.print(f"[green]lot made:[/] {key}")


@trade_app.command("lots")
def lots(limit: int = 50, db: DbOption = None) -> None:
    """Meat lots, newest first."""
    from kiik.trade.services.meat_lots import meat_lots

    registry = registry_for(db)
    table = Table("lot", "product", "plant", "packs", "sold", "use by", "recalled")
    for lot in _run(lambda: meat_lots(registry.uow(), root_operator(), limit)):
        recalled = lot.recalled_on.isoformat() if lot.recalled_on else ""
        table.add_row(
            lot.key,
            lot.product_type,
            lot.plant,
            f"{lot.packs:,}",
            f"{lot.packs_sold:,}",
            str(lot.use_by),
            recalled,
        )
    console.print(table)


@trade_app.command("ship")
def ship(
    code: str,
    to: Annotated[str, typer.Option(help="Code of the receiving organisation")],
    org: AsOption,
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Send a whole lot or carcass batch on (its holder)."""
    from kiik.trade.services.meat_lots import ship_lot

    registry = registry_for(db)
    who = operator_for(registry, org)
    _run(lambda: ship_lot(registry.uow(), who, code, to, _when(at), registry.settings.yields))
    console.print(f"[green]shipped:[/] {code} to {to}")


@trade_app.command("receive")
def receive(code: str, org: AsOption, at: AtOption = None, db: DbOption = None) -> None:
    """Receive a lot or carcass batch sent to you."""
    from kiik.trade.services.meat_lots import receive_lot

    registry = registry_for(db)
    who = operator_for(registry, org)
    _run(lambda: receive_lot(registry.uow(), who, code, _when(at), registry.settings.yields))
    console.print(f"[green]received:[/] {code}")


@trade_app.command("sell")
def sell(
    code: str,
    packs: Annotated[int, typer.Option(help="Packs sold")],
    org: AsOption,
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Record packs of a lot sold in a shop (its holder)."""
    from kiik.trade.services.meat_lots import sell_packs

    registry = registry_for(db)
    who = operator_for(registry, org)
    _run(lambda: sell_packs(registry.uow(), who, code, packs, _when(at), registry.settings.yields))
    console.print(f"[green]sold:[/] {packs} packs of {code}")


@trade_app.command("recall")
def recall(
    code: str,
    reason: Annotated[str, typer.Option(help="Why the lot is recalled")],
    org: AsOption,
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Recall a lot (its plant or an authority): none of its packs is legal from then on."""
    from kiik.trade.services.meat_lots import recall_lot

    registry = registry_for(db)
    who = operator_for(registry, org)
    _run(lambda: recall_lot(registry.uow(), who, code, reason, _when(at), registry.settings.yields))
    console.print(f"[yellow]recalled:[/] {code} ({reason})")


@trade_app.command("label")
def label(
    code: str,
    out: Annotated[Path, typer.Option(help="Where to write the QR code (SVG or PNG by its suffix)")],
    db: DbOption = None,
) -> None:
    """Write a pack label's QR code: the lot's GS1 Digital Link on this registry (KIIK_PUBLIC_URL)."""
    import segno

    from kiik.trade.services.meat_lots import label_link

    registry = registry_for(db)
    link = _run(lambda: label_link(registry.uow(), root_operator(), code, registry.settings.public_url))
    segno.make(link, error="m").save(str(out), scale=4)
    console.print(f"[green]label written:[/] {out} → {link}")


@trade_app.command("check")
def check(code: str, db: DbOption = None) -> None:
    """The public check of a meat pack from its label's code, as JSON."""
    from kiik.trade.services.pack_check import check_pack_code

    registry = registry_for(db)
    answer = _run(lambda: check_pack_code(registry.uow(), code, datetime.now(UTC).date()))
    console.print_json(json.dumps(answer.to_json()))


@trade_app.command("sale")
def sale(
    buyer_kind: Annotated[str, typer.Option(help="pharmacy, manufacturer or person")],
    buyer: Annotated[str, typer.Option(help="Who bought")],
    price: Annotated[float, typer.Option(help="The agreed price in tenge")],
    org: AsOption,
    item: Annotated[list[str] | None, typer.Option(help="A marked item sold whole (repeat)")] = None,
    lot: Annotated[list[str] | None, typer.Option(help="CODE=KG: kilograms of a lot sold (repeat)")] = None,
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Record a domestic sale of marked derivatives with the price agreed (the holder)."""
    from kiik.trade.services.sales import RecordSale, record_sale

    try:
        lots = tuple((code, float(kg)) for code, kg in (entry.rsplit("=", 1) for entry in lot or ()))
    except ValueError:
        raise fail("--lot takes CODE=KG, e.g. --lot '(01)04870004000305(10)P1=0.5'") from None
    registry = registry_for(db)
    who = operator_for(registry, org)
    command = RecordSale(buyer_kind, buyer, price, _when(at), tuple(item or ()), lots)
    done = _run(lambda: record_sale(registry.uow(), who, command, registry.settings.yields))
    console.print(f"[green]sale recorded:[/] {done} ({price:,.0f} KZT to {buyer})")


@trade_app.command("prices")
def prices(db: DbOption = None) -> None:
    """What the market paid for marked derivatives, per product and year."""
    from kiik.trade.services.sales import sale_prices

    registry = registry_for(db)
    table = Table("product", "year", "sales", "items", "kg", "KZT", "KZT per kg (lowest / median / highest)")
    for row in _run(lambda: sale_prices(registry.uow(), root_operator())):
        spread = row["pricePerKgKZT"]
        per_kg = (
            f"{spread['lowest']:,.0f} / {spread['median']:,.0f} / {spread['highest']:,.0f}" if spread else ""
        )
        table.add_row(
            row["product"],
            str(row["year"]),
            str(row["sales"]),
            str(row["items"]),
            f"{row['massKg']:g}",
            f"{row['totalKZT']:,.0f}",
            per_kg,
        )
    console.print(table)


@trade_app.command("take-permit")
def take_permit(
    number: Annotated[str, typer.Option(help="The permit's number")],
    kind: Annotated[str, typer.Option(help="hunting or collection")],
    species: Annotated[str, typer.Option(help="e.g. 'Ovis ammon', 'Glycyrrhiza glabra'")],
    area: Annotated[str, typer.Option(help="Where the taking is allowed")],
    starts: Annotated[str, typer.Option(help="First day, YYYY-MM-DD")],
    ends: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD")],
    holder: Annotated[str, typer.Option(help="Code of the outfitter's or collector's organisation")],
    limit: Annotated[float, typer.Option(help="Trophies (hunting) or kilograms (collection)")],
    org: AsOption,
    db: DbOption = None,
) -> None:
    """Issue a hunting permit (argali) or a collection permit (liquorice, juniper, rose hips)."""
    from kiik.trade.services.takings import IssueTakePermit, issue_take_permit

    registry = registry_for(db)
    command = IssueTakePermit(
        number, kind, species, area, _day(starts, "--starts"), _day(ends, "--ends"), holder, limit
    )
    done = _run(lambda: issue_take_permit(registry.uow(), operator_for(registry, org), command))
    what = f"{done.kind.value}, {done.species}, {done.limit:g} {done.unit}"
    console.print(f"[green]permit issued:[/] {done.number} ({what})")


@trade_app.command("take-permits")
def take_permits(db: DbOption = None) -> None:
    """Hunting and collection permits, with what was taken under each."""
    from kiik.trade.services.takings import take_permits as listed

    registry = registry_for(db)
    table = Table("permit", "kind", "species", "area", "period", "limit", "taken")
    for p in _run(lambda: listed(registry.uow(), root_operator())):
        taken = sum(t["amount"] for t in p["taken"])
        table.add_row(
            p["number"], p["kind"], p["species"], p["area"], f"{p['starts']} to {p['ends']}",
            f"{p['limit']:g} {p['unit']}", f"{taken:g}",
        )  # fmt: skip
    console.print(table)


@trade_app.command("take")
def take_specimen(
    permit: Annotated[str, typer.Option(help="The hunting or collection permit")],
    code: Annotated[str, typer.Option(help="The trophy's code, or the collected lot's")],
    org: AsOption,
    kg: Annotated[float | None, typer.Option(help="The mass (required for a collection)")] = None,
    at: AtOption = None,
    db: DbOption = None,
) -> None:
    """Record a trophy or a collected lot under its permit (the permit's holder)."""
    from kiik.trade.services.takings import Take, take

    registry = registry_for(db)
    who = operator_for(registry, org)
    key = _run(lambda: take(registry.uow(), who, Take(permit, code, _when(at), kg), registry.settings.yields))
    console.print(f"[green]taken:[/] {key} under {permit}")


def register(app) -> None:  # type: ignore[no-untyped-def]
    app.add_typer(trade_app, name="trade")
