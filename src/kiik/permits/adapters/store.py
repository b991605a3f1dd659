"""Permits, their items and their history; the yearly permit serials."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiik.custody.adapters.item_store import chunked
from kiik.directory.adapters.tables import organisations
from kiik.permits.adapters.tables import permit_history, permit_items, permit_serials, permits
from kiik.permits.domain.lifecycle import EXPORTED, OPEN, PermitKind, PermitStatus
from kiik.permits.domain.model import Permit, PermitItem

FIELDS = [c.name for c in permits.columns if c.name not in ("id", "updated_at")]


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    org_code: str | None
    action: str
    from_status: str | None
    to_status: str
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat() + "Z",
            "by": self.org_code,
            "action": self.action,
            "from": self.from_status,
            "to": self.to_status,
            "note": self.note,
        }


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


ITEM_COLUMNS = (
    permit_items.c.item_key,
    permit_items.c.line,
    permit_items.c.scientific_name,
    permit_items.c.term,
    permit_items.c.unit,
    permit_items.c.quantity,
    permit_items.c.actual_quantity,
)


class PermitStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _permit(self, row: Any, with_items: bool = True) -> Permit:
        values = {name: getattr(row, name) for name in FIELDS}
        values["kind"] = PermitKind(values["kind"])
        values["status"] = PermitStatus(values["status"])
        items = self.items(row.id) if with_items else ()
        return Permit(id=row.id, items=tuple(items), **values)

    def add(self, permit: Permit) -> int:
        values = {name: getattr(permit, name) for name in FIELDS}
        values["kind"], values["status"] = permit.kind.value, permit.status.value
        result = self.connection.execute(insert(permits).values(updated_at=now(), **values))
        permit_id = int(result.inserted_primary_key[0])
        if permit.items:
            self.connection.execute(
                insert(permit_items),
                [
                    {
                        "permit_id": permit_id,
                        "item_key": i.key,
                        "line": i.line,
                        "scientific_name": i.scientific_name,
                        "term": i.term,
                        "unit": i.unit,
                        "quantity": i.quantity,
                        "actual_quantity": i.actual_quantity,
                    }
                    for i in permit.items
                ],
            )
        return permit_id

    def get(self, permit_id: int, *, lock: bool = False) -> Permit | None:
        return self._one(permits.c.id == permit_id, lock)

    def by_number(self, number: str, *, lock: bool = False, with_items: bool = True) -> Permit | None:
        return self._one(permits.c.number == number, lock, with_items)

    def _one(self, where: Any, lock: bool, with_items: bool = True) -> Permit | None:
        """One permit; with `lock`, no other transaction may change it until this one ends.

        PostgreSQL locks the row (SELECT ... FOR UPDATE). SQLite has one writer: a write to the row
        first takes the write lock, so that the status read after it cannot be stale."""
        query = select(permits).where(where)
        if lock and self.connection.dialect.name == "postgresql":
            query = query.with_for_update()
        elif lock:
            self.connection.execute(update(permits).where(where).values(updated_at=permits.c.updated_at))
        row = self.connection.execute(query).first()
        return self._permit(row, with_items) if row else None

    def find(
        self,
        applicant: int | None = None,
        status: str | None = None,
        limit: int = 500,
        country: str | None = None,
    ) -> list[Permit]:
        query = select(permits).order_by(permits.c.id.desc()).limit(limit)
        if applicant is not None:
            query = query.where(permits.c.applicant_org_id == applicant)
        if country is not None:
            query = query.where(permits.c.import_country == country)
        if status:
            query = query.where(permits.c.status == status)
        return [self._permit(r) for r in self.connection.execute(query)]

    def page(
        self,
        applicant: int | None = None,
        status: str | None = None,
        species: str | None = None,
        offset: int = 0,
        limit: int = 25,
        country: str | None = None,
    ) -> tuple[list[Permit], int]:
        """One page of permits, newest first, without their items, and how many match in all."""
        conditions = []
        if applicant is not None:
            conditions.append(permits.c.applicant_org_id == applicant)
        if country is not None:
            conditions.append(permits.c.import_country == country)
        if status:
            conditions.append(permits.c.status == status)
        if species:
            conditions.append(permits.c.scientific_name == species)
        query = select(permits).where(*conditions).order_by(permits.c.id.desc()).offset(offset).limit(limit)
        total = self.connection.scalar(select(func.count()).select_from(permits).where(*conditions))
        return [self._permit(r, with_items=False) for r in self.connection.execute(query)], int(total or 0)

    def applicants(self, country: str | None = None) -> list[int]:
        """The organisations that applied for permits (to `country` only, when given)."""
        query = select(permits.c.applicant_org_id).distinct()
        if country is not None:
            query = query.where(permits.c.import_country == country)
        return [int(org_id) for org_id in self.connection.scalars(query)]

    def due_to_expire(self, today: date, quota_id: int | None = None) -> list[int]:
        """Issued permits whose last valid day is before `today` (optionally of one quota)."""
        query = select(permits.c.id).where(
            permits.c.status == PermitStatus.ISSUED.value, permits.c.valid_until < today
        )
        if quota_id is not None:
            query = query.where(permits.c.quota_id == quota_id)
        return list(self.connection.scalars(query.order_by(permits.c.id)))

    def items(self, permit_id: int) -> list[PermitItem]:
        # Plain tuples in PermitItem's field order: a permit may list 10,000 horns.
        query = (
            select(*ITEM_COLUMNS)
            .where(permit_items.c.permit_id == permit_id)
            .order_by(permit_items.c.line, permit_items.c.item_key)
        )
        return [PermitItem(*row) for row in self.connection.execute(query)]

    def update(self, permit_id: int, **values: Any) -> None:
        for name in ("status", "kind"):
            if name in values and hasattr(values[name], "value"):
                values[name] = values[name].value
        self.connection.execute(
            update(permits).where(permits.c.id == permit_id).values(updated_at=now(), **values)
        )

    def set_actual(self, permit_id: int, actual: dict[str, float]) -> None:
        """Box 14 per item, in one statement run for every item (not one statement per item)."""
        if not actual:
            return
        statement = (
            update(permit_items)
            .where(permit_items.c.permit_id == permit_id, permit_items.c.item_key == bindparam("key"))
            .values(actual_quantity=bindparam("actual"))
        )
        self.connection.execute(statement, [{"key": k, "actual": kg} for k, kg in actual.items()])

    def open_listing(self, keys: Iterable[str], exclude: int | None = None) -> dict[str, str]:
        """Item key -> the open application or permit (applied or issued) that lists it."""
        found: dict[str, str] = {}
        for part in chunked(list(dict.fromkeys(keys))):
            query = (
                select(permit_items.c.item_key, permits.c.id, permits.c.number)
                .join(permits, permits.c.id == permit_items.c.permit_id)
                .where(permit_items.c.item_key.in_(part), permits.c.status.in_([s.value for s in OPEN]))
            )
            for row in self.connection.execute(query):
                if row.id != exclude:
                    found[row.item_key] = f"permit {row.number}" if row.number else f"application {row.id}"
        return found

    def add_history(
        self, permit_id: int, org_id: int | None, action: str, before: str | None, after: str, note: str = ""
    ) -> None:
        self.connection.execute(
            insert(permit_history).values(
                permit_id=permit_id,
                at=now(),
                org_id=org_id,
                action=action,
                from_status=before,
                to_status=after,
                note=note,
            )
        )

    def history(self, permit_id: int) -> list[HistoryEntry]:
        query = (
            select(permit_history, organisations.c.code)
            .outerjoin(organisations, organisations.c.id == permit_history.c.org_id)
            .where(permit_history.c.permit_id == permit_id)
            .order_by(permit_history.c.id)
        )
        return [
            HistoryEntry(r.at, r.code, r.action, r.from_status, r.to_status, r.note)
            for r in self.connection.execute(query)
        ]

    def next_serial(self, country: str, year: int) -> int:
        """The next permit serial for the year, atomically (the row stays locked until commit)."""
        dialect_insert = pg_insert if self.connection.dialect.name == "postgresql" else sqlite_insert
        statement = dialect_insert(permit_serials).values(country=country, year=year, last_serial=1)
        statement = statement.on_conflict_do_update(
            index_elements=["country", "year"], set_={"last_serial": permit_serials.c.last_serial + 1}
        ).returning(permit_serials.c.last_serial)
        return int(self.connection.execute(statement).scalar_one())

    def used_in_year(self, year: int) -> Sequence[Permit]:
        """Permits whose export was endorsed in a year (for the annual report)."""
        start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
        query = (
            select(permits)
            .where(
                permits.c.status.in_([s.value for s in EXPORTED]),
                permits.c.endorsed_at >= start,
                permits.c.endorsed_at < end,
            )
            .order_by(permits.c.number)
        )
        return [self._permit(r) for r in self.connection.execute(query)]
