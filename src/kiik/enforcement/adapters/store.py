"""Seizures, their codes, alerts, custody steps, cases, animals and inspections in SQL.

Rows come back as plain dicts (the services shape answers from them); what matching reads of the
registry (items, their last event, holders) is in `registry_lookup.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, String, Text, and_, case, cast, func, insert, select, update

from kiik.directory.adapters.tables import organisations
from kiik.enforcement.adapters.tables import (
    alert_steps,
    case_seizures,
    custody_steps,
    enforcement_cases,
    leak_alerts,
    market_inspections,
    org_regions,
    partner_seizure_exchanges,
    rehab_animals,
    rehab_records,
    seized_codes,
    seizure_specimens,
    seizures,
)
from kiik.enforcement.domain.cites_codes import KG_PER_UNIT
from kiik.enforcement.domain.seizure import NewSeizure


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None, "an insert gives the new row's key"
    return int(key[0])


def _dicts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in rows]


class EnforcementStore:
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
        seizure_id = _new_id(self.connection.execute(insert(seizures).values(**values)))
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
        if rows:
            self.connection.execute(insert(seized_codes), [{**row, "seizure_id": seizure_id} for row in rows])

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
        return _dicts(self.connection.execute(query))

    def specimens(self, seizure_ids: Sequence[int]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for start in range(0, len(seizure_ids), 1000):
            chunk = list(seizure_ids[start : start + 1000])
            query = select(seizure_specimens).where(seizure_specimens.c.seizure_id.in_(chunk))
            rows += _dicts(self.connection.execute(query.order_by(seizure_specimens.c.id)))
        return rows

    def codes(self, seizure_id: int) -> list[dict[str, Any]]:
        query = (
            select(seized_codes).where(seized_codes.c.seizure_id == seizure_id).order_by(seized_codes.c.id)
        )
        return _dicts(self.connection.execute(query))

    def seizures_between(self, start: date, end: date) -> list[dict[str, Any]]:
        query = select(seizures).where(
            seizures.c.seized_on.between(start, end), seizures.c.status == "recorded"
        )
        return _dicts(self.connection.execute(query.order_by(seizures.c.seized_on, seizures.c.id)))

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
        kg = (
            select(
                seizure_specimens.c.seizure_id, func.sum(seizure_specimens.c.quantity * factor).label("kg")
            )
            .group_by(seizure_specimens.c.seizure_id)
            .subquery()
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
        groups = (
            select(
                year, seizures.c.reporting_country, route, func.count(), func.coalesce(func.sum(kg.c.kg), 0.0)
            )
            .outerjoin(kg, kg.c.seizure_id == seizures.c.id)
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
        return _dicts(self.connection.execute(query))

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
        return _dicts(self.connection.execute(query))

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
        return _dicts(self.connection.execute(query))

    # --- regions and alerts ---------------------------------------------------------------------

    def set_region(self, org_id: int, region: str) -> None:
        known = self.connection.execute(
            select(org_regions.c.org_id).where(org_regions.c.org_id == org_id)
        ).first()
        if known:
            self.connection.execute(
                update(org_regions).where(org_regions.c.org_id == org_id).values(region=region)
            )
        else:
            self.connection.execute(insert(org_regions).values(org_id=org_id, region=region))

    def regions(self, org_ids: Iterable[int]) -> dict[int, str]:
        wanted = list(set(org_ids))
        if not wanted:
            return {}
        rows = self.connection.execute(select(org_regions).where(org_regions.c.org_id.in_(wanted)))
        return {row.org_id: row.region for row in rows}

    def region_of(self, org_id: int) -> str | None:
        return self.regions([org_id]).get(org_id)

    def add_alert(
        self, seizure_id: int, holder: int | None, region: str | None, codes: list[str], actor: str
    ) -> int:
        at = now()
        alert_id = _new_id(
            self.connection.execute(
                insert(leak_alerts).values(
                    seizure_id=seizure_id,
                    holder_org_id=holder,
                    region=region,
                    codes=codes,
                    status="open",
                    opened_at=at,
                )
            )
        )
        self.connection.execute(
            insert(alert_steps).values(
                alert_id=alert_id,
                status="open",
                note="raised by the seizure",
                by_org=None,
                by_actor=actor,
                at=at,
            )
        )
        return alert_id

    def alert(self, alert_id: int) -> dict[str, Any] | None:
        row = self.connection.execute(
            select(leak_alerts, seizures.c.reference, organisations.c.name.label("holder_name"))
            .join(seizures, seizures.c.id == leak_alerts.c.seizure_id)
            .outerjoin(organisations, organisations.c.id == leak_alerts.c.holder_org_id)
            .where(leak_alerts.c.id == alert_id)
        ).first()
        return dict(row._mapping) if row else None

    def alerts(
        self, holder: int | None = None, region: str | None = None, seizure_id: int | None = None
    ) -> list[dict[str, Any]]:
        query = (
            select(leak_alerts, seizures.c.reference, organisations.c.name.label("holder_name"))
            .join(seizures, seizures.c.id == leak_alerts.c.seizure_id)
            .outerjoin(organisations, organisations.c.id == leak_alerts.c.holder_org_id)
            .order_by(leak_alerts.c.id)
        )
        if holder is not None:
            query = query.where(leak_alerts.c.holder_org_id == holder)
        if region is not None:
            query = query.where(leak_alerts.c.region == region)
        if seizure_id is not None:
            query = query.where(leak_alerts.c.seizure_id == seizure_id)
        return _dicts(self.connection.execute(query))

    def alert_steps(self, alert_id: int) -> list[dict[str, Any]]:
        query = select(alert_steps).where(alert_steps.c.alert_id == alert_id).order_by(alert_steps.c.id)
        return _dicts(self.connection.execute(query))

    def add_alert_step(
        self, alert_id: int, status: str, note: str | None, by_org: int, by_actor: str
    ) -> None:
        self.connection.execute(
            insert(alert_steps).values(
                alert_id=alert_id, status=status, note=note, by_org=by_org, by_actor=by_actor, at=now()
            )
        )
        self.connection.execute(update(leak_alerts).where(leak_alerts.c.id == alert_id).values(status=status))

    # --- cases ----------------------------------------------------------------------------------

    def add_case(self, values: dict[str, Any], seizure_ids: Sequence[int]) -> int:
        case_id = _new_id(
            self.connection.execute(insert(enforcement_cases).values(**values, opened_at=now()))
        )
        if seizure_ids:
            self.connection.execute(
                insert(case_seizures), [{"case_id": case_id, "seizure_id": s} for s in seizure_ids]
            )
        return case_id

    def case(self, number: str) -> dict[str, Any] | None:
        row = self.connection.execute(
            select(enforcement_cases).where(enforcement_cases.c.number == number)
        ).first()
        if row is None:
            return None
        found = dict(row._mapping)
        linked = self.connection.execute(
            select(seizures.c.reference, seizures.c.species, seizures.c.seized_on)
            .join(case_seizures, case_seizures.c.seizure_id == seizures.c.id)
            .where(case_seizures.c.case_id == row.id)
            .order_by(seizures.c.seized_on)
        )
        found["seizures"] = _dicts(linked)
        return found

    def cases(self) -> list[dict[str, Any]]:
        return _dicts(self.connection.execute(select(enforcement_cases).order_by(enforcement_cases.c.id)))

    def set_case_outcome(self, case_id: int, outcome: str) -> None:
        self.connection.execute(
            update(enforcement_cases).where(enforcement_cases.c.id == case_id).values(outcome=outcome)
        )

    # --- rehabilitation -------------------------------------------------------------------------

    def add_animal(
        self, seizure_id: int, mark: str, species: str, centre: str, admitted_on: date, actor: str
    ) -> int:
        animal_id = _new_id(
            self.connection.execute(
                insert(rehab_animals).values(
                    seizure_id=seizure_id,
                    mark=mark,
                    species=species,
                    centre=centre,
                    status="in_care",
                    admitted_on=admitted_on,
                )
            )
        )
        self.connection.execute(
            insert(rehab_records).values(
                animal_id=animal_id,
                kind="admitted",
                on_date=admitted_on,
                note=centre,
                by_actor=actor,
                at=now(),
            )
        )
        return animal_id

    def animal(self, mark: str) -> dict[str, Any] | None:
        row = self.connection.execute(select(rehab_animals).where(rehab_animals.c.mark == mark)).first()
        return dict(row._mapping) if row else None

    def animals(self, seizure_id: int | None = None) -> list[dict[str, Any]]:
        query = (
            select(rehab_animals, seizures.c.reference)
            .join(seizures, seizures.c.id == rehab_animals.c.seizure_id)
            .order_by(rehab_animals.c.id)
        )
        if seizure_id is not None:
            query = query.where(rehab_animals.c.seizure_id == seizure_id)
        return _dicts(self.connection.execute(query))

    def animal_records(self, animal_id: int) -> list[dict[str, Any]]:
        query = (
            select(rehab_records).where(rehab_records.c.animal_id == animal_id).order_by(rehab_records.c.id)
        )
        return _dicts(self.connection.execute(query))

    def add_animal_record(
        self,
        animal_id: int,
        kind: str,
        on: date,
        note: str | None,
        actor: str,
        status: str,
        place: str | None,
        latitude: float | None,
        longitude: float | None,
    ) -> None:
        self.connection.execute(
            insert(rehab_records).values(
                animal_id=animal_id, kind=kind, on_date=on, note=note, by_actor=actor, at=now()
            )
        )
        changes: dict[str, Any] = {"status": status}
        if kind == "release":
            changes.update(
                released_on=on, release_place=place, release_latitude=latitude, release_longitude=longitude
            )
        self.connection.execute(
            update(rehab_animals).where(rehab_animals.c.id == animal_id).values(**changes)
        )

    def releases(self, year: int | None = None) -> list[dict[str, Any]]:
        query = (
            select(
                rehab_animals.c.species,
                rehab_animals.c.release_place,
                func.min(rehab_animals.c.release_latitude).label("latitude"),
                func.min(rehab_animals.c.release_longitude).label("longitude"),
                func.min(rehab_animals.c.released_on).label("first"),
                func.max(rehab_animals.c.released_on).label("last"),
                func.count().label("animals"),
            )
            .where(rehab_animals.c.status == "released")
            .group_by(rehab_animals.c.species, rehab_animals.c.release_place)
            .order_by(rehab_animals.c.release_place)
        )
        if year is not None:
            query = query.where(rehab_animals.c.released_on.between(date(year, 1, 1), date(year, 12, 31)))
        return _dicts(self.connection.execute(query))

    def animal_counts(self) -> dict[str, int]:
        rows = self.connection.execute(
            select(rehab_animals.c.status, func.count()).group_by(rehab_animals.c.status)
        )
        return {status: count for status, count in rows}

    # --- market inspections and the partner exchange --------------------------------------------

    def add_inspection(self, values: dict[str, Any]) -> int:
        return _new_id(self.connection.execute(insert(market_inspections).values(**values, at=now())))

    def inspections(self) -> list[dict[str, Any]]:
        return _dicts(self.connection.execute(select(market_inspections).order_by(market_inspections.c.id)))

    def add_exchange(
        self,
        direction: str,
        partner: str,
        reference: str,
        codes: list[str],
        answers: list[dict[str, Any]] | None,
    ) -> int:
        return _new_id(
            self.connection.execute(
                insert(partner_seizure_exchanges).values(
                    direction=direction,
                    partner=partner,
                    reference=reference,
                    codes=codes,
                    answers=answers,
                    at=now(),
                )
            )
        )

    def set_exchange_answers(self, exchange_id: int, answers: list[dict[str, Any]]) -> None:
        self.connection.execute(
            update(partner_seizure_exchanges)
            .where(partner_seizure_exchanges.c.id == exchange_id)
            .values(answers=answers)
        )

    def exchanges(self, partner: str | None = None) -> list[dict[str, Any]]:
        query = select(partner_seizure_exchanges).order_by(partner_seizure_exchanges.c.id)
        if partner is not None:
            query = query.where(partner_seizure_exchanges.c.partner == partner)
        return _dicts(self.connection.execute(query))
