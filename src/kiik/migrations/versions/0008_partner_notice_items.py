"""partner notice items, for reconciliation

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

The importing registry keeps, beside each applied export notice, its permit, day of export and
items with their kilograms. Notices applied before this revision are read back from the inbox.
"""

import base64
import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_notices",
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("permit_number", sa.String(length=40), nullable=False),
        sa.Column("sender", sa.String(length=2), nullable=False),
        sa.Column("recipient", sa.String(length=2), nullable=False),
        sa.Column("exported_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["partner_inbox.message_id"],
            name=op.f("fk_partner_notices_message_id_partner_inbox"),
        ),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_partner_notices")),
    )
    op.create_index(op.f("ix_partner_notices_exported_at"), "partner_notices", ["exported_at"], unique=False)
    op.create_index(
        op.f("ix_partner_notices_permit_number"), "partner_notices", ["permit_number"], unique=False
    )
    op.create_table(
        "partner_notice_items",
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("item_key", sa.String(length=300), nullable=False),
        sa.Column("notified_kg", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["partner_notices.message_id"],
            name=op.f("fk_partner_notice_items_message_id_partner_notices"),
        ),
        sa.PrimaryKeyConstraint("message_id", "item_key", name=op.f("pk_partner_notice_items")),
    )
    _backfill()


def _payload(message: str) -> dict:  # type: ignore[type-arg]
    part = message.strip().split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _backfill() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT message_id, permit_number, message FROM partner_inbox WHERE kind = 'export-notice'")
    ).all()
    for message_id, number, message in rows:
        payload = _payload(message)
        body = payload["body"]
        permit = body.get("permit", {})
        endorsed = permit.get("endorsed_at")
        exported_at = datetime.fromisoformat(endorsed.rstrip("Z")) if endorsed else None
        connection.execute(
            sa.text(
                "INSERT INTO partner_notices (message_id, permit_number, sender, recipient, exported_at) "
                "VALUES (:m, :p, :s, :r, :e)"
            ),
            {
                "m": message_id,
                "p": number or permit.get("number"),
                "s": payload["from"],
                "r": payload["to"],
                "e": exported_at,
            },
        )
        lines = {line["item"]: line for line in permit.get("lines", [])}
        items = []
        for key in dict.fromkeys(body.get("items", [])):
            line = lines.get(key, {})
            kg = line.get("actual_quantity", line.get("quantity"))
            items.append({"m": message_id, "i": key, "k": None if kg is None else float(kg)})
        if items:
            connection.execute(
                sa.text(
                    "INSERT INTO partner_notice_items (message_id, item_key, notified_kg) VALUES (:m, :i, :k)"
                ),
                items,
            )


def downgrade() -> None:
    op.drop_table("partner_notice_items")
    op.drop_index(op.f("ix_partner_notices_permit_number"), table_name="partner_notices")
    op.drop_index(op.f("ix_partner_notices_exported_at"), table_name="partner_notices")
    op.drop_table("partner_notices")
