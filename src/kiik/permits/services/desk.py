"""The permit desk's reads: a page of the applications and permits a caller may see (the ministry's
queue, an exporter's own list), one permit with its history, and what the rules say about an
application before the ministry decides (the same automatic checks issuing runs again)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from kiik.custody.domain.state import Violation
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import NotFound
from kiik.permits.domain.lifecycle import PermitStatus
from kiik.permits.domain.model import Permit
from kiik.permits.services.assessment import assess_permit
from kiik.permits.services.queries import PermitScope, permit_scope
from kiik.species.domain.quotas import Quota, QuotaBalance
from kiik.species.domain.species import SpeciesRule, rules_for
from kiik.species.services.ports import CitesUnitOfWork

PAGE_SIZE = 25


@dataclass(frozen=True)
class PermitFilter:
    status: str | None = None
    species: str | None = None
    exporter: str | None = None  # an organisation's code
    page: int = 1


@dataclass(frozen=True)
class PermitPage:
    permits: list[Permit]
    total: int
    page: int
    pages: int
    exporters: dict[int, str]  # organisation id -> name, for the rows shown and the filter


@dataclass(frozen=True)
class PermitRecord:
    permit: Permit
    applicant: str
    history: list[Any]
    replaces: str | None
    replaced_by: str | None


@dataclass
class Review:
    """What the rules say about an application on `day`."""

    permit: Permit
    day: date
    problems: list[Violation] = field(default_factory=list)
    quota: Quota | None = None
    balance: QuotaBalance | None = None
    rules: list[SpeciesRule] = field(default_factory=list)
    items_held: int = 0


def permit_page(uow: CitesUnitOfWork, principal: Principal, wanted: PermitFilter) -> PermitPage:
    """The ministry (and the other authorities) see every permit; an exporter its own."""
    require(principal, Permission.PERMITS_READ)
    page = max(1, wanted.page)
    with uow:
        names = {o.id: o.name for o in uow.directory.organisations()}
        scope = permit_scope(principal)
        applicant = scope.applicant
        if wanted.exporter and applicant is None:
            found = uow.directory.organisation(wanted.exporter)
            applicant = found.id if found else -1
        rows, total = uow.cites.permits.page(
            applicant,
            wanted.status or None,
            wanted.species or None,
            (page - 1) * PAGE_SIZE,
            PAGE_SIZE,
            country=scope.country,
        )
        exporters = _exporters(uow, scope, names)
    exporters.update({p.applicant_org_id: names.get(p.applicant_org_id, "?") for p in rows})
    return PermitPage(rows, total, page, max(1, -(-total // PAGE_SIZE)), exporters)


def _exporters(uow: CitesUnitOfWork, scope: PermitScope, names: dict[int, str]) -> dict[int, str]:
    """The exporters the filter offers, from the caller's scope: a partner authority only those with
    permits to its country, an exporter itself, the authorities every trader."""
    if scope.applicant is not None:
        return {scope.applicant: names.get(scope.applicant, "?")}
    if scope.country is not None:
        return {org_id: names.get(org_id, "?") for org_id in uow.cites.permits.applicants(scope.country)}
    return {o.id: o.name for o in uow.directory.organisations() if o.kind == "trader"}


def _visible(uow: CitesUnitOfWork, principal: Principal, permit_id: int) -> Permit:
    permit = uow.cites.permits.get(permit_id)
    if permit is None or not permit_scope(principal).sees(permit):
        raise NotFound(f"no permit or application {permit_id} visible to you")
    return permit  # type: ignore[no-any-return]


def permit_record(uow: CitesUnitOfWork, principal: Principal, permit_id: int) -> PermitRecord:
    require(principal, Permission.PERMITS_READ)
    with uow:
        permit = _visible(uow, principal, permit_id)
        org = uow.directory.organisation(permit.applicant_org_id)

        def number(other: int | None) -> str | None:
            found = uow.cites.permits.get(other) if other else None
            return (found.number or str(found.id)) if found else None

        return PermitRecord(
            permit,
            org.name if org else str(permit.applicant_org_id),
            list(uow.cites.permits.history(permit.id)),
            number(permit.replaces_id),
            number(permit.replaced_by_id),
        )


def review_application(
    uow: CitesUnitOfWork, principal: Principal, permit_id: int, *, day: date | None = None
) -> Review:
    """The automatic checks of an application as they stand today, the quota and its balance, and
    the species' rules in force: what the ministry reads before it issues or rejects."""
    require(principal, Permission.PERMITS_DECIDE)
    today = day or datetime.now(UTC).date()
    with uow:
        permit = _visible(uow, principal, permit_id)
        review = Review(permit, today)
        if permit.scientific_name:
            review.rules = rules_for(
                uow.cites.species.rules(permit.scientific_name), permit.scientific_name, today
            )
        if permit.status is not PermitStatus.APPLIED:
            return review
        assessment = assess_permit(uow, permit, today)
        review.problems = assessment.problems
        review.quota, review.balance = assessment.quota, assessment.balance
        troubled = {p.identifier for p in assessment.problems if p.identifier}
        review.items_held = len([i for i in permit.items if i.key not in troubled])
        return review
