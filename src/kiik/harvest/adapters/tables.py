"""Tables of the harvest feature, declared on the shared MetaData (see bootstrap/schema.py).

`harvested_horns` is a projection kept by the harvest rule in the capture transaction: the horns
counted under each authorisation, by animal, so the rule counts animals and horns per animal
without reading events back. `harvest_totals` keeps the animals (distinct) and horns per
authorisation, by triggers on `harvested_horns` (migration 0021). `harvest_imports` records each
field sheet accepted under an idempotency key, in the same transaction as its events.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from kiik.db.metadata import BigId, metadata

harvest_authorisations = Table(
    "harvest_authorisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(64), nullable=False, unique=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("species", String(120), nullable=False),
    Column("population", String(32), nullable=False),
    Column("area", JSON, nullable=False),
    Column("area_label", String(300), nullable=False, server_default=""),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
    Column("max_animals", Integer, nullable=False),
    Column("issued_by", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("issued_at", DateTime, nullable=False),
)

harvested_horns = Table(
    "harvested_horns",
    metadata,
    Column("horn_key", String(300), primary_key=True),
    Column("authorisation_id", Integer, nullable=False),  # no foreign key: see migration 0010
    Column("animal_id", String(120), nullable=False),
    Column("sex", String(16), nullable=True),
    Column("microchip", String(15), nullable=True, index=True),
    Index("ix_harvested_horns_authorisation_animal", "authorisation_id", "animal_id"),
)

harvest_totals = Table(
    "harvest_totals",
    metadata,
    Column("authorisation_id", Integer, primary_key=True, autoincrement=False),
    Column("animals", BigId, nullable=False),
    Column("horns", BigId, nullable=False),
)

harvest_imports = Table(
    "harvest_imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("sheet_sha256", String(64), nullable=False),
    Column("capture_id", String(40), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("result", JSON, nullable=False),
    UniqueConstraint("org_id", "idempotency_key", name="uq_harvest_imports_org_id_idempotency_key"),
)
