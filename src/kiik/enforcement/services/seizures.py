"""Seizure records: entered one by one, imported from CSV (whole or not at all), listed, shown and
exported. Recording a seizure matches every code against the registry at once (`matching.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.enforcement.domain.errors import EnforcementError, SeizureInvalid, SeizureRowsInvalid
from kiik.enforcement.domain.seizure import NewSeizure, checked, problems, route_from_json
from kiik.enforcement.domain.seizure_csv import country_text, read_seizures, write_rows
from kiik.enforcement.services.matching import record_matched
from kiik.enforcement.services.ports import enforcement_store, species_register
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import N_, NotFound, at


def _today() -> date:
    return datetime.now(UTC).date()


def canonical_codes(seizure: NewSeizure) -> tuple[NewSeizure, list[str]]:
    """The seizure with each code as the registry files it, and the codes that are not well formed."""
    bad: list[str] = []
    specimens = []
    for n, specimen in enumerate(seizure.specimens, start=1):
        keys = []
        for code in specimen.codes:
            try:
                keys.append(item_key(code))
            except InvalidIdentifier as exc:
                bad.append(
                    N_(
                        "specimens[%(line)s].codes: %(code)s is not a well-formed code "
                        "(%(reason)s); type it again or scan it",
                        line=n,
                        code=repr(code),
                        reason=str(exc),
                    )
                )
        specimens.append(replace(specimen, codes=tuple(keys)))
    return replace(seizure, specimens=tuple(specimens)), bad


def record_seizure(
    uow: UnitOfWork,
    principal: Principal,
    seizure: NewSeizure,
    *,
    custody_rules: bool = True,
    home: str = "KZ",
) -> dict[str, Any]:
    """Record one seizure, match its codes, seize the registered ones and raise the leak alerts."""
    require(principal, Permission.SEIZURES_RECORD)
    seizure, bad = canonical_codes(seizure)
    with uow:
        register = species_register(uow)
        if bad:
            found = bad + problems(seizure, register, _today())
            raise SeizureInvalid(seizure.reference, found)
        seizure = checked(seizure, register, _today())
        _not_recorded(uow, seizure.reference)
        seizure_id = record_matched(
            uow, principal, seizure, "recorded", custody_rules=custody_rules, home=home
        )
        uow.commit()
    return show_seizure(uow, principal, seizure.reference) | {"id": seizure_id}


def _not_recorded(uow: UnitOfWork, reference: str) -> None:
    if enforcement_store(uow).seizure(reference) is not None:
        raise EnforcementError(
            f"a seizure {reference!r} is recorded already: a seizure is recorded once; "
            "give a new one its own reference"
        )


def import_seizures(
    uow: UnitOfWork, principal: Principal, text: str, *, custody_rules: bool = True, home: str = "KZ"
) -> dict[str, Any]:
    """Import a CSV file of seizures whole: every row is checked first, and any problem stores nothing."""
    require(principal, Permission.SEIZURES_RECORD)
    parsed, found = read_seizures(text)
    with uow:
        register = species_register(uow)
        store = enforcement_store(uow)
        ready: list[NewSeizure] = []
        for seizure, rows in parsed:
            canonical, wrong = canonical_codes(seizure)
            wrong += problems(canonical, register, _today())
            if store.seizure(canonical.reference) is not None:
                wrong.append(N_("a seizure with this reference is recorded already; give it a new reference"))
            place = {"rows": ", ".join(map(str, rows)), "reference": seizure.reference}
            found += [at(problem, **place) for problem in wrong]
            if not wrong:
                ready.append(checked(canonical, register, _today()))
        if not parsed and not found:
            found.append(
                N_("the file has no rows: one row per specimen line of each seizure, under the header")
            )
        if found:
            raise SeizureRowsInvalid(found)
        for seizure in ready:
            record_matched(uow, principal, seizure, "recorded", custody_rules=custody_rules, home=home)
        uow.commit()
    return {"seizures": len(ready), "specimenLines": sum(len(s.specimens) for s in ready)}


def list_seizures(uow: UnitOfWork, principal: Principal, year: int | None = None) -> list[dict[str, Any]]:
    require(principal, Permission.SEIZURES_READ)
    with uow:
        store = enforcement_store(uow)
        rows = store.seizures(year)
        specimens = store.specimens([row["id"] for row in rows])
    by_seizure: dict[int, list[dict[str, Any]]] = {}
    for specimen in specimens:
        by_seizure.setdefault(specimen["seizure_id"], []).append(specimen)
    return [_summary(row, by_seizure.get(row["id"], [])) for row in rows]


def _summary(row: dict[str, Any], specimens: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "reference": row["reference"],
        "status": row["status"],
        "seizedOn": row["seized_on"].isoformat(),
        "reportingCountry": row["reporting_country"],
        "agency": row["agency"],
        "region": row["region"],
        "place": row["place"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "detectionMethod": row["detection_method"],
        "species": row["species"],
        "route": route_from_json(row["route"]).describe(),
        "specimens": [
            {"term": s["term"], "quantity": s["quantity"], "unit": s["unit"], "marked": s["marked"]}
            for s in specimens
        ],
    }


def show_seizure(uow: UnitOfWork, principal: Principal, reference: str) -> dict[str, Any]:
    """A seizure whole: incident, specimens, each code with its verdict, custody steps and alerts."""
    require(principal, Permission.SEIZURES_READ)
    with uow:
        store = enforcement_store(uow)
        row = store.seizure(reference)
        if row is None:
            raise NotFound(
                f"no seizure {reference!r}: check the reference (GET /api/enforcement/seizures lists them)"
            )
        specimens = store.specimens([row["id"]])
        codes = store.codes(row["id"])
        steps = store.custody_steps(row["id"])
        alerts = store.alerts(seizure_id=row["id"])
    verdicts: dict[str, int] = {}
    for code in codes:
        verdicts[code["verdict"]] = verdicts.get(code["verdict"], 0) + 1
    unmarked = sum(max(0.0, s["quantity"] - s["marked"]) for s in specimens if s["unit"] == "NAR")
    return {
        **_summary(row, specimens),
        "routeDetail": row["route"],
        "agencyCaseNumber": row["agency_case_number"],
        "transportMode": row["transport_mode"],
        "concealment": row["concealment"],
        "legalAction": row["legal_action"],
        "specimenFate": row["specimen_fate"],
        "offenders": row["offenders"],
        "offenderNationalities": (row["offender_nationalities"] or "").split(",")
        if row["offender_nationalities"]
        else [],
        "notes": row["notes"],
        "verdicts": {**verdicts, "unmarked": unmarked},
        "codes": [
            {
                "code": c["code"],
                "verdict": c["verdict"],
                "reason": c["reason"],
                "explanation": c["explanation"],
                "lastEventID": c["last_event_id"],
                "lastEventTime": c["last_event_time"].isoformat() if c["last_event_time"] else None,
                "holderRegion": c["holder_region"],
                "details": c["details"],
                "disposition": c["disposition"],
            }
            for c in codes
        ],
        "custody": [
            {
                "step": s["step"],
                "place": s["place"],
                "note": s["note"],
                "eventID": s["event_id"],
                "by": s["by_actor"],
                "at": s["at"].isoformat(),
            }
            for s in steps
        ],
        "alerts": [
            {"id": a["id"], "holder": a["holder_name"], "region": a["region"], "status": a["status"]}
            for a in alerts
        ],
    }


def export_seizures(uow: UnitOfWork, principal: Principal, year: int | None = None) -> Iterator[str]:
    """The seizures as the CSV file the import reads (one row per specimen line, codes included)."""
    require(principal, Permission.SEIZURES_READ)
    rows: list[dict[str, object]] = []
    with uow:
        store = enforcement_store(uow)
        seizures = store.seizures(year, limit=1_000_000)
        specimens = store.specimens([s["id"] for s in seizures])
        by_seizure: dict[int, list[dict[str, Any]]] = {}
        for specimen in specimens:
            by_seizure.setdefault(specimen["seizure_id"], []).append(specimen)
        for seizure in seizures:
            codes = [c["code"] for c in store.codes(seizure["id"])] if seizure["id"] in by_seizure else []
            route = route_from_json(seizure["route"])
            for specimen in by_seizure.get(seizure["id"], []):
                mine, codes = codes[: specimen["marked"]], codes[specimen["marked"] :]
                rows.append(
                    {
                        **{
                            k: seizure[k]
                            for k in (
                                "reference",
                                "reporting_country",
                                "agency",
                                "agency_case_number",
                                "detection_method",
                                "species",
                                "region",
                                "place",
                                "latitude",
                                "longitude",
                                "transport_mode",
                                "concealment",
                                "legal_action",
                                "specimen_fate",
                                "offenders",
                                "notes",
                            )
                        },
                        "seized_on": seizure["seized_on"].isoformat(),
                        "offender_nationalities": (seizure["offender_nationalities"] or "").replace(",", ";"),
                        "term": specimen["term"],
                        "quantity": f"{specimen['quantity']:g}",
                        "unit": specimen["unit"],
                        "codes": " ".join(mine),
                        "origin": country_text(route.origin),
                        "export": country_text(route.export),
                        "transit": ";".join(country_text(c) for c in route.transit),
                        "destination": country_text(route.destination),
                    }
                )
    return write_rows(rows)
