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

from kiik.custody.domain.check import cannot
from kiik.custody.domain.state import STATUS_EXPLAINED, ItemState, Status, Violation
from kiik.errors import N_
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
            problems.append(
                Violation(
                    "permit.item_unknown", N_("%(key)s is not registered: check the code", key=key), key
                )
            )
            continue
        if state.holder != applicant:
            problems.append(
                Violation(
                    "permit.not_holder",
                    N_(
                        "%(key)s is not held by %(holder)s: a permit can only name items the applicant holds",
                        key=key,
                        holder=holder_name,
                    ),
                    key,
                )
            )
        elif state.status is not Status.ACTIVE:
            problems.append(
                Violation(
                    "permit.item_not_available",
                    cannot(key, "exported", STATUS_EXPLAINED[state.status]),
                    key,
                )
            )
        if state.mass_kg is None or state.mass_kg <= 0:
            problems.append(
                Violation(
                    "permit.mass_unknown",
                    N_(
                        "%(key)s has no recorded mass: record its mass (ILMD kiik:massKg or a quantity "
                        "in kg)",
                        key=key,
                    ),
                    key,
                )
            )
        if not state.species:
            problems.append(
                Violation(
                    "permit.species_unknown",
                    N_(
                        "%(key)s has no recorded species: only items traced to a harvest with kiik:species "
                        "qualify",
                        key=key,
                    ),
                    key,
                )
            )
        if not item.origin_traced:
            problems.append(
                Violation(
                    "permit.lineage_incomplete",
                    N_(
                        "the origin of %(key)s is not on record back to a legal harvest: every source item "
                        "must have its harvest commissioning (with kiik:species) in the registry",
                        key=key,
                    ),
                    key,
                )
            )
        if item.on_permit:
            problems.append(
                Violation(
                    "permit.item_on_other_permit",
                    N_(
                        "%(key)s is already on %(permit)s: withdraw or cancel that one first",
                        key=key,
                        permit=item.on_permit,
                    ),
                    key,
                )
            )
    species = {i.state.species for i in items if i.state is not None and i.state.species}
    if len(species) > 1:
        problems.append(
            Violation(
                "permit.mixed_species",
                N_(
                    "the items are of several species (%(species)s): apply for one species per permit",
                    species=", ".join(sorted(species)),
                ),
            )
        )
    if not items:
        problems.append(Violation("permit.no_items", N_("an application must name at least one item")))
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
                N_(
                    "no open export quota covers %(what)s: commercial export of this species is allowed "
                    "only within a quota (ask the ministry which quotas are open: GET /api/quotas)",
                    what=what,
                ),
            )
        ]
    if amount > balance.remaining + 1e-9:
        return [
            Violation(
                "permit.quota_exceeded",
                N_(
                    "%(amount)s %(unit)s asked for, but the %(year)s quota (%(quota)s) has %(left)s left: "
                    "apply for fewer items",
                    amount=format(amount, ",.3f"),
                    unit=quota.unit,
                    year=balance.year,
                    quota=quota.describe(),
                    left=format(max(balance.remaining, 0), ",.3f"),
                ),
            )
        ]
    return []
