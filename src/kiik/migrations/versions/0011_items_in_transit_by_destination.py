"""items in transit by destination

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

The named destination of a shipment reads the items in transit to it (and the events naming them)
before it receives them. Only items in transit carry a destination, so a partial index keeps the
lookup by destination small and costs nothing for items that are not on their way.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

IN_TRANSIT_SQL = "destination_org_id IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_items_in_transit_to",
        "items",
        ["destination_org_id", "status"],
        sqlite_where=sa.text(IN_TRANSIT_SQL),
        postgresql_where=sa.text(IN_TRANSIT_SQL),
    )


def downgrade() -> None:
    op.drop_index("ix_items_in_transit_to", table_name="items")
