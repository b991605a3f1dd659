"""The offtake report: per population and season, the plan, what was authorised, what was
registered, and the census the plan rests on, side by side (harvest reads monitoring, not the
other way round)."""

from __future__ import annotations

from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.harvest.services.ports import harvest_store
from kiik.monitoring.domain.census import SAIGA, latest_before
from kiik.monitoring.services.ports import census_store, plan_store


def offtake_report(uow: UnitOfWork, principal: Principal, species: str = SAIGA) -> list[dict[str, Any]]:
    require(principal, Permission.CENSUS_READ)
    with uow:
        totals = harvest_store(uow).season_totals()
        plans = {(p.population, p.season): p for p in plan_store(uow).plans(species)}
        surveys = census_store(uow).surveys(species)
    rows = []
    for population, season in sorted(set(totals) | set(plans), key=lambda k: (k[1], k[0])):
        plan = plans.get((population, season))
        authorised, registered = totals.get((population, season), (0, 0))
        census = latest_before(surveys, population, season)
        rows.append(
            {
                "population": population,
                "season": season,
                "planned": plan.max_animals if plan else None,
                "rule": plan.rule.statement() if plan else None,
                "justificationSha256": plan.justification.sha256 if plan else None,
                "authorised": authorised,
                "registered": registered,
                "remaining": (plan.max_animals - authorised) if plan else None,
                "census": (
                    {"year": census.year, "estimate": census.estimate, "lowerBound": census.lower_bound}
                    if census
                    else None
                ),
            }
        )
    return rows
