"""Exports under permits, applied to every captured event (an `EventRule`).

An export (disposition `urn:kiik:disp:exported`) of a species whose rules allow commercial export
only under quota must name a permit as a business transaction. An export naming a permit is
checked against it: the permit is issued (not applied for, used, cancelled, replaced or expired),
the event falls within its validity, every item leaving is listed on it and no lot leaves with
more than the permit names. An export that passes endorses the permit in the same transaction:
the permit becomes used (a permit is used once), the actual quantities are recorded (box 14), and
the quota reservation becomes use of what actually left.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from kiik.custody.domain.rules import operation_of
from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts
from kiik.errors import N_
from kiik.permits.domain.events import bill_of_lading, export_port, permit_numbers
from kiik.permits.domain.lifecycle import PermitAction, next_status
from kiik.permits.domain.model import Permit, unusable
from kiik.species.domain.species import RuleKind, SpeciesRule, rules_for
from kiik.species.services.capture_rule import SpeciesRules
from kiik.species.services.quotas import use


class PermitExports:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow: Any = uow
        self.species = SpeciesRules(uow)
        self.used_here: set[str] = set()

    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        if facts.declares_error or operation_of(facts) != "export":
            return []
        numbers = permit_numbers(event)
        lines = {q.key: q for q in facts.quantities}
        keys = list(facts.epcs) + list(lines)
        if not numbers:
            return self._needs_permit(facts, keys)
        if len(numbers) > 1:
            return [
                Violation(
                    "permit.one_per_export", N_("an export names one permit: record one event per permit")
                )
            ]
        number = numbers[0]
        permit: Permit | None = self.uow.cites.permits.by_number(number, lock=True)
        if permit is None:
            return [
                Violation(
                    "permit.unknown", N_("no permit %(number)s is on record: check the number", number=number)
                )
            ]
        day = facts.event_time.date()
        refusal = unusable(permit, number in self.used_here)
        if refusal is not None:
            return [refusal]
        if permit.expired_on(day) or (permit.issued_at is not None and day < permit.issued_at.date()):
            return [
                Violation(
                    "permit.outside_validity",
                    N_(
                        "permit %(number)s is valid from %(since)s until %(until)s; the export is dated "
                        "%(day)s",
                        number=number,
                        since=permit.issued_at.date() if permit.issued_at else "?",
                        until=permit.valid_until,
                        day=day,
                    ),
                )
            ]
        listed = {item.key: item for item in permit.items}
        violations = [
            Violation(
                "permit.item_not_listed",
                N_(
                    "%(key)s is not on permit %(number)s: only the items listed on the permit may leave "
                    "under it",
                    key=key,
                    number=number,
                ),
                key,
            )
            for key in keys
            if key not in listed
        ]
        actual: dict[str, float] = {}
        for key in facts.epcs:
            if key in listed:
                actual[key] = listed[key].quantity
        for key, line in lines.items():
            if key not in listed:
                continue
            kg = line.mass_kg
            if kg is None:
                violations.append(
                    Violation(
                        "permit.quantity_unit",
                        N_("give the quantity of %(key)s in kg (uom KGM)", key=key),
                        key,
                    )
                )
            elif kg > listed[key].quantity + 1e-9:
                violations.append(
                    Violation(
                        "permit.quantity_exceeded",
                        N_(
                            "%(kg)s kg of %(key)s cannot leave: permit %(number)s allows %(allowed)s kg",
                            kg=format(kg, ",.3f"),
                            key=key,
                            number=number,
                            allowed=format(listed[key].quantity, ",.3f"),
                        ),
                        key,
                    )
                )
            else:
                actual[key] = kg
        if not violations:
            self._endorse(permit, facts, event, principal, actual)
        return violations

    def _needs_permit(self, facts: EventFacts, keys: list[str]) -> list[Violation]:
        day = facts.event_time.date()
        rules: list[SpeciesRule] = self.species.rules
        needing = sorted(
            {
                species
                for species in self.species.species(keys).values()
                if any(r.kind is RuleKind.EXPORT_UNDER_QUOTA for r in rules_for(rules, species, day))
            }
        )
        return [
            Violation(
                "export.permit_required",
                N_(
                    "%(species)s may be exported only under a CITES permit within the quota: name the permit "
                    "in the event's bizTransactionList (type urn:kiik:btt:cites_permit, "
                    "urn:kiik:permit:<number>)",
                    species=species,
                ),
            )
            for species in needing
        ]

    def _endorse(
        self,
        permit: Permit,
        facts: EventFacts,
        event: Mapping[str, Any],
        principal: Principal,
        actual: dict[str, float],
    ) -> None:
        status = next_status(permit.status, PermitAction.ENDORSE, permit.label)
        used_kg = round(sum(actual.values()), 6)
        permits = self.uow.cites.permits
        permits.set_actual(permit.id, actual)
        permits.update(
            permit.id,
            status=status,
            used_kg=used_kg,
            endorsed_at=facts.event_time.astimezone(UTC).replace(tzinfo=None),
            endorsed_by_org_id=principal.org_id,
            export_port=export_port(event),
            bill_of_lading=bill_of_lading(event),
            export_event_id=facts.event_id,
        )
        note = f"{len(actual)} items, {used_kg:,.3f} kg left the country"
        permits.add_history(permit.id, principal.org_id, "endorse", permit.status.value, status.value, note)
        if permit.quota_id is not None and permit.quota_year is not None:
            reserved = permit.reserved_kg or 0.0
            use(
                self.uow,
                permit.quota_id,
                permit.quota_year,
                permit.id,
                permit.applicant_org_id,
                reserved,
                used_kg,
            )
        assert permit.number is not None
        self.used_here.add(permit.number)
