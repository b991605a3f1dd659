"""query subscriptions

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-06

Subscriptions to named queries of the EPCIS 2.0 REST binding (/epcis/queries/{name}/subscriptions):
where and when to deliver (webhook, stream or schedule), as which organisation and role, and how far
delivery got.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "query_subscriptions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("query_name", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("dest", sa.String(length=2000), nullable=False),
        sa.Column("signature_token", sa.String(length=500), nullable=True),
        sa.Column("stream", sa.Boolean(), nullable=False),
        sa.Column("schedule", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("report_if_empty", sa.Boolean(), nullable=False),
        sa.Column("initial_record_time", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("after_time", sa.DateTime(), nullable=True),
        sa.Column("after_event", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_query_subscriptions_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["token_id"], ["api_tokens.id"], name=op.f("fk_query_subscriptions_token_id_api_tokens")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_query_subscriptions")),
    )
    op.create_index(op.f("ix_query_subscriptions_query_name"), "query_subscriptions", ["query_name"])
    op.create_index(op.f("ix_query_subscriptions_org_id"), "query_subscriptions", ["org_id"])
    op.create_index(op.f("ix_query_subscriptions_due_at"), "query_subscriptions", ["due_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_query_subscriptions_due_at"), table_name="query_subscriptions")
    op.drop_index(op.f("ix_query_subscriptions_org_id"), table_name="query_subscriptions")
    op.drop_index(op.f("ix_query_subscriptions_query_name"), table_name="query_subscriptions")
    op.drop_table("query_subscriptions")
