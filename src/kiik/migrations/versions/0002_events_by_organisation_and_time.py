"""events by organisation and time

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_org_id"))
        batch_op.create_index("ix_events_org_record_time", ["org_id", "record_time", "id"], unique=False)
        batch_op.create_index("ix_events_org_time", ["org_id", "event_time", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_org_time")
        batch_op.drop_index("ix_events_org_record_time")
        batch_op.create_index(batch_op.f("ix_events_org_id"), ["org_id"], unique=False)
