"""The ministry's decisions on permits: issue, reject, cancel, replace; and expiry.

Issuing runs the automatic checks again, then, in one transaction: locks the quota's row for the
year, reserves the permit's quantity (refused when too little is left), takes the next serial,
signs the permit and records the transition. Concurrent issuers of one quota wait for each other
on that lock, so the quota is never over-issued.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from kiik.custody.domain.state import Violation
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.audit import record
from kiik.errors import N_, NotFound
from kiik.permits.domain.lifecycle import (
    PermitAction,
    PermitStatus,
    last_valid_day,
    next_status,
    permit_number,
)
from kiik.permits.domain.model import Permit
from kiik.permits.services.assessment import assess_permit
from kiik.permits.services.document import permit_payload, sign
from kiik.permits.services.ports import PermitRefused
from kiik.species.domain.quotas import QuotaExceeded
from kiik.species.services.ports import CitesUnitOfWork
from kiik.species.services.quotas import release, reserve


@dataclass(frozen=True)
class IssuePermit:
    permit_id: int
    valid_until: date | None = None
    note: str = ""


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _locked(uow: CitesUnitOfWork, permit_id: int) -> Permit:
    permit = uow.cites.permits.get(permit_id, lock=True)
    if permit is None:
        raise NotFound(f"no permit application {permit_id}: list them with GET /api/permits")
    return permit  # type: ignore[no-any-return]


def _transition(
    uow: CitesUnitOfWork, permit: Permit, principal: Principal | None, action: PermitAction, note: str = ""
) -> PermitStatus:
    status = next_status(permit.status, action, permit.label)
    uow.cites.permits.update(permit.id, status=status)
    org = principal.org_id if principal else None
    uow.cites.permits.add_history(permit.id, org, action.value, permit.status.value, status.value, note)
    return status


def _issue(
    uow: CitesUnitOfWork, principal: Principal, permit: Permit, command: IssuePermit, now: datetime
) -> None:
    """Issue `permit` (locked, status applied) inside the caller's transaction."""
    next_status(permit.status, PermitAction.ISSUE, permit.label)
    today = now.date()
    assessment = assess_permit(uow, permit, today)
    problems = [p for p in assessment.problems if p.rule != "permit.quota_exceeded"]
    if problems:
        raise PermitRefused(f"{permit.label} cannot be issued", problems)
    valid_until = last_valid_day(today, command.valid_until)
    quota_values: dict[str, object] = {}
    if assessment.quota is not None:
        quota = assessment.quota
        expire_due(uow, today, quota_id=quota.id)
        balance = uow.cites.quotas.lock(quota.id, today.year)
        try:
            balance = reserve(uow, balance, permit.id, permit.applicant_org_id, assessment.quantity_kg)
        except QuotaExceeded as exc:
            raise PermitRefused(
                f"{permit.label} cannot be issued", [Violation("permit.quota_exceeded", exc.args[0])]
            ) from None
        quota_values = {
            "quota_id": quota.id,
            "quota_year": today.year,
            "reserved_kg": assessment.quantity_kg,
            "quota_line": balance.box_11a(),
        }
    number = permit_number(today.year, uow.cites.permits.next_serial("KZ", today.year))
    issued_at = _naive(now)
    key_id, _ = uow.keys.ensure()
    filled = replace(
        permit,
        valid_until=valid_until,
        decided_by_org_id=principal.org_id,
        **quota_values,  # type: ignore[arg-type]
    )
    signed = sign(uow, permit_payload(uow, filled, number=number, issued_at=issued_at, key_id=key_id))
    _transition(uow, permit, principal, PermitAction.ISSUE, command.note)
    uow.cites.permits.update(
        permit.id,
        number=number,
        valid_until=valid_until,
        issued_at=issued_at,
        decided_by_org_id=principal.org_id,
        decision_note=command.note,
        signing_key_id=key_id,
        signed_document=signed,
        **quota_values,
    )


def issue_permit(
    uow: CitesUnitOfWork, principal: Principal, command: IssuePermit, *, now: datetime | None = None
) -> Permit:
    require(principal, Permission.PERMITS_DECIDE)
    with uow:
        permit = _locked(uow, command.permit_id)
        _issue(uow, principal, permit, command, now or datetime.now(UTC))
        issued = uow.cites.permits.get(permit.id)
        record(uow, principal, "permit.issued", str(issued.number), application=permit.id)
        uow.commit()
    return issued  # type: ignore[no-any-return]


def reject_application(uow: CitesUnitOfWork, principal: Principal, permit_id: int, reason: str) -> Permit:
    require(principal, Permission.PERMITS_DECIDE)
    if not reason.strip():
        raise PermitRefused(N_("a rejection needs its reason"), [])
    with uow:
        permit = _locked(uow, permit_id)
        _transition(uow, permit, principal, PermitAction.REJECT, reason.strip())
        uow.cites.permits.update(permit_id, decided_by_org_id=principal.org_id, decision_note=reason.strip())
        saved = uow.cites.permits.get(permit_id)
        record(uow, principal, "permit.rejected", str(permit_id), reason=reason.strip())
        uow.commit()
    return saved  # type: ignore[no-any-return]


def _release(uow: CitesUnitOfWork, permit: Permit) -> None:
    if permit.quota_id is not None and permit.quota_year is not None and permit.reserved_kg:
        release(
            uow, permit.quota_id, permit.quota_year, permit.id, permit.applicant_org_id, permit.reserved_kg
        )


def cancel_permit(uow: CitesUnitOfWork, principal: Principal, number: str, reason: str) -> Permit:
    """Cancel an issued permit; its quota reservation is released."""
    require(principal, Permission.PERMITS_DECIDE)
    with uow:
        permit = _by_number(uow, number)
        _transition(uow, permit, principal, PermitAction.CANCEL, reason)
        _release(uow, permit)
        saved = uow.cites.permits.get(permit.id)
        record(uow, principal, "permit.cancelled", number, reason=reason)
        uow.commit()
    return saved  # type: ignore[no-any-return]


def replace_permit(
    uow: CitesUnitOfWork,
    principal: Principal,
    number: str,
    command: IssuePermit,
    *,
    now: datetime | None = None,
) -> Permit:
    """Issue a new permit for the same application; the old one becomes void (status replaced).

    The old reservation is released before the new one is made, in the same transaction."""
    require(principal, Permission.PERMITS_DECIDE)
    moment = now or datetime.now(UTC)
    with uow:
        old = _by_number(uow, number)
        _transition(uow, old, principal, PermitAction.REPLACE, command.note or "replaced")
        _release(uow, old)
        new = replace(
            old,
            id=0,
            number=None,
            status=PermitStatus.APPLIED,
            created_at=_naive(moment),
            replaces_id=old.id,
            quota_id=None,
            quota_year=None,
            reserved_kg=None,
            quota_line=None,
            valid_until=None,
            issued_at=None,
            signing_key_id=None,
            signed_document=None,
            items=tuple(replace(i, actual_quantity=None) for i in old.items),
        )
        new_id = uow.cites.permits.add(new)
        uow.cites.permits.add_history(
            new_id, principal.org_id, "apply", None, "applied", f"replaces {number}"
        )
        _issue(uow, principal, _locked(uow, new_id), command, moment)
        uow.cites.permits.update(old.id, replaced_by_id=new_id)
        issued = uow.cites.permits.get(new_id)
        record(uow, principal, "permit.replaced", number, replacement=str(issued.number))
        uow.commit()
    return issued  # type: ignore[no-any-return]


def _by_number(uow: CitesUnitOfWork, number: str) -> Permit:
    permit = uow.cites.permits.by_number(number, lock=True)
    if permit is None:
        raise NotFound(f"no permit {number}: check the number (KZ/2026/000123 style)")
    return permit  # type: ignore[no-any-return]


def expire_due(uow: CitesUnitOfWork, today: date, quota_id: int | None = None) -> list[str]:
    """Mark issued permits past their last valid day expired and release their quota (caller commits)."""
    expired = []
    for permit_id in uow.cites.permits.due_to_expire(today, quota_id):
        locked = uow.cites.permits.get(permit_id, lock=True)
        if locked is None or not locked.expired_on(today):
            continue
        _transition(uow, locked, None, PermitAction.EXPIRE, f"last valid day was {locked.valid_until}")
        _release(uow, locked)
        expired.append(locked.number or str(locked.id))
    return expired


def expire_permits(
    uow: CitesUnitOfWork, principal: Principal | None, *, today: date | None = None
) -> list[str]:
    """`kiik permit expire` and POST /api/permits/expire: expire what is due, release its quota."""
    if principal is not None:
        require(principal, Permission.PERMITS_DECIDE)
    with uow:
        expired = expire_due(uow, today or datetime.now(UTC).date())
        if expired:
            record(uow, principal, "permit.expired", ", ".join(expired)[:300], permits=expired)
        uow.commit()
    return expired
