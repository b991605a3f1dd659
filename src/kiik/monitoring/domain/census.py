"""Census surveys: one estimate per population and year, with its uncertainty where it is known.

A survey is what was reported, nothing more: a blank confidence interval or standard error means
"not reported" and is kept as None, never guessed. The lower bound a plan may rest on is the
reported interval's lower end, or the estimate less 1.96 standard errors (a normal 95 % interval)
when only a standard error was reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiik.errors import N_
from kiik.monitoring.domain.errors import MonitoringError

SAIGA = "Saiga tatarica"
# The three saiga populations of Kazakhstan, and the national total that some surveys report alone.
POPULATIONS = ("Ural", "Betpakdala", "Ustyurt")
NATIONAL_TOTAL = "Kazakhstan"
_ALIASES = {
    "ural": "Ural",
    "betpakdala": "Betpakdala",
    "betpak-dala": "Betpakdala",
    "ustyurt": "Ustyurt",
    "ustiurt": "Ustyurt",
    "kazakhstan": NATIONAL_TOTAL,
    "total": NATIONAL_TOTAL,
}
NORMAL_95 = 1.96


def population_called(text: str) -> str:
    """The population a name stands for (case ignored); the national total is 'Kazakhstan'."""
    found = _ALIASES.get(text.strip().lower())
    if found is None:
        raise MonitoringError(
            N_(
                "unknown population %(name)s: use one of %(populations)s or %(total)s (total)",
                name=repr(text),
                populations=", ".join(POPULATIONS),
                total=NATIONAL_TOTAL,
            )
        )
    return found


@dataclass(frozen=True)
class CensusSurvey:
    population: str
    year: int
    method: str
    estimate: int
    source: str
    started_on: date | None = None
    ended_on: date | None = None
    ci_lower: int | None = None
    ci_upper: int | None = None
    standard_error: float | None = None
    species: str = SAIGA

    @property
    def lower_bound(self) -> int | None:
        """The lower end of the survey's 95 % interval, or None when no uncertainty was reported."""
        if self.ci_lower is not None:
            return self.ci_lower
        if self.standard_error is not None:
            return max(0, int(self.estimate - NORMAL_95 * self.standard_error))
        return None


# A survey's own checks, each a whole sentence naming the survey (`.filled` with year, population).
SURVEY_PROBLEMS = {
    "year": N_("the %(year)s census of %(population)s: the year must be between 1900 and 2100"),
    "negative": N_("the %(year)s census of %(population)s: the estimate cannot be negative (%(estimate)s)"),
    "method": N_(
        "the %(year)s census of %(population)s: say which method counted the animals (e.g. 'spring aerial')"
    ),
    "source": N_(
        "the %(year)s census of %(population)s: name the source document (a reference or an address)"
    ),
    "both_ends": N_(
        "the %(year)s census of %(population)s: give both ends of the confidence interval, or neither"
    ),
    "interval": N_(
        "the %(year)s census of %(population)s: the interval %(lower)s-%(upper)s must contain the "
        "estimate %(estimate)s"
    ),
    "error": N_("the %(year)s census of %(population)s: the standard error cannot be negative"),
    "ends": N_("the %(year)s census of %(population)s: the survey ends (%(ended)s) before it starts"),
}


def checked_survey(survey: CensusSurvey) -> CensusSurvey:
    """The survey itself when its figures agree with each other; otherwise a MonitoringError saying why."""
    population_called(survey.population)
    where = {"year": survey.year, "population": survey.population}
    if not 1900 <= survey.year <= 2100:
        raise MonitoringError(SURVEY_PROBLEMS["year"].filled(**where))
    if survey.estimate < 0:
        raise MonitoringError(SURVEY_PROBLEMS["negative"].filled(**where, estimate=survey.estimate))
    if not survey.method.strip():
        raise MonitoringError(SURVEY_PROBLEMS["method"].filled(**where))
    if not survey.source.strip():
        raise MonitoringError(SURVEY_PROBLEMS["source"].filled(**where))
    if (survey.ci_lower is None) != (survey.ci_upper is None):
        raise MonitoringError(SURVEY_PROBLEMS["both_ends"].filled(**where))
    if survey.ci_lower is not None and survey.ci_upper is not None:
        if not survey.ci_lower <= survey.estimate <= survey.ci_upper:
            raise MonitoringError(
                SURVEY_PROBLEMS["interval"].filled(
                    **where, lower=survey.ci_lower, upper=survey.ci_upper, estimate=survey.estimate
                )
            )
    if survey.standard_error is not None and survey.standard_error < 0:
        raise MonitoringError(SURVEY_PROBLEMS["error"].filled(**where))
    if survey.started_on and survey.ended_on and survey.ended_on < survey.started_on:
        raise MonitoringError(SURVEY_PROBLEMS["ends"].filled(**where, ended=survey.ended_on))
    return survey


@dataclass(frozen=True)
class TrendPoint:
    """One survey in a population's series, with the change since the previous survey reported."""

    survey: CensusSurvey
    change: int | None  # animals since the previous survey
    annual_growth: float | None  # geometric mean rate per year since the previous survey


def trend(surveys: list[CensusSurvey]) -> list[TrendPoint]:
    """One population's surveys by year, each with its change since the one before."""
    points: list[TrendPoint] = []
    previous: CensusSurvey | None = None
    for survey in sorted(surveys, key=lambda s: s.year):
        change = growth = None
        if previous is not None:
            change = survey.estimate - previous.estimate
            years = survey.year - previous.year
            if previous.estimate > 0 and years > 0:
                growth = round((survey.estimate / previous.estimate) ** (1 / years) - 1, 4)
        points.append(TrendPoint(survey, change, growth))
        previous = survey
    return points


def latest_before(surveys: list[CensusSurvey], population: str, season: int) -> CensusSurvey | None:
    """The population's most recent survey in or before the season's year (the spring count comes first)."""
    found = [s for s in surveys if s.population == population and s.year <= season]
    return max(found, key=lambda s: s.year, default=None)
