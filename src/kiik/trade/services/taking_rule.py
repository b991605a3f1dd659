"""Takings at capture (an `EventRule`): a commissioning of a species taken under permit (argali,
liquorice, juniper, rose hips) names its hunting or collection permit, and falls inside its holder,
species, dates and limit: trophies counted one per code, plants by the kilograms of the lot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiik.custody.domain.check import object_keys
from kiik.custody.domain.rules import operation_of
from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.epcis.services.records import WrittenEvent
from kiik.errors import N_
from kiik.trade.domain.takings import TAKEN_UNDER_PERMIT, TakeKind, TakePermit, taking_violations
from kiik.trade.services.ports import trade_store


class Takings:
    def __init__(self, uow: UnitOfWork) -> None:
        self.store = trade_store(uow)
        self.permits: dict[str, TakePermit | None] = {}
        self.used: dict[int, float] = {}
        self.pending: list[dict[str, Any]] = []

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.declares_error or operation_of(facts) != "commission":
            return []
        species = facts.ilmd_value("species")
        if species not in TAKEN_UNDER_PERMIT:
            return []
        number = facts.ilmd_value("takePermit")
        permit = self._permit(number)
        keys = object_keys(facts)
        key = keys[0][0] if keys else "the event"
        if TAKEN_UNDER_PERMIT[species] is TakeKind.HUNTING:
            amounts = [(k, 1.0) for k, _ in keys]
        else:
            amounts = [(q.key, q.mass_kg or 0.0) for q in facts.quantities]
            if not amounts or any(kg <= 0 for _, kg in amounts) or facts.epcs:
                return [
                    Violation(
                        "trade.collection_by_mass",
                        N_(
                            "%(species)s is collected by mass: commission a lot (quantityList) in KGM",
                            species=species,
                        ),
                        key,
                    )
                ]
        used = self._used(permit)
        total = sum(amount for _, amount in amounts)
        found = taking_violations(
            permit, number, str(species), key, facts.event_time.date(), total, used, principal.org_id
        )
        if not found and permit is not None and permit.id is not None:
            self.used[permit.id] = used + total
            day = facts.event_time.date()
            self.pending += [
                {"key": k, "permit_id": permit.id, "amount": a, "taken_on": day} for k, a in amounts
            ]
        return found

    def written(self, events: Sequence[WrittenEvent]) -> None:
        self.store.add_takings(self.pending)
        self.pending = []

    def _permit(self, number: object) -> TakePermit | None:
        if not isinstance(number, str):
            return None
        if number not in self.permits:
            self.permits[number] = self.store.take_permit(number)
        return self.permits[number]

    def _used(self, permit: TakePermit | None) -> float:
        if permit is None or permit.id is None:
            return 0.0
        if permit.id not in self.used:
            self.used[permit.id] = self.store.taken(permit.id)
        return self.used[permit.id]
