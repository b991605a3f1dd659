"""Harvest authorisations, the projection of harvested horns, and accepted field sheets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, extract, func, insert, select, text, update

from kiik.custody.adapters.item_store import chunked
from kiik.custody.adapters.running_totals import differences, refill
from kiik.custody.domain.running_totals import TotalDifference
from kiik.db.bulk_insert import insert_rows
from kiik.directory.adapters.tables import organisations
from kiik.harvest.adapters.tables import (
    harvest_authorisations,
    harvest_imports,
    harvest_totals,
    harvested_horns,
)
from kiik.harvest.domain.authorisations import HarvestAuthorisation, Population
from kiik.harvest.domain.geo import read_area
from kiik.harvest.domain.rules import HarvestedHorn
from kiik.harvest.domain.sheet import SheetImport


def _naive_utc(moment: datetime | None) -> datetime:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _authorisation(row: Any) -> HarvestAuthorisation:
    return HarvestAuthorisation(
        number=row.number,
        org_id=row.org_id,
        holder=f"{row.org_name} ({row.org_code})",
        species=row.species,
        population=Population(row.population),
        area=read_area(row.area),
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        max_animals=row.max_animals,
        area_label=row.area_label,
        id=row.id,
        issued_by=row.issued_by,
        issued_at=row.issued_at,
    )


# What harvest_totals holds, counted from the horns (migration 0021 keeps it by triggers).
HARVEST_RECOUNT = (
    "SELECT authorisation_id, count(DISTINCT animal_id), count(*) FROM harvested_horns "
    "GROUP BY authorisation_id"
)


class HarvestStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _select(self) -> Any:
        return select(
            harvest_authorisations,
            organisations.c.name.label("org_name"),
            organisations.c.code.label("org_code"),
        ).join(organisations, organisations.c.id == harvest_authorisations.c.org_id)

    def add_authorisation(self, authorisation: HarvestAuthorisation) -> int:
        result = self.connection.execute(
            insert(harvest_authorisations).values(
                number=authorisation.number,
                org_id=authorisation.org_id,
                species=authorisation.species,
                population=authorisation.population.value,
                area=authorisation.area.to_geojson(),
                area_label=authorisation.area_label,
                valid_from=authorisation.valid_from,
                valid_to=authorisation.valid_to,
                max_animals=authorisation.max_animals,
                issued_by=authorisation.issued_by,
                issued_at=_naive_utc(authorisation.issued_at),
            )
        )
        return int(result.inserted_primary_key[0])

    def authorisation(self, number: str) -> HarvestAuthorisation | None:
        row = self.connection.execute(
            self._select().where(harvest_authorisations.c.number == number)
        ).one_or_none()
        return None if row is None else _authorisation(row)

    def authorisations(self, org_id: int | None = None) -> list[HarvestAuthorisation]:
        query = self._select().order_by(harvest_authorisations.c.valid_from, harvest_authorisations.c.number)
        if org_id is not None:
            query = query.where(harvest_authorisations.c.org_id == org_id)
        return [_authorisation(row) for row in self.connection.execute(query)]

    def count_numbered(self, prefix: str) -> int:
        query = select(func.count()).where(
            harvest_authorisations.c.number.startswith(prefix, autoescape=True)
        )
        return int(self.connection.scalar(query) or 0)

    def authorised_animals(self, population: str, season: int) -> int:
        """Animals authorised so far for a population in a season (authorisations starting that year)."""
        a = harvest_authorisations.c
        query = select(func.coalesce(func.sum(a.max_animals), 0)).where(
            a.population == population,
            a.valid_from >= date(season, 1, 1),
            a.valid_from <= date(season, 12, 31),
        )
        return int(self.connection.scalar(query) or 0)

    def season_totals(self) -> dict[tuple[str, int], tuple[int, int]]:
        """(animals authorised, animals registered) per population and season (the year harvest
        starts); the animals registered from the running totals (`harvest_totals`)."""
        a, t = harvest_authorisations.c, harvest_totals.c
        season = extract("year", a.valid_from)
        query = (
            select(a.population, season, func.sum(a.max_animals), func.coalesce(func.sum(t.animals), 0))
            .select_from(harvest_authorisations.outerjoin(harvest_totals, t.authorisation_id == a.id))
            .group_by(a.population, season)
        )
        return {
            (population, int(year)): (int(authorised), int(registered))
            for population, year, authorised, registered in self.connection.execute(query)
        }

    def usage(self, authorisation_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """(animals, horns) registered under each authorisation, from the running totals."""
        if not authorisation_ids:
            return {}
        t = harvest_totals.c
        query = select(t.authorisation_id, t.animals, t.horns).where(
            t.authorisation_id.in_(list(authorisation_ids)), t.horns != 0
        )
        return {row[0]: (int(row[1]), int(row[2])) for row in self.connection.execute(query)}

    def total_differences(self) -> list[TotalDifference]:
        """Where the running totals (`harvest_totals`) differ from a recount of the horns."""
        return differences(self.connection, harvest_totals, ("authorisation_id",), HARVEST_RECOUNT)

    def refill_totals(self) -> None:
        """Fill the running totals again from a recount of the horns."""
        refill(self.connection, harvest_totals, HARVEST_RECOUNT, [harvested_horns])

    def _lock(self, authorisation_id: int) -> None:
        """Lock the authorisation's row until the transaction ends, so that two captures under one
        authorisation count one after the other and cannot both take its last animal."""
        this = harvest_authorisations.c.id == authorisation_id
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(select(harvest_authorisations.c.id).where(this).with_for_update())
        else:
            # pysqlite reads outside any transaction until the first write: a write that changes
            # nothing takes SQLite's one write lock now, so the count below is read under it.
            self.connection.execute(
                update(harvest_authorisations).where(this).values(id=harvest_authorisations.c.id)
            )

    def tally(self, authorisation_id: int) -> list[tuple[str, str, str | None]]:
        """(horn, animal, sex) of every horn counted under an authorisation, read under its lock."""
        self._lock(authorisation_id)
        query = select(harvested_horns.c.horn_key, harvested_horns.c.animal_id, harvested_horns.c.sex).where(
            harvested_horns.c.authorisation_id == authorisation_id
        )
        return [(row[0], row[1], row[2]) for row in self.connection.execute(query)]

    def lock_and_count(self, authorisation_id: int) -> int:
        """The animals counted under an authorisation, read under its lock (an index-only count)."""
        self._lock(authorisation_id)
        query = select(func.count(func.distinct(harvested_horns.c.animal_id))).where(
            harvested_horns.c.authorisation_id == authorisation_id
        )
        return int(self.connection.scalar(query) or 0)

    def tally_rows(
        self, authorisation_id: int, animal_ids: Sequence[str], horn_keys: Sequence[str]
    ) -> list[tuple[str, str, str | None]]:
        """(horn, animal, sex) of every horn under the authorisation of these animals, and of the
        animals that these horns were counted for."""
        under = harvested_horns.c.authorisation_id == authorisation_id
        owners = select(harvested_horns.c.animal_id).where(
            under, harvested_horns.c.horn_key.in_(list(horn_keys))
        )
        query = select(harvested_horns.c.horn_key, harvested_horns.c.animal_id, harvested_horns.c.sex).where(
            under, harvested_horns.c.animal_id.in_(list(animal_ids)) | harvested_horns.c.animal_id.in_(owners)
        )
        return [(row[0], row[1], row[2]) for row in self.connection.execute(query)]

    def record_horns(self, horns: Sequence[HarvestedHorn], replaced: Iterable[str] = ()) -> None:
        """Count horns; `replaced` are horns counted before (registered again after a correction)."""
        for part in chunked(list(replaced)):
            self.connection.execute(delete(harvested_horns).where(harvested_horns.c.horn_key.in_(part)))
        insert_rows(
            self.connection,
            harvested_horns,
            ("horn_key", "authorisation_id", "animal_id", "sex", "microchip"),
            [(h.horn_key, h.authorisation_id, h.animal_id, h.sex, h.microchip) for h in horns],
        )

    def horns_with_microchips(self, microchips: Iterable[str]) -> dict[str, str]:
        """The horn already carrying each of these microchip numbers, for those that one does."""
        found: dict[str, str] = {}
        for part in chunked(list(set(microchips))):
            query = select(harvested_horns.c.microchip, harvested_horns.c.horn_key).where(
                harvested_horns.c.microchip.in_(part)
            )
            found.update({row[0]: row[1] for row in self.connection.execute(query)})
        return found

    def lock_import(self, org_id: int, idempotency_key: str) -> None:
        """Hold uploads under one (organisation, key) until this transaction ends, so that the second
        finds the first one's record instead of racing it."""
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                {"key": f"kiik-harvest-import:{org_id}:{idempotency_key}"},
            )
            return
        # SQLite: a write that changes nothing takes its one write lock now (see `tally`).
        this = (harvest_imports.c.org_id == org_id) & (harvest_imports.c.idempotency_key == idempotency_key)
        self.connection.execute(update(harvest_imports).where(this).values(id=harvest_imports.c.id))

    def import_of(self, org_id: int, idempotency_key: str) -> SheetImport | None:
        row = self.connection.execute(
            select(harvest_imports).where(
                harvest_imports.c.org_id == org_id, harvest_imports.c.idempotency_key == idempotency_key
            )
        ).one_or_none()
        if row is None:
            return None
        return SheetImport(
            row.org_id, row.idempotency_key, row.sheet_sha256, row.capture_id, row.created_at, row.result
        )

    def recent_imports(self, org_id: int, limit: int) -> list[SheetImport]:
        """The organisation's latest recorded sheets, newest first."""
        query = (
            select(harvest_imports)
            .where(harvest_imports.c.org_id == org_id)
            .order_by(harvest_imports.c.created_at.desc(), harvest_imports.c.id.desc())
            .limit(limit)
        )
        return [
            SheetImport(r.org_id, r.idempotency_key, r.sheet_sha256, r.capture_id, r.created_at, r.result)
            for r in self.connection.execute(query)
        ]

    def add_import(self, record: SheetImport) -> None:
        self.connection.execute(
            insert(harvest_imports).values(
                org_id=record.org_id,
                idempotency_key=record.idempotency_key,
                sheet_sha256=record.sheet_sha256,
                capture_id=record.capture_id,
                created_at=_naive_utc(record.created_at),
                result=record.result,
            )
        )
