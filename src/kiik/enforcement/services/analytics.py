"""Illegal-trade analytics over recorded seizures, and the CITES annual illegal trade report."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.enforcement.domain.analytics import SeizureGroup, by_route, group_indices, leak_shares, listed
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.domain.illegal_trade_report import COLUMNS, report_rows
from kiik.enforcement.domain.seizure import Route, route_from_json
from kiik.enforcement.services.ports import enforcement_store


def read_rates(text: str | None) -> dict[str, float]:
    """Rates written as `KZ:0.4,KG:0.1` (seizure rate × reporting rate, each above 0 and at most 1)."""
    rates: dict[str, float] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        country, _, value = part.partition(":")
        try:
            rate = float(value)
        except ValueError:
            rate = -1.0
        if len(country.strip()) != 2 or not 0 < rate <= 1:
            raise EnforcementError(
                f"rates: {part.strip()!r} is not COUNTRY:RATE with a rate above 0 and at most 1 "
                "(e.g. KG:0.25)"
            )
        rates[country.strip().upper()] = rate
    return rates


def seizure_analytics(
    uow: UnitOfWork, principal: Principal, start: date, end: date, rates: Mapping[str, float] | None = None
) -> dict[str, Any]:
    require(principal, Permission.ENFORCEMENT_ANALYTICS_READ)
    if end < start:
        raise EnforcementError(f"the period ends ({end}) before it starts ({start})")
    with uow:
        store = enforcement_store(uow)
        counts = store.analytics_counts(start, end)
        codes = store.code_counts_between(start, end)
    routes: dict[str, Route] = {}  # seizures share few routes: each is read once
    groups = []
    for year, country, route, n, kg in counts["groups"]:
        if route not in routes:
            routes[route] = route_from_json(json.loads(route))
        groups.append(SeizureGroup(int(year), country, routes[route], int(n), float(kg or 0.0)))
    indices = group_indices(groups, rates or {})
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "seizures": sum(g.seizures for g in groups),
        "overTime": [
            {"month": month, "species": species, "seizures": n}
            for month, species, n in sorted(counts["months"])
        ],
        "bySpecies": listed(((species, n) for species, n in counts["species"]), "species"),
        "byProduct": listed(((term, n) for term, n in counts["terms"]), "term"),
        "byRoute": by_route(groups),
        "byDetection": listed(((method, n) for method, n in counts["detection"]), "detectionMethod"),
        "map": [
            {"reference": ref, "latitude": lat, "longitude": lon, "species": species, "seizedOn": day[:10]}
            for ref, lat, lon, species, day in counts["points"]
        ],
        "leaks": leak_shares(codes),
        "indices": {
            "method": (
                "inverse-probability weighting: each seizure implicating a country counts 1/rate, rate = "
                "seizure rate × reporting rate of that country; indices scaled to a mean of 1 "
                "(docs/enforcement.md, Sampling bias)"
            ),
            "rates": dict(rates or {}),
            "unadjustedCountries": indices.unadjusted,
            "rows": [
                {
                    "country": r.country,
                    "year": r.year,
                    "seizures": r.seizures,
                    "kg": r.kg,
                    "rate": r.rate,
                    "transactionIndex": r.transaction_index,
                    "weightIndex": r.weight_index,
                }
                for r in indices.rows
            ],
        },
    }


def illegal_trade_report(
    uow: UnitOfWork, principal: Principal, year: int
) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The CITES annual illegal trade report for `year`: the header and one row per specimen line."""
    require(principal, Permission.SEIZURES_READ)
    with uow:
        store = enforcement_store(uow)
        seizures = store.seizures_between(date(year, 1, 1), date(year, 12, 31))
        specimens = store.specimens_between(date(year, 1, 1), date(year, 12, 31))
    by_seizure: dict[int, list[dict[str, Any]]] = {}
    for s in specimens:
        by_seizure.setdefault(s["seizure_id"], []).append(s)
    return COLUMNS, report_rows(seizures, by_seizure)


def as_csv(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue()
