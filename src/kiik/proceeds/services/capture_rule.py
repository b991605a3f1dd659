"""Fees at capture (an `EventRule`): every legal sale, export and cull captured owes what the fee rule
in force on its day says, posted to the ledger with its allocation once the document is accepted.

- a sale: a TransactionEvent naming a sale (`urn:kiik:sale:`), with its agreed price (kiik.trade);
- an export: an event with the disposition `exported` (customs' endorsement of a permit);
- a cull: a commissioning of carcasses (ILMD productType `carcass`), with its number of animals.

The rule refuses nothing: an event no fee rule covers owes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiik.custody.domain.rules import operation_of
from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.domain.vocabulary import DISPOSITION_EXPORTED
from kiik.epcis.services.records import WrittenEvent
from kiik.proceeds.domain.ledger import UNATTRIBUTED
from kiik.proceeds.domain.rules import Charge, Chargeable
from kiik.proceeds.services.ports import proceeds_store
from kiik.proceeds.services.posting import Poster
from kiik.trade.domain.events import extension, sale_id


class ProceedsRule:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.pending: list[Chargeable] = []
        self._poster: Poster | None = None

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.declares_error:
            return []
        if operation_of(facts) == "commission" and facts.ilmd_value("productType") == "carcass":
            self.pending.append(_cull(facts, principal))
        elif facts.event_type == "TransactionEvent" and sale_id(event) is not None:
            price = extension(event, "priceKZT")
            what = self._of_items(Charge.SALE, facts, principal.org_code)
            if what is not None and isinstance(price, int | float):
                self.pending.append(Chargeable(**{**what.__dict__, "price_kzt": float(price)}))
        elif facts.disposition == DISPOSITION_EXPORTED:
            what = self._of_items(Charge.EXPORT, facts, None)
            if what is not None:
                self.pending.append(what)
        return []

    def written(self, events: Sequence[WrittenEvent]) -> None:
        if not self.pending:
            return
        if self._poster is None:
            self._poster = Poster(proceeds_store(self.uow))
        for what in self.pending:
            self._poster.post(what)
        self.pending = []

    def _of_items(self, charge: Charge, facts: EventFacts, payer: str | None) -> Chargeable | None:
        keys = list(facts.epcs) + [q.key for q in facts.quantities]
        loaded = self.uow.items.load(keys)
        states = [loaded[k] for k in keys if k in loaded]
        if not states:
            return None
        if payer is None:  # an export: the exporter, who held the items until customs saw them leave
            holder = self.uow.directory.organisation(states[0].holder) if states[0].holder else None
            payer = holder.code if holder else "unknown"
        item_kg = sum(s.mass_kg or 0.0 for s in states if not s.is_class)
        return Chargeable(
            charge=charge,
            day=facts.event_time.date(),
            payer=payer,
            population=UNATTRIBUTED,
            species=states[0].species,
            product_type=states[0].product_type,
            kg=item_kg + sum(q.mass_kg or 0.0 for q in facts.quantities),
            items=len(facts.epcs),
            source=facts.event_id or "",
        )


def _cull(facts: EventFacts, principal: Principal) -> Chargeable:
    animals = facts.ilmd_value("carcasses")
    population = facts.ilmd_value("population")
    return Chargeable(
        charge=Charge.CULL,
        day=facts.event_time.date(),
        payer=principal.org_code,
        population=population if isinstance(population, str) else UNATTRIBUTED,
        species=facts.ilmd_value("species"),
        product_type="carcass",
        kg=sum(q.mass_kg or 0.0 for q in facts.quantities),
        items=animals if isinstance(animals, int) and not isinstance(animals, bool) else 0,
        source=facts.event_id or "",
    )
