"""Offtake plans: how many animals of one population the ministry plans to take in one season, on
what grounds (a justification document, kept with its SHA-256) and by which stated rule.

A rule is a share of a census figure: of the latest survey's lower confidence bound
(`lower_bound`, the cautious reading) or of its estimate (`estimate`). The plan may not exceed the
figure its own rule gives, so a plan cannot claim a rule it breaks. Harvest authorisations of the
season must then fit inside the plan (`check_within_plan`).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiik.monitoring.domain.census import SAIGA, CensusSurvey
from kiik.monitoring.domain.errors import MonitoringError, PlanExceeded


class RuleBasis(StrEnum):
    LOWER_BOUND = "lower_bound"
    ESTIMATE = "estimate"


@dataclass(frozen=True)
class PlanRule:
    basis: RuleBasis
    share: float  # a fraction, 0 < share <= 1 (0.05 = 5 %)

    def statement(self) -> str:
        of = "lower 95 % confidence bound" if self.basis is RuleBasis.LOWER_BOUND else "estimate"
        return f"at most {self.share:.2%} of the {of} of the latest census"


@dataclass(frozen=True)
class Justification:
    """The biological justification as filed: its name, type, size and SHA-256 (the bytes are stored too)."""

    filename: str
    media_type: str
    sha256: str
    size: int

    @classmethod
    def of(cls, filename: str, media_type: str, content: bytes) -> Justification:
        if not content:
            raise MonitoringError(f"the justification {filename!r} is empty: attach the document itself")
        return cls(filename, media_type, hashlib.sha256(content).hexdigest(), len(content))


@dataclass(frozen=True)
class OfftakePlan:
    population: str
    season: int
    max_animals: int
    rule: PlanRule
    justification: Justification
    census_year: int
    census_basis: int  # the census figure the rule was applied to
    recorded_at: datetime | None = None
    species: str = SAIGA

    @property
    def label(self) -> str:
        return f"the {self.season} offtake plan for {self.population}"


def rule_ceiling(rule: PlanRule, survey: CensusSurvey) -> int:
    """The most animals the rule allows on this survey, and the figure it rests on."""
    return math.floor(rule.share * rule_basis_of(rule, survey))


def rule_basis_of(rule: PlanRule, survey: CensusSurvey) -> int:
    if rule.basis is RuleBasis.ESTIMATE:
        return survey.estimate
    bound = survey.lower_bound
    if bound is None:
        raise MonitoringError(
            f"the {survey.year} census of {survey.population} reports no confidence interval or standard "
            "error, so it has no lower bound: record the interval, or state the rule on the estimate"
        )
    return bound


def check_rule(rule: PlanRule) -> PlanRule:
    if not 0 < rule.share <= 1:
        raise MonitoringError(
            f"the rule's share must be above 0 and at most 1 (0.05 = 5 %), not {rule.share}"
        )
    return rule


def check_plan_against_census(
    max_animals: int, rule: PlanRule, survey: CensusSurvey | None, label: str
) -> int:
    """The figure the rule allows; a MonitoringError when the plan asks more or there is no census."""
    if max_animals < 1:
        raise MonitoringError(f"{label}: plan at least one animal, not {max_animals}")
    if survey is None:
        raise MonitoringError(f"{label}: there is no census of that population in or before the season")
    ceiling = rule_ceiling(check_rule(rule), survey)
    if max_animals > ceiling:
        raise MonitoringError(
            f"{label}: {max_animals} animals break its own rule ({rule.statement()}): the "
            f"{survey.year} census allows {ceiling}"
        )
    return ceiling


def check_within_plan(plan: OfftakePlan, authorised: int, asked: int) -> int:
    """What remains after `asked` more animals; PlanExceeded naming the plan when they do not fit."""
    remaining = plan.max_animals - authorised
    if asked > remaining:
        raise PlanExceeded(
            f"{plan.label} allows {plan.max_animals} animals; {authorised} are authorised already, so "
            f"{max(remaining, 0)} remain and {asked} cannot be authorised: ask for at most "
            f"{max(remaining, 0)}, or have the ministry revise the plan"
        )
    return remaining - asked
