"""The species register: taxa, their dated rules, and the audit trail of every edit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kiik.custody.adapters.tables import items
from kiik.species.adapters.tables import register_audit, species_rules, taxa, traded_products
from kiik.species.domain.penalties import PenaltyProvision
from kiik.species.domain.products import TradedProduct
from kiik.species.domain.species import RuleKind, SpeciesRule, Taxon


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    org_id: int | None
    actor: str
    action: str
    subject: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat() + "Z",
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "before": self.before,
            "after": self.after,
        }


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _taxon(row: Any) -> Taxon:
    return Taxon(
        row.scientific_name, row.name_kk, row.name_ru, row.name_en, row.cites_appendix, row.national_status
    )


def _rule(row: Any) -> SpeciesRule:
    penalty = None
    if row.penalty_article:
        penalty = PenaltyProvision(
            row.penalty_article, row.penalty_max_mci or 0, row.penalty_min_mci or 0, row.penalty_other or ""
        )
    return SpeciesRule(
        scientific_name=row.scientific_name,
        kind=RuleKind(row.kind),
        title=row.title,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        legal_basis=row.legal_basis,
        operations=tuple(row.operations or ()),
        penalty=penalty,
        id=row.id,
        withdrawn=row.withdrawn_at is not None,
    )


def _rule_values(rule: SpeciesRule) -> dict[str, Any]:
    penalty = rule.penalty
    return {
        "kind": rule.kind.value,
        "title": rule.title,
        "operations": list(rule.operations),
        "valid_from": rule.valid_from,
        "valid_until": rule.valid_until,
        "legal_basis": rule.legal_basis,
        "penalty_article": penalty.article if penalty else None,
        "penalty_min_mci": penalty.min_fine_mci if penalty else None,
        "penalty_max_mci": penalty.max_fine_mci if penalty else None,
        "penalty_other": penalty.other_sanctions if penalty else None,
    }


class SpeciesStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def taxa(self) -> list[Taxon]:
        return [_taxon(r) for r in self.connection.execute(select(taxa).order_by(taxa.c.scientific_name))]

    def taxon_id(self, scientific_name: str) -> int | None:
        return self.connection.scalar(select(taxa.c.id).where(taxa.c.scientific_name == scientific_name))

    def taxon(self, scientific_name: str) -> Taxon | None:
        row = self.connection.execute(select(taxa).where(taxa.c.scientific_name == scientific_name)).first()
        return _taxon(row) if row else None

    def save_taxon(self, taxon: Taxon) -> int:
        values = {
            "name_kk": taxon.name_kk,
            "name_ru": taxon.name_ru,
            "name_en": taxon.name_en,
            "cites_appendix": taxon.cites_appendix,
            "national_status": taxon.national_status,
            "updated_at": now(),
        }
        existing = self.taxon_id(taxon.scientific_name)
        if existing is not None:
            self.connection.execute(update(taxa).where(taxa.c.id == existing).values(**values))
            return existing
        result = self.connection.execute(
            insert(taxa).values(scientific_name=taxon.scientific_name, created_at=now(), **values)
        )
        return int(result.inserted_primary_key[0])

    def products(self) -> list[TradedProduct]:
        query = (
            select(traded_products, taxa.c.scientific_name)
            .join(taxa, taxa.c.id == traded_products.c.taxon_id)
            .order_by(taxa.c.scientific_name, traded_products.c.product_type)
        )
        return [
            TradedProduct(r.scientific_name, r.product_type, r.unit, r.description)
            for r in self.connection.execute(query)
        ]

    def save_product(self, taxon_id: int, product: TradedProduct) -> None:
        key = (traded_products.c.taxon_id == taxon_id) & (
            traded_products.c.product_type == product.product_type
        )
        values = {"unit": product.unit, "description": product.description}
        if self.connection.scalar(select(traded_products.c.unit).where(key)) is not None:
            self.connection.execute(update(traded_products).where(key).values(**values))
        else:
            self.connection.execute(
                insert(traded_products).values(taxon_id=taxon_id, product_type=product.product_type, **values)
            )

    def any_item_of(self, species: Sequence[str]) -> bool:
        """Whether the registry holds any item of these species (an indexed look-up)."""
        if not species:
            return False
        query = select(items.c.key).where(items.c.species.in_(list(species))).limit(1)
        return self.connection.scalar(query) is not None

    def _rules_query(self) -> Any:
        return select(species_rules, taxa.c.scientific_name).join(taxa, taxa.c.id == species_rules.c.taxon_id)

    def rules(self, scientific_name: str | None = None, include_withdrawn: bool = False) -> list[SpeciesRule]:
        query = self._rules_query()
        if scientific_name:
            query = query.where(taxa.c.scientific_name == scientific_name)
        if not include_withdrawn:
            query = query.where(species_rules.c.withdrawn_at.is_(None))
        return [_rule(r) for r in self.connection.execute(query.order_by(species_rules.c.id))]

    def rule(self, rule_id: int) -> SpeciesRule | None:
        row = self.connection.execute(self._rules_query().where(species_rules.c.id == rule_id)).first()
        return _rule(row) if row else None

    def add_rule(self, taxon_id: int, rule: SpeciesRule) -> int:
        result = self.connection.execute(
            insert(species_rules).values(
                taxon_id=taxon_id, created_at=now(), updated_at=now(), **_rule_values(rule)
            )
        )
        return int(result.inserted_primary_key[0])

    def update_rule(self, rule_id: int, rule: SpeciesRule) -> None:
        self.connection.execute(
            update(species_rules)
            .where(species_rules.c.id == rule_id)
            .values(updated_at=now(), **_rule_values(rule))
        )

    def withdraw_rule(self, rule_id: int) -> None:
        self.connection.execute(
            update(species_rules).where(species_rules.c.id == rule_id).values(withdrawn_at=now())
        )

    def audit(
        self, org_id: int | None, actor: str, action: str, subject: str, before: Any, after: Any
    ) -> None:
        self.connection.execute(
            insert(register_audit).values(
                at=now(),
                org_id=org_id,
                actor=actor,
                action=action,
                subject=subject,
                before=before,
                after=after,
            )
        )

    def audit_trail(self, subject: str | None = None) -> list[AuditEntry]:
        query = select(register_audit).order_by(register_audit.c.id)
        if subject:
            query = query.where(register_audit.c.subject == subject)
        return [
            AuditEntry(r.at, r.org_id, r.actor, r.action, r.subject, r.before, r.after)
            for r in self.connection.execute(query)
        ]
