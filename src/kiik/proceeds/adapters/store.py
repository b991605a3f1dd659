"""The proceeds store: fee and allocation rules, ledger entries written once and read back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from kiik.proceeds.adapters.tables import allocation_rules, fee_rules, ledger_entries, ledger_lines
from kiik.proceeds.domain.ledger import Entry, EntryKind, Line
from kiik.proceeds.domain.rules import AllocationRule, Basis, Charge, FeeRule


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _fee_rule(row: Any) -> FeeRule:
    return FeeRule(
        row.title,
        Charge(row.charge),
        Basis(row.basis),
        row.rate,
        row.valid_from,
        row.legal_basis,
        row.valid_until,
        row.species,
        row.product_type,
        row.id,
    )


def _allocation_rule(row: Any) -> AllocationRule:
    return AllocationRule(
        row.title, row.valid_from, row.legal_basis, dict(row.shares), row.valid_until, row.id
    )


class ProceedsStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_fee_rule(self, rule: FeeRule) -> int:
        values = {
            "title": rule.title,
            "charge": rule.charge.value,
            "basis": rule.basis.value,
            "rate": rule.rate,
            "species": rule.species,
            "product_type": rule.product_type,
            "valid_from": rule.valid_from,
            "valid_until": rule.valid_until,
            "legal_basis": rule.legal_basis,
            "created_at": _now(),
        }
        return int(self.connection.execute(insert(fee_rules).values(**values)).inserted_primary_key[0])

    def fee_rules(self) -> list[FeeRule]:
        return [_fee_rule(r) for r in self.connection.execute(select(fee_rules).order_by(fee_rules.c.id))]

    def add_allocation_rule(self, rule: AllocationRule) -> int:
        values = {
            "title": rule.title,
            "shares": dict(rule.shares),
            "valid_from": rule.valid_from,
            "valid_until": rule.valid_until,
            "legal_basis": rule.legal_basis,
            "created_at": _now(),
        }
        return int(self.connection.execute(insert(allocation_rules).values(**values)).inserted_primary_key[0])

    def allocation_rules(self) -> list[AllocationRule]:
        query = select(allocation_rules).order_by(allocation_rules.c.id)
        return [_allocation_rule(r) for r in self.connection.execute(query)]

    def add_entry(self, entry: Entry) -> int:
        values = {
            "kind": entry.kind.value,
            "day": entry.day,
            "description": entry.description,
            "population": entry.population,
            "payer": entry.payer,
            "source": entry.source,
            "follows": entry.follows,
            "corrects": entry.corrects,
            "recorded_at": _now(),
        }
        entry_id = int(
            self.connection.execute(insert(ledger_entries).values(**values)).inserted_primary_key[0]
        )
        self.connection.execute(
            insert(ledger_lines),
            [
                {"entry_id": entry_id, "account": line.account, "debit": line.debit, "credit": line.credit}
                for line in entry.lines
            ],
        )
        return entry_id

    def entries(self, ids: Sequence[int] | None = None, follows: int | None = None) -> list[Entry]:
        query = select(ledger_entries).order_by(ledger_entries.c.id)
        if ids is not None:
            query = query.where(ledger_entries.c.id.in_(list(ids)))
        if follows is not None:
            query = query.where(ledger_entries.c.follows == follows)
        headers = list(self.connection.execute(query))
        lines: dict[int, list[Line]] = {}
        if headers:
            wanted = select(ledger_lines).order_by(ledger_lines.c.id)
            if ids is not None or follows is not None:
                wanted = wanted.where(ledger_lines.c.entry_id.in_([h.id for h in headers]))
            for row in self.connection.execute(wanted):
                lines.setdefault(row.entry_id, []).append(Line(row.account, row.debit, row.credit))
        return [
            Entry(
                EntryKind(h.kind),
                h.day,
                h.description,
                h.population,
                tuple(lines.get(h.id, ())),
                h.payer,
                h.source,
                h.follows,
                h.corrects,
                h.id,
            )
            for h in headers
        ]

    def corrected(self, entry_id: int) -> bool:
        query = select(ledger_entries.c.id).where(ledger_entries.c.corrects == entry_id)
        return self.connection.scalar(query) is not None
