"""Domestic sales of marked derivatives: record a sale with its agreed price; read sales and prices."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.services.identifier_terms import item_key
from kiik.trade.domain import events
from kiik.trade.domain.errors import TradeError
from kiik.trade.domain.sales import BUYER_KINDS, DerivativeSale, price_report
from kiik.trade.services.ports import record, site_of, trade_store


@dataclass(frozen=True)
class RecordSale:
    buyer_kind: str
    buyer: str
    price_kzt: float
    at: datetime
    items: Sequence[str] = ()  # marked items sold whole
    lots: Sequence[tuple[str, float]] = field(default_factory=tuple)  # lots sold by the kilogram


def record_sale(uow: UnitOfWork, principal: Principal, command: RecordSale, yields: dict[str, float]) -> str:
    """The holder sells marked derivatives to a pharmacy, a manufacturer or a person (the sale's id back)."""
    require(principal, Permission.EVENTS_CAPTURE)
    if command.buyer_kind not in BUYER_KINDS:
        raise TradeError(
            f"the buyer's kind {command.buyer_kind!r} is unknown: use one of {', '.join(BUYER_KINDS)}"
        )
    if not command.items and not command.lots:
        raise TradeError("a sale names the items or the kilograms of lots sold")
    sale = uuid.uuid4().hex
    items = [item_key(code) for code in command.items]
    lots = [(item_key(code), kg) for code, kg in command.lots]
    with uow:
        event = events.derivative_sale(
            sale,
            items,
            lots,
            command.at,
            site_of(uow, principal),
            command.buyer_kind,
            command.buyer,
            command.price_kzt,
        )
        record(uow, principal, [event], f"the sale {sale}", yields)
        uow.commit()
    return sale


def sale_json(sale: DerivativeSale) -> dict[str, Any]:
    return {
        "id": sale.id,
        "soldAt": sale.sold_at.isoformat() + "Z",
        "buyerKind": sale.buyer_kind,
        "buyer": sale.buyer,
        "product": sale.product_type,
        "items": [line.key for line in sale.lines if not line.is_class],
        "lots": [{"code": line.key, "massKg": line.kg} for line in sale.lines if line.is_class],
        "massKg": sale.mass_kg,
        "priceKZT": sale.price_kzt,
    }


def list_sales(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    """Sales with their prices: an authority sees all, a seller its own."""
    require(principal, Permission.TRADE_READ)
    with uow:
        sales = trade_store(uow).sales(None if principal.sees_everything else principal.org_id)
    return [sale_json(s) for s in sales]


def sale_prices(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    """What the market paid, per product and year (every sale, no seller named)."""
    require(principal, Permission.TRADE_READ)
    with uow:
        return price_report(trade_store(uow).sales())
