"""species rules, quotas and permits

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "permit_serials",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("country", "year", name=op.f("pk_permit_serials")),
    )
    op.create_table(
        "signing_keys",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("private_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_signing_keys")),
    )
    op.create_table(
        "taxa",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scientific_name", sa.String(length=120), nullable=False),
        sa.Column("name_kk", sa.String(length=200), server_default="", nullable=False),
        sa.Column("name_ru", sa.String(length=200), server_default="", nullable=False),
        sa.Column("name_en", sa.String(length=200), server_default="", nullable=False),
        sa.Column("cites_appendix", sa.String(length=8), server_default="", nullable=False),
        sa.Column("national_status", sa.String(length=300), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxa")),
        sa.UniqueConstraint("scientific_name", name=op.f("uq_taxa_scientific_name")),
    )
    op.create_table(
        "quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taxon_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=3), nullable=True),
        sa.Column("unit", sa.String(length=3), nullable=False),
        sa.Column("source", sa.String(length=1), nullable=False),
        sa.Column("purpose", sa.String(length=1), nullable=False),
        sa.Column("destination", sa.String(length=2), nullable=True),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("yearly_cap", sa.Float(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["taxon_id"], ["taxa.id"], name=op.f("fk_quotas_taxon_id_taxa")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotas")),
    )
    with op.batch_alter_table("quotas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quotas_taxon_id"), ["taxon_id"], unique=False)

    op.create_table(
        "register_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_register_audit_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_audit")),
    )
    with op.batch_alter_table("register_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_audit_subject"), ["subject"], unique=False)

    op.create_table(
        "species_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("taxon_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("operations", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("penalty_article", sa.String(length=200), nullable=True),
        sa.Column("penalty_min_mci", sa.Integer(), nullable=True),
        sa.Column("penalty_max_mci", sa.Integer(), nullable=True),
        sa.Column("penalty_other", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["taxon_id"], ["taxa.id"], name=op.f("fk_species_rules_taxon_id_taxa")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_species_rules")),
    )
    with op.batch_alter_table("species_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_species_rules_taxon_id"), ["taxon_id"], unique=False)

    op.create_table(
        "permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("applicant_org_id", sa.Integer(), nullable=False),
        sa.Column("importer_name", sa.String(length=200), nullable=False),
        sa.Column("importer_address", sa.Text(), server_default="", nullable=False),
        sa.Column("import_country", sa.String(length=2), nullable=False),
        sa.Column("purpose", sa.String(length=1), nullable=False),
        sa.Column("source", sa.String(length=1), nullable=False),
        sa.Column("special_conditions", sa.Text(), server_default="", nullable=False),
        sa.Column("scientific_name", sa.String(length=120), nullable=False),
        sa.Column("quantity_kg", sa.Float(), nullable=False),
        sa.Column("quota_id", sa.Integer(), nullable=True),
        sa.Column("quota_year", sa.Integer(), nullable=True),
        sa.Column("reserved_kg", sa.Float(), nullable=True),
        sa.Column("used_kg", sa.Float(), nullable=True),
        sa.Column("quota_line", sa.String(length=100), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_org_id", sa.Integer(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.Column("endorsed_at", sa.DateTime(), nullable=True),
        sa.Column("endorsed_by_org_id", sa.Integer(), nullable=True),
        sa.Column("export_port", sa.String(length=200), nullable=True),
        sa.Column("bill_of_lading", sa.String(length=100), nullable=True),
        sa.Column("export_event_id", sa.String(length=300), nullable=True),
        sa.Column("signing_key_id", sa.String(length=64), nullable=True),
        sa.Column("signed_document", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_org_id"], ["organisations.id"], name=op.f("fk_permits_applicant_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_org_id"],
            ["organisations.id"],
            name=op.f("fk_permits_decided_by_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["endorsed_by_org_id"],
            ["organisations.id"],
            name=op.f("fk_permits_endorsed_by_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(["quota_id"], ["quotas.id"], name=op.f("fk_permits_quota_id_quotas")),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"], ["permits.id"], name=op.f("fk_permits_replaced_by_id_permits")
        ),
        sa.ForeignKeyConstraint(["replaces_id"], ["permits.id"], name=op.f("fk_permits_replaces_id_permits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permits")),
        sa.UniqueConstraint("number", name=op.f("uq_permits_number")),
    )
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_permits_applicant_org_id"), ["applicant_org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_permits_status"), ["status"], unique=False)

    op.create_table(
        "quota_years",
        sa.Column("quota_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cap", sa.Float(), nullable=False),
        sa.Column("reserved", sa.Float(), server_default="0", nullable=False),
        sa.Column("used", sa.Float(), server_default="0", nullable=False),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["quota_id"], ["quotas.id"], name=op.f("fk_quota_years_quota_id_quotas")),
        sa.PrimaryKeyConstraint("quota_id", "year", name=op.f("pk_quota_years")),
    )
    op.create_table(
        "permit_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("permit_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_permit_history_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["permit_id"], ["permits.id"], name=op.f("fk_permit_history_permit_id_permits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permit_history")),
    )
    with op.batch_alter_table("permit_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_permit_history_permit_id"), ["permit_id"], unique=False)

    op.create_table(
        "permit_items",
        sa.Column("permit_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=300), nullable=False),
        sa.Column("line", sa.String(length=2), nullable=False),
        sa.Column("scientific_name", sa.String(length=120), nullable=False),
        sa.Column("term", sa.String(length=3), nullable=False),
        sa.Column("unit", sa.String(length=3), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("actual_quantity", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["permit_id"], ["permits.id"], name=op.f("fk_permit_items_permit_id_permits")
        ),
        sa.PrimaryKeyConstraint("permit_id", "item_key", name=op.f("pk_permit_items")),
    )
    with op.batch_alter_table("permit_items", schema=None) as batch_op:
        batch_op.create_index("ix_permit_items_item_key", ["item_key"], unique=False)

    op.create_table(
        "quota_movements",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("quota_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("permit_id", sa.Integer(), nullable=False),
        sa.Column("exporter_org_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exporter_org_id"],
            ["organisations.id"],
            name=op.f("fk_quota_movements_exporter_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["permit_id"], ["permits.id"], name=op.f("fk_quota_movements_permit_id_permits")
        ),
        sa.ForeignKeyConstraint(["quota_id"], ["quotas.id"], name=op.f("fk_quota_movements_quota_id_quotas")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quota_movements")),
    )
    with op.batch_alter_table("quota_movements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quota_movements_permit_id"), ["permit_id"], unique=False)
        batch_op.create_index("ix_quota_movements_quota_year", ["quota_id", "year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quota_movements", schema=None) as batch_op:
        batch_op.drop_index("ix_quota_movements_quota_year")
        batch_op.drop_index(batch_op.f("ix_quota_movements_permit_id"))

    op.drop_table("quota_movements")
    with op.batch_alter_table("permit_items", schema=None) as batch_op:
        batch_op.drop_index("ix_permit_items_item_key")

    op.drop_table("permit_items")
    with op.batch_alter_table("permit_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_permit_history_permit_id"))

    op.drop_table("permit_history")
    op.drop_table("quota_years")
    with op.batch_alter_table("permits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_permits_status"))
        batch_op.drop_index(batch_op.f("ix_permits_applicant_org_id"))

    op.drop_table("permits")
    with op.batch_alter_table("species_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_species_rules_taxon_id"))

    op.drop_table("species_rules")
    with op.batch_alter_table("register_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_audit_subject"))

    op.drop_table("register_audit")
    with op.batch_alter_table("quotas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quotas_taxon_id"))

    op.drop_table("quotas")
    op.drop_table("taxa")
    op.drop_table("signing_keys")
    op.drop_table("permit_serials")
