"""The automatic checks of an application, with the facts gathered from storage.

Run when a trader applies and again when the ministry issues (the state may have changed in
between). The quota check here is advisory; the binding one is made under the quota's lock when
the permit is issued.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kiik.custody.domain.state import Violation
from kiik.custody.services.lineage import local_names, trace_lineage
from kiik.directory.services.scope import EVERYTHING
from kiik.permits.domain.checks import (
    CandidateItem,
    item_problems,
    needs_quota,
    quota_problems,
    species_problems,
)
from kiik.permits.domain.lifecycle import term_of
from kiik.permits.domain.model import Permit, PermitItem
from kiik.species.domain.quotas import Quota, QuotaBalance
from kiik.species.domain.species import SpeciesRule
from kiik.species.services.ports import CitesUnitOfWork
from kiik.species.services.quotas import matching_quota

LINE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class Assessment:
    items: list[PermitItem]
    species: str | None
    quantity_kg: float
    quota: Quota | None = None
    balance: QuotaBalance | None = None
    problems: list[Violation] = field(default_factory=list)


def origin_traced(uow: CitesUnitOfWork, key: str) -> bool:
    """True when every source item of `key` has a harvest commissioning that names its species."""
    lineage = trace_lineage(uow.lineage, key, scope=EVERYTHING, parties={})
    if lineage.truncated or not lineage.sources:
        return False
    return all(
        node.origin is not None and local_names(node.origin.ilmd).get("species") for node in lineage.sources
    )


def permit_lines(states: Sequence[tuple[str, str, str | None, float]]) -> list[PermitItem]:
    """(key, species, product type, kg) per item -> permit items in lines A, B, ... by term."""
    terms = sorted({term_of(product) for _, _, product, _ in states})
    letters = {term: LINE_LETTERS[n % len(LINE_LETTERS)] for n, term in enumerate(terms)}
    return [
        PermitItem(key, letters[term_of(product)], species, term_of(product), "KGM", round(kg, 6))
        for key, species, product, kg in states
    ]


def assess(
    uow: CitesUnitOfWork,
    applicant: int,
    applicant_name: str,
    keys: Sequence[str],
    *,
    source: str,
    purpose: str,
    country: str,
    day: date,
    exclude_permit: int | None = None,
) -> Assessment:
    keys = list(dict.fromkeys(keys))
    states = uow.items.load(keys)
    listed = uow.cites.permits.open_listing(keys, exclude=exclude_permit)
    candidates = [
        CandidateItem(key, states.get(key), key in states and origin_traced(uow, key), listed.get(key))
        for key in keys
    ]
    problems = item_problems(applicant, applicant_name, candidates)
    known = [states[k] for k in keys if k in states]
    species_names = sorted({s.species for s in known if s.species})
    species = species_names[0] if len(species_names) == 1 else None
    items = permit_lines(
        [(s.key, s.species or "", s.product_type, s.mass_kg or 0.0) for s in known if s.species]
    )
    quantity = round(sum(i.quantity for i in items), 6)
    assessment = Assessment(items, species, quantity, problems=problems)
    if species is None:
        return assessment
    rules: list[SpeciesRule] = list(uow.cites.species.rules(species))
    assessment.problems += species_problems(rules, species, day)
    quota = matching_quota(uow, species, {i.term for i in items}, source, purpose, country, day.year)
    if quota is not None:
        assessment.quota = quota
        assessment.balance = uow.cites.quotas.balance(quota.id, day.year)
    if needs_quota(rules, species, day):
        what = f"{species} (source {source}, purpose {purpose}, to {country}) in {day.year}"
        assessment.problems += quota_problems(quota, assessment.balance, quantity, what)
    return assessment


def assess_permit(uow: CitesUnitOfWork, permit: Permit, day: date) -> Assessment:
    """A filed permit's items assessed again on `day`, as the desk reviews it and as issuing checks it."""
    org = uow.directory.organisation(permit.applicant_org_id)
    return assess(
        uow,
        permit.applicant_org_id,
        org.name if org else str(permit.applicant_org_id),
        [i.key for i in permit.items],
        source=permit.source,
        purpose=permit.purpose,
        country=permit.import_country,
        day=day,
        exclude_permit=permit.id,
    )
