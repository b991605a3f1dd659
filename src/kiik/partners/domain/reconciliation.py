"""Reconciliation of a consignment between the exporting and the importing registry.

Each side compares what, by its own records, left under a permit with what arrived: the exporter
its endorsed items (box 14) with the import confirmation it received, the importer the items of the
export notice it received with what its customs scanned. What does not agree is a discrepancy:

- `not_arrived`: exported (notified) but not scanned on arrival;
- `not_exported`: scanned on arrival but not exported under the permit (not on the notice);
- `mass_difference`: received kilograms differ from those that left by more than the tolerance;
- `confirmation_overdue`: no arrival confirmed `due_days` after the export;
- `not_notified`: the exporter sent no export notice (no partner registry for the import country).

Plain Python: the stores read the records, this module judges them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from kiik.errors import N_


class Side(StrEnum):
    EXPORT = "export"  # this registry endorsed the export and sent the notice
    IMPORT = "import"  # this registry received the notice and recorded the arrival


class Kind(StrEnum):
    NOT_ARRIVED = "not_arrived"
    NOT_EXPORTED = "not_exported"
    MASS_DIFFERENCE = "mass_difference"
    CONFIRMATION_OVERDUE = "confirmation_overdue"
    NOT_NOTIFIED = "not_notified"


class ReconciliationError(ValueError):
    """A reconciliation asked for with bad parameters (mapped to 400)."""


@dataclass(frozen=True)
class Tolerance:
    """How far received kilograms may differ from those that left: the larger of the two bounds.

    The absolute bound covers a scale's resolution on small items (a horn of 0.25 kg), the relative
    one drying and scale calibration on large lots."""

    kg: float = 0.005
    percent: float = 0.5

    def __post_init__(self) -> None:
        if self.kg < 0 or self.percent < 0:
            raise ReconciliationError(
                N_(
                    "a mass tolerance cannot be negative (given %(kg)s kg, %(percent)s %%): set "
                    "KIIK_RECONCILE_TOLERANCE_KG and KIIK_RECONCILE_TOLERANCE_PERCENT to 0 or more",
                    kg=self.kg,
                    percent=self.percent,
                )
            )

    def allowed(self, exported_kg: float) -> float:
        return max(self.kg, abs(exported_kg) * self.percent / 100.0)

    def exceeded(self, exported_kg: float, received_kg: float) -> bool:
        # A hair of slack so that 1.8 - 1.795 is not judged over 0.005 by floating point.
        return abs(received_kg - exported_kg) > self.allowed(exported_kg) + 1e-9

    def describe(self) -> str:
        return f"the larger of {self.kg:g} kg and {self.percent:g} % of what left"


@dataclass(frozen=True)
class Arrival:
    """What the importing country's customs scanned: item -> kg received (None: not weighed)."""

    at: datetime
    received: Mapping[str, float | None]
    not_notified: Sequence[str] = ()


@dataclass(frozen=True)
class Consignment:
    """One permit's consignment as one registry's records show it."""

    permit: str
    side: Side
    partner: str  # the other country
    exported_at: datetime | None
    exported: Mapping[str, float | None]  # item -> kg that left (as endorsed or notified)
    notified: bool = True
    arrival: Arrival | None = None
    notice: str = ""  # how the notice stands, for people ("delivered", "waiting: 3 attempts ...")


@dataclass(frozen=True)
class Discrepancy:
    kind: Kind
    permit: str
    item: str | None
    exported_kg: float | None
    received_kg: float | None
    detail: str

    @property
    def difference_kg(self) -> float | None:
        if self.exported_kg is None or self.received_kg is None:
            return None
        return round(self.received_kg - self.exported_kg, 6)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "item": self.item,
            "exported_kg": self.exported_kg,
            "received_kg": self.received_kg,
            "difference_kg": self.difference_kg,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class PermitReconciliation:
    consignment: Consignment
    status: str  # "agrees", "awaiting arrival", "discrepancies"
    exported_items: int
    exported_kg: float
    received_items: int
    received_kg: float
    due: date | None
    discrepancies: tuple[Discrepancy, ...] = ()

    def to_json(self) -> dict[str, object]:
        c = self.consignment
        return {
            "permit": c.permit,
            "side": c.side.value,
            "partner": c.partner,
            "status": self.status,
            "exported_at": _iso(c.exported_at),
            "notice": c.notice,
            "arrived_at": _iso(c.arrival.at) if c.arrival else None,
            "confirmation_due": self.due.isoformat() if self.due else None,
            "exported_items": self.exported_items,
            "exported_kg": round(self.exported_kg, 6),
            "received_items": self.received_items,
            "received_kg": round(self.received_kg, 6),
            "counts": dict(sorted(count_kinds(self.discrepancies).items())),
            "discrepancies": [d.to_json() for d in self.discrepancies],
        }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat() + ("Z" if moment.tzinfo is None else "")


def count_kinds(discrepancies: Iterable[Discrepancy]) -> dict[str, int]:
    counts = dict.fromkeys((k.value for k in Kind), 0)
    for d in discrepancies:
        counts[d.kind.value] += 1
    return counts


def reconcile(
    consignment: Consignment, tolerance: Tolerance, now: datetime, due_days: int
) -> PermitReconciliation:
    """Compare what left with what arrived, item by item; every disagreement named."""
    c = consignment
    found: list[Discrepancy] = []
    due = (c.exported_at + timedelta(days=due_days)).date() if c.exported_at else None
    if not c.notified:
        found.append(
            Discrepancy(
                Kind.NOT_NOTIFIED,
                c.permit,
                None,
                None,
                None,
                f"no export notice was sent to {c.partner}'s registry: register it (`kiik partner add "
                f"{c.partner}`) so that notices of later exports reach it, and send this one's details "
                "by other means",
            )
        )
    arrival = c.arrival
    if arrival is None:
        if due is not None and now.date() > due:
            late = (now.date() - due).days
            who = "the importing registry confirmed" if c.side is Side.EXPORT else "customs recorded"
            found.append(
                Discrepancy(
                    Kind.CONFIRMATION_OVERDUE,
                    c.permit,
                    None,
                    None,
                    None,
                    f"exported on {c.exported_at:%Y-%m-%d}; no arrival {who} by {due.isoformat()} "
                    f"({late} days overdue)",
                )
            )
        exported_kg = sum(kg or 0.0 for kg in c.exported.values())
        status = "discrepancies" if found else "awaiting arrival"
        return PermitReconciliation(c, status, len(c.exported), exported_kg, 0, 0.0, due, tuple(found))

    received_kg = 0.0
    for item, left_kg in c.exported.items():
        if item not in arrival.received:
            found.append(
                Discrepancy(
                    Kind.NOT_ARRIVED,
                    c.permit,
                    item,
                    left_kg,
                    None,
                    "exported under the permit but not scanned on arrival",
                )
            )
            continue
        got = arrival.received[item]
        got_kg = left_kg if got is None else got
        received_kg += got_kg or 0.0
        if left_kg is not None and got_kg is not None and tolerance.exceeded(left_kg, got_kg):
            found.append(
                Discrepancy(
                    Kind.MASS_DIFFERENCE,
                    c.permit,
                    item,
                    left_kg,
                    got_kg,
                    f"{got_kg:.3f} kg arrived of {left_kg:.3f} kg that left "
                    f"({got_kg - left_kg:+.3f} kg; tolerance {tolerance.allowed(left_kg):.3f} kg)",
                )
            )
    unexpected = [i for i in arrival.received if i not in c.exported]
    unexpected += [i for i in arrival.not_notified if i not in c.exported and i not in arrival.received]
    for item in unexpected:
        found.append(
            Discrepancy(
                Kind.NOT_EXPORTED,
                c.permit,
                item,
                None,
                arrival.received.get(item),
                "scanned on arrival under the permit but not exported under it (not on the notice)",
            )
        )
    exported_kg = sum(kg or 0.0 for kg in c.exported.values())
    arrived = sum(1 for i in c.exported if i in arrival.received)
    status = "discrepancies" if found else "agrees"
    return PermitReconciliation(
        c, status, len(c.exported), exported_kg, arrived, received_kg, due, tuple(found)
    )


@dataclass(frozen=True)
class Period:
    """Exports from `start` to `end`, both days included; either may be open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise ReconciliationError(
                N_(
                    "the period starts on %(start)s after it ends on %(end)s: swap --from and --to",
                    start=self.start,
                    end=self.end,
                )
            )

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> Period:
        return cls(_day(start, "from"), _day(end, "to"))

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Half-open datetime bounds: [start 00:00, the day after end 00:00)."""
        low = datetime.combine(self.start, datetime.min.time()) if self.start else None
        high = datetime.combine(self.end + timedelta(days=1), datetime.min.time()) if self.end else None
        return low, high

    def contains(self, moment: datetime | None) -> bool:
        if moment is None:
            return self.start is None and self.end is None
        low, high = self.bounds()
        naive = moment.replace(tzinfo=None)
        return (low is None or naive >= low) and (high is None or naive < high)

    def to_json(self) -> dict[str, str | None]:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }


def _day(text: str | None, name: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ReconciliationError(
            N_(
                "%(name)s=%(text)s is not a date: give it as YYYY-MM-DD, for example 2026-11-01",
                name=name,
                text=repr(text),
            )
        ) from None


@dataclass(frozen=True)
class Report:
    period: Period
    tolerance: Tolerance
    due_days: int
    generated_at: datetime
    permits: tuple[PermitReconciliation, ...] = field(default_factory=tuple)

    def summary(self) -> dict[str, object]:
        by_status: dict[str, int] = {"agrees": 0, "awaiting arrival": 0, "discrepancies": 0}
        for p in self.permits:
            by_status[p.status] += 1
        return {
            "permits": len(self.permits),
            "by_status": by_status,
            "discrepancies": count_kinds(d for p in self.permits for d in p.discrepancies),
            "exported_kg": round(sum(p.exported_kg for p in self.permits), 6),
            "received_kg": round(sum(p.received_kg for p in self.permits), 6),
        }

    def to_json(self) -> dict[str, object]:
        return {
            "period": self.period.to_json(),
            "tolerance": {"kg": self.tolerance.kg, "percent": self.tolerance.percent},
            "confirmation_due_days": self.due_days,
            "generated_at": _iso(self.generated_at),
            "summary": self.summary(),
            "permits": [p.to_json() for p in self.permits],
        }


CSV_COLUMNS = (
    "side",
    "permit",
    "partner",
    "status",
    "exported_at",
    "kind",
    "item",
    "exported_kg",
    "received_kg",
    "difference_kg",
    "detail",
)


def csv_rows(report: Report) -> list[dict[str, object]]:
    """One row per discrepancy; a permit without any has one row with an empty kind."""
    rows: list[dict[str, object]] = []
    for p in report.permits:
        c = p.consignment
        head = {
            "side": c.side.value,
            "permit": c.permit,
            "partner": c.partner,
            "status": p.status,
            "exported_at": _iso(c.exported_at) or "",
        }
        if not p.discrepancies:
            rows.append(
                {
                    **head,
                    "kind": "",
                    "item": "",
                    "exported_kg": round(p.exported_kg, 6),
                    "received_kg": round(p.received_kg, 6),
                    "difference_kg": "",
                    "detail": f"{p.exported_items} items exported, {p.received_items} arrived",
                }
            )
        for d in p.discrepancies:
            rows.append(
                {
                    **head,
                    "kind": d.kind.value,
                    "item": d.item or "",
                    "exported_kg": "" if d.exported_kg is None else d.exported_kg,
                    "received_kg": "" if d.received_kg is None else d.received_kg,
                    "difference_kg": "" if d.difference_kg is None else d.difference_kg,
                    "detail": d.detail,
                }
            )
    return rows
