"""The automatic checks of a permit application, before the ministry decides and again when it does.

An application passes when every item it names is registered, held by the applicant, active (not
in transit, packed away, consumed, seized or exported), of known mass and species, traced back to
a legal harvest, and on no other open permit; when the species may be exported on the day (no
total ban); and when a quota covers it with enough left. Each failure is a `Violation` with a
rule id and a sentence that says what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kiik.custody.domain.state import STATUS_EXPLAINED, ItemState, Status, Violation
from kiik.species.domain.quotas import Quota, QuotaBalance
from kiik.species.domain.species import RuleKind, SpeciesRule, ban_message, rules_for


@dataclass(frozen=True)
class CandidateItem:
    """An item named on an application, with what the checks need to know about it."""

    key: str
    state: ItemState | None
    origin_traced: bool
    on_permit: str | None = None  # the other open permit or application that lists it


def item_problems(applicant: int, holder_name: str, items: Sequence[CandidateItem]) -> list[Violation]:
    problems: list[Violation] = []
    for item in items:
        state, key = item.state, item.key
        if state is None:
            problems.append(Violation("permit.item_unknown", f"{key} is not registered: check the code", key))
            continue
        if state.holder != applicant:
            problems.append(
                Violation(
                    "permit.not_holder",
                    f"{key} is not held by {holder_name}: a permit can only name items the applicant holds",
                    key,
                )
            )
        elif state.status is not Status.ACTIVE:
            problems.append(
                Violation(
                    "permit.item_not_available",
                    f"{key} cannot be exported: {STATUS_EXPLAINED[state.status]}",
                    key,
                )
            )
        if state.mass_kg is None or state.mass_kg <= 0:
            problems.append(
                Violation(
                    "permit.mass_unknown",
                    f"{key} has no recorded mass: record its mass (ILMD kiik:massKg or a quantity in kg)",
                    key,
                )
            )
        if not state.species:
            problems.append(
                Violation(
                    "permit.species_unknown",
                    f"{key} has no recorded species: only items traced to a harvest with kiik:species "
                    "qualify",
                    key,
                )
            )
        if not item.origin_traced:
            problems.append(
                Violation(
                    "permit.lineage_incomplete",
                    f"the origin of {key} is not on record back to a legal harvest: every source item "
                    "must have its harvest commissioning (with kiik:species) in the registry",
                    key,
                )
            )
        if item.on_permit:
            problems.append(
                Violation(
                    "permit.item_on_other_permit",
                    f"{key} is already on {item.on_permit}: withdraw or cancel that one first",
                    key,
                )
            )
    species = {i.state.species for i in items if i.state is not None and i.state.species}
    if len(species) > 1:
        problems.append(
            Violation(
                "permit.mixed_species",
                f"the items are of several species ({', '.join(sorted(species))}): apply for one species "
                "per permit",
            )
        )
    if not items:
        problems.append(Violation("permit.no_items", "an application must name at least one item"))
    return problems


def species_problems(rules: Sequence[SpeciesRule], species: str, day: date) -> list[Violation]:
    """A total ban in force forbids the export outright."""
    return [
        Violation("permit.species_banned", ban_message(rule, "export", day, None))
        for rule in rules_for(rules, species, day)
        if rule.kind is RuleKind.TOTAL_BAN and "export" in rule.forbidden
    ]


def needs_quota(rules: Sequence[SpeciesRule], species: str, day: date) -> bool:
    return any(r.kind is RuleKind.EXPORT_UNDER_QUOTA for r in rules_for(rules, species, day))


def quota_problems(
    quota: Quota | None, balance: QuotaBalance | None, amount: float, what: str
) -> list[Violation]:
    if quota is None or balance is None:
        return [
            Violation(
                "permit.no_quota",
                f"no open export quota covers {what}: commercial export of this species is allowed only "
                "within a quota (ask the ministry which quotas are open: GET /api/quotas)",
            )
        ]
    if amount > balance.remaining + 1e-9:
        return [
            Violation(
                "permit.quota_exceeded",
                f"{amount:,.3f} {quota.unit} asked for, but the {balance.year} quota ({quota.describe()}) "
                f"has {max(balance.remaining, 0):,.3f} left: apply for fewer items",
            )
        ]
    return []
