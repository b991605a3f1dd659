"""The relational schema, declared once for SQLite and PostgreSQL.

Events are append-only: rows of `events` and `event_identifiers` are inserted and never updated or
deleted. `items` is the projection of current state, written in the same transaction as the events.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

# Named constraints, so that SQLite batch migrations can find them again.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BIGINT on PostgreSQL; INTEGER on SQLite, where only INTEGER PRIMARY KEY autoincrements.
BigId = BigInteger().with_variant(Integer(), "sqlite")
Document = JSON().with_variant(JSONB(), "postgresql")

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("pgln", String(120), nullable=True, unique=True),
    Column("country", String(2), nullable=False, server_default="KZ"),
    Column("created_at", DateTime, nullable=False),
)

sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("sgln", String(120), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("label", String(200), nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
)

events = Table(
    "events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("hash_id", String(100), nullable=False),
    Column("event_id", String(300), nullable=False, index=True),
    Column("event_type", String(32), nullable=False),
    Column("event_time", DateTime, nullable=False, index=True),
    Column("record_time", DateTime, nullable=False, index=True),
    Column("action", String(8), nullable=True),
    Column("biz_step", String(300), nullable=True),
    Column("disposition", String(300), nullable=True),
    Column("read_point", String(300), nullable=True),
    Column("biz_location", String(300), nullable=True),
    Column("declares_error", Boolean, nullable=False, server_default="0"),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("capture_id", String(40), nullable=True),
    Column("body", Document, nullable=False),
    # An organisation's own events in time order, without reading back through the whole time index.
    Index("ix_events_org_time", "org_id", "event_time", "id"),
    Index("ix_events_org_record_time", "org_id", "record_time", "id"),
    # The same event captured twice is stored once; its error declaration is another record.
    UniqueConstraint("hash_id", "declares_error", name="uq_events_hash_id_declares_error"),
)

event_identifiers = Table(
    "event_identifiers",
    metadata,
    # No foreign key to events here, nor on the other rows capture writes for every event or item
    # (see migration 0010): PostgreSQL would check and lock the referenced row once per row written.
    Column("event_pk", BigId, nullable=False),
    Column("role", String(16), nullable=False),
    Column("key", String(300), nullable=False),
    Index("ix_event_identifiers_key_event", "key", "event_pk"),
    Index("ix_event_identifiers_event", "event_pk"),
)

erroneous_events = Table(
    "erroneous_events",
    metadata,
    Column("event_pk", BigId, ForeignKey("events.id"), primary_key=True),
    Column("declaration_pk", BigId, ForeignKey("events.id"), nullable=False),
)

items = Table(
    "items",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("is_class", Boolean, nullable=False),
    # By holder, by holder and status, by site and status: the indexes in tables_stock.py (an item
    # moves often, and each index over what moved is written again).
    Column("holder_org_id", Integer, nullable=True),
    Column("site", String(300), nullable=True),
    Column("status", String(16), nullable=False),
    Column("parent_key", String(300), nullable=True, index=True),
    Column("quantity", Float, nullable=True),
    Column("uom", String(8), nullable=True),
    Column("mass_kg", Float, nullable=True),
    Column("product_type", String(64), nullable=True),
    Column("species", String(120), nullable=True, index=True),
    Column("destination_org_id", Integer, nullable=True),
    Column("last_event_time", String(40), nullable=True),
)

capture_jobs = Table(
    "capture_jobs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=True, index=True),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("event_count", Integer, nullable=False, server_default="0"),
    Column("stored_count", Integer, nullable=False, server_default="0"),
    Column("errors", JSON, nullable=False),
    Column("text", Text, nullable=True),
)
