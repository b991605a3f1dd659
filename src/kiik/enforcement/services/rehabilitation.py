"""Live animals from a seizure in a rehabilitation centre: admitted with individual marks, checked,
dead or released into the wild at a recorded place and date; the released-where report."""

from __future__ import annotations

from datetime import date
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.domain.rehabilitation import check_record
from kiik.enforcement.services.ports import enforcement_store
from kiik.errors import NotFound


def _actor(principal: Principal) -> str:
    return f"{principal.role} of {principal.org_name}"


def admit_animals(
    uow: UnitOfWork, principal: Principal, reference: str, marks: list[str], centre: str, admitted_on: date
) -> dict[str, Any]:
    """Admit the live animals of a seizure to a centre, one individual mark each."""
    require(principal, Permission.REHABILITATION_RECORD)
    marks = [m.strip() for m in marks]
    if not marks or any(not m for m in marks):
        raise EnforcementError(
            "marks: give each animal its individual mark (ring, notch or microchip number)"
        )
    if len(set(marks)) != len(marks):
        raise EnforcementError("marks: a mark is given to one animal; the list names one twice")
    if not centre.strip():
        raise EnforcementError("centre: name the rehabilitation centre")
    with uow:
        store = enforcement_store(uow)
        seizure = store.seizure(reference)
        if seizure is None:
            raise NotFound(f"no seizure {reference!r}: check the reference")
        live = [s for s in store.specimens([seizure["id"]]) if s["term"] == "LIV"]
        if not live:
            raise EnforcementError(
                f"seizure {reference} has no live specimens (term LIV): there is no animal to admit"
            )
        taken = [m for m in marks if store.animal(m) is not None]
        if taken:
            raise EnforcementError(
                f"marks {', '.join(taken)} are given already: give these animals other marks"
            )
        admitted = len(store.animals(seizure["id"]))
        taken_live = sum(s["quantity"] for s in live)
        if admitted + len(marks) > taken_live:
            raise EnforcementError(
                f"seizure {reference} took {taken_live:g} live animals and {admitted} are "
                f"admitted already: {len(marks)} more is too many"
            )
        for mark in marks:
            store.add_animal(
                seizure["id"], mark, seizure["species"], centre.strip(), admitted_on, _actor(principal)
            )
        uow.commit()
    return {"seizure": reference, "admitted": len(marks), "centre": centre.strip()}


def record_animal(
    uow: UnitOfWork,
    principal: Principal,
    mark: str,
    kind: str,
    on: date,
    note: str | None = None,
    place: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> dict[str, Any]:
    """A health check, a death, or a release into the wild at a place and date."""
    require(principal, Permission.REHABILITATION_RECORD)
    with uow:
        store = enforcement_store(uow)
        animal = store.animal(mark)
        if animal is None:
            raise NotFound(f"no animal marked {mark!r} in rehabilitation: check the mark")
        status = check_record(mark, animal["status"], kind, on, animal["admitted_on"], place)
        store.add_animal_record(
            animal["id"], kind, on, note, _actor(principal), status, place, latitude, longitude
        )
        uow.commit()
        records = store.animal_records(animal["id"])
    return {
        "mark": mark,
        "status": status,
        "records": [
            {"kind": r["kind"], "on": r["on_date"].isoformat(), "note": r["note"], "by": r["by_actor"]}
            for r in records
        ],
    }


def released_where(uow: UnitOfWork, principal: Principal, year: int | None = None) -> dict[str, Any]:
    """How many seized animals were released where (and how many are still in care or died)."""
    require(principal, Permission.ENFORCEMENT_ANALYTICS_READ)
    with uow:
        store = enforcement_store(uow)
        rows = store.releases(year)
        counts = store.animal_counts()
    return {
        "year": year,
        "inCare": counts.get("in_care", 0),
        "died": counts.get("died", 0),
        "released": counts.get("released", 0),
        "releases": [
            {
                "species": r["species"],
                "place": r["release_place"],
                "latitude": r["latitude"],
                "longitude": r["longitude"],
                "firstReleasedOn": r["first"].isoformat(),
                "lastReleasedOn": r["last"].isoformat(),
                "animals": r["animals"],
            }
            for r in rows
        ],
    }
