"""Offtake plans: the ministry records a season's plan per population with its justification;
harvest authorisations ask `check_authorisation_fits` whether they fit inside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import N_, NotFound
from kiik.monitoring.domain.census import SAIGA, latest_before, population_called
from kiik.monitoring.domain.errors import MonitoringError
from kiik.monitoring.domain.plans import (
    Justification,
    OfftakePlan,
    PlanRule,
    RuleBasis,
    check_plan_against_census,
    check_within_plan,
    plan_label,
    rule_basis_of,
)
from kiik.monitoring.services.ports import census_store, plan_store


@dataclass(frozen=True)
class RecordPlan:
    population: str
    season: int
    max_animals: int
    rule_basis: str  # lower_bound or estimate
    rule_share: float
    justification_name: str
    justification_type: str
    justification: bytes
    species: str = SAIGA


def record_plan(uow: UnitOfWork, principal: Principal, command: RecordPlan) -> OfftakePlan:
    """Record (or revise) a season's plan; it must keep to its own rule on the latest census."""
    require(principal, Permission.OFFTAKE_PLANS_MANAGE)
    population = population_called(command.population)
    try:
        basis = RuleBasis(command.rule_basis)
    except ValueError:
        raise MonitoringError(
            N_(
                "unknown rule basis %(basis)s: use %(bases)s",
                basis=repr(command.rule_basis),
                bases=", ".join(b.value for b in RuleBasis),
            )
        ) from None
    rule = PlanRule(basis, command.rule_share)
    label = plan_label(command.season, population)
    justification = Justification.of(
        command.justification_name, command.justification_type, command.justification
    )
    with uow:
        survey = latest_before(
            census_store(uow).surveys(command.species, population), population, command.season
        )
        check_plan_against_census(command.max_animals, rule, survey, label)
        assert survey is not None
        plan = OfftakePlan(
            population=population,
            season=command.season,
            max_animals=command.max_animals,
            rule=rule,
            justification=justification,
            census_year=survey.year,
            census_basis=rule_basis_of(rule, survey),
            recorded_at=datetime.now(UTC),
            species=command.species,
        )
        store = plan_store(uow)
        known = store.latest(command.species, population, command.season)
        store.add_plan(plan, (known[1] + 1) if known else 1, command.justification, principal.org_id or None)
        uow.commit()
    return plan


def check_authorisation_fits(
    uow: UnitOfWork, population: str, season: int, authorised: int, asked: int, species: str = SAIGA
) -> OfftakePlan | None:
    """Inside an entered unit of work: PlanExceeded when `asked` more animals do not fit in the
    season's plan. Without a plan for that population and season, None (nothing to check against)."""
    found = plan_store(uow).latest(species, population_called(population), season)
    if found is None:
        return None
    check_within_plan(found[0], authorised, asked)
    return found[0]


def season_plans(uow: UnitOfWork, principal: Principal, species: str = SAIGA) -> list[OfftakePlan]:
    require(principal, Permission.CENSUS_READ)
    with uow:
        return plan_store(uow).plans(species)


def plan_justification(
    uow: UnitOfWork, principal: Principal, population: str, season: int, species: str = SAIGA
) -> tuple[OfftakePlan, bytes]:
    require(principal, Permission.CENSUS_READ)
    with uow:
        found = plan_store(uow).justification(species, population_called(population), season)
    if found is None:
        raise NotFound(
            N_("no offtake plan for %(population)s in %(season)s", population=population, season=season)
        )
    return found


def plan_json(plan: OfftakePlan) -> dict[str, Any]:
    return {
        "population": plan.population,
        "season": plan.season,
        "maxAnimals": plan.max_animals,
        "rule": {
            "basis": plan.rule.basis.value,
            "share": plan.rule.share,
            "statement": plan.rule.statement(),
        },
        "census": {"year": plan.census_year, "basis": plan.census_basis},
        "justification": {
            "filename": plan.justification.filename,
            "mediaType": plan.justification.media_type,
            "sha256": plan.justification.sha256,
            "size": plan.justification.size,
        },
        "recordedAt": plan.recorded_at.isoformat() if plan.recorded_at else None,
    }
