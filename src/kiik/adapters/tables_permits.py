"""Tables of the species register, quotas, CITES permits and the registry's signing keys.

Declared on the shared MetaData (see adapters/schema.py). The register and the permits keep their
history: register edits are written to `register_audit`, permit transitions to `permit_history`,
quota reservations, uses and releases to `quota_movements`; none of those rows is changed later.
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

from kiik.adapters.tables import BigId, metadata

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

permits = Table(
    "permits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(32), nullable=True, unique=True),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("applicant_org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("importer_name", String(200), nullable=False),
    Column("importer_address", Text, nullable=False, server_default=""),
    Column("import_country", String(2), nullable=False),
    Column("purpose", String(1), nullable=False),
    Column("source", String(1), nullable=False),
    Column("special_conditions", Text, nullable=False, server_default=""),
    Column("scientific_name", String(120), nullable=False),
    Column("quantity_kg", Float, nullable=False),
    Column("quota_id", Integer, ForeignKey("quotas.id"), nullable=True),
    Column("quota_year", Integer, nullable=True),
    Column("reserved_kg", Float, nullable=True),
    Column("used_kg", Float, nullable=True),
    Column("quota_line", String(100), nullable=True),
    Column("valid_until", Date, nullable=True),
    Column("issued_at", DateTime, nullable=True),
    Column("decided_by_org_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("decision_note", Text, nullable=True),
    Column("replaces_id", Integer, ForeignKey("permits.id"), nullable=True),
    Column("replaced_by_id", Integer, ForeignKey("permits.id"), nullable=True),
    Column("endorsed_at", DateTime, nullable=True),
    Column("endorsed_by_org_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("export_port", String(200), nullable=True),
    Column("bill_of_lading", String(100), nullable=True),
    Column("export_event_id", String(300), nullable=True),
    Column("signing_key_id", String(64), nullable=True),
    Column("signed_document", Text, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

permit_items = Table(
    "permit_items",
    metadata,
    Column("permit_id", Integer, ForeignKey("permits.id"), primary_key=True),
    Column("item_key", String(300), primary_key=True),
    Column("line", String(2), nullable=False),
    Column("scientific_name", String(120), nullable=False),
    Column("term", String(3), nullable=False),
    Column("unit", String(3), nullable=False),
    Column("quantity", Float, nullable=False),
    Column("actual_quantity", Float, nullable=True),
    Index("ix_permit_items_item_key", "item_key"),
)

permit_history = Table(
    "permit_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("permit_id", Integer, ForeignKey("permits.id"), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("action", String(16), nullable=False),
    Column("from_status", String(16), nullable=True),
    Column("to_status", String(16), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
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

# The last serial handed out per country and year: the row that numbering locks.
permit_serials = Table(
    "permit_serials",
    metadata,
    Column("country", String(2), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_serial", Integer, nullable=False),
)

# The registry's Ed25519 keys. The newest unretired key signs; retired keys still verify what
# they signed. Public keys are published at GET /api/keys.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("key_id", String(64), primary_key=True),
    Column("algorithm", String(16), nullable=False),
    Column("public_key", String(100), nullable=False),
    Column("private_key", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("retired_at", DateTime, nullable=True),
)
