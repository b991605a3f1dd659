"""Domestic sales at capture (an `EventRule`): a TransactionEvent naming a sale (`urn:kiik:sale:<id>`)
states its buyer's kind, the buyer and the agreed price; a marked item is sold once, a lot never by
more kilograms than it holds; meat lots are sold as packs (`retail_selling`), not here. Custody's
rule for a TransactionEvent (only the holder sells) applies as to any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.services.records import WrittenEvent
from kiik.errors import N_
from kiik.trade.domain.events import extension, sale_id
from kiik.trade.domain.sales import (
    TOLERANCE_KG,
    DerivativeSale,
    SaleLine,
    already_sold,
    beyond_lot,
    terms_problems,
)
from kiik.trade.services.ports import trade_store


class DerivativeSales:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.store = trade_store(uow)
        self.sold_here: dict[str, float] = {}  # this document's sales, by key
        self.pending: list[DerivativeSale] = []
        self.event_ids: dict[str, str] = {}

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.event_type != "TransactionEvent" or facts.declares_error:
            return []
        sale = sale_id(event)
        if sale is None:
            return []
        price = extension(event, "priceKZT")
        found = terms_problems(sale, extension(event, "buyerKind"), extension(event, "buyer"), price)
        keys = list(facts.epcs) + [q.key for q in facts.quantities]
        states = self.uow.items.load(keys)
        stored = self.store.sold(keys)
        meat = self.store.lots_of(keys)
        lines: list[SaleLine] = []
        for key in facts.epcs:
            if key in stored or key in self.sold_here:
                found.append(already_sold(key))
            state = states.get(key)
            lines.append(SaleLine(key, False, state.mass_kg if state else None))
        for line in facts.quantities:
            found += self._lot_line(line.key, line.mass_kg, states.get(line.key), stored, meat)
            lines.append(SaleLine(line.key, True, line.mass_kg))
        if not lines:
            found.append(
                Violation("trade.sale_empty", N_("sale %(sale)s names no item and no lot", sale=sale))
            )
        if found:
            return found
        for sold in lines:
            self.sold_here[sold.key] = self.sold_here.get(sold.key, 0.0) + (sold.kg or 0.0)
        products = {s.product_type or "unrecorded" for k in keys if (s := states.get(k)) is not None}
        self.pending.append(
            DerivativeSale(
                sale,
                principal.org_id,
                str(extension(event, "buyerKind")),
                str(extension(event, "buyer")).strip(),
                products.pop() if len(products) == 1 else "mixed",
                tuple(lines),
                float(price),
                facts.event_time.replace(tzinfo=None),
            )
        )
        self.event_ids[sale] = facts.event_id or ""
        return []

    def _lot_line(
        self, key: str, kg: float | None, state: Any, stored: Mapping[str, float], meat: Mapping[str, Any]
    ) -> list[Violation]:
        if key in meat:
            return [
                Violation(
                    "trade.meat_sold_by_pack",
                    N_(
                        "%(key)s is a meat lot: its packs are recorded as sold in the shop (retail_selling)",
                        key=key,
                    ),
                    key,
                )
            ]
        if kg is None or kg <= 0:
            sentence = N_("give the kilograms of %(key)s sold (uom KGM)", key=key)
            return [Violation("trade.sale_mass_required", sentence, key)]
        if state is None or state.mass_kg is None:
            return []  # custody reports the unknown lot
        sold = stored.get(key, 0.0) + self.sold_here.get(key, 0.0)
        if sold + kg > state.mass_kg + TOLERANCE_KG:
            return [beyond_lot(key, state.mass_kg, sold, kg)]
        return []

    def written(self, events: Sequence[WrittenEvent]) -> None:
        self.store.add_sales(self.pending, self.event_ids)
        self.pending, self.event_ids = [], {}
