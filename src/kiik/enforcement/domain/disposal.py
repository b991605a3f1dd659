"""Seized goods under custody: stored as evidence, before the court, then destroyed, transferred to
science or returned. Each step is an EPCIS event on the seized codes (kiik's own words where CBV
2.0 has none, docs/vocabulary.md), so an item's history shows where the goods are.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from kiik.enforcement.domain.errors import EnforcementError
from kiik.epcis.domain.vocabulary import BIZSTEP_SEIZING, DISPOSITION_SEIZED

SEIZED = "seized"
EVIDENCE = "evidence"
COURT = "court"
DESTROYED = "destroyed"
SCIENCE = "science"
RETURNED = "returned"
FINAL = (DESTROYED, SCIENCE, RETURNED)
STEPS = (EVIDENCE, COURT, *FINAL)

_NEXT = {SEIZED: (EVIDENCE,), EVIDENCE: (COURT,), COURT: FINAL, DESTROYED: (), SCIENCE: (), RETURNED: ()}

# (bizStep, disposition) of each step's event.
_WORDS = {
    EVIDENCE: ("storing", "urn:kiik:disp:held_as_evidence"),
    COURT: ("urn:kiik:bizstep:court_proceedings", "urn:kiik:disp:held_as_evidence"),
    DESTROYED: ("destroying", "destroyed"),
    SCIENCE: ("urn:kiik:bizstep:transferring_to_science", "urn:kiik:disp:transferred_to_science"),
    RETURNED: ("urn:kiik:bizstep:returning", "urn:kiik:disp:returned"),
}


def next_step(reference: str, current: str, wanted: str) -> str:
    if wanted not in STEPS:
        raise EnforcementError(f"step {wanted!r} is not one of {', '.join(STEPS)}")
    allowed = _NEXT[current]
    if wanted not in allowed:
        then = f"the next step is {' or '.join(allowed)}" if allowed else "its goods were disposed of already"
        raise EnforcementError(
            f"the goods of seizure {reference} are {current}: they cannot go to {wanted}; {then}"
        )
    return wanted


def _event(
    epcs: Sequence[str],
    lots: Sequence[tuple[str, float]],
    moment: datetime,
    site: str | None,
    words: tuple[str, str],
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "eventTimeZoneOffset": "+00:00",
        "action": "OBSERVE",
        "bizStep": words[0],
        "disposition": words[1],
    }
    if epcs:
        event["epcList"] = list(epcs)
    if lots:
        event["quantityList"] = [{"epcClass": key, "quantity": kg, "uom": "KGM"} for key, kg in lots]
    if site:
        event["readPoint"] = {"id": site}
        event["bizLocation"] = {"id": site}
    return event


def seizure_event(
    epcs: Sequence[str], lots: Sequence[tuple[str, float]], moment: datetime, site: str | None
) -> dict[str, Any]:
    return _event(epcs, lots, moment, site, (BIZSTEP_SEIZING, DISPOSITION_SEIZED))


def step_event(
    step: str, epcs: Sequence[str], lots: Sequence[tuple[str, float]], moment: datetime, site: str | None
) -> dict[str, Any]:
    return _event(epcs, lots, moment, site, _WORDS[step])
