"""Reading permits: the exporter sees its own; a partner country's authority those to its country;
the ministry, customs and the inspectorate all (`permits:verify_details`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiik.directory.domain.permissions import OrgKind, Permission, Principal, require
from kiik.errors import NotFound
from kiik.permits.domain.lifecycle import allowed_actions, parse_number
from kiik.permits.domain.model import Permit
from kiik.species.services.ports import CitesUnitOfWork


@dataclass(frozen=True)
class PermitScope:
    """The permits a caller sees: those of one applicant, those to one importing country, or all."""

    applicant: int | None = None
    country: str | None = None

    def sees(self, permit: Permit) -> bool:
        return (self.applicant is None or permit.applicant_org_id == self.applicant) and (
            self.country is None or permit.import_country == self.country
        )


def permit_scope(principal: Principal) -> PermitScope:
    """An exporter sees its own applications and permits; a partner country's authority the permits
    to its country (an authority without a country, none); the ministry, customs and the
    inspectorate every permit."""
    if principal.org_kind is OrgKind.PARTNER_AUTHORITY:
        return PermitScope(country=principal.org_country or "")
    if principal.may(Permission.PERMITS_VERIFY_DETAILS):
        return PermitScope()
    return PermitScope(applicant=principal.org_id)


def permit_json(permit: Permit) -> dict[str, Any]:
    return {
        "id": permit.id,
        "number": permit.number,
        "kind": permit.kind.value,
        "status": permit.status.value,
        "next_actions": [a.value for a in allowed_actions(permit.status)],
        "applicant_org_id": permit.applicant_org_id,
        "importer": {
            "name": permit.importer_name,
            "address": permit.importer_address,
            "country": permit.import_country,
        },
        "purpose": permit.purpose,
        "source": permit.source,
        "special_conditions": permit.special_conditions,
        "scientific_name": permit.scientific_name,
        "quantity_kg": permit.quantity_kg,
        "quota": {
            "id": permit.quota_id,
            "year": permit.quota_year,
            "reserved_kg": permit.reserved_kg,
            "used_kg": permit.used_kg,
            "box_11a": permit.quota_line,
        }
        if permit.quota_id
        else None,
        "valid_until": permit.valid_until.isoformat() if permit.valid_until else None,
        "issued_at": permit.issued_at.isoformat() + "Z" if permit.issued_at else None,
        "decision_note": permit.decision_note,
        "endorsed_at": permit.endorsed_at.isoformat() + "Z" if permit.endorsed_at else None,
        "export_port": permit.export_port,
        "items": [
            {
                "key": i.key,
                "line": i.line,
                "term": i.term,
                "quantity": i.quantity,
                "unit": i.unit,
                "actual_quantity": i.actual_quantity,
            }
            for i in permit.items
        ],
        "signed_document": permit.signed_document,
        "links": {"verify": f"/verify/permit/{permit.number}", "pdf": f"/api/permits/{permit.number}/pdf"}
        if permit.number
        else None,
    }


def list_permits(uow: CitesUnitOfWork, principal: Principal, status: str | None = None) -> list[Permit]:
    require(principal, Permission.PERMITS_READ)
    with uow:
        scope = permit_scope(principal)
        return list(uow.cites.permits.find(applicant=scope.applicant, status=status, country=scope.country))


def get_permit(uow: CitesUnitOfWork, principal: Principal, reference: str) -> Permit:
    """A permit by number (KZ/2026/000123) or an application by its id."""
    require(principal, Permission.PERMITS_READ)
    with uow:
        if reference.isdigit():
            permit = uow.cites.permits.get(int(reference))
        else:
            permit = uow.cites.permits.by_number(parse_number(reference))
        if permit is None or not permit_scope(principal).sees(permit):
            raise NotFound(f"no permit or application {reference} visible to you")
        return permit  # type: ignore[no-any-return]
