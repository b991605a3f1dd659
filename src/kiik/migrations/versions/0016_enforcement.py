"""enforcement

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

Enforcement (docs/enforcement.md): seizures with their specimens and the codes found on the goods
(each with what matching against the registry found), custody steps of seized goods, leak alerts
and their review, the region of each organisation, cases under Article 339, animals in
rehabilitation, market inspections and the seizure exchange with partner registries.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_seizure_exchanges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("partner", sa.String(length=8), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("codes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("answers", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_seizure_exchanges")),
    )
    with op.batch_alter_table("partner_seizure_exchanges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_partner_seizure_exchanges_partner_reference", ["partner", "reference"], unique=False
        )

    op.create_table(
        "enforcement_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=80), nullable=False),
        sa.Column("article_part", sa.String(length=20), nullable=False),
        sa.Column("offence_on", sa.Date(), nullable=False),
        sa.Column("suspects", sa.Integer(), nullable=False),
        sa.Column("suspect_nationalities", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["organisations.id"], name=op.f("fk_enforcement_cases_opened_by_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_cases")),
        sa.UniqueConstraint("number", name=op.f("uq_enforcement_cases_number")),
    )
    op.create_table(
        "org_regions",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_org_regions_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_org_regions")),
    )
    with op.batch_alter_table("org_regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_regions_region"), ["region"], unique=False)

    op.create_table(
        "seizures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("seized_on", sa.Date(), nullable=False),
        sa.Column("reporting_country", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("agency_case_number", sa.String(length=80), nullable=True),
        sa.Column("detection_method", sa.String(length=60), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=False),
        sa.Column("route", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("transport_mode", sa.String(length=40), nullable=True),
        sa.Column("concealment", sa.String(length=200), nullable=True),
        sa.Column("legal_action", sa.String(length=200), nullable=True),
        sa.Column("specimen_fate", sa.String(length=200), nullable=True),
        sa.Column("offenders", sa.Integer(), nullable=True),
        sa.Column("offender_nationalities", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["organisations.id"], name=op.f("fk_seizures_recorded_by_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizures")),
        sa.UniqueConstraint("reference", name=op.f("uq_seizures_reference")),
    )
    with op.batch_alter_table("seizures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seizures_region"), ["region"], unique=False)
        batch_op.create_index(batch_op.f("ix_seizures_seized_on"), ["seized_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_seizures_species"), ["species"], unique=False)

    op.create_table(
        "case_seizures",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("seizure_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enforcement_cases.id"], name=op.f("fk_case_seizures_case_id_enforcement_cases")
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"], ["seizures.id"], name=op.f("fk_case_seizures_seizure_id_seizures")
        ),
        sa.PrimaryKeyConstraint("case_id", "seizure_id", name=op.f("pk_case_seizures")),
    )
    op.create_table(
        "custody_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seizure_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("event_id", sa.String(length=300), nullable=True),
        sa.Column("codes", sa.Integer(), nullable=False),
        sa.Column("by_org", sa.Integer(), nullable=True),
        sa.Column("by_actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_org"], ["organisations.id"], name=op.f("fk_custody_steps_by_org_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"], ["seizures.id"], name=op.f("fk_custody_steps_seizure_id_seizures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_steps")),
    )
    with op.batch_alter_table("custody_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custody_steps_seizure_id"), ["seizure_id"], unique=False)

    op.create_table(
        "leak_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seizure_id", sa.Integer(), nullable=False),
        sa.Column("holder_org_id", sa.Integer(), nullable=True),
        sa.Column("region", sa.String(length=80), nullable=True),
        sa.Column("codes", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seizure_id"], ["seizures.id"], name=op.f("fk_leak_alerts_seizure_id_seizures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leak_alerts")),
    )
    with op.batch_alter_table("leak_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leak_alerts_holder_org_id"), ["holder_org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_leak_alerts_region"), ["region"], unique=False)
        batch_op.create_index(batch_op.f("ix_leak_alerts_seizure_id"), ["seizure_id"], unique=False)

    op.create_table(
        "market_inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=True),
        sa.Column("code", sa.String(length=300), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("seizure_id", sa.Integer(), nullable=True),
        sa.Column("by_org", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_org"], ["organisations.id"], name=op.f("fk_market_inspections_by_org_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["seizure_id"], ["seizures.id"], name=op.f("fk_market_inspections_seizure_id_seizures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_inspections")),
    )
    op.create_table(
        "rehab_animals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seizure_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=80), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=False),
        sa.Column("centre", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("release_place", sa.String(length=200), nullable=True),
        sa.Column("release_latitude", sa.Float(), nullable=True),
        sa.Column("release_longitude", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["seizure_id"], ["seizures.id"], name=op.f("fk_rehab_animals_seizure_id_seizures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_animals")),
        sa.UniqueConstraint("mark", name=op.f("uq_rehab_animals_mark")),
    )
    with op.batch_alter_table("rehab_animals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rehab_animals_seizure_id"), ["seizure_id"], unique=False)

    op.create_table(
        "seized_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seizure_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=300), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("holder_org_id", sa.Integer(), nullable=True),
        sa.Column("holder_region", sa.String(length=80), nullable=True),
        sa.Column("last_event_id", sa.String(length=300), nullable=True),
        sa.Column("last_event_time", sa.DateTime(), nullable=True),
        sa.Column("details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("disposition", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["seizure_id"], ["seizures.id"], name=op.f("fk_seized_codes_seizure_id_seizures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seized_codes")),
        sa.UniqueConstraint("seizure_id", "code", name="uq_seized_codes_seizure_code"),
    )
    with op.batch_alter_table("seized_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seized_codes_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_seized_codes_holder_org_id"), ["holder_org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_seized_codes_seizure_id"), ["seizure_id"], unique=False)

    op.create_table(
        "seizure_specimens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seizure_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=8), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("marked", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seizure_id"], ["seizures.id"], name=op.f("fk_seizure_specimens_seizure_id_seizures")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seizure_specimens")),
    )
    with op.batch_alter_table("seizure_specimens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seizure_specimens_seizure_id"), ["seizure_id"], unique=False)

    op.create_table(
        "alert_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by_org", sa.Integer(), nullable=True),
        sa.Column("by_actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["leak_alerts.id"], name=op.f("fk_alert_steps_alert_id_leak_alerts")
        ),
        sa.ForeignKeyConstraint(
            ["by_org"], ["organisations.id"], name=op.f("fk_alert_steps_by_org_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_steps")),
    )
    with op.batch_alter_table("alert_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_steps_alert_id"), ["alert_id"], unique=False)

    op.create_table(
        "rehab_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("animal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by_actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["animal_id"], ["rehab_animals.id"], name=op.f("fk_rehab_records_animal_id_rehab_animals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_records")),
    )
    with op.batch_alter_table("rehab_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rehab_records_animal_id"), ["animal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rehab_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_records_animal_id"))

    op.drop_table("rehab_records")
    with op.batch_alter_table("alert_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_steps_alert_id"))

    op.drop_table("alert_steps")
    with op.batch_alter_table("seizure_specimens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seizure_specimens_seizure_id"))

    op.drop_table("seizure_specimens")
    with op.batch_alter_table("seized_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seized_codes_seizure_id"))
        batch_op.drop_index(batch_op.f("ix_seized_codes_holder_org_id"))
        batch_op.drop_index(batch_op.f("ix_seized_codes_code"))

    op.drop_table("seized_codes")
    with op.batch_alter_table("rehab_animals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_animals_seizure_id"))

    op.drop_table("rehab_animals")
    op.drop_table("market_inspections")
    with op.batch_alter_table("leak_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leak_alerts_seizure_id"))
        batch_op.drop_index(batch_op.f("ix_leak_alerts_region"))
        batch_op.drop_index(batch_op.f("ix_leak_alerts_holder_org_id"))

    op.drop_table("leak_alerts")
    with op.batch_alter_table("custody_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_steps_seizure_id"))

    op.drop_table("custody_steps")
    op.drop_table("case_seizures")
    with op.batch_alter_table("seizures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seizures_species"))
        batch_op.drop_index(batch_op.f("ix_seizures_seized_on"))
        batch_op.drop_index(batch_op.f("ix_seizures_region"))

    op.drop_table("seizures")
    with op.batch_alter_table("org_regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_regions_region"))

    op.drop_table("org_regions")
    op.drop_table("enforcement_cases")
    with op.batch_alter_table("partner_seizure_exchanges", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_seizure_exchanges_partner_reference")

    op.drop_table("partner_seizure_exchanges")
