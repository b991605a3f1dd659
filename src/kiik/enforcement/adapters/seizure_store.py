"""Seizures, their specimens and codes, custody steps and the analytics' counts in SQL.

Rows come back as plain dicts (the services shape answers from them); what matching reads of the
registry (items, their last event, holders) is in `registry_lookup.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, String, Text, and_, case, cast, func, insert, select, update

from kiik.db.bulk_insert import insert_rows
from kiik.directory.adapters.tables import organisations
from kiik.enforcement.adapters.tables import (
    custody_steps,
    seized_codes,
    seizure_specimens,
    seizures,
)
from kiik.enforcement.domain.cites_codes import KG_PER_UNIT
from kiik.enforcement.domain.seizure import NewSeizure

_CODE_COLUMNS = (
    "code",
    "verdict",
    "reason",
    "explanation",
    "holder_org_id",
    "holder_region",
    "last_event_id",
    "last_event_time",
    "details",
    "disposition",
)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None, "an insert gives the new row's key"
    return int(key[0])


def as_dicts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in rows]


class SeizureStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # --- seizures -------------------------------------------------------------------------------

    def add_seizure(self, seizure: NewSeizure, status: str, recorded_by: int | None) -> int:
        values = {
            "reference": seizure.reference,
            "status": status,
            "seized_on": seizure.seized_on,
            "reporting_country": seizure.reporting_country,
            "region": seizure.region,
            "place": seizure.place,
            "latitude": seizure.latitude,
            "longitude": seizure.longitude,
            "agency": seizure.agency,
            "agency_case_number": seizure.agency_case_number,
            "detection_method": seizure.detection_method,
            "species": seizure.species,
            "route": seizure.route.to_json(),
            "transport_mode": seizure.transport_mode,
            "concealment": seizure.concealment,
            "legal_action": seizure.legal_action,
            "specimen_fate": seizure.specimen_fate,
            "offenders": seizure.offenders,
            "offender_nationalities": ",".join(seizure.offender_nationalities) or None,
            "notes": seizure.notes,
            "recorded_by": recorded_by,
            "recorded_at": now(),
        }
        seizure_id = new_id(self.connection.execute(insert(seizures).values(**values)))
        if seizure.specimens:
            self.connection.execute(
                insert(seizure_specimens),
                [
                    {
                        "seizure_id": seizure_id,
                        "term": s.term,
                        "quantity": s.quantity,
                        "unit": s.unit,
                        "marked": len(s.codes),
                    }
                    for s in seizure.specimens
                ],
            )
        return seizure_id

    def add_codes(self, seizure_id: int, rows: Sequence[dict[str, Any]]) -> None:
        """The seizure's codes in bulk (COPY on PostgreSQL): a seizure may hold ten thousand."""
        insert_rows(
            self.connection,
            seized_codes,
            ("seizure_id", *_CODE_COLUMNS),
            [
                (seizure_id, *(json.dumps(row[c]) if c == "details" else row[c] for c in _CODE_COLUMNS))
                for row in rows
            ],
        )

    def seizure(self, reference: str) -> dict[str, Any] | None:
        row = self.connection.execute(select(seizures).where(seizures.c.reference == reference)).first()
        return dict(row._mapping) if row else None

    def seizure_by_id(self, seizure_id: int) -> dict[str, Any] | None:
        row = self.connection.execute(select(seizures).where(seizures.c.id == seizure_id)).first()
        return dict(row._mapping) if row else None

    def seizures(self, year: int | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        query = select(seizures).order_by(seizures.c.seized_on.desc(), seizures.c.id.desc()).limit(limit)
        if year is not None:
            query = query.where(seizures.c.seized_on.between(date(year, 1, 1), date(year, 12, 31)))
        return as_dicts(self.connection.execute(query))

    def specimens(self, seizure_ids: Sequence[int]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for start in range(0, len(seizure_ids), 1000):
            chunk = list(seizure_ids[start : start + 1000])
            query = select(seizure_specimens).where(seizure_specimens.c.seizure_id.in_(chunk))
            rows += as_dicts(self.connection.execute(query.order_by(seizure_specimens.c.id)))
        return rows

    def codes(self, seizure_id: int) -> list[dict[str, Any]]:
        query = (
            select(seized_codes).where(seized_codes.c.seizure_id == seizure_id).order_by(seized_codes.c.id)
        )
        return as_dicts(self.connection.execute(query))

    def seizures_between(self, start: date, end: date) -> list[dict[str, Any]]:
        query = select(seizures).where(
            seizures.c.seized_on.between(start, end), seizures.c.status == "recorded"
        )
        return as_dicts(self.connection.execute(query.order_by(seizures.c.seized_on, seizures.c.id)))

    def analytics_counts(self, start: date, end: date) -> dict[str, list[Any]]:
        """What analytics counts, counted by the database: seizures by month and species, by species,
        by detection method, by CITES term; groups by year, reporting country and route (as JSON
        text) with their kilograms; and the seizure points."""
        period = and_(seizures.c.seized_on.between(start, end), seizures.c.status == "recorded")
        day = cast(seizures.c.seized_on, String)
        month, year = func.substr(day, 1, 7), func.substr(day, 1, 4)
        route = cast(seizures.c.route, Text)
        factor = case(
            *((seizure_specimens.c.unit == unit, factor) for unit, factor in KG_PER_UNIT.items()), else_=0.0
        )

        def counted(*columns: Any) -> list[Any]:
            query = select(*columns, func.count()).where(period).group_by(*columns)
            return list(self.connection.execute(query).all())

        terms = (
            select(seizure_specimens.c.term, func.count(func.distinct(seizures.c.id)))
            .join(seizures, seizures.c.id == seizure_specimens.c.seizure_id)
            .where(period)
            .group_by(seizure_specimens.c.term)
        )
        # One level of grouping over seizures joined with their lines (no aggregated subquery, which
        # a planner without fresh statistics may run again for every seizure).
        groups = (
            select(
                year,
                seizures.c.reporting_country,
                route,
                func.count(func.distinct(seizures.c.id)),
                func.coalesce(func.sum(seizure_specimens.c.quantity * factor), 0.0),
            )
            .select_from(seizures)
            .outerjoin(seizure_specimens, seizure_specimens.c.seizure_id == seizures.c.id)
            .where(period)
            .group_by(year, seizures.c.reporting_country, route)
        )
        points = select(
            seizures.c.reference, seizures.c.latitude, seizures.c.longitude, seizures.c.species, day
        ).where(period, seizures.c.latitude.is_not(None), seizures.c.longitude.is_not(None))
        return {
            "months": counted(month, seizures.c.species),
            "species": counted(seizures.c.species),
            "detection": counted(seizures.c.detection_method),
            "terms": list(self.connection.execute(terms).all()),
            "groups": list(self.connection.execute(groups).all()),
            "points": list(self.connection.execute(points).all()),
        }

    def specimens_between(self, start: date, end: date) -> list[dict[str, Any]]:
        query = (
            select(seizure_specimens)
            .join(seizures, seizures.c.id == seizure_specimens.c.seizure_id)
            .where(seizures.c.seized_on.between(start, end), seizures.c.status == "recorded")
            .order_by(seizure_specimens.c.id)
        )
        return as_dicts(self.connection.execute(query))

    def code_counts_between(self, start: date, end: date) -> list[dict[str, Any]]:
        """By verdict, last holder's kind and region: how many codes were seized (for analytics)."""
        query = (
            select(
                seized_codes.c.verdict,
                organisations.c.kind.label("holder_kind"),
                seized_codes.c.holder_region,
                func.count().label("codes"),
            )
            .join(seizures, seizures.c.id == seized_codes.c.seizure_id)
            .outerjoin(organisations, organisations.c.id == seized_codes.c.holder_org_id)
            .where(seizures.c.seized_on.between(start, end), seizures.c.status == "recorded")
            .group_by(seized_codes.c.verdict, organisations.c.kind, seized_codes.c.holder_region)
        )
        return as_dicts(self.connection.execute(query))

    def open_seized_codes(self) -> dict[str, str]:
        """Every code of a recorded seizure (not a draft) not returned -> the reference of its seizure."""
        query = (
            select(seized_codes.c.code, seizures.c.reference)
            .join(seizures, seizures.c.id == seized_codes.c.seizure_id)
            .where(seized_codes.c.disposition != "returned", seizures.c.status == "recorded")
            .order_by(seized_codes.c.id)
        )
        return {row.code: row.reference for row in self.connection.execute(query)}

    def set_disposition(self, seizure_id: int, disposition: str) -> None:
        self.connection.execute(
            update(seized_codes)
            .where(seized_codes.c.seizure_id == seizure_id)
            .values(disposition=disposition)
        )

    def confirm_draft(self, seizure_id: int) -> None:
        self.connection.execute(update(seizures).where(seizures.c.id == seizure_id).values(status="recorded"))

    # --- custody steps --------------------------------------------------------------------------

    def add_custody_step(
        self,
        seizure_id: int,
        step: str,
        place: str,
        note: str | None,
        event_id: str | None,
        codes: int,
        by_org: int | None,
        by_actor: str,
    ) -> None:
        self.connection.execute(
            insert(custody_steps).values(
                seizure_id=seizure_id,
                step=step,
                place=place,
                note=note,
                event_id=event_id,
                codes=codes,
                by_org=by_org,
                by_actor=by_actor,
                at=now(),
            )
        )

    def custody_steps(self, seizure_id: int) -> list[dict[str, Any]]:
        query = (
            select(custody_steps).where(custody_steps.c.seizure_id == seizure_id).order_by(custody_steps.c.id)
        )
        return as_dicts(self.connection.execute(query))
