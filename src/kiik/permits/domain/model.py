"""A permit as the registry holds it: the boxes of the standard form and its lines of items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kiik.custody.domain.state import Violation
from kiik.errors import N_
from kiik.permits.domain.lifecycle import EXPORTED, STATUS_EXPLAINED, PermitKind, PermitStatus


@dataclass(frozen=True)
class PermitItem:
    """One item on a permit (box 9 marks), in the line of its species and term (boxes 7-11, 14)."""

    key: str
    line: str
    scientific_name: str
    term: str
    unit: str
    quantity: float
    actual_quantity: float | None = None


@dataclass(frozen=True)
class Permit:
    id: int
    number: str | None
    kind: PermitKind
    status: PermitStatus
    applicant_org_id: int
    importer_name: str
    importer_address: str
    import_country: str
    purpose: str
    source: str
    special_conditions: str
    scientific_name: str
    quantity_kg: float
    created_at: datetime
    quota_id: int | None = None
    quota_year: int | None = None
    reserved_kg: float | None = None
    used_kg: float | None = None
    quota_line: str | None = None
    valid_until: date | None = None
    issued_at: datetime | None = None
    decided_by_org_id: int | None = None
    decision_note: str | None = None
    replaces_id: int | None = None
    replaced_by_id: int | None = None
    endorsed_at: datetime | None = None
    endorsed_by_org_id: int | None = None
    export_port: str | None = None
    bill_of_lading: str | None = None
    export_event_id: str | None = None
    signing_key_id: str | None = None
    signed_document: str | None = None
    items: tuple[PermitItem, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return (
            N_("permit %(number)s", number=self.number)
            if self.number
            else N_("application %(id)s", id=self.id)
        )

    def expired_on(self, day: date) -> bool:
        return self.status is PermitStatus.ISSUED and self.valid_until is not None and day > self.valid_until

    def lines(self) -> dict[str, list[PermitItem]]:
        grouped: dict[str, list[PermitItem]] = {}
        for item in self.items:
            grouped.setdefault(item.line, []).append(item)
        return dict(sorted(grouped.items()))


def unusable(permit: Permit, used_already: bool = False) -> Violation | None:
    """Why the permit cannot be used for an export now (its state), or None when it is issued and
    unused. `used_already`: an earlier event of the same document used it."""
    if used_already or permit.status in EXPORTED:
        when = permit.endorsed_at or "in this document"
        return Violation(
            "permit.already_used",
            N_(
                "permit %(number)s was used already (export endorsed %(when)s): a permit is used once; the "
                "exporter must apply for a new one",
                number=permit.number,
                when=when,
            ),
        )
    if permit.status is not PermitStatus.ISSUED:
        return Violation(
            "permit.not_valid",
            N_(
                "permit %(number)s cannot be used: %(reason)s",
                number=permit.number,
                reason=STATUS_EXPLAINED[permit.status],
            ),
        )
    return None
