"""The CITES annual illegal trade report for a year: one row per specimen line of each seizure,
in the columns of the Secretariat's reporting template (Res. Conf. 11.17 (Rev. CoP18); the
template of Notification to the Parties No. 2019/072). People appear only as a number and their
nationalities; the agency's case number stands in for everything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kiik.enforcement.domain.cites_codes import terms, unit_names
from kiik.enforcement.domain.seizure import route_from_json

COLUMNS = (
    "Date of seizure",
    "Reporting Party",
    "Seizure location",
    "Latitude",
    "Longitude",
    "Detected by (agency)",
    "Agency reference",
    "Detection method",
    "Scientific name",
    "Description of specimens (CITES term)",
    "Term description",
    "Quantity",
    "Unit",
    "Unit description",
    "Country of origin",
    "Country of export",
    "Countries of transit",
    "Country of destination",
    "Mode of transport",
    "Method of concealment",
    "Number of offenders",
    "Nationality of offenders",
    "Legal action taken",
    "Disposal of specimens",
    "Additional information",
)


def _country(value: Mapping[str, Any] | None) -> str:
    if not value:
        return ""
    return str(value.get("country", "")) + ("" if value.get("known") else " (suspected)")


def report_rows(
    seizures: Iterable[Mapping[str, Any]], specimens: Mapping[int, Sequence[Mapping[str, Any]]]
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for s in seizures:
        route = s["route"] or {}
        place = ", ".join(p for p in (s.get("place"), s.get("region")) if p)
        described = route_from_json(route)
        for line in specimens.get(s["id"], []):
            rows.append(
                [
                    s["seized_on"].isoformat(),
                    s["reporting_country"],
                    place,
                    s.get("latitude"),
                    s.get("longitude"),
                    s["agency"],
                    s.get("agency_case_number") or s["reference"],
                    s["detection_method"],
                    s["species"],
                    line["term"],
                    terms()[line["term"]].description if line["term"] in terms() else "",
                    line["quantity"],
                    line["unit"],
                    unit_names().get(line["unit"], ""),
                    _country(route.get("origin")),
                    _country(route.get("export")),
                    "; ".join(_country(t) for t in route.get("transit") or []),
                    _country(route.get("destination")),
                    s.get("transport_mode") or "",
                    s.get("concealment") or "",
                    s.get("offenders") if s.get("offenders") is not None else "",
                    (s.get("offender_nationalities") or "").replace(",", "; "),
                    s.get("legal_action") or "",
                    s.get("specimen_fate") or "",
                    f"route {described.describe()}; kiik seizure {s['reference']}",
                ]
            )
    return rows
