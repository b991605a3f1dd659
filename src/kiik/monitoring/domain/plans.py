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

from kiik.errors import N_, Wording
from kiik.monitoring.domain.census import SAIGA, CensusSurvey
from kiik.monitoring.domain.errors import MonitoringError, PlanExceeded


class RuleBasis(StrEnum):
    LOWER_BOUND = "lower_bound"
    ESTIMATE = "estimate"


# The rule in words, by the census figure it rests on (`share` filled in, e.g. "5.00%").
STATEMENTS = {
    RuleBasis.LOWER_BOUND: N_("at most %(share)s of the lower 95 %% confidence bound of the latest census"),
    RuleBasis.ESTIMATE: N_("at most %(share)s of the estimate of the latest census"),
}


@dataclass(frozen=True)
class PlanRule:
    basis: RuleBasis
    share: float  # a fraction, 0 < share <= 1 (0.05 = 5 %)

    def statement(self) -> Wording:
        sentence = STATEMENTS[self.basis]
        return sentence.filled(share=f"{self.share:.2%}")


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
            raise MonitoringError(
                N_("the justification %(name)s is empty: attach the document itself", name=repr(filename))
            )
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
    def label(self) -> Wording:
        return plan_label(self.season, self.population)


def plan_label(season: int, population: str) -> Wording:
    return N_("the %(season)s offtake plan for %(population)s", season=season, population=population)


def rule_ceiling(rule: PlanRule, survey: CensusSurvey) -> int:
    """The most animals the rule allows on this survey, and the figure it rests on."""
    return math.floor(rule.share * rule_basis_of(rule, survey))


def rule_basis_of(rule: PlanRule, survey: CensusSurvey) -> int:
    if rule.basis is RuleBasis.ESTIMATE:
        return survey.estimate
    bound = survey.lower_bound
    if bound is None:
        raise MonitoringError(
            N_(
                "the %(year)s census of %(population)s reports no confidence interval or standard "
                "error, so it has no lower bound: record the interval, or state the rule on the estimate",
                year=survey.year,
                population=survey.population,
            )
        )
    return bound


def check_rule(rule: PlanRule) -> PlanRule:
    if not 0 < rule.share <= 1:
        raise MonitoringError(
            N_(
                "the rule's share must be above 0 and at most 1 (0.05 = 5 %%), not %(share)s",
                share=rule.share,
            )
        )
    return rule


def check_plan_against_census(
    max_animals: int, rule: PlanRule, survey: CensusSurvey | None, label: str
) -> int:
    """The figure the rule allows; a MonitoringError when the plan asks more or there is no census."""
    if max_animals < 1:
        raise MonitoringError(
            N_("%(plan)s: plan at least one animal, not %(count)s", plan=label, count=max_animals)
        )
    if survey is None:
        raise MonitoringError(
            N_("%(plan)s: there is no census of that population in or before the season", plan=label)
        )
    ceiling = rule_ceiling(check_rule(rule), survey)
    if max_animals > ceiling:
        raise MonitoringError(
            N_(
                "%(plan)s: %(count)s animals break its own rule (%(rule)s): the %(year)s census allows "
                "%(ceiling)s",
                plan=label,
                count=max_animals,
                rule=rule.statement(),
                year=survey.year,
                ceiling=ceiling,
            )
        )
    return ceiling


def check_within_plan(plan: OfftakePlan, authorised: int, asked: int) -> int:
    """What remains after `asked` more animals; PlanExceeded naming the plan when they do not fit."""
    remaining = plan.max_animals - authorised
    if asked > remaining:
        raise PlanExceeded(
            N_(
                "%(plan)s allows %(planned)s animals; %(authorised)s are authorised already, so "
                "%(remaining)s remain and %(asked)s cannot be authorised: ask for at most "
                "%(remaining)s, or have the ministry revise the plan",
                plan=plan.label,
                planned=plan.max_animals,
                authorised=authorised,
                remaining=max(remaining, 0),
                asked=asked,
            )
        )
    return remaining - asked
