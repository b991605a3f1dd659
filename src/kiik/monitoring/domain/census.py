"""Census surveys: one estimate per population and year, with its uncertainty where it is known.

A survey is what was reported, nothing more: a blank confidence interval or standard error means
"not reported" and is kept as None, never guessed. The lower bound a plan may rest on is the
reported interval's lower end, or the estimate less 1.96 standard errors (a normal 95 % interval)
when only a standard error was reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
            f"unknown population {text!r}: use one of {', '.join(POPULATIONS)} or {NATIONAL_TOTAL} (total)"
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


def checked_survey(survey: CensusSurvey) -> CensusSurvey:
    """The survey itself when its figures agree with each other; otherwise a MonitoringError saying why."""
    population_called(survey.population)
    where = f"the {survey.year} census of {survey.population}"
    if not 1900 <= survey.year <= 2100:
        raise MonitoringError(f"{where}: the year must be between 1900 and 2100")
    if survey.estimate < 0:
        raise MonitoringError(f"{where}: the estimate cannot be negative ({survey.estimate})")
    if not survey.method.strip():
        raise MonitoringError(f"{where}: say which method counted the animals (e.g. 'spring aerial')")
    if not survey.source.strip():
        raise MonitoringError(f"{where}: name the source document (a reference or an address)")
    if (survey.ci_lower is None) != (survey.ci_upper is None):
        raise MonitoringError(f"{where}: give both ends of the confidence interval, or neither")
    if survey.ci_lower is not None and survey.ci_upper is not None:
        if not survey.ci_lower <= survey.estimate <= survey.ci_upper:
            raise MonitoringError(
                f"{where}: the interval {survey.ci_lower}-{survey.ci_upper} must contain the "
                f"estimate {survey.estimate}"
            )
    if survey.standard_error is not None and survey.standard_error < 0:
        raise MonitoringError(f"{where}: the standard error cannot be negative")
    if survey.started_on and survey.ended_on and survey.ended_on < survey.started_on:
        raise MonitoringError(f"{where}: the survey ends ({survey.ended_on}) before it starts")
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
