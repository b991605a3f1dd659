"""legal trade

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-06

Legal trade (issue 15): the product types each listed species trades as.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "traded_products",
        sa.Column("taxon_id", sa.Integer(), nullable=False),
        sa.Column("product_type", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("description", sa.String(length=300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["taxon_id"], ["taxa.id"], name=op.f("fk_traded_products_taxon_id_taxa")),
        sa.PrimaryKeyConstraint("taxon_id", "product_type", name=op.f("pk_traded_products")),
    )


def downgrade() -> None:
    op.drop_table("traded_products")
