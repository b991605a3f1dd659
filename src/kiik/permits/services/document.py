"""The signed permit: its content (the boxes of the form), its signature, its QR code and its PDF.

Two signed documents are made when a permit is issued, both JWS compact with the registry's
Ed25519 key (see `kiik.ledger.domain.signed_documents`):

- the permit: every box and every item, kept with the permit and embedded in its PDF;
- the seal: a short summary (number, validity, species, quantity, exporter, country of import and
  the SHA-256 of the permit document) that the QR code carries after the verification URL, so a
  phone can check the paper offline and open the registry's verification page online.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from urllib.parse import quote

from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import NotFound
from kiik.ledger.domain.signed_documents import read_signed, sign_document
from kiik.permits.domain.lifecycle import TERM_NAMES, PermitStatus
from kiik.permits.domain.model import Permit
from kiik.permits.services.ports import PdfRenderer
from kiik.species.services.ports import CitesUnitOfWork

SEAL_TYPE = "kiik-permit-seal+jws"
ISSUING_PLACE = "Astana"


def _party(uow: CitesUnitOfWork, org_id: int | None) -> dict[str, str]:
    org = uow.directory.organisation(org_id) if org_id is not None else None
    if org is None:
        return {"name": "", "code": "", "country": "KZ"}
    return {"name": org.name, "code": org.code, "country": org.country}


def permit_payload(
    uow: CitesUnitOfWork, permit: Permit, *, number: str, issued_at: datetime, key_id: str
) -> dict[str, Any]:
    """Everything the permit says, box by box, as the signed document carries it."""
    taxon = uow.cites.species.taxon(permit.scientific_name)
    replaces = uow.cites.permits.get(permit.replaces_id) if permit.replaces_id else None
    lines = []
    for letter, items in permit.lines().items():
        first = items[0]
        lines.append(
            {
                "line": letter,
                "scientific_name": first.scientific_name,
                "common_name": taxon.name_en if taxon else "",
                "term": first.term,
                "term_name": TERM_NAMES.get(first.term, first.term),
                "appendix": taxon.cites_appendix if taxon else "",
                "source": permit.source,
                "unit": first.unit,
                "quantity": round(sum(i.quantity for i in items), 6),
                "marks": [i.key for i in items],
                "item_quantities": {i.key: i.quantity for i in items},
                "quota_line": permit.quota_line,
                "origin": "KZ",
            }
        )
    return {
        "document": f"CITES {permit.kind.value} permit",
        "form": "Res. Conf. 12.3 (Rev. CoP19), Annex 2",
        "number": number,
        "kind": permit.kind.value,
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
        "importer": {
            "name": permit.importer_name,
            "address": permit.importer_address,
            "country": permit.import_country,
        },
        "exporter": _party(uow, permit.applicant_org_id),
        "management_authority": _party(uow, permit.decided_by_org_id),
        "purpose": permit.purpose,
        "special_conditions": permit.special_conditions,
        "scientific_name": permit.scientific_name,
        "quantity_kg": permit.quantity_kg,
        "lines": lines,
        "replaces": replaces.number if replaces else None,
        "issued": {
            "place": ISSUING_PLACE,
            "date": issued_at.date().isoformat(),
            "at": issued_at.isoformat(timespec="seconds") + "Z",
            "by": _party(uow, permit.decided_by_org_id)["name"],
        },
        "key_id": key_id,
    }


def seal_payload(payload: dict[str, Any], signed_permit: str) -> dict[str, Any]:
    return {
        "n": payload["number"],
        "v": payload["valid_until"],
        "s": payload["scientific_name"],
        "q": payload["quantity_kg"],
        "x": payload["exporter"]["code"],
        "c": payload["importer"]["country"],
        "h": hashlib.sha256(signed_permit.encode("ascii")).hexdigest(),
    }


def sign(uow: CitesUnitOfWork, payload: dict[str, Any], doc_type: str | None = None) -> str:
    key_id, _ = uow.keys.ensure()

    def signature(data: bytes) -> bytes:
        signed_by, value = uow.keys.sign(data)
        assert signed_by == key_id
        return value  # type: ignore[no-any-return]

    if doc_type:
        return sign_document(payload, key_id, signature, doc_type)
    return sign_document(payload, key_id, signature)


def verification_url(base_url: str, number: str, seal: str | None = None) -> str:
    url = f"{base_url.rstrip('/')}/verify/permit/{number}"
    return f"{url}?seal={quote(seal, safe='')}" if seal else url


def qr_content(uow: CitesUnitOfWork, permit: Permit, base_url: str) -> str:
    """What the QR code on the permit encodes: the verification URL with the signed seal."""
    if permit.signed_document is None or permit.number is None:
        raise NotFound(f"{permit.label} is not issued: only issued permits carry a QR code")
    payload = read_signed(permit.signed_document).payload
    seal = sign(uow, seal_payload(payload, permit.signed_document), SEAL_TYPE)
    return verification_url(base_url, permit.number, seal)


def permit_pdf(
    uow: CitesUnitOfWork, principal: Principal, number: str, render: PdfRenderer, base_url: str
) -> bytes:
    """The permit as a PDF on the boxes of the standard form, with its QR code and signature."""
    require(principal, Permission.PERMITS_READ)
    with uow:
        permit = uow.cites.permits.by_number(number)
        if permit is None or not (
            principal.may(Permission.PERMITS_VERIFY_DETAILS) or permit.applicant_org_id == principal.org_id
        ):
            raise NotFound(f"no permit {number} visible to you")
        if permit.status is PermitStatus.APPLIED or permit.signed_document is None:
            raise NotFound(f"{permit.label} has no document yet: it is not issued")
        payload = read_signed(permit.signed_document).payload
        url = qr_content(uow, permit, base_url)
        uow.commit()  # a signing key made on first use is kept
    return render(payload, permit.signed_document, url)
