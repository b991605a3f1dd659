"""Proceeds' use cases: the ministry's fee and allocation rules, corrections, the ledger and its report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import NotFound
from kiik.proceeds.domain.ledger import Entry, EntryKind, Line, report, reversal, trial_balance
from kiik.proceeds.domain.rules import AllocationRule, FeeRule, ProceedsError
from kiik.proceeds.services.ports import proceeds_store
from kiik.proceeds.services.posting import Poster


def add_fee_rule(uow: UnitOfWork, principal: Principal, rule: FeeRule) -> FeeRule:
    require(principal, Permission.PROCEEDS_MANAGE)
    with uow:
        rule_id = proceeds_store(uow).add_fee_rule(rule)
        uow.commit()
    return replace(rule, id=rule_id)


def add_allocation_rule(uow: UnitOfWork, principal: Principal, rule: AllocationRule) -> AllocationRule:
    require(principal, Permission.PROCEEDS_MANAGE)
    with uow:
        rule_id = proceeds_store(uow).add_allocation_rule(rule)
        uow.commit()
    return replace(rule, id=rule_id)


def proceeds_rules(uow: UnitOfWork, principal: Principal) -> tuple[list[FeeRule], list[AllocationRule]]:
    require(principal, Permission.PROCEEDS_READ)
    with uow:
        store = proceeds_store(uow)
        return store.fee_rules(), store.allocation_rules()


def ledger_entries(uow: UnitOfWork, principal: Principal, year: int | None = None) -> list[Entry]:
    require(principal, Permission.PROCEEDS_READ)
    with uow:
        entries = proceeds_store(uow).entries()
    return [e for e in entries if year is None or e.day.year == year]


def proceeds_report(uow: UnitOfWork, principal: Principal, year: int) -> dict[str, Any]:
    """What came in per population in `year`, where it was allocated, and whether the ledger balances."""
    require(principal, Permission.PROCEEDS_READ)
    with uow:
        entries = proceeds_store(uow).entries()
    answer = report(entries, year)
    answer["ledgerBalanced"] = sum(trial_balance(entries).values()) == 0
    return answer


def correct_fee(
    uow: UnitOfWork,
    principal: Principal,
    entry_id: int,
    reason: str,
    day: date,
    amount_kzt: float | None = None,
) -> list[int]:
    """Reverse a fee and its allocation; with `amount_kzt`, record the right fee (allocated again).
    Nothing is edited: the ids of the new entries are returned."""
    require(principal, Permission.PROCEEDS_MANAGE)
    if not reason.strip():
        raise ProceedsError("a correction says why (e.g. the sale's price was entered wrong)")
    if amount_kzt is not None and not 0 <= amount_kzt < 1e13:
        raise ProceedsError(f"the right fee is 0 tenge or more, not {amount_kzt}")
    with uow:
        store = proceeds_store(uow)
        found = store.entries([entry_id])
        if not found:
            raise NotFound(f"no ledger entry {entry_id}: GET /api/proceeds/entries lists them")
        fee = found[0]
        if fee.kind is not EntryKind.FEE:
            raise ProceedsError(
                f"entry {entry_id} is {fee.kind.value}: correct the fee it belongs to (its allocation "
                "follows it)"
            )
        if store.corrected(entry_id):
            raise ProceedsError(
                f"entry {entry_id} is reversed already; correct the fee that replaced it instead"
            )
        made = []
        for entry in [fee, *store.entries(follows=entry_id)]:
            made.append(store.add_entry(reversal(entry, day, reason)))
        amount = round(amount_kzt * 100) if amount_kzt is not None else 0
        if amount > 0:
            description = f"{fee.description} (corrected: {reason})"
            right = replace(fee, description=description, lines=_scaled(fee, amount), id=None)
            right = replace(right, id=store.add_entry(right))
            made += [right.id or 0, *Poster(store).allocate(right)]
        uow.commit()
    return made


def _scaled(fee: Entry, amount: int) -> tuple[Line, ...]:
    """The fee's two lines with another amount."""
    return tuple(
        replace(line, debit=amount if line.debit else 0, credit=amount if line.credit else 0)
        for line in fee.lines
    )
