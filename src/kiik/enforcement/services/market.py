"""Market inspections: an inspector scans a product at a bazaar or a pharmacy and gets the verdict
(legal, leak, forgery, unknown); anything but legal opens a seizure draft with the scan attached.
Live animals of a species under a total ban (the Central Asian tortoise) on sale are a seizure under
the ban, recorded at once, with the penalty estimate of the rule's article."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.enforcement.domain.cases import penalty_estimate
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.domain.market import LEGAL, market_verdict
from kiik.enforcement.domain.matching import Match, match_code
from kiik.enforcement.domain.seizure import NewSeizure, Specimen, checked
from kiik.enforcement.services.matching import act_on, noon, record_matched, seized_at
from kiik.enforcement.services.ports import enforcement_store, registry_lookup, species_register
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import N_, NotFound
from kiik.species.domain.species import RuleKind

BANNED = "banned"


@dataclass(frozen=True)
class MarketScan:
    place: str
    species: str
    term: str
    inspected_on: date
    code: str | None = None  # scanned or typed; none for unmarked goods
    region: str | None = None
    live_animals: int = 0  # live animals of a banned species on sale


def inspect_market(uow: UnitOfWork, principal: Principal, scan: MarketScan) -> dict[str, Any]:
    require(principal, Permission.MARKET_INSPECT)
    if not scan.place.strip():
        raise EnforcementError("place: name the market or pharmacy inspected")
    with uow:
        ban = _total_ban(uow, scan.species, scan.inspected_on)
        if ban is not None and scan.live_animals > 0:
            answer = _banned_on_sale(uow, principal, scan, ban)
        else:
            answer = _scanned(uow, principal, scan)
        uow.commit()
    return answer


def _total_ban(uow: UnitOfWork, species: str, day: date) -> Any:
    rules = cast(Any, uow).cites.species.rules(species)
    return next((r for r in rules if r.kind is RuleKind.TOTAL_BAN and r.in_force(day)), None)


def _seizure(principal: Principal, scan: MarketScan, specimen: Specimen) -> NewSeizure:
    return NewSeizure(
        reference=f"INS-{scan.inspected_on:%Y%m%d}-{uuid.uuid4().hex[:8]}",
        seized_on=scan.inspected_on,
        agency=principal.org_name,
        detection_method="market inspection",
        species=scan.species,
        specimens=(specimen,),
        region=scan.region,
        place=scan.place.strip(),
    )


def _banned_on_sale(uow: UnitOfWork, principal: Principal, scan: MarketScan, ban: Any) -> dict[str, Any]:
    seizure = checked(
        _seizure(principal, scan, Specimen("LIV", scan.live_animals, "NAR")),
        species_register(uow),
        scan.inspected_on,
    )
    record_matched(uow, principal, seizure, "recorded")
    _record(uow, principal, scan, None, BANNED, ban.title, seizure.reference)
    return {
        "verdict": BANNED,
        "explanation": (
            f"{scan.species} is under a total ban ({ban.title}; {ban.legal_basis}): the animals are seized"
        ),
        "seizure": seizure.reference,
        "seizureStatus": "recorded",
        "penaltyEstimate": penalty_estimate(scan.inspected_on),
    }


def _scanned(uow: UnitOfWork, principal: Principal, scan: MarketScan) -> dict[str, Any]:
    key: str | None = None
    match: Match | None = None
    if scan.code:
        try:
            key = item_key(scan.code)
        except InvalidIdentifier:
            key = None
    if key is not None:
        found = registry_lookup(uow).registered([key]).get(key)
        match = match_code(key, found, scan.species, frozenset({scan.term.upper()}), noon(scan.inspected_on))
    verdict, explanation = market_verdict(match)
    reference = None
    if verdict != LEGAL:
        specimen = Specimen(scan.term, 1, "NAR", (key,) if key else ())
        seizure = checked(_seizure(principal, scan, specimen), species_register(uow), scan.inspected_on)
        record_matched(uow, principal, seizure, "draft")
        reference = seizure.reference
    _record(uow, principal, scan, key or scan.code, verdict, explanation, reference)
    answer: dict[str, Any] = {"verdict": verdict, "explanation": explanation, "code": key or scan.code}
    if reference:
        answer |= {"seizure": reference, "seizureStatus": "draft"}
    return answer


def _record(
    uow: UnitOfWork,
    principal: Principal,
    scan: MarketScan,
    code: str | None,
    verdict: str,
    why: str,
    reference: str | None,
) -> None:
    store = enforcement_store(uow)
    seizure = store.seizure(reference) if reference else None
    store.add_inspection(
        {
            "inspected_on": scan.inspected_on,
            "place": scan.place.strip(),
            "region": scan.region,
            "code": code,
            "verdict": verdict,
            "explanation": why,
            "seizure_id": seizure["id"] if seizure else None,
            "by_org": principal.org_id or None,
        }
    )


def confirm_seizure(uow: UnitOfWork, principal: Principal, reference: str) -> dict[str, Any]:
    """Turn a seizure draft (opened by a market inspection) into a recorded seizure: its codes are
    seized in custody and its leaks alerted, as for any seizure."""
    require(principal, Permission.SEIZURES_RECORD)
    with uow:
        store = enforcement_store(uow)
        row = store.seizure(reference)
        if row is None:
            raise NotFound(f"no seizure {reference!r}: check the reference")
        if row["status"] != "draft":
            raise EnforcementError(
                N_(
                    "seizure %(reference)s is recorded already: only a draft is confirmed",
                    reference=reference,
                )
            )
        codes = store.codes(row["id"])
        specimens = store.specimens([row["id"]])
        lines = []
        for s in specimens:
            mine, codes_left = codes[: s["marked"]], codes[s["marked"] :]
            codes = codes_left
            lines.append(Specimen(s["term"], s["quantity"], s["unit"], tuple(c["code"] for c in mine)))
        seizure = NewSeizure(
            reference, row["seized_on"], row["agency"], row["detection_method"], row["species"], tuple(lines)
        )
        found = registry_lookup(uow).registered(seizure.codes)
        day = seized_at(seizure)
        matches = [
            match_code(code, found.get(code), seizure.species, frozenset({line.term}), day)
            for line in seizure.specimens
            for code in line.codes
        ]
        holders = {m.item.holder for m in matches if m.leaked and m.item and m.item.holder is not None}
        act_on(uow, principal, seizure, row["id"], matches, store.regions(holders), custody_rules=True)
        store.confirm_draft(row["id"])
        uow.commit()
    return {"seizure": reference, "status": "recorded"}
