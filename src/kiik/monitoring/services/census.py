"""Census use cases: record a survey by hand, import the census CSV, read trends per population."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import N_
from kiik.monitoring.domain.census import SAIGA, CensusSurvey, checked_survey, population_called, trend
from kiik.monitoring.domain.census_csv import read_census_csv
from kiik.monitoring.domain.errors import MonitoringError
from kiik.monitoring.services.ports import CensusStorePort, census_store


@dataclass(frozen=True)
class CensusImported:
    added: int
    unchanged: int


def record_survey(uow: UnitOfWork, principal: Principal, survey: CensusSurvey) -> CensusSurvey:
    """Record one survey entered by hand; the same figures again change nothing."""
    require(principal, Permission.CENSUS_RECORD)
    survey = checked_survey(replace(survey, population=population_called(survey.population)))
    with uow:
        _add(census_store(uow), survey, principal)
        uow.commit()
    return survey


def import_census(uow: UnitOfWork, principal: Principal, text: str) -> CensusImported:
    """Import the census CSV whole: every row is checked before any is stored."""
    require(principal, Permission.CENSUS_RECORD)
    surveys = read_census_csv(text)
    added = 0
    with uow:
        store = census_store(uow)
        for survey in surveys:
            added += _add(store, survey, principal)
        uow.commit()
    return CensusImported(added, len(surveys) - added)


def _add(store: CensusStorePort, survey: CensusSurvey, principal: Principal) -> int:
    known = store.survey(survey.species, survey.population, survey.year)
    if known is None:
        store.add_survey(survey, principal.org_id or None)
        return 1
    if known != survey:
        raise MonitoringError(
            N_(
                "the %(year)s census of %(population)s is recorded already with an estimate of "
                "%(estimate)s (%(method)s); a survey is recorded once: a different figure is a "
                "different survey year or population",
                year=survey.year,
                population=survey.population,
                estimate=known.estimate,
                method=known.method,
            )
        )
    return 0


def census_trends(
    uow: UnitOfWork, principal: Principal, species: str = SAIGA
) -> dict[str, list[dict[str, Any]]]:
    """Each population's surveys by year with the change since the previous one."""
    require(principal, Permission.CENSUS_READ)
    with uow:
        surveys = census_store(uow).surveys(species)
    by_population: dict[str, list[CensusSurvey]] = {}
    for survey in surveys:
        by_population.setdefault(survey.population, []).append(survey)
    return {
        population: [
            {**survey_json(point.survey), "change": point.change, "annualGrowth": point.annual_growth}
            for point in trend(found)
        ]
        for population, found in sorted(by_population.items())
    }


def survey_json(survey: CensusSurvey) -> dict[str, Any]:
    return {
        "population": survey.population,
        "year": survey.year,
        "method": survey.method,
        "startedOn": survey.started_on.isoformat() if survey.started_on else None,
        "endedOn": survey.ended_on.isoformat() if survey.ended_on else None,
        "estimate": survey.estimate,
        "ciLower": survey.ci_lower,
        "ciUpper": survey.ci_upper,
        "standardError": survey.standard_error,
        "lowerBound": survey.lower_bound,
        "source": survey.source,
    }
