"""Detection rates over the imported camera-trap data, and their CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.monitoring.domain.analysis import AnalysisRequest, RateRow, analyse
from kiik.monitoring.services.ports import camera_trap_store


def detection_rates(uow: UnitOfWork, principal: Principal, request: AnalysisRequest) -> list[RateRow]:
    """Per location (passage), species and period: events, effort and events per 100 trap-nights."""
    require(principal, Permission.CAMERA_TRAPS_READ)
    request = request.checked()
    with uow:
        store = camera_trap_store(uow)
        deployments = [
            d
            for d in store.deployments()
            if not request.locations or (d.location_id or "") in request.locations
        ]
        passages = {p.location_id: p for p in store.passages()}
        series = list(store.burst_series([d.deployment_id for d in deployments], request.species))
    return analyse(deployments, passages, series, request)


def rate_json(row: RateRow) -> dict[str, Any]:
    return {
        "locationID": row.location_id,
        "passage": row.passage,
        "species": row.species,
        "period": row.period,
        "periodStart": row.period_start.isoformat() if row.period_start else None,
        "periodEnd": row.period_end.isoformat() if row.period_end else None,
        "thresholdMinutes": row.threshold_minutes,
        "deployments": row.deployments,
        "trapNights": row.trap_nights,
        "events": row.events,
        "eventsPer100TrapNights": row.per_100_trap_nights,
        "individuals": row.individuals,
        "largestGroup": row.largest_group,
        "eventsByHour": row.by_hour,
        "crossingsByDirection": row.directions,
    }


CSV_COLUMNS = (
    "locationID",
    "passage",
    "species",
    "period",
    "periodStart",
    "periodEnd",
    "thresholdMinutes",
    "deployments",
    "trapNights",
    "events",
    "eventsPer100TrapNights",
    "individuals",
    "largestGroup",
)


def rates_csv(rows: list[RateRow]) -> str:
    """The rates as CSV: one line per row, the threshold and effort on every line, then the events
    by hour (h00..h23) and crossings by direction (direction:<name>)."""
    directions = sorted({d for row in rows for d in row.directions})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [*CSV_COLUMNS, *(f"h{h:02d}" for h in range(24)), *(f"direction:{d}" for d in directions)]
    )
    for row in rows:
        shaped = rate_json(row)
        writer.writerow(
            [
                *("" if shaped[c] is None else shaped[c] for c in CSV_COLUMNS),
                *row.by_hour,
                *(row.directions.get(d, 0) for d in directions),
            ]
        )
    return out.getvalue()
