"""Cases under Article 339: a case groups seizures and suspects (by number only), records the part
of the article and the outcome, and carries the penalty estimate for the year of the offence."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.enforcement.domain.cases import OUTCOMES, NewCase, check_case, penalty_estimate, unknown_outcome
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.services.ports import enforcement_store
from kiik.errors import N_, NotFound


def open_case(uow: UnitOfWork, principal: Principal, case: NewCase) -> dict[str, Any]:
    require(principal, Permission.CASES_MANAGE)
    check_case(case, datetime.now(UTC).date())
    with uow:
        store = enforcement_store(uow)
        if store.case(case.number.strip()) is not None:
            raise EnforcementError(
                N_(
                    "case %(number)s is recorded already: add to it, or give a new case its own number",
                    number=case.number,
                )
            )
        ids = []
        for reference in dict.fromkeys(case.seizures):
            seizure = store.seizure(reference)
            if seizure is None:
                raise EnforcementError(
                    N_(
                        "seizures: no seizure %(reference)s; record it first or check the reference",
                        reference=repr(reference),
                    )
                )
            ids.append(seizure["id"])
        store.add_case(
            {
                "number": case.number.strip(),
                "article_part": case.article_part,
                "offence_on": case.offence_on,
                "suspects": case.suspects,
                "suspect_nationalities": ",".join(n.upper() for n in case.suspect_nationalities) or None,
                "outcome": case.outcome,
                "opened_by": principal.org_id or None,
            },
            ids,
        )
        uow.commit()
    return show_case(uow, principal, case.number.strip())


def show_case(uow: UnitOfWork, principal: Principal, number: str) -> dict[str, Any]:
    require(principal, Permission.SEIZURES_READ)
    with uow:
        case = enforcement_store(uow).case(number)
    if case is None:
        raise NotFound(f"no case {number!r}: check the number (GET /api/enforcement/cases)")
    return _case(case)


def list_cases(uow: UnitOfWork, principal: Principal) -> list[dict[str, Any]]:
    require(principal, Permission.SEIZURES_READ)
    with uow:
        return [
            {
                "number": c["number"],
                "articlePart": c["article_part"],
                "offenceOn": c["offence_on"].isoformat(),
                "suspects": c["suspects"],
                "outcome": c["outcome"],
            }
            for c in enforcement_store(uow).cases()
        ]


def record_outcome(uow: UnitOfWork, principal: Principal, number: str, outcome: str) -> dict[str, Any]:
    require(principal, Permission.CASES_MANAGE)
    if outcome not in OUTCOMES:
        raise EnforcementError(unknown_outcome(outcome))
    with uow:
        store = enforcement_store(uow)
        case = store.case(number)
        if case is None:
            raise NotFound(f"no case {number!r}: check the number")
        store.set_case_outcome(case["id"], outcome)
        uow.commit()
    return show_case(uow, principal, number)


def estimate_penalty(principal: Principal, offence_on: date) -> dict[str, Any]:
    """The Article 339 penalty estimate for an offence on a day (no case needed)."""
    require(principal, Permission.SEIZURES_READ)
    return penalty_estimate(offence_on)


def _case(case: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": case["number"],
        "article": "Article 339 of the Criminal Code of the Republic of Kazakhstan",
        "articlePart": case["article_part"],
        "offenceOn": case["offence_on"].isoformat(),
        "suspects": case["suspects"],
        "suspectNationalities": case["suspect_nationalities"].split(",")
        if case["suspect_nationalities"]
        else [],
        "outcome": case["outcome"],
        "seizures": [
            {"reference": s["reference"], "species": s["species"], "seizedOn": s["seized_on"].isoformat()}
            for s in case["seizures"]
        ],
        "penaltyEstimate": penalty_estimate(case["offence_on"]),
    }
