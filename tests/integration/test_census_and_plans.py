"""Census, offtake plans and the harvest authorised against them (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.directory.domain.permissions import NotAllowed
from kiik.harvest.services.authorisations import AuthoriseHarvest, authorise_harvest
from kiik.harvest.services.offtake_report import offtake_report
from kiik.monitoring.domain.census import CensusSurvey
from kiik.monitoring.domain.errors import MonitoringError, PlanExceeded
from kiik.monitoring.services.census import census_trends, import_census, record_survey
from kiik.monitoring.services.plans import RecordPlan, plan_justification, record_plan
from tests.support.harvest import ministry
from tests.support.monitoring import CENSUS_FILE, scientists
from tests.support.world import make_world

JUSTIFICATION = b"%PDF-1.4 Ural 2025: offtake within 5 % of the lower bound of the spring count"


def plan(
    population: str = "Ural", animals: int = 1000, basis: str = "lower_bound", share: float = 0.05
) -> RecordPlan:
    return RecordPlan(
        population, 2025, animals, basis, share, "ural-2025.pdf", "application/pdf", JUSTIFICATION
    )


def authorise(registry: Registry, world: Any, animals: int, population: str = "Ural") -> Any:
    terms = AuthoriseHarvest("harvester", population, date(2025, 7, 1), date(2025, 11, 30), animals)
    return authorise_harvest(registry.uow(), ministry(world), terms)


def test_the_shared_census_file_loads_as_it_is(registry: Registry) -> None:
    world = make_world(registry)
    researcher, _ = scientists(registry)
    done = import_census(registry.uow(), researcher, CENSUS_FILE.read_text(encoding="utf-8"))
    # 2019, 2022, 2023, 2024: total and three populations; 2021 and 2025: the total alone
    assert (done.added, done.unchanged) == (18, 0)
    again = import_census(registry.uow(), researcher, CENSUS_FILE.read_text(encoding="utf-8"))
    assert (again.added, again.unchanged) == (0, 18)
    trends = census_trends(registry.uow(), world["warehouse"].principal)
    ural = trends["Ural"]
    assert [(p["year"], p["estimate"]) for p in ural] == [
        (2019, 217000),
        (2022, 801000),
        (2023, 1130000),
        (2024, 1620000),
    ]
    assert ural[1]["change"] == 584000 and ural[0]["ciLower"] is None and ural[0]["lowerBound"] is None
    assert [p["year"] for p in trends["Kazakhstan"]] == [2019, 2021, 2022, 2023, 2024, 2025]


def test_a_survey_by_hand_with_a_confidence_interval(registry: Registry) -> None:
    make_world(registry)
    researcher, _ = scientists(registry)
    survey = CensusSurvey(
        "Ural", 2025, "spring aerial", 1_900_000, "report 2025", ci_lower=1_700_000, ci_upper=2_100_000
    )
    assert record_survey(registry.uow(), researcher, survey).lower_bound == 1_700_000
    with pytest.raises(MonitoringError, match="recorded already with an estimate of 1900000"):
        record_survey(
            registry.uow(), researcher, CensusSurvey("ural", 2025, "spring aerial", 2_000_000, "other")
        )
    with pytest.raises(MonitoringError, match="must contain the estimate"):
        record_survey(
            registry.uow(), researcher, CensusSurvey("Ural", 2026, "x", 10, "y", ci_lower=20, ci_upper=30)
        )


def test_the_plan_keeps_to_its_rule_and_bounds_the_authorisations(registry: Registry) -> None:
    world = make_world(registry)
    researcher, _ = scientists(registry)
    survey = CensusSurvey(
        "Ural", 2025, "spring aerial", 1_900_000, "report", ci_lower=1_700_000, ci_upper=2_100_000
    )
    record_survey(registry.uow(), researcher, survey)
    with pytest.raises(NotAllowed):
        record_plan(registry.uow(), researcher, plan())
    with pytest.raises(MonitoringError, match=r"85001 animals break its own rule .* allows 85000"):
        record_plan(registry.uow(), ministry(world), plan(animals=85_001))
    recorded = record_plan(registry.uow(), ministry(world), plan(animals=1000))
    assert recorded.census_year == 2025 and recorded.census_basis == 1_700_000
    stored, content = plan_justification(registry.uow(), world["inspector"].principal, "Ural", 2025)
    assert content == JUSTIFICATION and stored.justification.sha256 == recorded.justification.sha256

    authorise(registry, world, 600)
    with pytest.raises(
        PlanExceeded,
        match="the 2025 offtake plan for Ural allows 1000 animals; 600 are authorised already, so 400 remain",
    ):
        authorise(registry, world, 401)
    authorise(registry, world, 400)
    # No plan for Ustyurt in 2025: nothing to check against.
    authorise(registry, world, 50, population="Ustyurt")
    report = offtake_report(registry.uow(), world["inspector"].principal)
    ural = next(r for r in report if r["population"] == "Ural")
    assert (ural["planned"], ural["authorised"], ural["registered"], ural["remaining"]) == (1000, 1000, 0, 0)
    assert ural["census"] == {"year": 2025, "estimate": 1_900_000, "lowerBound": 1_700_000}
    ustyurt = next(r for r in report if r["population"] == "Ustyurt")
    assert (ustyurt["planned"], ustyurt["authorised"], ustyurt["census"]) == (None, 50, None)


def test_a_rule_on_a_census_without_an_interval_is_refused(registry: Registry) -> None:
    world = make_world(registry)
    researcher, _ = scientists(registry)
    import_census(registry.uow(), researcher, CENSUS_FILE.read_text(encoding="utf-8"))
    with pytest.raises(MonitoringError, match="2024 census of Ural reports no confidence interval"):
        record_plan(registry.uow(), ministry(world), plan())
    recorded = record_plan(
        registry.uow(), ministry(world), plan(animals=50_000, basis="estimate", share=0.05)
    )
    assert (recorded.census_year, recorded.census_basis) == (2024, 1_620_000)
