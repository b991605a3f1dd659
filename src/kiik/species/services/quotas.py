"""Quotas: the ministry sets them; permits reserve, use and release them, always under the year's lock."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import N_, NotFound
from kiik.species.domain.quotas import Quota, QuotaBalance
from kiik.species.services.ports import CitesUnitOfWork


@dataclass(frozen=True)
class QuotaView:
    quota: Quota
    balances: list[QuotaBalance]

    def to_json(self) -> dict[str, Any]:
        return {
            **asdict(self.quota),
            "description": self.quota.describe(),
            "years": [
                {
                    "year": b.year,
                    "cap": b.cap,
                    "reserved": round(b.reserved, 6),
                    "used": round(b.used, 6),
                    "remaining": round(b.remaining, 6),
                }
                for b in self.balances
            ],
        }


def set_quota(uow: CitesUnitOfWork, principal: Principal, quota: Quota) -> QuotaView:
    """Open a quota (one year, or a programme of years with the same yearly cap)."""
    require(principal, Permission.QUOTAS_MANAGE)
    with uow:
        taxon_id = uow.cites.species.taxon_id(quota.scientific_name)
        if taxon_id is None:
            raise NotFound(
                N_(
                    "no taxon %(name)s in the species register: add it first",
                    name=repr(quota.scientific_name),
                )
            )
        quota_id = uow.cites.quotas.add(taxon_id, quota)
        uow.cites.species.audit(
            principal.org_id,
            f"{principal.org_code} ({principal.role})",
            "quota.added",
            quota.scientific_name,
            None,
            {**asdict(quota), "id": quota_id},
        )
        view = QuotaView(uow.cites.quotas.quota(quota_id), uow.cites.quotas.balances(quota_id))
        uow.commit()
    return view


def list_quotas(uow: CitesUnitOfWork, principal: Principal, species: str | None = None) -> list[QuotaView]:
    require(principal, Permission.SPECIES_READ)
    with uow:
        return [QuotaView(q, uow.cites.quotas.balances(q.id)) for q in uow.cites.quotas.quotas(species)]


def matching_quota(
    uow: CitesUnitOfWork, species: str, terms: set[str], source: str, purpose: str, country: str, year: int
) -> Quota | None:
    """The quota that covers every term of a permit (the first opened, when several do)."""
    for quota in uow.cites.quotas.quotas(species):
        if all(quota.covers(species, term, "KGM", source, purpose, country, year) for term in terms):
            return quota  # type: ignore[no-any-return]
    return None


def reserve(
    uow: CitesUnitOfWork, balance: QuotaBalance, permit_id: int, exporter: int, amount: float
) -> QuotaBalance:
    """Reserve under the lock the caller holds (`quotas.lock`); QuotaExceeded when too little is left."""
    after = balance.reserve(amount)
    uow.cites.quotas.save(after)
    uow.cites.quotas.record(after, permit_id, exporter, "reserve", amount)
    return after


def release(
    uow: CitesUnitOfWork, quota_id: int, year: int, permit_id: int, exporter: int, amount: float
) -> None:
    balance = uow.cites.quotas.lock(quota_id, year)
    if balance is None or amount <= 0:
        return
    after = balance.release(amount)
    uow.cites.quotas.save(after)
    uow.cites.quotas.record(after, permit_id, exporter, "release", amount)


def use(
    uow: CitesUnitOfWork,
    quota_id: int,
    year: int,
    permit_id: int,
    exporter: int,
    reserved: float,
    actual: float,
) -> None:
    """The export used `actual` of the permit's reservation; the rest of it is released."""
    balance = uow.cites.quotas.lock(quota_id, year)
    if balance is None:
        return
    after = balance.use(reserved, actual)
    uow.cites.quotas.save(after)
    uow.cites.quotas.record(after, permit_id, exporter, "release", reserved)
    uow.cites.quotas.record(after, permit_id, exporter, "use", actual)
