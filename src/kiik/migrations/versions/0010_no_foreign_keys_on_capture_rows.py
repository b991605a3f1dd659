"""no foreign keys on the rows capture writes for every event or item

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22

Capture writes, for every event, its identifiers, its Merkle leaf and, for a harvest, the horn's
origin and its count under the authorisation; and it inserts or updates a state for every item
named. On PostgreSQL every such row with a foreign key runs a trigger that looks up the referenced
row and locks it (FOR KEY SHARE, which writes to that row again): for a 100,000-horn season that
was a tenth of the time, and half of writing the identifiers.

Those references cannot dangle. The referenced rows are never deleted (events are append-only,
organisations and harvest authorisations have no delete path: tests/unit/test_architecture.py),
and the one code path that writes these rows takes the referenced ids from rows it has just
written or read in the same transaction: the events' ids from inserting them, the organisation
from the actor or the directory, the authorisation from the harvest rule's look-up.
The foreign keys of rows written once per document or by hand (events' organisation, capture
jobs, permits, ...) stay.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

DROPPED = (
    ("event_identifiers", "fk_event_identifiers_event_pk_events", "events", "event_pk"),
    ("item_origins", "fk_item_origins_event_pk_events", "events", "event_pk"),
    ("item_origins", "fk_item_origins_org_id_organisations", "organisations", "org_id"),
    ("merkle_leaves", "fk_merkle_leaves_event_pk_events", "events", "event_pk"),
    ("items", "fk_items_holder_org_id_organisations", "organisations", "holder_org_id"),
    ("items", "fk_items_destination_org_id_organisations", "organisations", "destination_org_id"),
    (
        "harvested_horns",
        "fk_harvested_horns_authorisation_id_harvest_authorisations",
        "harvest_authorisations",
        "authorisation_id",
    ),
)


def _tables() -> list[str]:
    return list(dict.fromkeys(table for table, *_ in DROPPED))


def upgrade() -> None:
    for table in _tables():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in (n for t, n, *_ in DROPPED if t == table):
                batch_op.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table in _tables():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for _, name, referred, column in (d for d in DROPPED if d[0] == table):
                batch_op.create_foreign_key(name, referred, [column], ["id"])
