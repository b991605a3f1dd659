"""What follows a seizure, in SQL: organisations' regions, leak alerts and their review steps,
cases, animals in rehabilitation, market inspections and the seizure exchange with partners."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from kiik.directory.adapters.tables import organisations
from kiik.enforcement.adapters.seizure_store import as_dicts, new_id, now
from kiik.enforcement.adapters.tables import (
    alert_steps,
    case_seizures,
    enforcement_cases,
    leak_alerts,
    market_inspections,
    org_regions,
    partner_seizure_exchanges,
    rehab_animals,
    rehab_records,
    seizures,
)


class CaseworkStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

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
        alert_id = new_id(
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
        return as_dicts(self.connection.execute(query))

    def alert_steps(self, alert_id: int) -> list[dict[str, Any]]:
        query = select(alert_steps).where(alert_steps.c.alert_id == alert_id).order_by(alert_steps.c.id)
        return as_dicts(self.connection.execute(query))

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
        case_id = new_id(self.connection.execute(insert(enforcement_cases).values(**values, opened_at=now())))
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
        found["seizures"] = as_dicts(linked)
        return found

    def cases(self) -> list[dict[str, Any]]:
        return as_dicts(self.connection.execute(select(enforcement_cases).order_by(enforcement_cases.c.id)))

    def set_case_outcome(self, case_id: int, outcome: str) -> None:
        self.connection.execute(
            update(enforcement_cases).where(enforcement_cases.c.id == case_id).values(outcome=outcome)
        )

    # --- rehabilitation -------------------------------------------------------------------------

    def add_animal(
        self, seizure_id: int, mark: str, species: str, centre: str, admitted_on: date, actor: str
    ) -> int:
        animal_id = new_id(
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
        return as_dicts(self.connection.execute(query))

    def animal_records(self, animal_id: int) -> list[dict[str, Any]]:
        query = (
            select(rehab_records).where(rehab_records.c.animal_id == animal_id).order_by(rehab_records.c.id)
        )
        return as_dicts(self.connection.execute(query))

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
        return as_dicts(self.connection.execute(query))

    def animal_counts(self) -> dict[str, int]:
        rows = self.connection.execute(
            select(rehab_animals.c.status, func.count()).group_by(rehab_animals.c.status)
        )
        return {status: count for status, count in rows}

    # --- market inspections and the partner exchange --------------------------------------------

    def add_inspection(self, values: dict[str, Any]) -> int:
        return new_id(self.connection.execute(insert(market_inspections).values(**values, at=now())))

    def inspections(self) -> list[dict[str, Any]]:
        return as_dicts(self.connection.execute(select(market_inspections).order_by(market_inspections.c.id)))

    def add_exchange(
        self,
        direction: str,
        partner: str,
        reference: str,
        codes: list[str],
        answers: list[dict[str, Any]] | None,
    ) -> int:
        return new_id(
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
        return as_dicts(self.connection.execute(query))
