"""monitoring: census, offtake plans, fence passages, Camtrap DP packages and alerts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

Media and observations carry their deployment's id without a foreign key (a million rows are
written by one import that has just written those deployments; see 0010 for the cost of a
foreign key per row on PostgreSQL).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "camtrap_burst_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("deployment_pk", sa.Integer(), nullable=False),
        sa.Column("scientific_name", sa.String(length=200), nullable=False),
        sa.Column("bursts", sa.Integer(), nullable=False),
        sa.Column("starts", sa.LargeBinary(), nullable=False),
        sa.Column("ends", sa.LargeBinary(), nullable=False),
        sa.Column("groups", sa.LargeBinary(), nullable=False),
        sa.Column("directions", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camtrap_burst_series")),
    )
    with op.batch_alter_table("camtrap_burst_series", schema=None) as batch_op:
        batch_op.create_index(
            "ix_camtrap_burst_series_deployment_species", ["deployment_pk", "scientific_name"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_camtrap_burst_series_package_id"), ["package_id"], unique=False)

    op.create_table(
        "camtrap_media",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.String(length=200), nullable=False),
        sa.Column("deployment_pk", sa.Integer(), nullable=False),
        sa.Column("file_path", sa.Text(), nullable=False),
        sa.Column("row", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camtrap_media")),
    )
    with op.batch_alter_table("camtrap_media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_camtrap_media_package_id"), ["package_id"], unique=False)

    op.create_table(
        "camtrap_observations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("deployment_pk", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.String(length=200), nullable=False),
        sa.Column("media_id", sa.String(length=200), nullable=True),
        sa.Column("observation_type", sa.String(length=20), nullable=False),
        sa.Column("scientific_name", sa.String(length=200), nullable=True),
        sa.Column("starts", sa.BigInteger(), nullable=False),
        sa.Column("ends", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(length=60), nullable=True),
        sa.Column("row", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camtrap_observations")),
    )
    with op.batch_alter_table("camtrap_observations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_camtrap_observations_deployment_species_start",
            ["deployment_pk", "scientific_name", "starts"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_camtrap_observations_package_id"), ["package_id"], unique=False)

    op.create_table(
        "fence_passages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("fence", sa.String(length=200), nullable=False),
        sa.Column("border", sa.String(length=20), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fence_passages")),
        sa.UniqueConstraint("location_id", name=op.f("uq_fence_passages_location_id")),
    )
    op.create_table(
        "camtrap_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_key", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=500), server_default="", nullable=False),
        sa.Column(
            "descriptor",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("observations", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["organisations.id"], name=op.f("fk_camtrap_packages_imported_by_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camtrap_packages")),
        sa.UniqueConstraint("package_key", name=op.f("uq_camtrap_packages_package_key")),
    )
    op.create_table(
        "census_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=False),
        sa.Column("population", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("estimate", sa.BigInteger(), nullable=False),
        sa.Column("ci_lower", sa.BigInteger(), nullable=True),
        sa.Column("ci_upper", sa.BigInteger(), nullable=True),
        sa.Column("standard_error", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["organisations.id"], name=op.f("fk_census_surveys_recorded_by_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_census_surveys")),
        sa.UniqueConstraint(
            "species", "population", "year", name="uq_census_surveys_species_population_year"
        ),
    )
    op.create_table(
        "offtake_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=False),
        sa.Column("population", sa.String(length=40), nullable=False),
        sa.Column("season", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("max_animals", sa.Integer(), nullable=False),
        sa.Column("rule_basis", sa.String(length=20), nullable=False),
        sa.Column("rule_share", sa.Float(), nullable=False),
        sa.Column("census_year", sa.Integer(), nullable=False),
        sa.Column("census_basis", sa.BigInteger(), nullable=False),
        sa.Column("justification_name", sa.String(length=200), nullable=False),
        sa.Column("justification_type", sa.String(length=100), nullable=False),
        sa.Column("justification_sha256", sa.String(length=64), nullable=False),
        sa.Column("justification_size", sa.Integer(), nullable=False),
        sa.Column("justification", sa.LargeBinary(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["organisations.id"], name=op.f("fk_offtake_plans_recorded_by_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offtake_plans")),
        sa.UniqueConstraint(
            "species", "population", "season", "revision", name="uq_offtake_plans_species_population_season"
        ),
    )
    op.create_table(
        "camtrap_deployments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("deployment_id", sa.String(length=200), nullable=False),
        sa.Column("location_id", sa.String(length=200), nullable=True),
        sa.Column("starts", sa.BigInteger(), nullable=False),
        sa.Column("ends", sa.BigInteger(), nullable=False),
        sa.Column("camera_id", sa.String(length=200), nullable=True),
        sa.Column("row", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["camtrap_packages.id"],
            name=op.f("fk_camtrap_deployments_package_id_camtrap_packages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camtrap_deployments")),
        sa.UniqueConstraint("package_id", "deployment_id", name="uq_camtrap_deployments_package_id"),
    )
    with op.batch_alter_table("camtrap_deployments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_camtrap_deployments_location_id"), ["location_id"], unique=False)

    op.create_table(
        "monitoring_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("location_id", sa.String(length=200), nullable=True),
        sa.Column("deployment_id", sa.String(length=200), nullable=False),
        sa.Column("observed_at", sa.BigInteger(), nullable=False),
        sa.Column("observation_id", sa.String(length=200), nullable=False),
        sa.Column("media_id", sa.String(length=200), nullable=True),
        sa.Column("photo", sa.Text(), nullable=True),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["camtrap_packages.id"],
            name=op.f("fk_monitoring_alerts_package_id_camtrap_packages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_alerts")),
    )
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_alerts_observed_at"), ["observed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alerts_package_id"), ["package_id"], unique=False)

    op.create_table(
        "camtrap_malfunctions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deployment_pk", sa.Integer(), nullable=False),
        sa.Column("starts", sa.BigInteger(), nullable=False),
        sa.Column("ends", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["deployment_pk"],
            ["camtrap_deployments.id"],
            name=op.f("fk_camtrap_malfunctions_deployment_pk_camtrap_deployments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camtrap_malfunctions")),
    )
    with op.batch_alter_table("camtrap_malfunctions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_camtrap_malfunctions_deployment_pk"), ["deployment_pk"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("camtrap_malfunctions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_camtrap_malfunctions_deployment_pk"))

    op.drop_table("camtrap_malfunctions")
    with op.batch_alter_table("monitoring_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_package_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alerts_observed_at"))

    op.drop_table("monitoring_alerts")
    with op.batch_alter_table("camtrap_deployments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_camtrap_deployments_location_id"))

    op.drop_table("camtrap_deployments")
    op.drop_table("offtake_plans")
    op.drop_table("census_surveys")
    op.drop_table("camtrap_packages")
    op.drop_table("fence_passages")
    with op.batch_alter_table("camtrap_observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_camtrap_observations_package_id"))
        batch_op.drop_index("ix_camtrap_observations_deployment_species_start")

    op.drop_table("camtrap_observations")
    with op.batch_alter_table("camtrap_media", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_camtrap_media_package_id"))

    op.drop_table("camtrap_media")
    with op.batch_alter_table("camtrap_burst_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_camtrap_burst_series_package_id"))
        batch_op.drop_index("ix_camtrap_burst_series_deployment_species")

    op.drop_table("camtrap_burst_series")
