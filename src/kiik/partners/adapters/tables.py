"""Tables of the partner exchange: partner registries and their keys and checkpoints, the outbox of
signed messages (kept until the partner acknowledged each), the inbox (each applied message id once)
and the export notices received with their items.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    false,
)

from kiik.db.metadata import metadata

partners = Table(
    "partners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("country", String(2), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("base_url", String(300), nullable=False),
    Column("created_at", DateTime, nullable=False),
    # A partner that collects the messages kept for it: delivery leaves them in the outbox.
    Column("collects", Boolean, nullable=False, server_default=false()),
)

partner_keys = Table(
    "partner_keys",
    metadata,
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("public_key", String(100), nullable=False),
    Column("added_at", DateTime, nullable=False),
    PrimaryKeyConstraint("partner_id", "key_id"),
)

# The partner's checkpoints this registry has verified, each consistent with the one before.
partner_checkpoints = Table(
    "partner_checkpoints",
    metadata,
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=False),
    Column("tree_size", BigInteger, nullable=False),
    Column("root", String(64), nullable=False),
    Column("issued_at", DateTime, nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("signature", String(100), nullable=False),
    Column("seen_at", DateTime, nullable=False),
    PrimaryKeyConstraint("partner_id", "tree_size"),
)

partner_outbox = Table(
    "partner_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", String(64), nullable=False, unique=True),
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("permit_number", String(40), nullable=True, index=True),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("delivered_at", DateTime, nullable=True),
    Column("last_error", Text, nullable=True),
)

partner_inbox = Table(
    "partner_inbox",
    metadata,
    Column("message_id", String(64), primary_key=True),
    Column("partner_id", Integer, ForeignKey("partners.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("permit_number", String(40), nullable=True, index=True),
    Column("message", Text, nullable=False),
    Column("received_at", DateTime, nullable=False),
)

# What an applied export notice said left (the importing side's reconciliation reads these rather
# than decoding every signed notice, which carries the items' whole history): the permit and the
# day of export once per notice, the items with their kilograms.
partner_notices = Table(
    "partner_notices",
    metadata,
    Column("message_id", String(64), ForeignKey("partner_inbox.message_id"), primary_key=True),
    Column("permit_number", String(40), nullable=False, index=True),
    Column("sender", String(2), nullable=False),
    Column("recipient", String(2), nullable=False),
    Column("exported_at", DateTime, nullable=True, index=True),
)

partner_notice_items = Table(
    "partner_notice_items",
    metadata,
    Column("message_id", String(64), ForeignKey("partner_notices.message_id"), nullable=False),
    Column("item_key", String(300), nullable=False),
    Column("notified_kg", Float, nullable=True),
    PrimaryKeyConstraint("message_id", "item_key"),
)
