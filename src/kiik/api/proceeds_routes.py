"""Proceeds to conservation: the ministry's fee and allocation rules, the ledger, corrections, and the
report per year and population (docs/trade.md)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from kiik.directory.domain.permissions import Permission
from kiik.http.deps import PrincipalDep, RegistryDep, RowId, may
from kiik.http.problems import problem
from kiik.proceeds.domain.ledger import Entry
from kiik.proceeds.domain.rules import AllocationRule, Basis, Charge, FeeRule, ProceedsError
from kiik.proceeds.services import ledger

router = APIRouter(prefix="/api/proceeds", tags=["Proceeds to conservation"])
Year = Annotated[int, Query(ge=2000, le=2100)]


def install(app: FastAPI) -> None:
    app.include_router(router)

    @app.exception_handler(ProceedsError)
    async def _invalid(_: Request, exc: ProceedsError) -> JSONResponse:
        return problem(400, "Invalid proceeds request", str(exc), "ValidationException")


def fee_rule_json(rule: FeeRule) -> dict[str, Any]:
    return {
        **asdict(rule),
        "charge": rule.charge.value,
        "basis": rule.basis.value,
        "valid_from": rule.valid_from.isoformat(),
        "valid_until": rule.valid_until.isoformat() if rule.valid_until else None,
    }


def allocation_rule_json(rule: AllocationRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "title": rule.title,
        "shares": dict(rule.shares),
        "valid_from": rule.valid_from.isoformat(),
        "valid_until": rule.valid_until.isoformat() if rule.valid_until else None,
        "legal_basis": rule.legal_basis,
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "day": entry.day.isoformat(),
        "description": entry.description,
        "population": entry.population,
        "payer": entry.payer,
        "source": entry.source,
        "follows": entry.follows,
        "corrects": entry.corrects,
        "lines": [
            {"account": line.account, "debitKZT": line.debit / 100, "creditKZT": line.credit / 100}
            for line in entry.lines
        ],
    }


class FeeRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    title: str = Field(min_length=3, max_length=300)
    charge: Charge
    basis: Basis
    rate: float = Field(
        gt=0, le=1e9, description="tenge per kg or per item, or the share of the price (0.05 = 5 %)"
    )
    valid_from: date
    valid_until: date | None = None
    legal_basis: str = Field(min_length=3)
    species: str | None = Field(default=None, max_length=120)
    product_type: str | None = Field(default=None, max_length=64)


class AllocationRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    title: str = Field(min_length=3, max_length=300)
    shares: dict[str, Annotated[float, Field(ge=0, le=1)]] = Field(
        description="protection, habitat, research"
    )
    valid_from: date
    valid_until: date | None = None
    legal_basis: str = Field(min_length=3)


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    reason: str = Field(min_length=1, max_length=500)
    amount_kzt: float | None = Field(
        default=None, ge=0, lt=1e13, description="the right fee; none: nothing was owed"
    )
    day: date | None = None


@router.get("/rules", summary="The fee rules and allocation rules, with their dates")
def get_rules(registry: RegistryDep, principal: PrincipalDep) -> dict[str, Any]:
    fees, allocations = ledger.proceeds_rules(registry.uow(), principal)
    return {
        "feeRules": [fee_rule_json(r) for r in fees],
        "allocationRules": [allocation_rule_json(r) for r in allocations],
    }


@router.post("/fee-rules", status_code=201, summary="Add a dated fee rule (ministry)")
def post_fee_rule(
    body: FeeRuleIn,
    registry: RegistryDep,
    principal: may(Permission.PROCEEDS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    rule = FeeRule(**body.model_dump())
    return fee_rule_json(ledger.add_fee_rule(registry.uow(), principal, rule))


@router.post("/allocation-rules", status_code=201, summary="Add a dated allocation rule (ministry)")
def post_allocation_rule(
    body: AllocationRuleIn,
    registry: RegistryDep,
    principal: may(Permission.PROCEEDS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    rule = AllocationRule(**body.model_dump())
    return allocation_rule_json(ledger.add_allocation_rule(registry.uow(), principal, rule))


@router.get("/entries", summary="The ledger's entries of a year, each with its lines in tenge")
def get_entries(registry: RegistryDep, principal: PrincipalDep, year: Year) -> list[dict[str, Any]]:
    return [entry_json(e) for e in ledger.ledger_entries(registry.uow(), principal, year)]


@router.post(
    "/entries/{entry_id}/corrections", status_code=201, summary="Correct a fee by new entries (ministry)"
)
def post_correction(
    entry_id: RowId,
    body: CorrectionIn,
    registry: RegistryDep,
    principal: may(Permission.PROCEEDS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    day = body.day or datetime.now(UTC).date()
    made = ledger.correct_fee(registry.uow(), principal, entry_id, body.reason, day, body.amount_kzt)
    return {"entries": made}


@router.get("/report", summary="What came in per population in a year and where it was allocated")
def get_report(registry: RegistryDep, principal: PrincipalDep, year: Year) -> dict[str, Any]:
    return ledger.proceeds_report(registry.uow(), principal, year)
