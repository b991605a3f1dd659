"""Census surveys, the census CSV and offtake-plan rules, as plain rules."""

from __future__ import annotations

import pytest

from kiik.monitoring.domain.census import CensusSurvey, latest_before, trend
from kiik.monitoring.domain.census_csv import read_census_csv
from kiik.monitoring.domain.errors import MonitoringError, PlanExceeded
from kiik.monitoring.domain.plans import (
    Justification,
    OfftakePlan,
    PlanRule,
    RuleBasis,
    check_plan_against_census,
    check_within_plan,
    rule_ceiling,
)
from tests.support.monitoring import CENSUS_FILE

HEADER = "survey_year,season,total,ural,betpakdala,ustyurt,source_url\n"


def test_blank_cells_are_not_reported_and_give_no_survey() -> None:
    surveys = read_census_csv(CENSUS_FILE.read_text(encoding="utf-8"))
    years = {(s.population, s.year) for s in surveys}
    assert ("Kazakhstan", 2021) in years and ("Ural", 2021) not in years
    ural_2024 = next(s for s in surveys if (s.population, s.year) == ("Ural", 2024))
    assert (ural_2024.estimate, ural_2024.method, ural_2024.ci_lower) == (
        1_620_000,
        "spring aerial (14 Apr-1 May)",
        None,
    )


def test_optional_interval_columns_are_read() -> None:
    text = "survey_year,season,ural,ural_ci_lower,ural_ci_upper,ustyurt,ustyurt_se,source_url\n"
    text += "2025,spring aerial,1900000,1700000,2100000,80000,5000,report\n"
    ural, ustyurt = read_census_csv(text)
    assert ural.lower_bound == 1_700_000
    assert ustyurt.lower_bound == 80000 - 9800  # 1.96 standard errors


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2024,spring,,12x,,,src", "row 2, ural: '12x' is not a whole number"),
        (",spring,1,,,,src", "row 2, survey_year: a year is required"),
        ("2024,,1,,,,src", "row 2, total: .* say which method"),
        ("2024,spring,-5,,,,src", "row 2, total: .* cannot be negative"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column(row: str, message: str) -> None:
    with pytest.raises(MonitoringError, match=message):
        read_census_csv(HEADER + row + "\n")


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(MonitoringError, match="lacks the column"):
        read_census_csv("year,count\n2024,5\n")


def test_trend_and_the_latest_survey_before_a_season() -> None:
    surveys = [CensusSurvey("Ural", y, "aerial", n, "s") for y, n in ((2022, 800), (2019, 200), (2024, 1800))]
    points = trend(surveys)
    assert [(p.survey.year, p.change) for p in points] == [(2019, None), (2022, 600), (2024, 1000)]
    assert points[2].annual_growth == 0.5  # 800 -> 1800 in two years: 1.5 a year
    assert latest_before(surveys, "Ural", 2023).year == 2022  # type: ignore[union-attr]
    assert latest_before(surveys, "Ural", 2018) is None


def plan(animals: int) -> OfftakePlan:
    rule = PlanRule(RuleBasis.LOWER_BOUND, 0.05)
    return OfftakePlan(
        "Ural", 2025, animals, rule, Justification.of("j.pdf", "application/pdf", b"x"), 2025, 1
    )


def test_a_rule_gives_a_ceiling_and_a_plan_above_it_is_refused() -> None:
    survey = CensusSurvey("Ural", 2025, "aerial", 2_000_000, "s", ci_lower=1_500_000, ci_upper=2_500_000)
    rule = PlanRule(RuleBasis.LOWER_BOUND, 0.05)
    assert rule_ceiling(rule, survey) == 75_000
    assert rule_ceiling(PlanRule(RuleBasis.ESTIMATE, 0.05), survey) == 100_000
    assert check_plan_against_census(75_000, rule, survey, "plan") == 75_000
    with pytest.raises(MonitoringError, match="75001 animals break its own rule"):
        check_plan_against_census(75_001, rule, survey, "plan")
    with pytest.raises(MonitoringError, match="above 0 and at most 1"):
        check_plan_against_census(10, PlanRule(RuleBasis.ESTIMATE, 5), survey, "plan")
    with pytest.raises(MonitoringError, match="no census"):
        check_plan_against_census(10, rule, None, "plan")


def test_what_remains_of_a_plan() -> None:
    assert check_within_plan(plan(1000), 600, 400) == 0
    with pytest.raises(PlanExceeded, match="allows 1000 animals; 600 are authorised already, so 400 remain"):
        check_within_plan(plan(1000), 600, 401)


def test_a_justification_is_kept_with_its_hash() -> None:
    found = Justification.of("j.txt", "text/plain", b"abc")
    assert (
        found.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" and found.size == 3
    )
    with pytest.raises(MonitoringError, match="is empty"):
        Justification.of("j.txt", "text/plain", b"")
