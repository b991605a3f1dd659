"""stock counts and lots

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Creates the item origins, stock discrepancies and stock settings, two indexes on items, and fills
the item origins from the commissionings already stored.
"""

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OUTPUT_ROLES = "role IN ('output', 'output_class')"
INPUT_ROLES = "role IN ('input', 'input_class')"


def upgrade() -> None:
    op.create_table(
        "item_origins",
        sa.Column("item_key", sa.String(length=300), nullable=False),
        sa.Column("event_pk", BIG_ID, nullable=False),
        sa.Column("event_id", sa.String(length=300), nullable=False),
        sa.Column("hash_id", sa.String(length=100), nullable=False),
        sa.Column("event_time", sa.DateTime(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("biz_location", sa.String(length=300), nullable=True),
        sa.Column("animal_id", sa.String(length=120), nullable=True),
        sa.Column(
            "ilmd",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(["event_pk"], ["events.id"], name=op.f("fk_item_origins_event_pk_events")),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_item_origins_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("item_key", "event_pk", name=op.f("pk_item_origins")),
    )
    with op.batch_alter_table("item_origins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_origins_animal_id"), ["animal_id"], unique=False)
    op.create_table(
        "stock_discrepancies",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(length=300), nullable=False),
        sa.Column("is_class", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=300), nullable=False),
        sa.Column("count_event_id", sa.String(length=300), nullable=False),
        sa.Column("counted_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("registered_holder_org_id", sa.Integer(), nullable=True),
        sa.Column("registered_site", sa.String(length=300), nullable=True),
        sa.Column("registered_status", sa.String(length=16), nullable=True),
        sa.Column("registered_mass_kg", sa.Float(), nullable=True),
        sa.Column("measured_mass_kg", sa.Float(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by_event_id", sa.String(length=300), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_stock_discrepancies_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["registered_holder_org_id"],
            ["organisations.id"],
            name=op.f("fk_stock_discrepancies_registered_holder_org_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_discrepancies")),
    )
    with op.batch_alter_table("stock_discrepancies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_discrepancies_item_key"), ["item_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stock_discrepancies_count_event_id"), ["count_event_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stock_discrepancies_resolved_at"), ["resolved_at"], unique=False)
        batch_op.create_index("ix_stock_discrepancies_org_counted", ["org_id", "counted_at"], unique=False)
        batch_op.create_index("ix_stock_discrepancies_holder", ["registered_holder_org_id"], unique=False)
    op.create_table(
        "stock_settings",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_stock_settings")),
    )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_items_stock_report",
            ["holder_org_id", "status", "site", "species", "product_type", "is_class", "mass_kg"],
            unique=False,
        )
        batch_op.create_index("ix_items_site_status", ["site", "status"], unique=False)
    for name, roles in (("output", OUTPUT_ROLES), ("input", INPUT_ROLES)):
        op.create_index(
            f"ix_event_identifiers_{name}_key",
            "event_identifiers",
            ["key", "event_pk"],
            unique=False,
            sqlite_where=sa.text(roles),
            postgresql_where=sa.text(roles),
        )
    _index_origins()


def _index_origins() -> None:
    """The origins of the items commissioned before the table existed (read first, then written)."""
    from kiik.custody.domain.origins import origin_rows
    from kiik.epcis.domain.event_facts import read_event

    connection = op.get_bind()
    query = sa.text(
        "SELECT id, event_id, hash_id, event_time, org_id, body FROM events "
        "WHERE event_type = 'ObjectEvent' AND action = 'ADD' AND declares_error = :no ORDER BY id"
    )
    rows: list[dict[str, object]] = []
    for pk, event_id, hash_id, event_time, org_id, body in connection.execute(query, {"no": False}):
        try:
            facts = read_event(json.loads(body) if isinstance(body, str) else body)
        except (KeyError, ValueError, TypeError):
            continue
        for origin in origin_rows(facts):
            rows.append(
                {
                    **origin,
                    "event_pk": pk,
                    "event_id": event_id,
                    "hash_id": hash_id,
                    "event_time": event_time,
                    "org_id": org_id,
                }
            )
    table = sa.table(
        "item_origins",
        *(
            sa.column(name)
            for name in ("item_key", "event_pk", "event_id", "hash_id", "event_time", "org_id")
        ),
        sa.column("biz_location"),
        sa.column("animal_id"),
        sa.column("ilmd", sa.JSON().with_variant(postgresql.JSONB(), "postgresql")),
    )
    for start in range(0, len(rows), 5000):
        connection.execute(table.insert(), rows[start : start + 5000])


def downgrade() -> None:
    op.drop_index("ix_event_identifiers_input_key", table_name="event_identifiers")
    op.drop_index("ix_event_identifiers_output_key", table_name="event_identifiers")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_site_status")
        batch_op.drop_index("ix_items_stock_report")
    op.drop_table("stock_settings")
    with op.batch_alter_table("stock_discrepancies", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_discrepancies_holder")
        batch_op.drop_index("ix_stock_discrepancies_org_counted")
        batch_op.drop_index(batch_op.f("ix_stock_discrepancies_resolved_at"))
        batch_op.drop_index(batch_op.f("ix_stock_discrepancies_count_event_id"))
        batch_op.drop_index(batch_op.f("ix_stock_discrepancies_item_key"))
    op.drop_table("stock_discrepancies")
    with op.batch_alter_table("item_origins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_origins_animal_id"))
    op.drop_table("item_origins")
