"""Tables of the tamper-evident log and the registry's signing keys.

The log tables are append-only like the events: a leaf per captured event in capture order, every
perfect subtree hash (level 0 are the leaf hashes), and the signed checkpoints.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
)

from kiik.db.metadata import BigId, metadata

merkle_leaves = Table(
    "merkle_leaves",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("event_pk", BigId, nullable=False, unique=True),  # no foreign key: see migration 0010
    Column("hash_id", String(100), nullable=False),
)

merkle_nodes = Table(
    "merkle_nodes",
    metadata,
    Column("level", Integer, nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    PrimaryKeyConstraint("level", "position"),
)

merkle_checkpoints = Table(
    "merkle_checkpoints",
    metadata,
    Column("tree_size", BigInteger, primary_key=True, autoincrement=False),
    Column("root", String(64), nullable=False),
    Column("issued_at", DateTime, nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("signature", String(100), nullable=False),
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
