"""legal trade

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-06

Legal trade (issue 15): the product types each listed species trades as; cull operations, carcass
batches, processing runs and meat lots; domestic sales of marked derivatives with their prices; the
proceeds' fee and allocation rules and the double-entry ledger.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "allocation_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("shares", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_rules")),
    )
    op.create_table(
        "fee_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("charge", sa.String(length=16), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=True),
        sa.Column("product_type", sa.String(length=64), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_rules")),
    )
    op.create_table(
        "ledger_entries",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("population", sa.String(length=80), nullable=False),
        sa.Column("payer", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=True),
        sa.Column("follows", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("corrects", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("corrects", name=op.f("uq_ledger_entries_corrects")),
    )
    op.create_index(op.f("ix_ledger_entries_day"), "ledger_entries", ["day"], unique=False)
    op.create_index(op.f("ix_ledger_entries_follows"), "ledger_entries", ["follows"], unique=False)
    op.create_index(op.f("ix_ledger_entries_source"), "ledger_entries", ["source"], unique=False)
    op.create_table(
        "cull_operations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("population", sa.String(length=40), nullable=False),
        sa.Column("area", sa.String(length=300), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("authorisation", sa.String(length=100), nullable=False),
        sa.Column("animals_allowed", sa.Integer(), nullable=False),
        sa.Column("team_org_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_org_id"], ["organisations.id"], name=op.f("fk_cull_operations_team_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cull_operations")),
        sa.UniqueConstraint("number", name=op.f("uq_cull_operations_number")),
    )
    op.create_table(
        "derivative_sales",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("seller_org_id", sa.Integer(), nullable=False),
        sa.Column("buyer_kind", sa.String(length=20), nullable=False),
        sa.Column("buyer", sa.String(length=200), nullable=False),
        sa.Column("product_type", sa.String(length=64), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("mass_kg", sa.Float(), nullable=False),
        sa.Column("price_kzt", sa.Float(), nullable=False),
        sa.Column("sold_at", sa.DateTime(), nullable=False),
        sa.Column("event_id", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["seller_org_id"],
            ["organisations.id"],
            name=op.f("fk_derivative_sales_seller_org_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_derivative_sales")),
    )
    op.create_index(
        op.f("ix_derivative_sales_seller_org_id"), "derivative_sales", ["seller_org_id"], unique=False
    )
    op.create_index(op.f("ix_derivative_sales_sold_at"), "derivative_sales", ["sold_at"], unique=False)
    op.create_table(
        "ledger_lines",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("account", sa.String(length=120), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["ledger_entries.id"], name=op.f("fk_ledger_lines_entry_id_ledger_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_lines")),
    )
    op.create_index(op.f("ix_ledger_lines_account"), "ledger_lines", ["account"], unique=False)
    op.create_index(op.f("ix_ledger_lines_entry_id"), "ledger_lines", ["entry_id"], unique=False)
    op.create_table(
        "processing_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plant_org_id", sa.Integer(), nullable=False),
        sa.Column("product_type", sa.String(length=64), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("vet_certificate", sa.String(length=100), nullable=False),
        sa.Column("input_kg", sa.Float(), nullable=False),
        sa.Column("output_kg", sa.Float(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plant_org_id"], ["organisations.id"], name=op.f("fk_processing_runs_plant_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_runs")),
    )
    op.create_index(
        op.f("ix_processing_runs_plant_org_id"), "processing_runs", ["plant_org_id"], unique=False
    )
    op.create_table(
        "take_permits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=False),
        sa.Column("area", sa.String(length=300), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("holder_org_id", sa.Integer(), nullable=False),
        sa.Column("limit_amount", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_org_id"], ["organisations.id"], name=op.f("fk_take_permits_holder_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_take_permits")),
        sa.UniqueConstraint("number", name=op.f("uq_take_permits_number")),
    )
    op.create_table(
        "traded_products",
        sa.Column("taxon_id", sa.Integer(), nullable=False),
        sa.Column("product_type", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("description", sa.String(length=300), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["taxon_id"], ["taxa.id"], name=op.f("fk_traded_products_taxon_id_taxa")),
        sa.PrimaryKeyConstraint("taxon_id", "product_type", name=op.f("pk_traded_products")),
    )
    op.create_table(
        "carcass_batches",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("cull_id", sa.Integer(), nullable=False),
        sa.Column("carcasses", sa.Integer(), nullable=False),
        sa.Column("mass_kg", sa.Float(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cull_id"], ["cull_operations.id"], name=op.f("fk_carcass_batches_cull_id_cull_operations")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_carcass_batches")),
    )
    op.create_index(op.f("ix_carcass_batches_cull_id"), "carcass_batches", ["cull_id"], unique=False)
    op.create_table(
        "derivative_sale_lines",
        sa.Column("sale_id", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("is_class", sa.Boolean(), nullable=False),
        sa.Column("kg", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sale_id"],
            ["derivative_sales.id"],
            name=op.f("fk_derivative_sale_lines_sale_id_derivative_sales"),
        ),
        sa.PrimaryKeyConstraint("sale_id", "key", name=op.f("pk_derivative_sale_lines")),
    )
    op.create_index("ix_derivative_sale_lines_key", "derivative_sale_lines", ["key"], unique=False)
    op.create_table(
        "meat_lots",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("batch", sa.String(length=20), nullable=False),
        sa.Column("packs", sa.Integer(), nullable=False),
        sa.Column("pack_mass_kg", sa.Float(), nullable=False),
        sa.Column("use_by", sa.Date(), nullable=False),
        sa.Column("population", sa.String(length=40), nullable=False),
        sa.Column("cull_from", sa.Date(), nullable=False),
        sa.Column("cull_to", sa.Date(), nullable=False),
        sa.Column("culls", sa.JSON(), nullable=False),
        sa.Column("packs_sold", sa.Integer(), server_default="0", nullable=False),
        sa.Column("recalled_on", sa.Date(), nullable=True),
        sa.Column("recall_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["processing_runs.id"], name=op.f("fk_meat_lots_run_id_processing_runs")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meat_lots")),
    )
    op.create_index(op.f("ix_meat_lots_run_id"), "meat_lots", ["run_id"], unique=False)
    op.create_table(
        "takings",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("permit_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["permit_id"], ["take_permits.id"], name=op.f("fk_takings_permit_id_take_permits")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_takings")),
    )
    op.create_index(op.f("ix_takings_permit_id"), "takings", ["permit_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_takings_permit_id"), table_name="takings")
    op.drop_table("takings")
    op.drop_index(op.f("ix_meat_lots_run_id"), table_name="meat_lots")
    op.drop_table("meat_lots")
    op.drop_index("ix_derivative_sale_lines_key", table_name="derivative_sale_lines")
    op.drop_table("derivative_sale_lines")
    op.drop_index(op.f("ix_carcass_batches_cull_id"), table_name="carcass_batches")
    op.drop_table("carcass_batches")
    op.drop_table("traded_products")
    op.drop_table("take_permits")
    op.drop_index(op.f("ix_processing_runs_plant_org_id"), table_name="processing_runs")
    op.drop_table("processing_runs")
    op.drop_index(op.f("ix_ledger_lines_entry_id"), table_name="ledger_lines")
    op.drop_index(op.f("ix_ledger_lines_account"), table_name="ledger_lines")
    op.drop_table("ledger_lines")
    op.drop_index(op.f("ix_derivative_sales_sold_at"), table_name="derivative_sales")
    op.drop_index(op.f("ix_derivative_sales_seller_org_id"), table_name="derivative_sales")
    op.drop_table("derivative_sales")
    op.drop_table("cull_operations")
    op.drop_index(op.f("ix_ledger_entries_source"), table_name="ledger_entries")
    op.drop_index(op.f("ix_ledger_entries_follows"), table_name="ledger_entries")
    op.drop_index(op.f("ix_ledger_entries_day"), table_name="ledger_entries")
    op.drop_table("ledger_entries")
    op.drop_table("fee_rules")
    op.drop_table("allocation_rules")
