"""fewer item indexes

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22

Items move often (shipped, received, counted, consumed), and every index over a column that moved
is written again. `ix_items_holder_org_id` repeats the first column of `ix_items_stock_report`,
which serves every read by holder; `ix_items_status` served no query (status is read with its
holder or its site, through those indexes).
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_items_holder_org_id", table_name="items")
    op.drop_index("ix_items_status", table_name="items")


def downgrade() -> None:
    op.create_index("ix_items_status", "items", ["status"])
    op.create_index("ix_items_holder_org_id", "items", ["holder_org_id"])
