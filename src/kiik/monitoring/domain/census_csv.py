"""The census CSV: one row per survey year, one column per population (the shared file's layout).

    survey_year,season,total,ural,betpakdala,ustyurt,source_url

`season` is the method (e.g. "spring aerial (14 Apr-1 May)"); a blank population cell means that
population was not reported that year, and gives no survey. Optional columns, read when present:
`<population>_ci_lower`, `<population>_ci_upper`, `<population>_se`, `started_on`, `ended_on`.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from kiik.errors import N_, at
from kiik.monitoring.domain.census import CensusSurvey, checked_survey, population_called
from kiik.monitoring.domain.errors import MonitoringError

REQUIRED = ("survey_year", "season", "source_url")
POPULATION_COLUMNS = ("total", "ural", "betpakdala", "ustyurt")


def read_census_csv(text: str) -> list[CensusSurvey]:
    """Every survey the file reports; a MonitoringError naming the row and column of the first problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise MonitoringError(
            N_("the census file lacks the column(s) %(columns)s", columns=", ".join(missing))
        )
    if not any(name in header for name in POPULATION_COLUMNS):
        raise MonitoringError(
            N_("the census file has none of the columns %(columns)s", columns=", ".join(POPULATION_COLUMNS))
        )
    surveys: list[CensusSurvey] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        surveys.extend(_surveys_of(row, number))
    return surveys


def _surveys_of(row: dict[str, str], number: int) -> list[CensusSurvey]:
    year = _integer(row, "survey_year", number)
    if year is None:
        raise MonitoringError(at(N_("a year is required"), row=number, column="survey_year"))
    found = []
    for column in POPULATION_COLUMNS:
        estimate = _integer(row, column, number)
        if estimate is None:
            continue  # not reported that year
        survey = CensusSurvey(
            population=population_called(column),
            year=year,
            method=row.get("season", ""),
            estimate=estimate,
            source=row.get("source_url", ""),
            started_on=_date(row, "started_on", number),
            ended_on=_date(row, "ended_on", number),
            ci_lower=_integer(row, f"{column}_ci_lower", number),
            ci_upper=_integer(row, f"{column}_ci_upper", number),
            standard_error=_number(row, f"{column}_se", number),
        )
        try:
            found.append(checked_survey(survey))
        except MonitoringError as exc:
            raise MonitoringError(at(exc.args[0], row=number, column=column)) from None
    return found


def _integer(row: dict[str, str], column: str, number: int) -> int | None:
    value = row.get(column, "").replace(" ", "").replace("_", "")
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise MonitoringError(
            at(N_("%(value)s is not a whole number", value=repr(value)), row=number, column=column)
        ) from None


def _number(row: dict[str, str], column: str, number: int) -> float | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise MonitoringError(
            at(N_("%(value)s is not a number", value=repr(value)), row=number, column=column)
        ) from None


def _date(row: dict[str, str], column: str, number: int) -> date | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise MonitoringError(
            at(N_("%(value)s is not a date (YYYY-MM-DD)", value=repr(value)), row=number, column=column)
        ) from None
