"""mass bounds

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06

The plausible masses of marked items and lots per product type and species, as the ministry sets
them (kiik.custody.domain.mass_bounds holds the defaults that apply where it set none).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mass_bounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_type", sa.String(length=64), nullable=False),
        sa.Column("measured", sa.String(length=8), nullable=False),
        sa.Column("species", sa.String(length=120), server_default="", nullable=False),
        sa.Column("least_kg", sa.Float(), nullable=False),
        sa.Column("most_kg", sa.Float(), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mass_bounds")),
        sa.UniqueConstraint("product_type", "measured", "species", name="uq_mass_bounds_product_type"),
    )


def downgrade() -> None:
    op.drop_table("mass_bounds")
