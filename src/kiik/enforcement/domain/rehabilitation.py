"""Live animals seized (tortoises above all) in a rehabilitation centre: each individually marked,
checked, and either dead or released into the wild at a recorded place and date."""

from __future__ import annotations

from datetime import date

from kiik.enforcement.domain.errors import EnforcementError

IN_CARE = "in_care"
DIED = "died"
RELEASED = "released"
RECORD_KINDS = ("health_check", "death", "release")


def check_record(mark: str, status: str, kind: str, on: date, admitted_on: date, place: str | None) -> str:
    """The animal's status after a record of `kind`, or EnforcementError saying why it cannot be."""
    if kind not in RECORD_KINDS:
        raise EnforcementError(f"record kind {kind!r} is not one of {', '.join(RECORD_KINDS)}")
    if status != IN_CARE:
        raise EnforcementError(f"animal {mark} has {status}: nothing more can be recorded for it")
    if on < admitted_on:
        raise EnforcementError(f"animal {mark} was admitted on {admitted_on}: a record cannot be dated {on}")
    if kind == "release" and not (place or "").strip():
        raise EnforcementError(f"animal {mark}: say where it was released (place, and a point if known)")
    return {"health_check": IN_CARE, "death": DIED, "release": RELEASED}[kind]
