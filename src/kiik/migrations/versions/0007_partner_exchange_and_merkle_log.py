"""partner exchange and merkle log

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merkle_checkpoints",
        sa.Column("tree_size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name=op.f("pk_merkle_checkpoints")),
    )
    op.create_table(
        "merkle_nodes",
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("level", "position", name=op.f("pk_merkle_nodes")),
    )
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("base_url", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("country", name=op.f("uq_partners_country")),
    )
    op.create_table(
        "partner_checkpoints",
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=100), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_checkpoints_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("partner_id", "tree_size", name=op.f("pk_partner_checkpoints")),
    )
    op.create_table(
        "partner_inbox",
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("permit_number", sa.String(length=40), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_inbox_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_partner_inbox")),
    )
    op.create_index(op.f("ix_partner_inbox_partner_id"), "partner_inbox", ["partner_id"], unique=False)
    op.create_index(op.f("ix_partner_inbox_permit_number"), "partner_inbox", ["permit_number"], unique=False)
    op.create_table(
        "partner_keys",
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_keys_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("partner_id", "key_id", name=op.f("pk_partner_keys")),
    )
    op.create_table(
        "partner_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("permit_number", sa.String(length=40), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_outbox_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_partner_outbox_message_id")),
    )
    op.create_index(op.f("ix_partner_outbox_partner_id"), "partner_outbox", ["partner_id"], unique=False)
    op.create_index(
        op.f("ix_partner_outbox_permit_number"), "partner_outbox", ["permit_number"], unique=False
    )
    op.create_table(
        "merkle_leaves",
        sa.Column("position", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("event_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hash_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["event_pk"], ["events.id"], name=op.f("fk_merkle_leaves_event_pk_events")),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_merkle_leaves")),
        sa.UniqueConstraint("event_pk", name=op.f("uq_merkle_leaves_event_pk")),
    )


def downgrade() -> None:
    op.drop_table("merkle_leaves")
    op.drop_index(op.f("ix_partner_outbox_permit_number"), table_name="partner_outbox")
    op.drop_index(op.f("ix_partner_outbox_partner_id"), table_name="partner_outbox")
    op.drop_table("partner_outbox")
    op.drop_table("partner_keys")
    op.drop_index(op.f("ix_partner_inbox_permit_number"), table_name="partner_inbox")
    op.drop_index(op.f("ix_partner_inbox_partner_id"), table_name="partner_inbox")
    op.drop_table("partner_inbox")
    op.drop_table("partner_checkpoints")
    op.drop_table("partners")
    op.drop_table("merkle_nodes")
    op.drop_table("merkle_checkpoints")
