"""Stock: who holds what where (by species, product type and status, counted and weighed), the
discrepancies stock counts found, and the mass tolerance of counts.

An organisation sees its own holdings and the discrepancies of its counts or of items registered to
it; the ministry, customs and the inspectorate see everyone's, and may name one organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from kiik.custody.domain.state import Status
from kiik.custody.domain.stock_count import Kind
from kiik.custody.services.queries import epcis_time
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.audit import record
from kiik.directory.services.scope import restrict
from kiik.errors import NotFound, QueryError

# What is in stock: items an organisation holds that still exist as such.
IN_STOCK = (Status.ACTIVE.value, Status.IN_TRANSIT.value, Status.SEIZED.value)
ALL_STATUSES = tuple(s.value for s in Status)


class StockUnitOfWork(Protocol):
    stock: Any
    directory: Any

    def __enter__(self) -> StockUnitOfWork: ...
    def __exit__(self, *args: object) -> None: ...
    def commit(self) -> None: ...


class InvalidSetting(ValueError):
    """A stock setting out of range; the message says what is allowed."""


@dataclass(frozen=True)
class Org:
    code: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class Holding:
    org: Org
    site: str | None
    site_name: str | None
    species: str | None
    product_type: str | None
    status: str
    kind: str  # "item" (one marked item each) or "lot" (a class measured in kg)
    count: int
    mass_kg: float

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.org.to_json(),
            "site": {"sgln": self.site, "name": self.site_name} if self.site else None,
            "species": self.species,
            "product_type": self.product_type,
            "status": self.status,
            "kind": self.kind,
            "count": self.count,
            "mass_kg": round(self.mass_kg, 6),
        }


@dataclass
class StockReport:
    statuses: tuple[str, ...]
    holdings: list[Holding] = field(default_factory=list)

    def totals(self) -> list[dict[str, Any]]:
        """Per organisation: items and lots counted, and their mass."""
        found: dict[str, dict[str, Any]] = {}
        for h in self.holdings:
            total = found.setdefault(
                h.org.code, {"org": h.org.to_json(), "items": 0, "lots": 0, "mass_kg": 0.0}
            )
            total["items" if h.kind == "item" else "lots"] += h.count
            total["mass_kg"] = round(total["mass_kg"] + h.mass_kg, 6)
        return list(found.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "statuses": list(self.statuses),
            "totals": self.totals(),
            "holdings": [h.to_json() for h in self.holdings],
        }


@dataclass(frozen=True)
class DiscrepancyView:
    id: int
    kind: str
    key: str
    is_class: bool
    message: str
    counted_by: Org | None
    site: str
    count_event_id: str
    counted_at: datetime
    registered_holder: Org | None
    registered_site: str | None
    registered_status: str | None
    registered_mass_kg: float | None
    measured_mass_kg: float | None
    open: bool
    resolved_at: datetime | None
    resolved_by_event_id: str | None
    resolution: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "key": self.key,
            "is_class": self.is_class,
            "message": self.message,
            "counted_by": self.counted_by.to_json() if self.counted_by else None,
            "site": self.site,
            "count_event_id": self.count_event_id,
            "counted_at": epcis_time(self.counted_at),
            "registered": {
                "holder": self.registered_holder.to_json() if self.registered_holder else None,
                "site": self.registered_site,
                "status": self.registered_status,
                "mass_kg": self.registered_mass_kg,
            },
            "measured_mass_kg": self.measured_mass_kg,
            "open": self.open,
            "resolved_at": epcis_time(self.resolved_at) if self.resolved_at else None,
            "resolved_by_event_id": self.resolved_by_event_id,
            "resolution": self.resolution,
        }


@dataclass
class DiscrepancyReport:
    open_only: bool
    counts: dict[str, int]
    discrepancies: list[DiscrepancyView]

    def to_json(self) -> dict[str, Any]:
        return {
            "open_only": self.open_only,
            "counts": self.counts,
            "discrepancies": [d.to_json() for d in self.discrepancies],
        }


def _orgs(uow: StockUnitOfWork) -> dict[int, Any]:
    return {o.id: o for o in uow.directory.organisations()}


def _org_filter(
    uow: StockUnitOfWork, principal: Principal, permission: Permission, org: str | None
) -> int | None:
    """The organisation a read is about: the reader's own, or any (or the one named) for authorities."""
    scope = restrict(principal, permission)
    if scope.everything:
        if org is None:
            return None
        found = uow.directory.organisation(org)
        if found is None:
            raise NotFound(f"no organisation {org!r}: list them with `kiik org list`")
        return int(found.id)
    if org is not None and org != principal.org_code:
        raise NotFound(
            f"no organisation {org!r} visible to you: you see your own stock ({principal.org_code})"
        )
    return scope.org_id


def _statuses(statuses: list[str] | None) -> tuple[str, ...]:
    if not statuses:
        return IN_STOCK
    if statuses == ["all"]:
        return ALL_STATUSES
    unknown = [s for s in statuses if s not in ALL_STATUSES]
    if unknown:
        raise QueryError(f"status: {', '.join(unknown)} is no status; use {', '.join(ALL_STATUSES)} or all")
    return tuple(dict.fromkeys(statuses))


def stock_report(
    uow: StockUnitOfWork, principal: Principal, org: str | None = None, statuses: list[str] | None = None
) -> StockReport:
    """GET /api/stock and `kiik stock`: holdings by organisation, site, species, product type and
    status (by default what is in stock: active, in transit, seized)."""
    wanted = _statuses(statuses)
    with uow:
        org_id = _org_filter(uow, principal, Permission.STOCK_READ, org)
        rows = uow.stock.holdings(org_id, wanted)
        orgs = _orgs(uow)
        site_names = {s.sgln: s.name for s in uow.directory.sites(org_id)}
        uow.commit()  # a read: COMMIT keeps the database driver's prepared statements (see trace.end_read)
    report = StockReport(wanted)
    for row in rows:
        holder = orgs.get(row.org_id)
        report.holdings.append(
            Holding(
                Org(holder.code, holder.name) if holder else Org(str(row.org_id), "unknown organisation"),
                row.site,
                site_names.get(row.site or ""),
                row.species,
                row.product_type,
                row.status,
                "lot" if row.is_class else "item",
                row.count,
                row.mass_kg,
            )
        )
    report.holdings.sort(
        key=lambda h: (h.org.code, h.site or "", h.species or "", h.product_type or "", h.status, h.kind)
    )
    return report


def list_discrepancies(
    uow: StockUnitOfWork,
    principal: Principal,
    *,
    org: str | None = None,
    open_only: bool = True,
    count_event_id: str | None = None,
    kind: str | None = None,
    limit: int = 1000,
) -> DiscrepancyReport:
    """GET /api/stock/discrepancies and `kiik stock discrepancies`: what counts found wrong."""
    if kind is not None and kind not in {k.value for k in Kind}:
        raise QueryError(
            f"kind: {kind!r} is no discrepancy kind; use one of {', '.join(k.value for k in Kind)}"
        )
    if not 1 <= limit <= 10_000:
        raise QueryError("limit: give a number from 1 to 10000")
    with uow:
        org_id = _org_filter(uow, principal, Permission.STOCK_READ, org)
        rows = uow.stock.discrepancies(
            org_id=org_id, open_only=open_only, count_event_id=count_event_id, kind=kind, limit=limit
        )
        counts = uow.stock.discrepancy_counts(org_id, open_only)
        orgs = _orgs(uow)
        uow.commit()

    def party(org_id: int | None) -> Org | None:
        found = orgs.get(org_id) if org_id is not None else None
        return Org(found.code, found.name) if found else None

    views = [
        DiscrepancyView(
            r.id,
            r.kind,
            r.item_key,
            r.is_class,
            r.message,
            party(r.org_id),
            r.site,
            r.count_event_id,
            r.counted_at,
            party(r.registered_holder_org_id),
            r.registered_site,
            r.registered_status,
            r.registered_mass_kg,
            r.measured_mass_kg,
            r.resolved_at is None,
            r.resolved_at,
            r.resolved_by_event_id,
            r.resolution,
        )
        for r in rows
    ]
    return DiscrepancyReport(open_only, counts, views)


def mass_tolerance(uow: StockUnitOfWork, principal: Principal) -> float:
    require(principal, Permission.STOCK_READ)
    with uow:
        return float(uow.stock.mass_tolerance())


def set_mass_tolerance(uow: StockUnitOfWork, principal: Principal, value: float) -> float:
    """The relative mass difference a count tolerates before it records a discrepancy (0.02 = 2%)."""
    require(principal, Permission.STOCK_SETTINGS_MANAGE)
    if not 0 <= value < 1:
        raise InvalidSetting(f"a mass tolerance is a fraction from 0 to below 1 (0.02 is 2%), not {value}")
    with uow:
        uow.stock.set_mass_tolerance(value)
        record(uow, principal, "setting.changed", "mass_tolerance", value=value)
        uow.commit()
    return value
