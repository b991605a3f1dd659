"""named queries

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

Named queries of the EPCIS 2.0 REST binding (/epcis/queries): a query definition kept under a name
by the organisation that made it.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "named_queries",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("definition", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_named_queries")),
    )
    op.create_index(op.f("ix_named_queries_org_id"), "named_queries", ["org_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_named_queries_org_id"), table_name="named_queries")
    op.drop_table("named_queries")
