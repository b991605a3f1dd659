"""The species register and quotas: read by every organisation, edited by the ministry."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from kiik.directory.domain.permissions import Permission
from kiik.http.deps import PrincipalDep, RegistryDep, RowId, may
from kiik.species.domain.quotas import Quota
from kiik.species.domain.species import Taxon
from kiik.species.services.quotas import list_quotas, set_quota
from kiik.species.services.register import (
    SaveRule,
    add_rule,
    audit_trail,
    change_rule,
    read_register,
    rule_json,
    save_taxon,
    withdraw_rule,
)

router = APIRouter(prefix="/api", tags=["Species and quotas"])


class TaxonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scientific_name: str = Field(min_length=3, max_length=120)
    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""
    cites_appendix: str = ""
    national_status: str = ""


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scientific_name: str
    kind: str = Field(description="total_ban or export_under_quota")
    title: str = Field(min_length=3, max_length=300)
    valid_from: date
    valid_until: date | None = None
    legal_basis: str = Field(min_length=3)
    operations: list[str] = Field(default_factory=list, description="custody operations forbidden")
    penalty_article: str | None = None
    penalty_max_mci: int | None = Field(default=None, ge=0)
    penalty_min_mci: int | None = Field(default=None, ge=0)
    penalty_other: str = ""

    def command(self) -> SaveRule:
        return SaveRule(**{**self.model_dump(), "operations": tuple(self.operations)})


class QuotaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scientific_name: str
    term: str | None = Field(default=None, description="CITES term code; none: every term")
    unit: str = "KGM"
    source: str = "W"
    purpose: str = "T"
    destination: str | None = None
    first_year: int = Field(ge=1975, le=2100)
    last_year: int = Field(ge=1975, le=2100)
    yearly_cap: float = Field(ge=0)
    legal_basis: str = Field(min_length=3)


@router.get("/species", summary="The species register: taxa and their dated rules")
def get_register(registry: RegistryDep, principal: PrincipalDep, withdrawn: bool = False) -> dict[str, Any]:
    return read_register(registry.uow(), principal, withdrawn=withdrawn).to_json()


@router.put("/species", summary="Add or change a taxon (ministry)")
def put_taxon(
    body: TaxonIn,
    registry: RegistryDep,
    principal: may(Permission.SPECIES_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    taxon = save_taxon(registry.uow(), principal, Taxon(**body.model_dump()))
    return {"scientific_name": taxon.scientific_name}


@router.post("/species/rules", status_code=201, summary="Add a dated rule to a taxon (ministry)")
def post_rule(
    body: RuleIn,
    registry: RegistryDep,
    principal: may(Permission.SPECIES_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return rule_json(add_rule(registry.uow(), principal, body.command()))


@router.put(
    "/species/rules/{rule_id}", summary="Change a rule (ministry; the old version stays in the audit)"
)
def put_rule(
    rule_id: RowId,
    body: RuleIn,
    registry: RegistryDep,
    principal: may(Permission.SPECIES_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return rule_json(change_rule(registry.uow(), principal, rule_id, body.command()))


@router.post("/species/rules/{rule_id}/withdraw", summary="Withdraw a rule (ministry)")
def post_withdraw(
    rule_id: RowId,
    registry: RegistryDep,
    principal: may(Permission.SPECIES_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return rule_json(withdraw_rule(registry.uow(), principal, rule_id))


@router.get("/species/audit", summary="Every edit of the register, oldest first")
def get_audit(
    registry: RegistryDep, principal: PrincipalDep, subject: str | None = None
) -> list[dict[str, Any]]:
    return [entry.to_json() for entry in audit_trail(registry.uow(), principal, subject)]


@router.get("/quotas", summary="Export quotas with their yearly balances")
def get_quotas(
    registry: RegistryDep, principal: PrincipalDep, species: str | None = None
) -> list[dict[str, Any]]:
    return [view.to_json() for view in list_quotas(registry.uow(), principal, species)]


@router.post("/quotas", status_code=201, summary="Open a quota (Res. Conf. 14.7; ministry)")
def post_quota(
    body: QuotaIn,
    registry: RegistryDep,
    principal: may(Permission.QUOTAS_MANAGE),  # type: ignore[valid-type]
) -> dict[str, Any]:
    return set_quota(registry.uow(), principal, Quota(**body.model_dump())).to_json()
