"""Tables of proceeds: the ministry's fee and allocation rules, and the ledger (entries and their lines).

Ledger rows are only ever inserted: a correction is a new entry that reverses an earlier one.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from kiik.db.metadata import BigId, metadata

fee_rules = Table(
    "fee_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(300), nullable=False),
    Column("charge", String(16), nullable=False),
    Column("basis", String(16), nullable=False),
    Column("rate", Float, nullable=False),
    Column("species", String(120), nullable=True),
    Column("product_type", String(64), nullable=True),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("legal_basis", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

allocation_rules = Table(
    "allocation_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(300), nullable=False),
    Column("shares", JSON, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("legal_basis", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("day", Date, nullable=False, index=True),
    Column("description", Text, nullable=False),
    Column("population", String(80), nullable=False),
    Column("payer", String(64), nullable=True),
    Column("source", String(300), nullable=True, index=True),
    Column("follows", BigId, nullable=True, index=True),
    Column("corrects", BigId, nullable=True, unique=True),
    Column("recorded_at", DateTime, nullable=False),
)

ledger_lines = Table(
    "ledger_lines",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("entry_id", BigId, ForeignKey("ledger_entries.id"), nullable=False, index=True),
    Column("account", String(120), nullable=False, index=True),
    Column("debit", BigInteger, nullable=False),
    Column("credit", BigInteger, nullable=False),
)
