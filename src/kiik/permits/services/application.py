"""A trader applies for a CITES export (or re-export) permit, or withdraws the application."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.services.identifier_terms import item_key
from kiik.errors import N_, NotFound
from kiik.permits.domain.lifecycle import PermitAction, PermitError, PermitKind, PermitStatus, next_status
from kiik.permits.domain.model import Permit
from kiik.permits.services.assessment import assess
from kiik.permits.services.ports import PermitRefused
from kiik.species.services.ports import CitesUnitOfWork

PURPOSES = frozenset("BEGHLMNPQSTZ")
SOURCES = frozenset("WRDCFAIOUXY")


@dataclass(frozen=True)
class ApplyForPermit:
    items: Sequence[str]
    importer_name: str
    import_country: str
    importer_address: str = ""
    purpose: str = "T"
    source: str = "W"
    kind: str = PermitKind.EXPORT.value
    special_conditions: str = ""


def _validated(command: ApplyForPermit) -> tuple[PermitKind, str, str, str]:
    try:
        kind = PermitKind(command.kind)
    except ValueError:
        raise PermitError(
            N_("unknown permit kind %(kind)s: use export or re-export", kind=repr(command.kind))
        ) from None
    purpose, source = command.purpose.strip().upper(), command.source.strip().upper()
    country = command.import_country.strip().upper()
    if purpose not in PURPOSES:
        raise PermitError(
            N_(
                "unknown purpose code %(code)s: use one of %(codes)s",
                code=repr(command.purpose),
                codes=", ".join(sorted(PURPOSES)),
            )
        )
    if source not in SOURCES:
        raise PermitError(
            N_(
                "unknown source code %(code)s: use one of %(codes)s",
                code=repr(command.source),
                codes=", ".join(sorted(SOURCES)),
            )
        )
    if len(country) != 2 or not country.isalpha() or country == "KZ":
        raise PermitError(
            N_(
                "the country of import must be an ISO 3166 alpha-2 code other than KZ, not %(country)s",
                country=repr(command.import_country),
            )
        )
    if not command.importer_name.strip():
        raise PermitError(N_("name the importer (box 3)"))
    return kind, purpose, source, country


def apply_for_permit(
    uow: CitesUnitOfWork, principal: Principal, command: ApplyForPermit, *, now: datetime | None = None
) -> Permit:
    """Check the application automatically and, when it passes, file it for the ministry's decision."""
    require(principal, Permission.PERMITS_APPLY)
    kind, purpose, source, country = _validated(command)
    keys = [item_key(code) for code in command.items]
    moment = now or datetime.now(UTC)
    with uow:
        assessment = assess(
            uow,
            principal.org_id,
            principal.org_name,
            keys,
            source=source,
            purpose=purpose,
            country=country,
            day=moment.date(),
        )
        if assessment.problems:
            raise PermitRefused("the application fails the automatic checks", assessment.problems)
        permit = Permit(
            id=0,
            number=None,
            kind=kind,
            status=PermitStatus.APPLIED,
            applicant_org_id=principal.org_id,
            importer_name=command.importer_name.strip(),
            importer_address=command.importer_address.strip(),
            import_country=country,
            purpose=purpose,
            source=source,
            special_conditions=command.special_conditions.strip(),
            scientific_name=assessment.species or "",
            quantity_kg=assessment.quantity_kg,
            created_at=moment.astimezone(UTC).replace(tzinfo=None),
            items=tuple(assessment.items),
        )
        permit_id = uow.cites.permits.add(permit)
        uow.cites.permits.add_history(permit_id, principal.org_id, "apply", None, PermitStatus.APPLIED.value)
        saved = uow.cites.permits.get(permit_id)
        uow.commit()
    return saved  # type: ignore[no-any-return]


def withdraw_application(uow: CitesUnitOfWork, principal: Principal, permit_id: int) -> Permit:
    require(principal, Permission.PERMITS_APPLY)
    with uow:
        permit = uow.cites.permits.get(permit_id, lock=True)
        if permit is None or permit.applicant_org_id != principal.org_id:
            raise NotFound(f"no application {permit_id} of yours")
        status = next_status(permit.status, PermitAction.WITHDRAW, permit.label)
        uow.cites.permits.update(permit_id, status=status)
        uow.cites.permits.add_history(
            permit_id, principal.org_id, "withdraw", permit.status.value, status.value
        )
        saved = uow.cites.permits.get(permit_id)
        uow.commit()
    return saved  # type: ignore[no-any-return]
