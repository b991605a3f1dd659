"""`/lists/culls`, `/lists/meat-lots`, `/lists/take-permits`, `/lists/sale-prices`, `/lists/proceeds`:
legal trade and its proceeds as pages, read through the same services as `GET /api/trade/...` and
`GET /api/proceeds/report`: each cull's mass balance from carcasses to packs sold, the meat lots on
their way to the shop (each linked to its public pack check), the hunting and collection permits
with what was taken under each, what the market paid, and what came in per population and where it
went. The dashboard's "Legal trade and proceeds" panel (`trade_summary`) links to each."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kiik.directory.domain.permissions import Permission, Principal
from kiik.http.deps import get_registry
from kiik.proceeds.domain.ledger import UNATTRIBUTED
from kiik.proceeds.domain.rules import PURPOSES
from kiik.proceeds.services.ledger import ledger_entries, proceeds_report
from kiik.species.domain.products import PRODUCT_NAMES
from kiik.trade.services import culls, meat_lots, sales, takings
from kiik.web.guard import Visitor, refusal
from kiik.web.i18n import N_
from kiik.web.listing import Column, Filter, Listing, chosen_filters, show
from kiik.web.words import PURPOSE

router = APIRouter(include_in_schema=False)

MEAT_PRODUCT = {code: PRODUCT_NAMES[code] for code in ("meat_cuts", "minced_meat", "canned_meat")}
TAKE_KIND = {"hunting": N_("hunting"), "collection": N_("collection")}
TAKE_UNIT = {"trophies": N_("trophies"), "kg": N_("kg")}
# A fee on a sale of derivatives mixed from several populations' horns is nobody's in particular.
POPULATION = {UNATTRIBUTED: N_("not attributed to one population")}
LOT_STATE = {"on_sale": N_("on the market"), "recalled": N_("recalled")}
GS1_RESOLVER = "https://id.gs1.org"
LOTS_SHOWN = 1000  # the service's own limit per call


def _lots(principal: Principal, request: Request) -> list[Any]:
    found, offset = [], 0
    uow = get_registry(request).uow
    while batch := meat_lots.meat_lots(uow(), principal, LOTS_SHOWN, offset):
        found += batch
        offset += len(batch)
        if len(batch) < LOTS_SHOWN:
            break
    return found


@router.get("/lists/culls", response_class=HTMLResponse)
def cull_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.TRADE_READ)) is not None:
        return refused
    assert principal is not None
    found = culls.list_culls(get_registry(request).uow(), principal)
    populations = sorted({c["population"] for c in found})
    filters = chosen_filters(
        request, [Filter("population", N_("population"), [(p, p) for p in populations], translate=False)]
    )
    chosen = filters[0].chosen
    rows = [c | c["balance"] for c in found if not chosen or c["population"] == chosen]
    columns = [
        Column(N_("cull"), "number"),
        Column(N_("population"), "population"),
        Column(N_("area"), "area"),
        Column(N_("animals allowed"), "animalsAllowed", numeric=True),
        Column(N_("carcasses"), "carcasses", numeric=True),
        Column(N_("carcasses (kg)"), "carcass_kg", numeric=True, digits=1),
        Column(N_("meat lots"), "lots", numeric=True),
        Column(N_("packs"), "packs", numeric=True),
        Column(N_("packs sold"), "packs_sold", numeric=True),
        Column(N_("lots recalled"), "recalled_lots", numeric=True),
    ]
    listing = Listing("/lists/culls", N_("Culls: from carcasses to packs sold"), columns, filters)
    return show(request, listing, rows)


def lot_row(lot: Any) -> dict[str, Any]:
    """A meat lot as the list shows it; its code links to the public pack check (the same Digital
    Link path a pack's QR code opens)."""
    return {
        "batch": lot.batch,
        "check": lot.key.removeprefix(GS1_RESOLVER) if lot.key.startswith(GS1_RESOLVER) else None,
        "product": lot.product_type,
        "plant": lot.plant,
        "population": lot.population,
        "packs": lot.packs,
        "packsSold": lot.packs_sold,
        "massKg": lot.mass_kg,
        "madeOn": lot.made_on,
        "useBy": lot.use_by,
        "state": "recalled" if lot.recalled_on else "on_sale",
        "recalledOn": lot.recalled_on,
    }


@router.get("/lists/meat-lots", response_class=HTMLResponse)
def meat_lot_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.TRADE_READ)) is not None:
        return refused
    assert principal is not None
    filters = chosen_filters(
        request,
        [
            Filter("product", N_("product"), list(MEAT_PRODUCT.items())),
            Filter("state", N_("state"), list(LOT_STATE.items())),
        ],
    )
    product, state = (f.chosen for f in filters)
    rows = [
        row
        for row in map(lot_row, _lots(principal, request))
        if (not product or row["product"] == product) and (not state or row["state"] == state)
    ]
    columns = [
        Column(N_("batch"), "batch", link="check"),
        Column(N_("product"), "product", words=MEAT_PRODUCT),
        Column(N_("plant"), "plant"),
        Column(N_("population"), "population"),
        Column(N_("packs"), "packs", numeric=True),
        Column(N_("packs sold"), "packsSold", numeric=True),
        Column(N_("mass (kg)"), "massKg", numeric=True, digits=1),
        Column(N_("made on"), "madeOn", date=True),
        Column(N_("use by"), "useBy", date=True),
        Column(N_("state"), "state", words=LOT_STATE),
        Column(N_("recalled on"), "recalledOn", date=True),
    ]
    listing = Listing("/lists/meat-lots", N_("Meat lots on their way to the shop"), columns, filters)
    listing.note = N_("A batch opens the check a shopper gets by scanning a pack of it.")
    return show(request, listing, rows)


@router.get("/lists/take-permits", response_class=HTMLResponse)
def take_permit_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.TRADE_READ)) is not None:
        return refused
    assert principal is not None
    filters = chosen_filters(request, [Filter("kind", N_("type of permit"), list(TAKE_KIND.items()))])
    kind = filters[0].chosen
    rows = []
    for p in takings.take_permits(get_registry(request).uow(), principal):
        if kind and p["kind"] != kind:
            continue
        taken = sum(t["amount"] for t in p["taken"])
        rows.append(
            p
            | {
                "starts": date.fromisoformat(p["starts"]),
                "ends": date.fromisoformat(p["ends"]),
                "taken": taken,
                "left": max(p["limit"] - taken, 0.0),
                "last": max((date.fromisoformat(t["on"]) for t in p["taken"]), default=None),
            }
        )
    columns = [
        Column(N_("permit"), "number"),
        Column(N_("type of permit"), "kind", words=TAKE_KIND),
        Column(N_("species"), "species"),
        Column(N_("area"), "area"),
        Column(N_("from"), "starts", date=True),
        Column(N_("until"), "ends", date=True),
        Column(N_("unit"), "unit", words=TAKE_UNIT),
        Column(N_("limit"), "limit", numeric=True, digits=1),
        Column(N_("taken"), "taken", numeric=True, digits=1),
        Column(N_("left"), "left", numeric=True, digits=1),
        Column(N_("last taken on"), "last", date=True),
    ]
    listing = Listing(
        "/lists/take-permits", N_("Hunting and collection permits, and what was taken"), columns, filters
    )
    return show(request, listing, rows)


@router.get("/lists/sale-prices", response_class=HTMLResponse)
def sale_price_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.TRADE_READ)) is not None:
        return refused
    assert principal is not None
    found = sales.sale_prices(get_registry(request).uow(), principal)
    years = sorted({str(r["year"]) for r in found}, reverse=True)
    filters = chosen_filters(request, [Filter("year", N_("year"), [(y, y) for y in years], translate=False)])
    year = filters[0].chosen
    rows = [
        r
        | {
            "lowest": r["pricePerKgKZT"]["lowest"],
            "median": r["pricePerKgKZT"]["median"],
            "highest": r["pricePerKgKZT"]["highest"],
        }
        for r in found
        if not year or str(r["year"]) == year
    ]
    columns = [
        Column(N_("product"), "product", words=PRODUCT_NAMES),
        Column(N_("year"), "year"),
        Column(N_("sales"), "sales", numeric=True),
        Column(N_("mass (kg)"), "massKg", numeric=True, digits=3),
        Column(N_("paid (tenge)"), "totalKZT", numeric=True),
        Column(N_("lowest per kg (tenge)"), "lowest", numeric=True),
        Column(N_("median per kg (tenge)"), "median", numeric=True),
        Column(N_("highest per kg (tenge)"), "highest", numeric=True),
    ]
    listing = Listing(
        "/lists/sale-prices", N_("What the market paid for marked derivatives"), columns, filters
    )
    listing.note = N_("The prices buyers paid, as the sellers recorded them; kiik never sets a price.")
    return show(request, listing, rows)


def _years(principal: Principal, request: Request) -> list[int]:
    return sorted({e.day.year for e in ledger_entries(get_registry(request).uow(), principal)}, reverse=True)


@router.get("/lists/proceeds", response_class=HTMLResponse)
def proceeds_list(request: Request, principal: Visitor) -> Response:
    if (refused := refusal(request, principal, Permission.PROCEEDS_READ)) is not None:
        return refused
    assert principal is not None
    years = _years(principal, request)
    filters = chosen_filters(
        request, [Filter("year", N_("year"), [(str(y), str(y)) for y in years], translate=False)]
    )
    chosen = filters[0].chosen
    rows: list[dict[str, Any]] = []
    for year in years:
        if chosen and str(year) != chosen:
            continue
        report = proceeds_report(get_registry(request).uow(), principal, year)
        for p in report["populations"]:
            rows.append(
                {"year": year, "population": p["population"], "in": p["inKZT"]}
                | {purpose: p["allocatedKZT"].get(purpose, 0.0) for purpose in PURPOSES}
                | {"unallocated": p["unallocatedKZT"]}
            )
    columns = [
        Column(N_("year"), "year"),
        Column(N_("population"), "population", words=POPULATION),
        Column(N_("came in (tenge)"), "in", numeric=True),
        *(Column(PURPOSE[purpose], purpose, numeric=True) for purpose in PURPOSES),
        Column(N_("not yet allocated (tenge)"), "unallocated", numeric=True),
    ]
    listing = Listing("/lists/proceeds", N_("Proceeds of legal sales and where they went"), columns, filters)
    listing.note = N_("Fees on legal sales, per population, and their allocation to conservation, in tenge.")
    return show(request, listing, rows)


def trade_summary(principal: Principal, registry: Any) -> dict[str, Any] | None:
    """The dashboard's legal trade panel: culls, lots and packs, permits to take, and the latest
    year's proceeds; None for whoever may not read them."""
    if not (principal.may(Permission.TRADE_READ) and principal.may(Permission.PROCEEDS_READ)):
        return None
    found = culls.list_culls(registry.uow(), principal)
    lots = meat_lots.meat_lots(registry.uow(), principal, LOTS_SHOWN, 0)
    years = sorted({e.day.year for e in ledger_entries(registry.uow(), principal)})
    latest = proceeds_report(registry.uow(), principal, years[-1]) if years else None
    return {
        "culls": len(found),
        "carcasses": sum(c["balance"]["carcasses"] for c in found),
        "lots": len(lots),
        "recalled": sum(1 for lot in lots if lot.recalled_on),
        "packs_sold": sum(c["balance"]["packs_sold"] for c in found),
        "take_permits": len(takings.take_permits(registry.uow(), principal)),
        "year": years[-1] if years else None,
        "proceeds": latest["inKZT"] if latest else 0.0,
        "balanced": latest["balanced"] if latest else True,
    }
