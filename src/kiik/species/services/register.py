"""The species register as the ministry edits it: taxa and dated rules, every edit in the audit trail."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import N_, NotFound
from kiik.species.domain.penalties import PenaltyProvision
from kiik.species.domain.products import TradedProduct
from kiik.species.domain.seed import PRODUCTS, QUOTAS, RULES, TAXA
from kiik.species.domain.species import RegisterError, RuleKind, SpeciesRule, Taxon
from kiik.species.services.ports import CitesUnitOfWork

SEED_ACTOR = "registry seed"


@dataclass(frozen=True)
class SaveRule:
    """Add a rule to a taxon (or, with `rule_id`, change one); dates are ISO days."""

    scientific_name: str
    kind: str
    title: str
    valid_from: date
    legal_basis: str
    valid_until: date | None = None
    operations: tuple[str, ...] = ()
    penalty_article: str | None = None
    penalty_max_mci: int | None = None
    penalty_min_mci: int | None = None
    penalty_other: str = ""

    def rule(self) -> SpeciesRule:
        try:
            kind = RuleKind(self.kind)
        except ValueError:
            raise RegisterError(
                N_(
                    "unknown rule kind %(kind)s: use %(kinds)s",
                    kind=repr(self.kind),
                    kinds=", ".join(RuleKind),
                )
            ) from None
        penalty = None
        if self.penalty_article:
            if self.penalty_max_mci is None:
                raise RegisterError(N_("a penalty provision needs its largest fine in MCI (penalty_max_mci)"))
            penalty = PenaltyProvision(
                self.penalty_article, self.penalty_max_mci, self.penalty_min_mci or 0, self.penalty_other
            )
        return SpeciesRule(
            scientific_name=self.scientific_name,
            kind=kind,
            title=self.title,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            legal_basis=self.legal_basis,
            operations=tuple(self.operations),
            penalty=penalty,
        )


@dataclass
class Register:
    taxa: list[Taxon]
    rules: list[SpeciesRule] = field(default_factory=list)
    products: list[TradedProduct] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "taxa": [
                {
                    **asdict(t),
                    "products": [
                        {"product_type": p.product_type, "unit": p.unit, "description": p.description}
                        for p in self.products
                        if p.scientific_name == t.scientific_name
                    ],
                    "rules": [rule_json(r) for r in self.rules if r.scientific_name == t.scientific_name],
                }
                for t in self.taxa
            ]
        }


def rule_json(rule: SpeciesRule) -> dict[str, Any]:
    penalty = rule.penalty
    return {
        "id": rule.id,
        "scientific_name": rule.scientific_name,
        "kind": rule.kind.value,
        "title": rule.title,
        "valid_from": rule.valid_from.isoformat(),
        "valid_until": rule.valid_until.isoformat() if rule.valid_until else None,
        "forbidden_operations": list(rule.forbidden),
        "legal_basis": rule.legal_basis,
        "penalty": asdict(penalty) if penalty else None,
        "withdrawn": rule.withdrawn,
    }


def _actor(principal: Principal | None) -> tuple[int | None, str]:
    if principal is None:
        return None, SEED_ACTOR
    return principal.org_id, f"{principal.org_code} ({principal.role})"


def read_register(uow: CitesUnitOfWork, principal: Principal, *, withdrawn: bool = False) -> Register:
    require(principal, Permission.SPECIES_READ)
    with uow:
        species = uow.cites.species
        return Register(species.taxa(), species.rules(include_withdrawn=withdrawn), species.products())


def save_taxon(uow: CitesUnitOfWork, principal: Principal, taxon: Taxon) -> Taxon:
    require(principal, Permission.SPECIES_MANAGE)
    with uow:
        before = uow.cites.species.taxon(taxon.scientific_name)
        uow.cites.species.save_taxon(taxon)
        org, actor = _actor(principal)
        action = "taxon.changed" if before else "taxon.added"
        uow.cites.species.audit(
            org, actor, action, taxon.scientific_name, asdict(before) if before else None, asdict(taxon)
        )
        uow.commit()
    return taxon


def add_rule(uow: CitesUnitOfWork, principal: Principal, command: SaveRule) -> SpeciesRule:
    require(principal, Permission.SPECIES_MANAGE)
    rule = command.rule()
    with uow:
        taxon_id = _taxon_id(uow, command.scientific_name)
        rule_id = uow.cites.species.add_rule(taxon_id, rule)
        saved = uow.cites.species.rule(rule_id)
        org, actor = _actor(principal)
        uow.cites.species.audit(org, actor, "rule.added", command.scientific_name, None, rule_json(saved))
        uow.commit()
    return saved  # type: ignore[no-any-return]


def change_rule(uow: CitesUnitOfWork, principal: Principal, rule_id: int, command: SaveRule) -> SpeciesRule:
    require(principal, Permission.SPECIES_MANAGE)
    rule = command.rule()
    with uow:
        before = _rule(uow, rule_id)
        if before.scientific_name != command.scientific_name:
            raise RegisterError(
                N_(
                    "rule %(rule)s belongs to %(species)s: add a new rule for %(other)s instead",
                    rule=rule_id,
                    species=before.scientific_name,
                    other=command.scientific_name,
                )
            )
        uow.cites.species.update_rule(rule_id, rule)
        after = uow.cites.species.rule(rule_id)
        org, actor = _actor(principal)
        uow.cites.species.audit(
            org, actor, "rule.changed", before.scientific_name, rule_json(before), rule_json(after)
        )
        uow.commit()
    return after  # type: ignore[no-any-return]


def withdraw_rule(uow: CitesUnitOfWork, principal: Principal, rule_id: int) -> SpeciesRule:
    require(principal, Permission.SPECIES_MANAGE)
    with uow:
        before = _rule(uow, rule_id)
        if before.withdrawn:
            raise RegisterError(N_("rule %(rule)s is withdrawn already", rule=rule_id))
        uow.cites.species.withdraw_rule(rule_id)
        after = uow.cites.species.rule(rule_id)
        org, actor = _actor(principal)
        uow.cites.species.audit(
            org, actor, "rule.withdrawn", before.scientific_name, rule_json(before), rule_json(after)
        )
        uow.commit()
    return after  # type: ignore[no-any-return]


def save_product(uow: CitesUnitOfWork, principal: Principal, product: TradedProduct) -> TradedProduct:
    """Add a product type a species is traded as (or change its unit or description)."""
    require(principal, Permission.SPECIES_MANAGE)
    with uow:
        taxon_id = _taxon_id(uow, product.scientific_name)
        uow.cites.species.save_product(taxon_id, product)
        org, actor = _actor(principal)
        uow.cites.species.audit(org, actor, "product.saved", product.scientific_name, None, asdict(product))
        uow.commit()
    return product


def audit_trail(uow: CitesUnitOfWork, principal: Principal, subject: str | None = None) -> list[Any]:
    require(principal, Permission.SPECIES_READ)
    with uow:
        return list(uow.cites.species.audit_trail(subject))


def _taxon_id(uow: CitesUnitOfWork, scientific_name: str) -> int:
    taxon_id = uow.cites.species.taxon_id(scientific_name)
    if taxon_id is None:
        raise NotFound(
            N_("no taxon %(name)s in the species register: add the taxon first", name=repr(scientific_name))
        )
    return int(taxon_id)


def _rule(uow: CitesUnitOfWork, rule_id: int) -> SpeciesRule:
    rule = uow.cites.species.rule(rule_id)
    if rule is None:
        raise NotFound(N_("no species rule %(rule)s: list them with GET /api/species", rule=rule_id))
    return rule  # type: ignore[no-any-return]


@dataclass(frozen=True)
class SeedResult:
    taxa: int
    rules: int
    quotas: int


def seed_register(uow: CitesUnitOfWork, *, quotas: bool = True) -> SeedResult:
    """Load the starting register (the listed species, their rules and products, the CoP20 quota) where
    absent.

    Run by `kiik init`, `kiik species seed` and the demo; the server operator acts, so there is
    no principal. A taxon already in the register keeps its rules and quotas as the ministry left them."""
    added = [0, 0, 0]
    with uow:
        species = uow.cites.species
        for taxon in TAXA:
            if species.taxon_id(taxon.scientific_name) is not None:
                continue
            taxon_id = species.save_taxon(taxon)
            species.audit(None, SEED_ACTOR, "taxon.added", taxon.scientific_name, None, asdict(taxon))
            added[0] += 1
            for rule in (r for r in RULES if r.scientific_name == taxon.scientific_name):
                rule_id = species.add_rule(taxon_id, rule)
                saved = species.rule(rule_id)
                species.audit(None, SEED_ACTOR, "rule.added", taxon.scientific_name, None, rule_json(saved))
                added[1] += 1
            for product in (p for p in PRODUCTS if p.scientific_name == taxon.scientific_name):
                species.save_product(taxon_id, product)
            for quota in (q for q in QUOTAS if quotas and q.scientific_name == taxon.scientific_name):
                uow.cites.quotas.add(taxon_id, quota)
                species.audit(None, SEED_ACTOR, "quota.added", taxon.scientific_name, None, asdict(quota))
                added[2] += 1
        uow.commit()
    return SeedResult(*added)
