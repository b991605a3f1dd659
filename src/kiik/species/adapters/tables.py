"""Tables of the species register and its export quotas.

The register keeps its history: edits are written to `register_audit`, quota reservations, uses
and releases to `quota_movements`; none of those rows is changed later.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from kiik.db.metadata import BigId, metadata

taxa = Table(
    "taxa",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("scientific_name", String(120), nullable=False, unique=True),
    Column("name_kk", String(200), nullable=False, server_default=""),
    Column("name_ru", String(200), nullable=False, server_default=""),
    Column("name_en", String(200), nullable=False, server_default=""),
    Column("cites_appendix", String(8), nullable=False, server_default=""),
    Column("national_status", String(300), nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

species_rules = Table(
    "species_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("taxon_id", Integer, ForeignKey("taxa.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("title", String(300), nullable=False),
    Column("operations", JSON, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("legal_basis", Text, nullable=False),
    Column("penalty_article", String(200), nullable=True),
    Column("penalty_min_mci", Integer, nullable=True),
    Column("penalty_max_mci", Integer, nullable=True),
    Column("penalty_other", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # A rule is never deleted: a withdrawn rule stays readable, with its audit trail.
    Column("withdrawn_at", DateTime, nullable=True),
)

# The product types a species is traded as, and the unit each is counted in.
traded_products = Table(
    "traded_products",
    metadata,
    Column("taxon_id", Integer, ForeignKey("taxa.id"), primary_key=True),
    Column("product_type", String(64), primary_key=True),
    Column("unit", String(8), nullable=False),
    Column("description", String(300), nullable=False, server_default=""),
)

register_audit = Table(
    "register_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(200), nullable=False, index=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
)

quotas = Table(
    "quotas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("taxon_id", Integer, ForeignKey("taxa.id"), nullable=False, index=True),
    Column("term", String(3), nullable=True),
    Column("unit", String(3), nullable=False),
    Column("source", String(1), nullable=False),
    Column("purpose", String(1), nullable=False),
    Column("destination", String(2), nullable=True),
    Column("first_year", Integer, nullable=False),
    Column("last_year", Integer, nullable=False),
    Column("yearly_cap", Float, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# One row per quota and year: the row that issuing locks, with the running totals.
quota_years = Table(
    "quota_years",
    metadata,
    Column("quota_id", Integer, ForeignKey("quotas.id"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("cap", Float, nullable=False),
    Column("reserved", Float, nullable=False, server_default="0"),
    Column("used", Float, nullable=False, server_default="0"),
    Column("version", Integer, nullable=False, server_default="0"),
)

quota_movements = Table(
    "quota_movements",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("quota_id", Integer, ForeignKey("quotas.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("permit_id", Integer, ForeignKey("permits.id"), nullable=False, index=True),
    Column("exporter_org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount", Float, nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_quota_movements_quota_year", "quota_id", "year"),
)
