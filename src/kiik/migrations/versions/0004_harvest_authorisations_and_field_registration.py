"""harvest authorisations and field registration

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "harvest_authorisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=False),
        sa.Column("population", sa.String(length=32), nullable=False),
        sa.Column("area", sa.JSON(), nullable=False),
        sa.Column("area_label", sa.String(length=300), server_default="", nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("max_animals", sa.Integer(), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_harvest_authorisations_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by"],
            ["organisations.id"],
            name=op.f("fk_harvest_authorisations_issued_by_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_authorisations")),
        sa.UniqueConstraint("number", name=op.f("uq_harvest_authorisations_number")),
    )
    with op.batch_alter_table("harvest_authorisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_harvest_authorisations_org_id"), ["org_id"], unique=False)

    op.create_table(
        "harvested_horns",
        sa.Column("horn_key", sa.String(length=300), nullable=False),
        sa.Column("authorisation_id", sa.Integer(), nullable=False),
        sa.Column("animal_id", sa.String(length=120), nullable=False),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("microchip", sa.String(length=15), nullable=True),
        sa.ForeignKeyConstraint(
            ["authorisation_id"],
            ["harvest_authorisations.id"],
            name=op.f("fk_harvested_horns_authorisation_id_harvest_authorisations"),
        ),
        sa.PrimaryKeyConstraint("horn_key", name=op.f("pk_harvested_horns")),
    )
    with op.batch_alter_table("harvested_horns", schema=None) as batch_op:
        batch_op.create_index(
            "ix_harvested_horns_authorisation_animal", ["authorisation_id", "animal_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_harvested_horns_microchip"), ["microchip"], unique=False)

    op.create_table(
        "harvest_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("sheet_sha256", sa.String(length=64), nullable=False),
        sa.Column("capture_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_harvest_imports_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_harvest_imports")),
        sa.UniqueConstraint(
            "org_id", "idempotency_key", name=op.f("uq_harvest_imports_org_id_idempotency_key")
        ),
    )


def downgrade() -> None:
    op.drop_table("harvest_imports")
    with op.batch_alter_table("harvested_horns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvested_horns_microchip"))
        batch_op.drop_index("ix_harvested_horns_authorisation_animal")
    op.drop_table("harvested_horns")
    with op.batch_alter_table("harvest_authorisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_harvest_authorisations_org_id"))
    op.drop_table("harvest_authorisations")
