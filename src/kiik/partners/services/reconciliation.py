"""Reconciliation with the partner registries, per permit and per period, on both sides.

As the exporting registry: every permit whose export customs endorsed, its items as they left
(box 14), the export notice sent and the import confirmation received. As the importing registry:
every export notice received, its items as notified, and what this country's customs recorded on
arrival (the confirmation signed back). The judging is partners/domain/reconciliation.py; the reads are a
few bulk queries whatever the size of the consignment (partners/adapters/consignment_store.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import N_, NotFound
from kiik.ledger.domain.signed_documents import read_signed
from kiik.partners.domain.import_events import IMPORT_CONFIRMATION
from kiik.partners.domain.messages import EXPORT_NOTICE
from kiik.partners.domain.reconciliation import (
    CSV_COLUMNS,
    Arrival,
    Consignment,
    Period,
    Report,
    Side,
    Tolerance,
    csv_rows,
    reconcile,
)

# A permit with nothing to reconcile here (by side asked for, and whether a period was given).
NOTHING_TO_RECONCILE = {
    (False, False): N_(
        "permit %(permit)s has no endorsed export and no export notice here: check the number (exports "
        "are reconciled by the exporting registry, notices by the importing one)"
    ),
    (True, False): N_(
        "permit %(permit)s has no endorsed export and no export notice here on the %(side)s side: check the "
        "number (exports are reconciled by the exporting registry, notices by the importing one)"
    ),
    (False, True): N_(
        "permit %(permit)s has no endorsed export and no export notice here in the period: check the number "
        "(exports are reconciled by the exporting registry, notices by the importing one)"
    ),
    (True, True): N_(
        "permit %(permit)s has no endorsed export and no export notice here on the %(side)s side in the "
        "period: check the number (exports are reconciled by the exporting registry, notices by the "
        "importing one)"
    ),
}


@dataclass(frozen=True)
class Reconcile:
    """Which consignments to reconcile: one permit, exports in a period, one side; all by default."""

    permit: str | None = None
    period: Period = field(default_factory=Period)
    side: Side | None = None


@dataclass(frozen=True)
class ReconcileSettings:
    """The deployment's tolerance and due days (KIIK_RECONCILE_TOLERANCE_KG, _PERCENT,
    KIIK_CONFIRMATION_DUE_DAYS), read from the settings object every entry point holds."""

    tolerance: Tolerance
    due_days: int

    @classmethod
    def of(cls, settings: Any) -> ReconcileSettings:
        return cls(
            Tolerance(settings.reconcile_tolerance_kg, settings.reconcile_tolerance_percent),
            int(settings.confirmation_due_days),
        )


def _moment(text: Any) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def arrival_from(message: str) -> Arrival:
    """What arrived, from a signed import confirmation (its body: docs/partners.md)."""
    body: Mapping[str, Any] = read_signed(message).payload["body"]
    received = {str(line["item"]): line.get("received_kg") for line in body.get("items", [])}
    return Arrival(_moment(body["received_at"]), received, [str(i) for i in body.get("not_notified", [])])


def _notice_state(message: Any) -> str:
    if message is None:
        return "not sent"
    if message.delivered_at is not None:
        return f"delivered {message.delivered_at:%Y-%m-%d %H:%M}"
    error = f"; last error: {message.last_error[:120]}" if message.last_error else ""
    return f"waiting for delivery ({message.attempts} attempts{error})"


def _exporter_side(store: Any, command: Reconcile) -> list[Consignment]:
    records = store.exported(command.permit, *command.period.bounds())
    numbers = [r.permit for r in records]
    notices = store.sent(EXPORT_NOTICE, numbers)
    confirmations = store.received(IMPORT_CONFIRMATION, numbers)
    return [
        Consignment(
            r.permit,
            Side.EXPORT,
            r.partner,
            r.exported_at,
            r.items,
            notified=r.permit in notices,
            arrival=arrival_from(confirmations[r.permit].message) if r.permit in confirmations else None,
            notice=_notice_state(notices.get(r.permit)),
        )
        for r in records
    ]


def _importer_side(store: Any, command: Reconcile) -> list[Consignment]:
    records = store.notified(command.permit, *command.period.bounds())
    confirmations = store.sent(IMPORT_CONFIRMATION, [r.permit for r in records])
    return [
        Consignment(
            r.permit,
            Side.IMPORT,
            r.partner,
            r.exported_at,
            r.items,
            arrival=arrival_from(confirmations[r.permit].message) if r.permit in confirmations else None,
            notice="received",
        )
        for r in records
    ]


def reconcile_partners(
    uow: UnitOfWork,
    principal: Principal,
    command: Reconcile,
    settings: ReconcileSettings,
    now: datetime | None = None,
) -> Report:
    """Every consignment asked for, compared item by item; a permit asked for must be on record."""
    require(principal, Permission.RECONCILIATION_READ)
    moment = now or datetime.now(UTC).replace(tzinfo=None)
    with uow:
        store: Any = uow.consignments  # type: ignore[attr-defined]
        consignments: list[Consignment] = []
        if command.side in (None, Side.EXPORT):
            consignments += _exporter_side(store, command)
        if command.side in (None, Side.IMPORT):
            consignments += _importer_side(store, command)
    if command.permit is not None and not consignments:
        in_period = bool(command.period.start or command.period.end)
        template = NOTHING_TO_RECONCILE[(command.side is not None, in_period)]
        side = command.side.value if command.side else ""
        raise NotFound(template.filled(permit=command.permit, side=side))
    tolerance, due_days = settings.tolerance, settings.due_days
    permits = tuple(reconcile(c, tolerance, moment, due_days) for c in consignments)
    return Report(command.period, tolerance, due_days, moment, permits)


def as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(report))
    return out.getvalue()
