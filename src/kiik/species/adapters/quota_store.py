"""Quotas, their yearly balances (the rows issuing locks) and the movements against them.

`lock` is what keeps a quota from being over-issued under concurrent issuing: on PostgreSQL it
is `SELECT ... FOR UPDATE` on the quota's row for the year; on SQLite, which has one writer at a
time, a write to that row takes the database's write lock first, so the read after it is current.
Either way the lock is held until the unit of work commits or rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, func, insert, select, update

from kiik.directory.adapters.tables import organisations
from kiik.species.adapters.tables import quota_movements, quota_years, quotas, taxa
from kiik.species.domain.quotas import Quota, QuotaBalance


@dataclass(frozen=True)
class ExporterUse:
    quota_id: int
    year: int
    exporter_code: str
    exporter_name: str
    reserved: float
    used: float


def _quota(row: Any) -> Quota:
    return Quota(
        scientific_name=row.scientific_name,
        term=row.term,
        unit=row.unit,
        source=row.source,
        purpose=row.purpose,
        destination=row.destination,
        first_year=row.first_year,
        last_year=row.last_year,
        yearly_cap=row.yearly_cap,
        legal_basis=row.legal_basis,
        id=row.id,
    )


def _balance(row: Any) -> QuotaBalance:
    return QuotaBalance(row.quota_id, row.year, row.cap, row.reserved, row.used)


class QuotaStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _query(self) -> Any:
        return select(quotas, taxa.c.scientific_name).join(taxa, taxa.c.id == quotas.c.taxon_id)

    def quotas(self, scientific_name: str | None = None) -> list[Quota]:
        query = self._query()
        if scientific_name:
            query = query.where(taxa.c.scientific_name == scientific_name)
        return [_quota(r) for r in self.connection.execute(query.order_by(quotas.c.id))]

    def quota(self, quota_id: int) -> Quota | None:
        row = self.connection.execute(self._query().where(quotas.c.id == quota_id)).first()
        return _quota(row) if row else None

    def add(self, taxon_id: int, quota: Quota) -> int:
        result = self.connection.execute(
            insert(quotas).values(
                taxon_id=taxon_id,
                term=quota.term,
                unit=quota.unit,
                source=quota.source,
                purpose=quota.purpose,
                destination=quota.destination,
                first_year=quota.first_year,
                last_year=quota.last_year,
                yearly_cap=quota.yearly_cap,
                legal_basis=quota.legal_basis,
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
        quota_id = int(result.inserted_primary_key[0])
        self.connection.execute(
            insert(quota_years),
            [
                {"quota_id": quota_id, "year": year, "cap": quota.yearly_cap, "reserved": 0.0, "used": 0.0}
                for year in range(quota.first_year, quota.last_year + 1)
            ],
        )
        return quota_id

    def balances(self, quota_id: int | None = None, year: int | None = None) -> list[QuotaBalance]:
        query = select(quota_years).order_by(quota_years.c.quota_id, quota_years.c.year)
        if quota_id is not None:
            query = query.where(quota_years.c.quota_id == quota_id)
        if year is not None:
            query = query.where(quota_years.c.year == year)
        return [_balance(r) for r in self.connection.execute(query)]

    def balance(self, quota_id: int, year: int) -> QuotaBalance | None:
        found = self.balances(quota_id, year)
        return found[0] if found else None

    def lock(self, quota_id: int, year: int) -> QuotaBalance | None:
        """The balance, locked against every other writer until this transaction ends."""
        where = (quota_years.c.quota_id == quota_id, quota_years.c.year == year)
        if self.connection.dialect.name == "postgresql":
            row = self.connection.execute(select(quota_years).where(*where).with_for_update()).first()
        else:
            self.connection.execute(
                update(quota_years).where(*where).values(version=quota_years.c.version + 1)
            )
            row = self.connection.execute(select(quota_years).where(*where)).first()
        return _balance(row) if row else None

    def save(self, balance: QuotaBalance) -> None:
        self.connection.execute(
            update(quota_years)
            .where(quota_years.c.quota_id == balance.quota_id, quota_years.c.year == balance.year)
            .values(reserved=balance.reserved, used=balance.used, version=quota_years.c.version + 1)
        )

    def record(self, balance: QuotaBalance, permit_id: int, exporter: int, kind: str, amount: float) -> None:
        self.connection.execute(
            insert(quota_movements).values(
                quota_id=balance.quota_id,
                year=balance.year,
                permit_id=permit_id,
                exporter_org_id=exporter,
                kind=kind,
                amount=amount,
                at=datetime.now(UTC).replace(tzinfo=None),
            )
        )

    def use_by_exporter(self, year: int | None = None) -> list[ExporterUse]:
        amount = quota_movements.c.amount
        kind = quota_movements.c.kind
        reserved = func.sum(case((kind == "reserve", amount), (kind == "release", -amount), else_=0.0))
        used = func.sum(case((kind == "use", amount), else_=0.0))
        query = (
            select(
                quota_movements.c.quota_id,
                quota_movements.c.year,
                organisations.c.code,
                organisations.c.name,
                reserved.label("reserved"),
                used.label("used"),
            )
            .join(organisations, organisations.c.id == quota_movements.c.exporter_org_id)
            .group_by(
                quota_movements.c.quota_id, quota_movements.c.year, organisations.c.code, organisations.c.name
            )
            .order_by(quota_movements.c.quota_id, quota_movements.c.year, organisations.c.code)
        )
        if year is not None:
            query = query.where(quota_movements.c.year == year)
        return [
            ExporterUse(
                r.quota_id, r.year, r.code, r.name, round(float(r.reserved or 0), 9), float(r.used or 0)
            )
            for r in self.connection.execute(query)
        ]
