"""Seizures as a CSV file, one row per specimen line: the rows of one seizure share its reference
and repeat its incident columns. Countries of the trade chain are written as ISO codes, a trailing
`?` marking a suspected one (`CN?`), several transit countries separated by `;`; codes found on
the goods are separated by spaces or `;`.

Reading checks every row and reports every problem with its row number and column; a file with any
problem gives no seizure at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date

from kiik.enforcement.domain.seizure import NewSeizure, Route, RouteCountry, Specimen
from kiik.errors import N_, Wording, at

COLUMNS = (
    "reference",
    "seized_on",
    "reporting_country",
    "agency",
    "agency_case_number",
    "detection_method",
    "species",
    "term",
    "quantity",
    "unit",
    "codes",
    "region",
    "place",
    "latitude",
    "longitude",
    "origin",
    "export",
    "transit",
    "destination",
    "transport_mode",
    "concealment",
    "legal_action",
    "specimen_fate",
    "offenders",
    "offender_nationalities",
    "notes",
)
REQUIRED = ("reference", "seized_on", "agency", "detection_method", "species", "term", "quantity", "unit")


def country_text(country: RouteCountry | None) -> str:
    return "" if country is None else country.country + ("" if country.known else "?")


def _country(text: str) -> RouteCountry | None:
    text = text.strip().upper()
    if not text:
        return None
    return RouteCountry(text.rstrip("?"), known=not text.endswith("?"))


def _split(text: str) -> list[str]:
    return [part for part in text.replace(";", " ").split() if part]


def read_seizures(text: str) -> tuple[list[tuple[NewSeizure, list[int]]], list[Wording]]:
    """The seizures of a CSV file, each with its row numbers, and every problem found, placed at its
    row and column (`kiik.errors.at`)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        lacking = N_(
            "header: the columns %(missing)s are missing (the file's columns: %(columns)s)",
            missing=", ".join(missing),
            columns=", ".join(COLUMNS),
        )
        return [], [lacking]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        strange = N_(
            "header: unknown columns %(unknown)s; the columns are %(columns)s",
            unknown=", ".join(unknown),
            columns=", ".join(COLUMNS),
        )
        return [], [strange]
    problems: list[Wording] = []
    found: dict[str, tuple[NewSeizure, list[int]]] = {}
    for number, row in enumerate(reader, start=2):
        cells = {key: (value or "").strip() for key, value in row.items() if key is not None}
        row_problems = [
            at(N_("empty; it is required"), row=number, column=name)
            for name in REQUIRED
            if not cells.get(name)
        ]
        if row_problems:
            problems += row_problems
            continue
        seizure, errors = _seizure(cells, number)
        problems += errors
        if seizure is None:
            continue
        known = found.get(seizure.reference)
        if known is None:
            found[seizure.reference] = (seizure, [number])
        else:
            first, rows = known
            if replace(first, specimens=()) != replace(seizure, specimens=()):
                differs = N_(
                    "seizure %(reference)s was described differently on row %(first)s: rows of one "
                    "seizure repeat the same incident columns, only the specimen columns differ",
                    reference=seizure.reference,
                    first=rows[0],
                )
                problems.append(at(differs, row=number))
                continue
            found[seizure.reference] = (
                replace(first, specimens=first.specimens + seizure.specimens),
                [*rows, number],
            )
    return list(found.values()), problems


def _number(
    cells: dict[str, str], name: str, row: int, errors: list[Wording], kind: type = float
) -> float | None:
    text = cells.get(name, "")
    if not text:
        return None
    try:
        return kind(text)  # type: ignore[no-any-return]
    except ValueError:
        errors.append(at(N_("%(value)s is not a number", value=repr(text)), row=row, column=name))
        return None


def _seizure(cells: dict[str, str], row: int) -> tuple[NewSeizure | None, list[Wording]]:
    errors: list[Wording] = []
    try:
        seized_on = date.fromisoformat(cells["seized_on"])
    except ValueError:
        not_a_date = N_("%(value)s is not a date: write it as YYYY-MM-DD", value=repr(cells["seized_on"]))
        errors.append(at(not_a_date, row=row, column="seized_on"))
        seized_on = date.min
    quantity = _number(cells, "quantity", row, errors)
    latitude = _number(cells, "latitude", row, errors)
    longitude = _number(cells, "longitude", row, errors)
    offenders = _number(cells, "offenders", row, errors, int)
    if errors:
        return None, errors
    specimen = Specimen(cells["term"], quantity or 0.0, cells["unit"], tuple(_split(cells.get("codes", ""))))
    route = Route(
        origin=_country(cells.get("origin", "")),
        export=_country(cells.get("export", "")),
        transit=tuple(c for c in (_country(t) for t in cells.get("transit", "").split(";")) if c is not None),
        destination=_country(cells.get("destination", "")),
    )
    return (
        NewSeizure(
            reference=cells["reference"],
            seized_on=seized_on,
            agency=cells["agency"],
            detection_method=cells["detection_method"],
            species=cells["species"],
            specimens=(specimen,),
            reporting_country=cells.get("reporting_country") or "KZ",
            region=cells.get("region") or None,
            place=cells.get("place") or None,
            latitude=latitude,
            longitude=longitude,
            agency_case_number=cells.get("agency_case_number") or None,
            route=route,
            transport_mode=cells.get("transport_mode") or None,
            concealment=cells.get("concealment") or None,
            legal_action=cells.get("legal_action") or None,
            specimen_fate=cells.get("specimen_fate") or None,
            offenders=int(offenders) if offenders is not None else None,
            offender_nationalities=tuple(_split(cells.get("offender_nationalities", ""))),
            notes=cells.get("notes") or None,
        ),
        [],
    )


def write_rows(rows: Iterable[dict[str, object]]) -> Iterator[str]:
    """The CSV text of export rows (dicts keyed by COLUMNS), header first, one line at a time."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()
