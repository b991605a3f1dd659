"""Posting a fee: the entry that records what is owed, and the one that allocates it, in one go."""

from __future__ import annotations

from dataclasses import replace

from kiik.proceeds.domain.ledger import Entry, allocation_entry, fee_entry
from kiik.proceeds.domain.rules import Chargeable, allocation_rule_for, fee_rule_for, fee_tiyn, split
from kiik.proceeds.services.ports import ProceedsStorePort


class Poster:
    """Reads the rules once; posts fees and their allocations through the store."""

    def __init__(self, store: ProceedsStorePort) -> None:
        self.store = store
        self.fee_rules = store.fee_rules()
        self.allocation_rules = store.allocation_rules()

    def post(self, what: Chargeable, amount: int | None = None, note: str = "") -> list[int]:
        """Post the fee `what` owes (or `amount` tiyn) and its allocation; the new entries' ids."""
        rule = fee_rule_for(self.fee_rules, what)
        if amount is None:
            if rule is None:
                return []
            amount = fee_tiyn(rule, what)
        if amount <= 0:
            return []
        title = rule.title if rule else "fee"
        description = f"{title}: {what.charge.value} by {what.payer}{note}"
        fee = fee_entry(what.day, what.payer, what.population, amount, description, what.source)
        fee = replace(fee, id=self.store.add_entry(fee))
        return [fee.id or 0, *self.allocate(fee)]

    def allocate(self, fee: Entry) -> list[int]:
        allocation = allocation_rule_for(self.allocation_rules, fee.day)
        if allocation is None:
            return []  # stays in proceeds:<population> until the ministry sets an allocation rule
        parts = split(fee.amount, allocation.shares)
        return [self.store.add_entry(allocation_entry(fee, parts, f"{allocation.title} (entry {fee.id})"))]
