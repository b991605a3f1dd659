"""Seizure alerts over the signed partner channel: send the codes another registry issued, answer
the alerts partners send (registered or not, last legal holder's region, status), and keep the
answers. Messages are signed, delivered and verified as every partner message is (replayed,
forged or unknown-sender messages are refused by the inbox)."""

from __future__ import annotations

from typing import Any, cast

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.domain.exchange import alert_body, alert_codes, answers_for
from kiik.enforcement.domain.matching import FOREIGN
from kiik.enforcement.services.ports import enforcement_store, registry_lookup
from kiik.errors import NotFound
from kiik.partners.domain.messages import SEIZURE_ALERT, SEIZURE_ANSWER, MessageRefused
from kiik.partners.services.outbox import send_to_partner


def send_seizure_alerts(uow: UnitOfWork, principal: Principal, reference: str, home: str) -> dict[str, Any]:
    """Send each partner registry the codes of this seizure that are numbered in its country."""
    require(principal, Permission.SEIZURES_RECORD)
    with uow:
        store = enforcement_store(uow)
        seizure = store.seizure(reference)
        if seizure is None:
            raise NotFound(f"no seizure {reference!r}: check the reference")
        by_country: dict[str, list[str]] = {}
        for code in store.codes(seizure["id"]):
            if code["verdict"] == FOREIGN:
                by_country.setdefault(str(code["details"].get("country")), []).append(code["code"])
        if not by_country:
            raise EnforcementError(
                f"seizure {reference} has no code numbered in another country: "
                "there is nothing to ask a partner"
            )
        for country, codes in sorted(by_country.items()):
            body = alert_body(reference, seizure["seized_on"].isoformat(), seizure["species"], codes)
            send_to_partner(uow, SEIZURE_ALERT, home, country, None, body)
            store.add_exchange("sent", country, reference, codes, None)
        uow.commit()
    return {"seizure": reference, "sentTo": {c: len(codes) for c, codes in sorted(by_country.items())}}


def apply_seizure_alert(uow: UnitOfWork, payload: dict[str, Any]) -> None:
    """A partner found our codes in a seizure: answer what we know of each, and keep both."""
    body = payload["body"]
    try:
        codes = alert_codes(body)
    except ValueError as exc:
        raise MessageRefused("inapplicable", str(exc)) from None
    reference = str(body.get("reference", ""))[:80]
    found = registry_lookup(uow).registered(codes)
    store = enforcement_store(uow)
    regions = store.regions({i.holder for i in found.values() if i.holder is not None})
    answers = answers_for(codes, found, regions)
    store.add_exchange("received", str(payload["from"]), reference, codes, answers)
    send_to_partner(
        cast(Any, uow),
        SEIZURE_ANSWER,
        str(payload["to"]),
        str(payload["from"]),
        None,
        {"reference": reference, "answers": answers},
    )


def apply_seizure_answer(uow: UnitOfWork, payload: dict[str, Any]) -> None:
    """The owning registry's answer to our alert: kept beside the alert we sent."""
    body = payload["body"]
    answers = body.get("answers")
    if not isinstance(answers, list):
        raise MessageRefused("inapplicable", "a seizure answer lists its answers")
    codes = [str(a.get("code")) for a in answers if isinstance(a, dict)]
    enforcement_store(uow).add_exchange(
        "answer", str(payload["from"]), str(body.get("reference", ""))[:80], codes, answers
    )


def exchanges(uow: UnitOfWork, principal: Principal, partner: str | None = None) -> list[dict[str, Any]]:
    require(principal, Permission.SEIZURES_READ)
    with uow:
        rows = enforcement_store(uow).exchanges(partner)
    return [
        {
            "direction": r["direction"],
            "partner": r["partner"],
            "seizure": r["reference"],
            "codes": len(r["codes"]),
            "answers": r["answers"],
            "at": r["at"].isoformat(),
        }
        for r in rows
    ]


APPLIERS = {SEIZURE_ALERT: apply_seizure_alert, SEIZURE_ANSWER: apply_seizure_answer}
