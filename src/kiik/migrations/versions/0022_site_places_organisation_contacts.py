"""where sites are, whom to contact at an organisation, partners that collect their messages

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07

- `sites.region` (an ISO 3166-2 code such as KZ-27, or none) and `sites.latitude`/`longitude`
  (decimal degrees, WGS 84, or none): the dashboard's map places a site's stock where the site is,
  and stock by region counts a site's region before its holder's.
- `organisations.contact_person`, `contact_phone`, `contact_email` and `postal_address` (each empty
  when not known): whom the ministry calls or writes to.
- `partners.collects`: a partner registry that collects the messages kept for it instead of having
  them delivered to its address; delivery leaves them in the outbox (no attempts, no retries).
Existing rows keep no place, no contact, and are delivered to as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

CONTACT = (
    ("contact_person", 200),
    ("contact_phone", 40),
    ("contact_email", 254),
    ("postal_address", 400),
)


def upgrade() -> None:
    # Plain ALTER TABLE ... ADD COLUMN on both databases: a batch could copy and drop a table, which
    # SQLite refuses while other tables' rows refer to it (partners: the inbox; sites: the events).
    op.add_column("sites", sa.Column("region", sa.String(length=6), nullable=True))
    op.add_column("sites", sa.Column("latitude", sa.Float(), nullable=True))
    op.add_column("sites", sa.Column("longitude", sa.Float(), nullable=True))
    for name, length in CONTACT:
        op.add_column(
            "organisations", sa.Column(name, sa.String(length=length), nullable=False, server_default="")
        )
    op.add_column("partners", sa.Column("collects", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN on both (SQLite 3.35 and later): a batch would copy and drop the
    # tables, which SQLite refuses while other tables' rows refer to them.
    dropped = (
        ("partners", ("collects",)),
        ("organisations", tuple(name for name, _ in CONTACT)),
        ("sites", ("region", "latitude", "longitude")),
    )
    for table, columns in dropped:
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
