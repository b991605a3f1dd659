"""GET /verify/permit/{number}: what a permit is worth now, and whether its signatures hold.

Anyone (no token needed) learns the minimum: whether the number is a kiik permit, its status
(valid, used, cancelled, replaced, expired), validity, species, and whether the registry's
signature on it, and on the seal a QR code carries, is genuine. Customs, the partner authority,
the ministry, the inspectorate and the exporter itself see the details: parties, items,
quantities, the quota line, the export endorsement and the history.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import Any

from kiik.directory.domain.permissions import Permission, Principal
from kiik.ledger.domain.signed_documents import BadSignedDocument, read_signed
from kiik.permits.domain.lifecycle import PermitStatus, parse_number
from kiik.permits.domain.model import Permit
from kiik.species.services.ports import CitesUnitOfWork

VERDICTS = {
    PermitStatus.ISSUED: "valid",
    PermitStatus.USED: "used",
    PermitStatus.CLOSED: "used (arrival confirmed)",
    PermitStatus.CANCELLED: "cancelled",
    PermitStatus.REPLACED: "replaced (void)",
    PermitStatus.EXPIRED: "expired",
}


def _check(uow: CitesUnitOfWork, text: str | None) -> tuple[bool, str | None, dict[str, Any] | None, str]:
    """(signature valid, key id, payload, reason)."""
    if not text:
        return False, None, None, "no signed document"
    try:
        signed = read_signed(text)
    except BadSignedDocument as exc:
        return False, None, None, str(exc)
    valid = uow.keys.verify(signed.key_id, signed.signing_input, signed.signature)
    reason = "signature valid" if valid else "signature does NOT match the registry's key"
    return valid, signed.key_id, signed.payload, reason


def _seal(uow: CitesUnitOfWork, permit: Permit, seal: str) -> dict[str, Any]:
    valid, key_id, payload, reason = _check(uow, seal)
    matches = False
    if valid and payload is not None and permit.signed_document:
        digest = hashlib.sha256(permit.signed_document.encode("ascii")).hexdigest()
        matches = payload.get("n") == permit.number and payload.get("h") == digest
        if not matches:
            reason = "the seal is genuine but belongs to another permit document"
    return {"signature_valid": valid, "matches_permit": matches, "key_id": key_id, "detail": reason}


def _org(uow: CitesUnitOfWork, org_id: int | None) -> dict[str, str] | None:
    org = uow.directory.organisation(org_id) if org_id is not None else None
    return {"code": org.code, "name": org.name, "country": org.country} if org else None


def _number_of(uow: CitesUnitOfWork, permit_id: int | None) -> str | None:
    other = uow.cites.permits.get(permit_id) if permit_id else None
    return other.number if other else None


def _details(uow: CitesUnitOfWork, permit: Permit) -> dict[str, Any]:
    return {
        "kind": permit.kind.value,
        "exporter": _org(uow, permit.applicant_org_id),
        "importer": {
            "name": permit.importer_name,
            "address": permit.importer_address,
            "country": permit.import_country,
        },
        "purpose": permit.purpose,
        "source": permit.source,
        "quantity_kg": permit.quantity_kg,
        "quota_line": permit.quota_line,
        "lines": [
            {
                "line": letter,
                "term": items[0].term,
                "quantity": round(sum(i.quantity for i in items), 6),
                "unit": items[0].unit,
                "items": [
                    {"key": i.key, "quantity": i.quantity, "actual_quantity": i.actual_quantity}
                    for i in items
                ],
            }
            for letter, items in permit.lines().items()
        ],
        "endorsement": {
            "at": permit.endorsed_at.isoformat() + "Z",
            "by": _org(uow, permit.endorsed_by_org_id),
            "port": permit.export_port,
            "bill_of_lading": permit.bill_of_lading,
            "used_kg": permit.used_kg,
            "event_id": permit.export_event_id,
        }
        if permit.endorsed_at
        else None,
        "replaces": _number_of(uow, permit.replaces_id),
        "replaced_by": _number_of(uow, permit.replaced_by_id),
        "history": [h.to_json() for h in uow.cites.permits.history(permit.id)],
    }


def verify_permit(
    uow: CitesUnitOfWork,
    principal: Principal | None,
    number: str,
    *,
    seal: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The verification answer for a permit number; `principal` is None for the public."""
    number = parse_number(number)
    day = today or datetime.now(UTC).date()
    with uow:
        permit = uow.cites.permits.by_number(number)
        if permit is None or permit.status is PermitStatus.APPLIED:
            return {
                "number": number,
                "found": False,
                "verdict": "unknown",
                "summary": f"{number} is not a permit issued by this registry: treat the document as invalid",
            }
        status = PermitStatus.EXPIRED if permit.expired_on(day) else permit.status
        verdict = VERDICTS.get(status, status.value)
        valid, key_id, payload, reason = _check(uow, permit.signed_document)
        authority = _org(uow, permit.decided_by_org_id)
        answer: dict[str, Any] = {
            "number": number,
            "found": True,
            "verdict": verdict,
            "status": status.value,
            "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
            "issued_at": permit.issued_at.isoformat() + "Z" if permit.issued_at else None,
            "species": permit.scientific_name,
            "issued_by": authority["name"] if authority else None,
            "signature": {
                "valid": valid and payload is not None and payload.get("number") == number,
                "key_id": key_id,
                "algorithm": "Ed25519",
                "detail": reason,
                "public_keys": "/api/keys",
            },
            "summary": _summary(number, verdict, permit, valid),
        }
        if seal:
            answer["seal"] = _seal(uow, permit, seal)
        if principal is not None and (
            principal.may(Permission.PERMITS_VERIFY_DETAILS) or principal.org_id == permit.applicant_org_id
        ):
            answer["details"] = _details(uow, permit)
    return answer


def _summary(number: str, verdict: str, permit: Permit, signature_valid: bool) -> str:
    if not signature_valid:
        return f"{number}: the registry's signature does not verify; treat the document as invalid"
    if verdict == "valid":
        return f"{number} is valid until {permit.valid_until} for {permit.scientific_name}"
    return f"{number} is {verdict}: it does not allow an export now"
