"""Tables of CITES permits: the permits, their lines of items, their history and the yearly serials.

Permit transitions are written to `permit_history`; none of those rows is changed later.
"""

from __future__ import annotations

from sqlalchemy import (
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

from kiik.db.metadata import metadata

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

# The last serial handed out per country and year: the row that numbering locks.
permit_serials = Table(
    "permit_serials",
    metadata,
    Column("country", String(2), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_serial", Integer, nullable=False),
)
