"""Tables of legal trade: cull operations, carcass batches, processing runs, meat lots, sales.

The events are the record; these tables are what trade reads fast: a lot's origin for the pack
check (one row), the mass balance of a cull, the sales with their prices. A lot's `packs_sold` and
`recalled_on` follow its retail and recall events, in the capture's transaction.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
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

cull_operations = Table(
    "cull_operations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(60), nullable=False, unique=True),
    Column("population", String(40), nullable=False),
    Column("area", String(300), nullable=False),
    Column("starts", Date, nullable=False),
    Column("ends", Date, nullable=False),
    Column("authorisation", String(100), nullable=False),
    Column("animals_allowed", Integer, nullable=False),
    Column("team_org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

carcass_batches = Table(
    "carcass_batches",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("cull_id", Integer, ForeignKey("cull_operations.id"), nullable=False, index=True),
    Column("carcasses", Integer, nullable=False),
    Column("mass_kg", Float, nullable=False),
    Column("delivered_on", Date, nullable=False),
)

processing_runs = Table(
    "processing_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plant_org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("product_type", String(64), nullable=False),
    Column("made_on", Date, nullable=False),
    Column("vet_certificate", String(100), nullable=False),
    Column("input_kg", Float, nullable=False),
    Column("output_kg", Float, nullable=False),
    Column("inputs", JSON, nullable=False),  # [[carcass batch key, kg], ...]
)

meat_lots = Table(
    "meat_lots",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("run_id", Integer, ForeignKey("processing_runs.id"), nullable=False, index=True),
    Column("gtin", String(14), nullable=False),
    Column("batch", String(20), nullable=False),
    Column("packs", Integer, nullable=False),
    Column("pack_mass_kg", Float, nullable=False),
    Column("use_by", Date, nullable=False),
    Column("population", String(40), nullable=False),
    Column("cull_from", Date, nullable=False),
    Column("cull_to", Date, nullable=False),
    Column("culls", JSON, nullable=False),
    Column("packs_sold", Integer, nullable=False, server_default="0"),
    Column("recalled_on", Date, nullable=True),
    Column("recall_reason", Text, nullable=True),
)

derivative_sales = Table(
    "derivative_sales",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("seller_org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("buyer_kind", String(20), nullable=False),
    Column("buyer", String(200), nullable=False),
    Column("product_type", String(64), nullable=False),  # the lines' product type, or "mixed"
    Column("items", Integer, nullable=False),  # marked items sold (count)
    Column("mass_kg", Float, nullable=False),
    Column("price_kzt", Float, nullable=False),
    Column("sold_at", DateTime, nullable=False, index=True),
    Column("event_id", String(300), nullable=False),
)

# What each sale took: a marked item whole (kg: its mass, if known), or kilograms of a lot.
derivative_sale_lines = Table(
    "derivative_sale_lines",
    metadata,
    Column("sale_id", String(40), ForeignKey("derivative_sales.id"), primary_key=True),
    Column("key", String(300), primary_key=True),
    Column("is_class", Boolean, nullable=False),
    Column("kg", Float, nullable=True),
    Index("ix_derivative_sale_lines_key", "key"),
)

# Permits to take wild specimens (argali trophies, plants by mass) and what was taken under them.
take_permits = Table(
    "take_permits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(60), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("species", String(120), nullable=False),
    Column("area", String(300), nullable=False),
    Column("starts", Date, nullable=False),
    Column("ends", Date, nullable=False),
    Column("holder_org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("limit_amount", Float, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

takings = Table(
    "takings",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("permit_id", Integer, ForeignKey("take_permits.id"), nullable=False, index=True),
    Column("amount", Float, nullable=False),
    Column("taken_on", Date, nullable=False),
)
