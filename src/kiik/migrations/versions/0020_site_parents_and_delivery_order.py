"""site parents and the delivery order of events

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

A site may lie within another (a warehouse's cold room within the warehouse): `sites.parent_id`, so
that `WD_bizLocation` and `WD_readPoint` take a place's descendants in.

`delivery_order` numbers events in the order they became visible (committed): a number given after
commit by subscription delivery, to the events waiting in `events_to_number` (a row inserted with
each event). Subscriptions walk by it, so an event committed late with an earlier record time is
not skipped. Events stay append-only. Existing events are numbered in (record time, id) order, and a
subscription's position (the id of the last event it was given) becomes that event's number.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_sites_parent_id_sites"), "sites", ["parent_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_sites_parent_id"), ["parent_id"], unique=False)
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "events_to_number",
        sa.Column("event_pk", big, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("event_pk", name=op.f("pk_events_to_number")),
    )
    op.create_table(
        "delivery_order",
        sa.Column("seq", big, autoincrement=False, nullable=False),
        sa.Column("event_pk", big, nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_delivery_order")),
    )
    op.create_index("ix_delivery_order_event_pk", "delivery_order", ["event_pk"], unique=True)
    op.execute(
        "INSERT INTO delivery_order (seq, event_pk) "
        "SELECT row_number() OVER (ORDER BY record_time, id), id FROM events"
    )
    op.execute(
        "UPDATE query_subscriptions SET after_event = "
        "(SELECT delivery_order.seq FROM delivery_order "
        "WHERE delivery_order.event_pk = query_subscriptions.after_event) "
        "WHERE after_event IS NOT NULL"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE query_subscriptions SET after_event = "
        "(SELECT delivery_order.event_pk FROM delivery_order "
        "WHERE delivery_order.seq = query_subscriptions.after_event) "
        "WHERE after_event IS NOT NULL"
    )
    op.drop_index("ix_delivery_order_event_pk", table_name="delivery_order")
    op.drop_table("delivery_order")
    op.drop_table("events_to_number")
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_parent_id"))
        batch_op.drop_constraint(batch_op.f("fk_sites_parent_id_sites"), type_="foreignkey")
        batch_op.drop_column("parent_id")
