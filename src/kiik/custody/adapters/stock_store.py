"""Stock: holdings grouped from the item projection, stock-count discrepancies, stock settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, bindparam, func, insert, or_, select, update

from kiik.custody.adapters.held_page import HeldPage
from kiik.custody.adapters.tables import (
    MICROGRAMS,
    item_totals,
    items,
    mass_bounds,
    stock_discrepancies,
    stock_settings,
)
from kiik.custody.domain.mass_bounds import MassBound, Measured
from kiik.custody.domain.state import ItemState, Status
from kiik.custody.domain.stock_count import DEFAULT_MASS_TOLERANCE, Discrepancy

MASS_TOLERANCE = "mass_tolerance"


@dataclass(frozen=True)
class HoldingRow:
    org_id: int
    site: str | None
    species: str | None
    product_type: str | None
    status: str
    is_class: bool
    count: int
    mass_kg: float


@dataclass(frozen=True)
class DiscrepancyRecord:
    id: int
    kind: str
    item_key: str
    is_class: bool
    message: str
    org_id: int
    site: str
    count_event_id: str
    counted_at: datetime
    recorded_at: datetime
    registered_holder_org_id: int | None
    registered_site: str | None
    registered_status: str | None
    registered_mass_kg: float | None
    measured_mass_kg: float | None
    resolved_at: datetime | None
    resolved_by_event_id: str | None
    resolution: str | None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class StockStore(HeldPage):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def holdings(self, org_id: int | None, statuses: Sequence[str]) -> list[HoldingRow]:
        """Items held, counted and weighed per holder, site, species, product type, status, kind:
        read from the running totals (`item_totals`), not counted from the items."""
        t = item_totals.c
        query = select(
            t.holder_org_id, t.site, t.species, t.product_type, t.status, t.is_class, t.item_count, t.mass_ug
        ).where(t.holder_org_id != 0, t.status.in_(list(statuses)), t.item_count != 0)
        if org_id is not None:
            query = query.where(t.holder_org_id == org_id)
        return [
            HoldingRow(
                row[0],
                row[1] or None,
                row[2] or None,
                row[3] or None,
                row[4],
                bool(row[5]),
                int(row[6]),
                row[7] / MICROGRAMS,
            )
            for row in self.connection.execute(query)
        ]

    def active_at(self, site: str) -> list[ItemState]:
        """What the registry has active at a site (for a complete count)."""
        query = select(
            items.c.key,
            items.c.is_class,
            items.c.holder_org_id,
            items.c.parent_key,
            items.c.mass_kg,
            items.c.product_type,
            items.c.last_event_time,
        ).where(items.c.site == site, items.c.status == Status.ACTIVE.value)
        return [
            ItemState(
                key=row.key,
                is_class=bool(row.is_class),
                holder=row.holder_org_id,
                site=site,
                status=Status.ACTIVE,
                parent=row.parent_key,
                mass_kg=row.mass_kg,
                product_type=row.product_type,
                last_event_time=row.last_event_time,
            )
            for row in self.connection.execute(query)
        ]

    def mass_tolerance(self) -> float:
        value = self.connection.scalar(
            select(stock_settings.c.value).where(stock_settings.c.name == MASS_TOLERANCE)
        )
        return DEFAULT_MASS_TOLERANCE if value is None else float(value)

    def set_mass_tolerance(self, value: float) -> None:
        updated = self.connection.execute(
            update(stock_settings)
            .where(stock_settings.c.name == MASS_TOLERANCE)
            .values(value=value, updated_at=_now())
        )
        if updated.rowcount == 0:
            self.connection.execute(
                insert(stock_settings).values(name=MASS_TOLERANCE, value=value, updated_at=_now())
            )

    def mass_bounds(self) -> list[MassBound]:
        """The bounds the ministry set (the defaults apply to everything else)."""
        rows = self.connection.execute(select(mass_bounds).order_by(mass_bounds.c.id))
        return [
            MassBound(r.product_type, Measured(r.measured), r.least_kg, r.most_kg, r.species or None)
            for r in rows
        ]

    def set_mass_bound(self, bound: MassBound, set_by: str) -> None:
        key = (
            mass_bounds.c.product_type == bound.product_type,
            mass_bounds.c.measured == bound.measured.value,
            mass_bounds.c.species == (bound.species or ""),
        )
        values = {
            "least_kg": bound.least_kg,
            "most_kg": bound.most_kg,
            "set_by": set_by,
            "updated_at": _now(),
        }
        if self.connection.execute(update(mass_bounds).where(*key).values(**values)).rowcount == 0:
            self.connection.execute(
                insert(mass_bounds).values(
                    product_type=bound.product_type,
                    measured=bound.measured.value,
                    species=bound.species or "",
                    **values,
                )
            )

    def open_discrepancies(self) -> list[tuple[int, str, str]]:
        query = select(stock_discrepancies.c.id, stock_discrepancies.c.item_key, stock_discrepancies.c.kind)
        return [
            tuple(row)
            for row in self.connection.execute(query.where(stock_discrepancies.c.resolved_at.is_(None)))
        ]

    def add_discrepancies(
        self,
        found: Sequence[Discrepancy],
        *,
        org_id: int,
        site: str,
        count_event_id: str,
        counted_at: datetime,
    ) -> list[int]:
        now = _now()
        rows = []
        for discrepancy in found:
            state = discrepancy.registered
            rows.append(
                {
                    "kind": discrepancy.kind.value,
                    "item_key": discrepancy.key,
                    "is_class": discrepancy.is_class,
                    "message": discrepancy.message,
                    "org_id": org_id,
                    "site": site,
                    "count_event_id": count_event_id,
                    "counted_at": counted_at,
                    "recorded_at": now,
                    "registered_holder_org_id": state.holder if state else None,
                    "registered_site": state.site if state else None,
                    "registered_status": state.status.value if state else None,
                    "registered_mass_kg": state.mass_kg if state else None,
                    "measured_mass_kg": discrepancy.measured_kg,
                }
            )
        if not rows:
            return []
        statement = insert(stock_discrepancies).returning(
            stock_discrepancies.c.id, sort_by_parameter_order=True
        )
        return [int(pk) for pk in self.connection.scalars(statement, rows)]

    def resolve(self, closing: Sequence[tuple[int, str]], at: datetime, event_id: str) -> None:
        statement = (
            update(stock_discrepancies)
            .where(stock_discrepancies.c.id == bindparam("pk"), stock_discrepancies.c.resolved_at.is_(None))
            .values(resolved_at=at, resolved_by_event_id=event_id, resolution=bindparam("reason"))
        )
        self.connection.execute(statement, [{"pk": pk, "reason": reason} for pk, reason in closing])

    def discrepancies(
        self,
        *,
        org_id: int | None,
        open_only: bool,
        count_event_id: str | None = None,
        kind: str | None = None,
        limit: int = 1000,
        item_key: str | None = None,
    ) -> list[DiscrepancyRecord]:
        """Discrepancies an organisation counted or whose items it was registered to hold (all when
        `org_id` is None), newest count first."""
        conditions: list[ColumnElement[bool]] = []
        if org_id is not None:
            conditions.append(
                or_(
                    stock_discrepancies.c.org_id == org_id,
                    stock_discrepancies.c.registered_holder_org_id == org_id,
                )
            )
        if open_only:
            conditions.append(stock_discrepancies.c.resolved_at.is_(None))
        if count_event_id is not None:
            conditions.append(stock_discrepancies.c.count_event_id == count_event_id)
        if kind is not None:
            conditions.append(stock_discrepancies.c.kind == kind)
        if item_key is not None:
            conditions.append(stock_discrepancies.c.item_key == item_key)
        query = (
            select(stock_discrepancies)
            .where(*conditions)
            .order_by(stock_discrepancies.c.counted_at.desc(), stock_discrepancies.c.id)
            .limit(limit)
        )
        return [DiscrepancyRecord(**row._mapping) for row in self.connection.execute(query)]

    def discrepancy_counts(self, org_id: int | None, open_only: bool) -> dict[str, int]:
        query = select(stock_discrepancies.c.kind, func.count()).group_by(stock_discrepancies.c.kind)
        if org_id is not None:
            query = query.where(
                or_(
                    stock_discrepancies.c.org_id == org_id,
                    stock_discrepancies.c.registered_holder_org_id == org_id,
                )
            )
        if open_only:
            query = query.where(stock_discrepancies.c.resolved_at.is_(None))
        return {kind: int(n) for kind, n in self.connection.execute(query)}
