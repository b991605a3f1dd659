"""What proceeds' use cases need from storage (`uow.proceeds`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, cast

from kiik.db.unit_of_work import UnitOfWork
from kiik.proceeds.domain.ledger import Entry
from kiik.proceeds.domain.rules import AllocationRule, FeeRule


class ProceedsStorePort(Protocol):
    def add_fee_rule(self, rule: FeeRule) -> int: ...
    def fee_rules(self) -> list[FeeRule]: ...
    def add_allocation_rule(self, rule: AllocationRule) -> int: ...
    def allocation_rules(self) -> list[AllocationRule]: ...
    def add_entry(self, entry: Entry) -> int: ...
    def entries(self, ids: Sequence[int] | None = None, follows: int | None = None) -> list[Entry]: ...
    def corrected(self, entry_id: int) -> bool: ...


class _ProceedsUnitOfWork(UnitOfWork, Protocol):
    proceeds: ProceedsStorePort


def proceeds_store(uow: UnitOfWork) -> ProceedsStorePort:
    return cast(_ProceedsUnitOfWork, uow).proceeds
