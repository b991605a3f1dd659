"""Trade's rules at capture (an `EventRule`, see custody/services/event_rules.py).

- a commissioning of carcasses (ILMD productType `carcass`) falls inside its cull operation: the
  operation's team, species and population, dates and number of animals, a plausible mass;
- packs sold in a shop (`retail_selling`) come from a meat lot the shop holds, not recalled, and
  never more packs than the lot holds;
- a recall (disposition `recalled`) of a meat lot is recorded by its plant or by an authority.

What the document does is counted in memory and written after each batch (carcass batches, packs
sold, recalls), in the capture's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from kiik.custody.domain.rules import operation_of
from kiik.custody.domain.state import AUTHORITY_KINDS, Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.services.records import WrittenEvent
from kiik.errors import N_
from kiik.trade.domain.culls import CarcassBatch, CullOperation, carcass_violations
from kiik.trade.domain.events import RECALL_REASON, RECALLED, RETAIL_SELLING, sold_packs
from kiik.trade.domain.packs import MeatLot
from kiik.trade.services.ports import trade_store

CARCASS = "carcass"


class TradeRules:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.store = trade_store(uow)
        self.culls: dict[str, CullOperation | None] = {}
        self.recorded: dict[int, int] = {}  # carcasses per cull operation, stored and this document's
        self.lots: dict[str, MeatLot | None] = {}
        self.sold: dict[str, int] = {}
        self.recalled: dict[str, tuple[date, str]] = {}
        self.pending_batches: list[dict[str, Any]] = []
        self.pending_sold: dict[str, int] = {}

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.declares_error:
            return []
        if operation_of(facts) == "commission" and facts.ilmd_value("productType") == CARCASS:
            return self._carcasses(facts, principal)
        if facts.biz_step == RETAIL_SELLING and facts.event_type == "ObjectEvent":
            return self._packs_sold(facts, principal)
        if facts.disposition == RECALLED:
            return self._recall(facts, event, principal)
        return []

    def written(self, events: Sequence[WrittenEvent]) -> None:
        self.store.add_carcass_batches(self.pending_batches)
        self.store.add_packs_sold(self.pending_sold)
        self.store.mark_recalled(self.recalled)
        self.pending_batches, self.pending_sold, self.recalled = [], {}, {}

    def _cull(self, number: object) -> CullOperation | None:
        if not isinstance(number, str):
            return None
        if number not in self.culls:
            self.culls[number] = self.store.cull(number)
        return self.culls[number]

    def _carcasses(self, facts: EventFacts, principal: Principal) -> list[Violation]:
        operation = self._cull(facts.ilmd_value("cullOperation"))
        count = facts.ilmd_value("carcasses")
        found: list[Violation] = []
        for line in facts.quantities:
            batch = CarcassBatch(
                key=line.key,
                cull_number=facts.ilmd_value("cullOperation"),
                carcasses=count if isinstance(count, int) and not isinstance(count, bool) else None,
                mass_kg=line.mass_kg,
                delivered_on=facts.event_time.date(),
                species=facts.ilmd_value("species"),
                population=facts.ilmd_value("population"),
            )
            before = self._recorded(operation)
            problems = carcass_violations(operation, batch, before, principal.org_id)
            found += problems
            if not problems and operation is not None and operation.id is not None and batch.carcasses:
                self.recorded[operation.id] = before + batch.carcasses
                self.pending_batches.append(
                    {
                        "key": batch.key,
                        "cull_id": operation.id,
                        "carcasses": batch.carcasses,
                        "mass_kg": batch.mass_kg,
                        "delivered_on": batch.delivered_on,
                    }
                )
        if facts.epcs:
            found.append(
                Violation(
                    "trade.carcasses_by_batch",
                    N_("carcasses are commissioned as a batch (quantityList, in KGM), not one code each"),
                )
            )
        return found

    def _recorded(self, operation: CullOperation | None) -> int:
        if operation is None or operation.id is None:
            return 0
        if operation.id not in self.recorded:
            self.recorded[operation.id] = self.store.carcasses_recorded(operation.id)
        return self.recorded[operation.id]

    def _lot(self, key: str) -> MeatLot | None:
        if key not in self.lots:
            self.lots[key] = self.store.lot(key)
        return self.lots[key]

    def _packs_sold(self, facts: EventFacts, principal: Principal) -> list[Violation]:
        found: list[Violation] = []
        states = self.uow.items.load([q.key for q in facts.quantities])
        for key, packs in sold_packs(facts.quantities).items():
            lot = self._lot(key)
            if lot is None:
                continue  # not a meat lot: custody's rules alone apply
            state = states.get(key)
            holder = state.holder if state is not None else None
            problems = _sale_problems(lot, key, packs, holder, principal.org_id, self.recalled.get(key))
            problems += self._exhausted(lot, key, packs)
            found += problems
            if not problems:
                self.sold[key] = self.sold.get(key, 0) + packs
                self.pending_sold[key] = self.pending_sold.get(key, 0) + packs
        return found

    def _exhausted(self, lot: MeatLot, key: str, packs: int) -> list[Violation]:
        already = lot.packs_sold + self.sold.get(key, 0)
        if already + packs <= lot.packs:
            return []
        return [
            Violation(
                "trade.lot_exhausted",
                N_(
                    "%(key)s holds %(packs)s packs and %(already)s are recorded sold: %(more)s more cannot "
                    "come from it. Check the code on the packs (a pack of another lot?) and report packs "
                    "that carry this code to the inspectorate",
                    key=key,
                    packs=lot.packs,
                    already=already,
                    more=packs,
                ),
                key,
            )
        ]

    def _recall(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        found: list[Violation] = []
        reason = next(
            (v for k, v in event.items() if k == RECALL_REASON or k.endswith(":recallReason")), None
        )
        for line in facts.quantities:
            lot = self._lot(line.key)
            if lot is None:
                continue
            plant = self.store.plant_of(line.key)
            if plant != principal.org_id and principal.org_kind.value not in AUTHORITY_KINDS:
                found.append(
                    Violation(
                        "trade.recall_not_allowed",
                        N_(
                            "%(key)s is recalled by the plant that made it or by an authority, not by "
                            "%(organisation)s",
                            key=line.key,
                            organisation=principal.org_name,
                        ),
                        line.key,
                    )
                )
            elif lot.recalled_on is None and line.key not in self.recalled:
                self.recalled[line.key] = (facts.event_time.date(), str(reason or "no reason given"))
        return found


def _sale_problems(
    lot: MeatLot, key: str, packs: int, holder: int | None, seller: int, recalled: tuple[date, str] | None
) -> list[Violation]:
    found = []
    if packs <= 0:
        found.append(
            Violation("trade.packs_required", N_("a sale of %(key)s names more than 0 packs", key=key), key)
        )
    if holder != seller:
        found.append(
            Violation(
                "trade.not_holder",
                N_("packs of %(key)s are sold only by the shop that holds the lot", key=key),
                key,
            )
        )
    if lot.recalled_on is not None or recalled is not None:
        reason = lot.recall_reason or (recalled[1] if recalled else "")
        found.append(
            Violation(
                "trade.lot_recalled",
                N_(
                    "%(key)s was recalled (%(reason)s): take its packs off sale and return them to the "
                    "plant; no pack of it may be sold",
                    key=key,
                    reason=reason,
                ),
                key,
            )
        )
    return found
