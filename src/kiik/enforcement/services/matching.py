"""Matching a seizure's codes against the registry, in the transaction that records the seizure.

Every code gets a verdict (`kiik.enforcement.domain.matching`). The codes of items the registry
holds (leaks, and codes on the wrong goods) and the codes it never issued become *seized* through
one EPCIS seizure event, captured like any other, so custody and the item's page show the seizure.
Each last legal holder of a leaked item gets one alert, addressed to the ministry and to the
inspectorate of the holder's region.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from kiik.custody.services.capture import capture_within
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.enforcement.domain.disposal import SEIZED, seizure_event
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.domain.matching import FOREIGN, LEAK, Match, age_days, match_code
from kiik.enforcement.domain.seizure import NewSeizure
from kiik.enforcement.services.ports import enforcement_store, registry_lookup

# A code the registry holds, or never issued, is seized in custody; one of an item that is gone
# (consumed, destroyed) cannot be, and a foreign one belongs to another registry.
_NOT_SEIZED_IN_CUSTODY = frozenset({"other_registry", "no_longer_exists", "already_seized"})


@dataclass
class DocumentEvent:
    index: int
    event: dict[str, Any]
    problems: tuple[Any, ...] = ()


def is_lot(key: str) -> bool:
    return "/10/" in key and "/21/" not in key


def seized_at(seizure: NewSeizure) -> datetime:
    return datetime.combine(seizure.seized_on, time(12, 0))


def match_seizure(uow: UnitOfWork, seizure: NewSeizure, home: str = "KZ") -> list[Match]:
    found = registry_lookup(uow).registered(seizure.codes)
    moment = seized_at(seizure)
    return [
        match_code(code, found.get(code), seizure.species, frozenset({specimen.term}), moment, home)
        for specimen in seizure.specimens
        for code in specimen.codes
    ]


def record_matched(
    uow: UnitOfWork,
    principal: Principal,
    seizure: NewSeizure,
    status: str,
    *,
    custody_rules: bool = True,
    home: str = "KZ",
) -> int:
    """Store the seizure and its matched codes, capture the seizure event, raise the alerts.
    `home` is this registry's country: codes numbered elsewhere are asked of their registry."""
    store, lookup = enforcement_store(uow), registry_lookup(uow)
    matches = match_seizure(uow, seizure, home)
    moment = seized_at(seizure)
    holders = {m.item.holder for m in matches if m.leaked and m.item and m.item.holder is not None}
    regions = store.regions(holders)
    seizure_id = store.add_seizure(seizure, status, principal.org_id or None)
    leaked_by_event: dict[tuple[str, int], list[str]] = {}
    for m in matches:
        if m.leaked and m.item and m.item.last_event_id and m.item.holder is not None:
            leaked_by_event.setdefault((m.item.last_event_id, m.item.holder), []).append(m.code)
    still_held = {key: lookup.still_held(key[0], key[1], codes) for key, codes in leaked_by_event.items()}
    rows = []
    for m in matches:
        item = m.item
        details: dict[str, Any] = {"country": m.country} if m.verdict == FOREIGN else {}
        if m.leaked and item is not None:
            details = {
                "holder": item.holder_name,
                "lastStep": item.last_step,
                "daysSinceLastEvent": age_days(m, moment),
                "sameLotOrShipment": still_held.get((item.last_event_id or "", item.holder or 0)),
            }
        rows.append(
            {
                "code": m.code,
                "verdict": m.verdict,
                "reason": m.reason,
                "explanation": m.explanation,
                "holder_org_id": item.holder if item and m.leaked else None,
                "holder_region": regions.get(item.holder)
                if item and m.leaked and item.holder is not None
                else None,
                "last_event_id": item.last_event_id if item else None,
                "last_event_time": item.last_event_time if item else None,
                "details": details,
                "disposition": SEIZED,
            }
        )
    store.add_codes(seizure_id, rows)
    if status == "recorded":
        act_on(uow, principal, seizure, seizure_id, matches, regions, custody_rules=custody_rules)
    return seizure_id


def act_on(
    uow: UnitOfWork,
    principal: Principal,
    seizure: NewSeizure,
    seizure_id: int,
    matches: list[Match],
    regions: dict[int, str],
    *,
    custody_rules: bool,
) -> None:
    """What recording a seizure does beyond storing it: seize in custody, alert each last holder."""
    seize_in_custody(uow, principal, seizure, matches, custody_rules=custody_rules)
    by_holder: dict[int, list[str]] = {}
    for m in matches:
        if m.leaked and m.item is not None and m.item.holder is not None:
            by_holder.setdefault(m.item.holder, []).append(m.code)
    for holder, codes in sorted(by_holder.items()):
        actor = f"{principal.org_name} (seizure {seizure.reference})"
        enforcement_store(uow).add_alert(seizure_id, holder, regions.get(holder), codes, actor)


def seize_in_custody(
    uow: UnitOfWork, principal: Principal, seizure: NewSeizure, matches: list[Match], *, custody_rules: bool
) -> str | None:
    codes = [m.code for m in matches if m.reason not in _NOT_SEIZED_IN_CUSTODY]
    if not codes:
        return None
    lots = [(c, _lot_kg(seizure, c)) for c in codes if is_lot(c)]
    epcs = [c for c in codes if not is_lot(c)]
    sites = uow.directory.sites(principal.org_id)
    event = seizure_event(
        epcs, lots, seized_at(seizure).replace(tzinfo=UTC), sites[0].sgln if sites else None
    )
    event["eventID"] = f"urn:uuid:{uuid.uuid4()}"
    outcome = capture_within(
        uow, principal, [DocumentEvent(0, event)], custody_rules=custody_rules, yields={}
    )
    if not outcome.succeeded:
        problems = "; ".join(
            f"{e.get('identifier') or ''} {e['rule']}: {e['message']}" for e in outcome.errors[:5]
        )
        raise EnforcementError(
            f"the seizure {seizure.reference!r} could not be recorded in custody, "
            f"nothing was stored: {problems}"
        )
    return str(event["eventID"])


def _lot_kg(seizure: NewSeizure, code: str) -> float:
    for specimen in seizure.specimens:
        if code in specimen.codes and specimen.unit == "KGM":
            return specimen.quantity / max(1, len(specimen.codes))
    return 1.0


__all__ = ["LEAK", "match_seizure", "record_matched"]
