"""Census surveys and offtake plans in SQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from kiik.monitoring.adapters.tables import census_surveys, offtake_plans
from kiik.monitoring.domain.census import CensusSurvey
from kiik.monitoring.domain.plans import Justification, OfftakePlan, PlanRule, RuleBasis


class CensusStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def survey(self, species: str, population: str, year: int) -> CensusSurvey | None:
        row = self.connection.execute(
            select(census_surveys).where(
                census_surveys.c.species == species,
                census_surveys.c.population == population,
                census_surveys.c.year == year,
            )
        ).first()
        return _survey(row) if row else None

    def surveys(self, species: str, population: str | None = None) -> list[CensusSurvey]:
        query = select(census_surveys).where(census_surveys.c.species == species)
        if population is not None:
            query = query.where(census_surveys.c.population == population)
        rows = self.connection.execute(query.order_by(census_surveys.c.population, census_surveys.c.year))
        return [_survey(row) for row in rows]

    def add_survey(self, survey: CensusSurvey, recorded_by: int | None) -> None:
        self.connection.execute(
            insert(census_surveys).values(
                species=survey.species,
                population=survey.population,
                year=survey.year,
                method=survey.method,
                started_on=survey.started_on,
                ended_on=survey.ended_on,
                estimate=survey.estimate,
                ci_lower=survey.ci_lower,
                ci_upper=survey.ci_upper,
                standard_error=survey.standard_error,
                source=survey.source,
                recorded_by=recorded_by,
                recorded_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )


def _survey(row: Any) -> CensusSurvey:
    return CensusSurvey(
        population=row.population,
        year=row.year,
        method=row.method,
        estimate=row.estimate,
        source=row.source,
        started_on=row.started_on,
        ended_on=row.ended_on,
        ci_lower=row.ci_lower,
        ci_upper=row.ci_upper,
        standard_error=row.standard_error,
        species=row.species,
    )


_PLAN_COLUMNS = [c for c in offtake_plans.c if c.name != "justification"]


class PlanStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def latest(self, species: str, population: str, season: int) -> tuple[OfftakePlan, int] | None:
        """The season's plan in force (its latest revision), locked until the transaction ends, so
        that two authorisations checked at once against it are checked one after the other."""
        row = self.connection.execute(
            select(*_PLAN_COLUMNS)
            .where(
                offtake_plans.c.species == species,
                offtake_plans.c.population == population,
                offtake_plans.c.season == season,
            )
            .order_by(offtake_plans.c.revision.desc())
            .limit(1)
            .with_for_update()
        ).first()
        return (_plan(row), row.revision) if row else None

    def plans(self, species: str) -> list[OfftakePlan]:
        latest = (
            select(
                offtake_plans.c.population,
                offtake_plans.c.season,
                func.max(offtake_plans.c.revision).label("r"),
            )
            .where(offtake_plans.c.species == species)
            .group_by(offtake_plans.c.population, offtake_plans.c.season)
            .subquery()
        )
        rows = self.connection.execute(
            select(*_PLAN_COLUMNS)
            .join(
                latest,
                (latest.c.population == offtake_plans.c.population)
                & (latest.c.season == offtake_plans.c.season)
                & (latest.c.r == offtake_plans.c.revision),
            )
            .where(offtake_plans.c.species == species)
            .order_by(offtake_plans.c.season, offtake_plans.c.population)
        )
        return [_plan(row) for row in rows]

    def add_plan(self, plan: OfftakePlan, revision: int, content: bytes, recorded_by: int | None) -> None:
        self.connection.execute(
            insert(offtake_plans).values(
                species=plan.species,
                population=plan.population,
                season=plan.season,
                revision=revision,
                max_animals=plan.max_animals,
                rule_basis=plan.rule.basis.value,
                rule_share=plan.rule.share,
                census_year=plan.census_year,
                census_basis=plan.census_basis,
                justification_name=plan.justification.filename,
                justification_type=plan.justification.media_type,
                justification_sha256=plan.justification.sha256,
                justification_size=plan.justification.size,
                justification=content,
                recorded_by=recorded_by,
                recorded_at=(plan.recorded_at or datetime.now(UTC)).replace(tzinfo=None),
            )
        )

    def justification(self, species: str, population: str, season: int) -> tuple[OfftakePlan, bytes] | None:
        found = self.latest(species, population, season)
        if found is None:
            return None
        content = self.connection.scalar(
            select(offtake_plans.c.justification).where(
                offtake_plans.c.species == species,
                offtake_plans.c.population == population,
                offtake_plans.c.season == season,
                offtake_plans.c.revision == found[1],
            )
        )
        return found[0], bytes(content)


def _plan(row: Any) -> OfftakePlan:
    return OfftakePlan(
        population=row.population,
        season=row.season,
        max_animals=row.max_animals,
        rule=PlanRule(RuleBasis(row.rule_basis), row.rule_share),
        justification=Justification(
            row.justification_name, row.justification_type, row.justification_sha256, row.justification_size
        ),
        census_year=row.census_year,
        census_basis=row.census_basis,
        recorded_at=row.recorded_at.replace(tzinfo=UTC) if row.recorded_at else None,
        species=row.species,
    )
