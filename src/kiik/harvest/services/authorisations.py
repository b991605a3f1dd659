"""Harvest authorisations: the ministry issues them; each harvester reads its own (authorities read all)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import OrgKind, Permission, Principal, require
from kiik.directory.services.audit import record
from kiik.directory.services.scope import restrict
from kiik.errors import N_, NotFound
from kiik.harvest.domain.authorisations import (
    SAIGA,
    HarvestAuthorisation,
    HarvestError,
    authorisation_number,
    check_terms,
    population_named,
    suggested_number,
)
from kiik.harvest.domain.geo import GeoError, read_area
from kiik.harvest.domain.populations import population_range, range_label
from kiik.harvest.services.ports import harvest_store
from kiik.monitoring.services.plans import check_authorisation_fits


@dataclass(frozen=True)
class AuthoriseHarvest:
    """The ministry's decision: who may take how many animals of which population, where and when."""

    harvester: str  # organisation code of a harvester
    population: str  # Ural, Betpakdala or Ustyurt
    valid_from: date
    valid_to: date  # inclusive
    max_animals: int
    area: Any = None  # GeoJSON Polygon/MultiPolygon; None: the population's approximate range
    area_label: str | None = None
    number: str | None = None  # None: the next KZ-<year>-<population>-<serial>
    species: str = SAIGA


@dataclass(frozen=True)
class AuthorisationView:
    authorisation: HarvestAuthorisation
    animals: int = 0
    horns: int = 0

    def to_json(self) -> dict[str, Any]:
        a = self.authorisation
        return {
            "number": a.number,
            "identifier": a.identifier,
            "harvester": a.holder,
            "species": a.species,
            "population": a.population.value,
            "validFrom": a.valid_from.isoformat(),
            "validTo": a.valid_to.isoformat(),
            "maxAnimals": a.max_animals,
            "animalsRegistered": self.animals,
            "hornsRegistered": self.horns,
            "area": a.area.to_geojson(),
            "areaLabel": a.area_label,
            "issuedAt": a.issued_at.isoformat() if a.issued_at else None,
        }


def authorise_harvest(uow: UnitOfWork, principal: Principal, command: AuthoriseHarvest) -> AuthorisationView:
    """Issue a harvest authorisation. Raises HarvestError saying what is wrong with the request, or
    PlanExceeded (kiik.monitoring) when it would take more than the season's offtake plan leaves."""
    require(principal, Permission.HARVEST_AUTHORISATIONS_ISSUE)
    population = population_named(command.population)
    check_terms(command.valid_from, command.valid_to, command.max_animals)
    label: str
    if command.area is None:
        area, label = population_range(population), range_label(population)
    else:
        try:
            area = read_area(command.area)
        except GeoError as exc:
            raise HarvestError(
                N_("the area is not a usable GeoJSON polygon: %(problem)s", problem=exc.args[0])
            ) from None
        label = command.area_label or ""
    with uow:
        store = harvest_store(uow)
        harvester = uow.directory.organisation(command.harvester)
        if harvester is None:
            raise HarvestError(
                N_("no organisation with code %(code)s: see `kiik org list`", code=repr(command.harvester))
            )
        if harvester.kind != OrgKind.HARVESTER.value:
            raise HarvestError(
                N_(
                    "%(name)s (%(code)s) is a %(kind)s; harvest authorisations are issued to harvester "
                    "organisations",
                    name=harvester.name,
                    code=harvester.code,
                    kind=harvester.kind,
                )
            )
        # The season's offtake plan, when the ministry has recorded one, bounds what may be authorised.
        season = command.valid_from.year
        authorised = store.authorised_animals(population.value, season)
        check_authorisation_fits(uow, population.value, season, authorised, command.max_animals)
        number = _number(store, command, population)
        authorisation = HarvestAuthorisation(
            number=number,
            org_id=harvester.id,
            holder=f"{harvester.name} ({harvester.code})",
            species=command.species.strip() or SAIGA,
            population=population,
            area=area,
            valid_from=command.valid_from,
            valid_to=command.valid_to,
            max_animals=command.max_animals,
            area_label=label,
            issued_by=principal.org_id or None,
            issued_at=datetime.now(UTC),
        )
        store.add_authorisation(authorisation)
        stored = store.authorisation(number)
        record(
            uow,
            principal,
            "harvest_authorisation.issued",
            number,
            harvester=command.harvester,
            population=population,
            animals=command.max_animals,
        )
        uow.commit()
    assert stored is not None
    return AuthorisationView(stored)


def _number(store: Any, command: AuthoriseHarvest, population: Any) -> str:
    if command.number:
        number = authorisation_number(command.number)
        if store.authorisation(number) is not None:
            raise HarvestError(
                N_(
                    "a harvest authorisation numbered %(number)s exists already: choose another number",
                    number=number,
                )
            )
        return number
    serial = store.count_numbered(suggested_number(population, command.valid_from.year, 0)[:-3]) + 1
    while store.authorisation(suggested_number(population, command.valid_from.year, serial)) is not None:
        serial += 1
    return suggested_number(population, command.valid_from.year, serial)


def list_authorisations(uow: UnitOfWork, principal: Principal) -> list[AuthorisationView]:
    """The authorisations the principal may see: its own, or all for the ministry and authorities."""
    scope = restrict(principal, Permission.HARVEST_AUTHORISATIONS_READ)
    with uow:
        store = harvest_store(uow)
        found = store.authorisations(scope.org_id)
        usage = store.usage([a.id for a in found if a.id is not None])
    return [AuthorisationView(a, *usage.get(a.id or 0, (0, 0))) for a in found]


def get_authorisation(uow: UnitOfWork, principal: Principal, number: str) -> AuthorisationView:
    scope = restrict(principal, Permission.HARVEST_AUTHORISATIONS_READ)
    wanted = authorisation_number(number)
    with uow:
        store = harvest_store(uow)
        found = store.authorisation(wanted)
        if found is None or (scope.org_id is not None and found.org_id != scope.org_id):
            raise NotFound(N_("no harvest authorisation %(number)s that you may see", number=wanted))
        usage = store.usage([found.id] if found.id is not None else [])
    return AuthorisationView(found, *usage.get(found.id or 0, (0, 0)))
