"""What trade's use cases need from storage (`uow.trade`), and how they record events through capture."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, cast

from kiik.custody.domain.state import Violation
from kiik.custody.services.capture import CaptureOutcome, capture_within
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.trade.domain.culls import CullOperation
from kiik.trade.domain.errors import TradeError, TradeRefused
from kiik.trade.domain.meat import LotPlan, ProcessingRun
from kiik.trade.domain.packs import MeatLot
from kiik.trade.domain.sales import DerivativeSale
from kiik.trade.domain.takings import TakePermit


class TradeStorePort(Protocol):
    def add_cull(self, operation: CullOperation) -> int: ...
    def cull(self, number: str) -> CullOperation | None: ...
    def culls(self) -> list[CullOperation]: ...
    def carcasses_recorded(self, cull_id: int) -> int: ...
    def add_carcass_batches(self, rows: Sequence[Mapping[str, Any]]) -> None: ...
    def carcass_origins(self, keys: Iterable[str]) -> dict[str, tuple[str, date, str]]: ...
    def add_run(self, run: ProcessingRun, plant_org_id: int) -> int: ...
    def add_lots(
        self, run_id: int, gtin: str, lots: Sequence[tuple[str, LotPlan]], origin: Mapping[str, Any]
    ) -> None: ...
    def lot(self, key: str) -> MeatLot | None: ...
    def lots_of(self, keys: Iterable[str]) -> dict[str, MeatLot]: ...
    def plant_of(self, key: str) -> int | None: ...
    def lots(self, limit: int = 200, offset: int = 0) -> list[MeatLot]: ...
    def add_packs_sold(self, sold: Mapping[str, int]) -> None: ...
    def mark_recalled(self, recalls: Mapping[str, tuple[date, str]]) -> None: ...
    def cull_balance(self, cull_id: int) -> dict[str, Any]: ...
    def sold(self, keys: Iterable[str]) -> dict[str, float]: ...
    def add_sales(self, sales: Sequence[DerivativeSale], event_ids: Mapping[str, str]) -> None: ...
    def sales(self, seller_org_id: int | None = None) -> list[DerivativeSale]: ...
    def add_take_permit(self, permit: TakePermit) -> int: ...
    def take_permit(self, number: str) -> TakePermit | None: ...
    def take_permits(self) -> list[TakePermit]: ...
    def taken(self, permit_id: int) -> float: ...
    def takings_of(self, permit_id: int) -> list[tuple[str, float, date]]: ...
    def add_takings(self, rows: Sequence[Mapping[str, Any]]) -> None: ...


class _TradeUnitOfWork(UnitOfWork, Protocol):
    trade: TradeStorePort


def trade_store(uow: UnitOfWork) -> TradeStorePort:
    return cast(_TradeUnitOfWork, uow).trade


@dataclass
class BuiltEvent:
    """An event kiik built itself, handed to capture like a document's (no reader problems)."""

    index: int
    event: dict[str, Any]
    problems: Sequence[Any] = field(default_factory=list)


def record(
    uow: UnitOfWork,
    principal: Principal,
    events: Sequence[dict[str, Any]],
    what: str,
    yields: dict[str, float],
) -> CaptureOutcome:
    """Capture events inside the caller's transaction; a refusal raises TradeRefused with every problem."""
    for event in events:
        event.setdefault("eventID", f"urn:uuid:{uuid.uuid4()}")
    outcome = capture_within(
        uow, principal, [BuiltEvent(i, e) for i, e in enumerate(events)], custody_rules=True, yields=yields
    )
    if not outcome.succeeded:
        problems = [Violation(e["rule"], e["message"], e.get("identifier")) for e in outcome.errors]
        raise TradeRefused(what, problems)
    return outcome


def site_of(uow: UnitOfWork, principal: Principal) -> str | None:
    sites = uow.directory.sites(principal.org_id)
    return sites[0].sgln if sites else None


def organisation(uow: UnitOfWork, code: str) -> Any:
    org = uow.directory.organisation(code)
    if org is None:
        raise TradeError(f"no organisation with code {code!r}: check the code (`kiik org list`)")
    return org
