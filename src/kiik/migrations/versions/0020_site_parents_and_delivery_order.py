"""site parents and the delivery order of events

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

A site may lie within another (a warehouse's cold room within the warehouse): `sites.parent_id`, so
that `WD_bizLocation` and `WD_readPoint` take a place's descendants in.

`events.delivery_seq` numbers events in the order they became visible (committed), assigned after
commit by subscription delivery; subscriptions walk by it, so an event committed late with an earlier
record time is not skipped. Existing events are numbered in (record time, id) order, and a
subscription's position (the last event it was given, by id) becomes that event's number.
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
    op.add_column("events", sa.Column("delivery_seq", big, nullable=True))
    op.execute(
        "UPDATE events SET delivery_seq = numbered.n FROM "
        "(SELECT id, row_number() OVER (ORDER BY record_time, id) AS n FROM events) AS numbered "
        "WHERE events.id = numbered.id"
    )
    op.create_index("ix_events_delivery_seq", "events", ["delivery_seq"], unique=True)
    op.execute(
        "UPDATE query_subscriptions SET after_event = "
        "(SELECT events.delivery_seq FROM events WHERE events.id = query_subscriptions.after_event) "
        "WHERE after_event IS NOT NULL"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE query_subscriptions SET after_event = "
        "(SELECT events.id FROM events WHERE events.delivery_seq = query_subscriptions.after_event) "
        "WHERE after_event IS NOT NULL"
    )
    op.drop_index("ix_events_delivery_seq", table_name="events")
    op.drop_column("events", "delivery_seq")
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_parent_id"))
        batch_op.drop_constraint(batch_op.f("fk_sites_parent_id_sites"), type_="foreignkey")
        batch_op.drop_column("parent_id")
