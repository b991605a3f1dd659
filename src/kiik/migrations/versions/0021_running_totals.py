"""running totals of items, events and harvested animals

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07

The dashboard and the stock list show items counted and weighed per holder, status, site, species,
product type and kind, and the harvest per authorisation (animals, horns). Counted from `items` and
`harvested_horns` on every request, those figures cost a pass over the whole season (0.1-0.2 s each
at 100,000 horns). They are now kept as running totals:

- `item_totals`: items and their mass (in micrograms, an integer, so that adding and taking away
  leaves no rounding behind) per (holder, status, site, species, product type, kind); a missing
  holder is 0, a missing site, species or product type is "".
- `harvest_totals`: animals (distinct) and horns per harvest authorisation.
- `event_totals`: events per organisation (0: none), for the first page's count (a count over the
  events table reads every row on PostgreSQL until it is vacuumed: 0.1 s at 100,000 events).

Triggers on `items`, `harvested_horns` and `events` keep them, in the transaction that writes those rows,
whatever writes them (capture one event at a time or in bulk through COPY, corrections, the demo and
benchmark loaders). On PostgreSQL they are statement-level triggers over the rows a statement
changed (one upsert per statement, the totals' rows taken in key order, so that two writers lock
them in the same order); on SQLite row-level ones (SQLite has one writer). A total that falls to
zero stays as a row of zeros. Two transactions that change the same total take turns: the second
waits for the first's commit (captures with custody rules on already take turns at the Merkle log's
lock). `harvested_horns` rows are inserted and deleted, never updated, so no update trigger there.
The totals are filled here from the rows that exist; `kiik check-figures` recounts them and compares.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ITEM_KEY = "holder_org_id, status, site, species, product_type, is_class"
# An item row's key in item_totals and its mass in micrograms (`{row}` is NEW, OLD or a table alias).
ITEM_COLUMNS = (
    ("holder_org_id", "coalesce({row}.holder_org_id, 0)"),
    ("status", "{row}.status"),
    ("site", "coalesce({row}.site, '')"),
    ("species", "coalesce({row}.species, '')"),
    ("product_type", "coalesce({row}.product_type, '')"),
    ("is_class", "{row}.is_class"),
)
ITEM_VALUES = ", ".join(value for _, value in ITEM_COLUMNS)
# The same with each value named by its column (rows of a subquery).
NAMED_VALUES = ", ".join(f"{value} AS {name}" for name, value in ITEM_COLUMNS)
MASS = "CAST(round(coalesce({row}.mass_kg, 0) * 1000000000) AS BIGINT)"
ITEM_UPSERT = f"ON CONFLICT ({ITEM_KEY}) DO UPDATE SET "
ITEM_CHANGED = (
    "OLD.holder_org_id IS NOT NEW.holder_org_id OR OLD.status IS NOT NEW.status OR "
    "OLD.site IS NOT NEW.site OR OLD.species IS NOT NEW.species OR "
    "OLD.product_type IS NOT NEW.product_type OR OLD.is_class IS NOT NEW.is_class OR "
    "OLD.mass_kg IS NOT NEW.mass_kg"
)


def _tables() -> None:
    big = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "item_totals",
        sa.Column("holder_org_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("site", sa.String(length=300), nullable=False),
        sa.Column("species", sa.String(length=120), nullable=False),
        sa.Column("product_type", sa.String(length=64), nullable=False),
        sa.Column("is_class", sa.Boolean(), nullable=False),
        sa.Column("item_count", big, nullable=False),
        sa.Column("mass_ug", big, nullable=False),
        sa.PrimaryKeyConstraint(
            "holder_org_id",
            "status",
            "site",
            "species",
            "product_type",
            "is_class",
            name=op.f("pk_item_totals"),
        ),
    )
    op.create_table(
        "harvest_totals",
        sa.Column("authorisation_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("animals", big, nullable=False),
        sa.Column("horns", big, nullable=False),
        sa.PrimaryKeyConstraint("authorisation_id", name=op.f("pk_harvest_totals")),
    )
    op.create_table(
        "event_totals",
        sa.Column("org_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_count", big, nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_event_totals")),
    )


def _fill() -> None:
    op.execute(
        f"INSERT INTO item_totals ({ITEM_KEY}, item_count, mass_ug) "
        f"SELECT {ITEM_VALUES.format(row='i')}, count(*), coalesce(sum({MASS.format(row='i')}), 0) "
        f"FROM items AS i GROUP BY {ITEM_VALUES.format(row='i')}"
    )
    op.execute(
        "INSERT INTO harvest_totals (authorisation_id, animals, horns) "
        "SELECT authorisation_id, count(DISTINCT animal_id), count(*) FROM harvested_horns "
        "GROUP BY authorisation_id"
    )
    op.execute(
        "INSERT INTO event_totals (org_id, event_count) "
        "SELECT coalesce(org_id, 0), count(*) FROM events GROUP BY coalesce(org_id, 0)"
    )


def _sqlite_triggers() -> None:
    def item_upsert(row: str, sign: str) -> str:
        return (
            f"INSERT INTO item_totals ({ITEM_KEY}, item_count, mass_ug) "
            f"VALUES ({ITEM_VALUES.format(row=row)}, {sign}1, {sign}{MASS.format(row=row)}) "
            f"{ITEM_UPSERT}item_count = item_count + excluded.item_count, "
            "mass_ug = mass_ug + excluded.mass_ug;"
        )

    op.execute(f"CREATE TRIGGER item_totals_insert AFTER INSERT ON items BEGIN {item_upsert('NEW', '')} END")
    op.execute(f"CREATE TRIGGER item_totals_delete AFTER DELETE ON items BEGIN {item_upsert('OLD', '-')} END")
    op.execute(
        f"CREATE TRIGGER item_totals_update AFTER UPDATE ON items WHEN {ITEM_CHANGED} "
        f"BEGIN {item_upsert('OLD', '-')} {item_upsert('NEW', '')} END"
    )
    # A horn's animal counts once per authorisation: when the first of its horns comes, when the
    # last goes (the row itself is already there, or already gone, when the trigger runs).
    others = (
        "(SELECT count(*) FROM harvested_horns AS h WHERE h.authorisation_id = {row}.authorisation_id "
        "AND h.animal_id = {row}.animal_id)"
    )
    for when, row, sign, alone in (("INSERT", "NEW", "", 1), ("DELETE", "OLD", "-", 0)):
        op.execute(
            f"CREATE TRIGGER harvest_totals_{when.lower()} AFTER {when} ON harvested_horns BEGIN "
            "INSERT INTO harvest_totals (authorisation_id, animals, horns) "
            f"VALUES ({row}.authorisation_id, {sign}({others.format(row=row)} = {alone}), {sign}1) "
            "ON CONFLICT (authorisation_id) DO UPDATE SET animals = animals + excluded.animals, "
            "horns = horns + excluded.horns; END"
        )


def _event_triggers(postgresql: bool) -> None:
    for name, table, sign in (("insert", "new_rows", ""), ("delete", "old_rows", "-")):
        upsert = "ON CONFLICT (org_id) DO UPDATE SET event_count = {t}event_count + excluded.event_count"
        if not postgresql:
            op.execute(
                f"CREATE TRIGGER event_totals_{name} AFTER {name.upper()} ON events BEGIN "
                "INSERT INTO event_totals (org_id, event_count) "
                f"VALUES (coalesce({'NEW' if name == 'insert' else 'OLD'}.org_id, 0), {sign}1) "
                f"{upsert.format(t='')}; END"
            )
            continue
        op.execute(f"""
            CREATE FUNCTION event_totals_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO event_totals AS t (org_id, event_count)
                SELECT coalesce(org_id, 0), {sign}count(*) FROM {table}
                GROUP BY coalesce(org_id, 0) ORDER BY coalesce(org_id, 0)
                {upsert.format(t="t.")};
                RETURN NULL;
            END $$
        """)
        op.execute(
            f"CREATE TRIGGER event_totals_{name} AFTER {name.upper()} ON events "
            f"REFERENCING {'NEW' if name == 'insert' else 'OLD'} TABLE AS {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION event_totals_{name}()"
        )


def _postgresql_item_function(name: str, changed: str) -> str:
    """A statement trigger's function: the rows `changed` (new rows counted +1, old rows -1) added
    to the totals, one upsert in key order."""
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO item_totals AS t ({ITEM_KEY}, item_count, mass_ug)
            SELECT {ITEM_KEY}, sum(n), sum(mass_ug) FROM (
                {changed}
            ) AS changed
            GROUP BY {ITEM_KEY}
            HAVING sum(n) <> 0 OR sum(mass_ug) <> 0
            ORDER BY {ITEM_KEY}
            ON CONFLICT ({ITEM_KEY}) DO UPDATE
            SET item_count = t.item_count + excluded.item_count, mass_ug = t.mass_ug + excluded.mass_ug;
            RETURN NULL;
        END $$
    """


def _postgresql_triggers() -> None:
    def rows(table: str, sign: str) -> str:
        return (
            f"SELECT {NAMED_VALUES.format(row='r')}, {sign}1 AS n, {sign}{MASS.format(row='r')} AS mass_ug "
            f"FROM {table} AS r"
        )

    for name, changed in (
        ("insert", rows("new_rows", "")),
        ("delete", rows("old_rows", "-")),
        ("update", rows("new_rows", "") + " UNION ALL " + rows("old_rows", "-")),
    ):
        op.execute(_postgresql_item_function(f"item_totals_{name}", changed))
        transition = {
            "insert": "NEW TABLE AS new_rows",
            "delete": "OLD TABLE AS old_rows",
            "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
        }[name]
        op.execute(
            f"CREATE TRIGGER item_totals_{name} AFTER {name.upper()} ON items "
            f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION item_totals_{name}()"
        )
    # An animal counts once per authorisation: added when all its rows there are the statement's
    # new ones, taken away when none is left after the statement.
    for name, table, sign, test in (
        ("insert", "new_rows", "", "= c.horns"),
        ("delete", "old_rows", "-", "= 0"),
    ):
        op.execute(f"""
            CREATE FUNCTION harvest_totals_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO harvest_totals AS t (authorisation_id, animals, horns)
                SELECT c.authorisation_id,
                       {sign}count(*) FILTER (WHERE (
                           SELECT count(*) FROM harvested_horns AS h
                           WHERE h.authorisation_id = c.authorisation_id AND h.animal_id = c.animal_id
                       ) {test}),
                       {sign}sum(c.horns)
                FROM (
                    SELECT authorisation_id, animal_id, count(*) AS horns FROM {table}
                    GROUP BY authorisation_id, animal_id
                ) AS c
                GROUP BY c.authorisation_id
                ORDER BY c.authorisation_id
                ON CONFLICT (authorisation_id) DO UPDATE
                SET animals = t.animals + excluded.animals, horns = t.horns + excluded.horns;
                RETURN NULL;
            END $$
        """)
        op.execute(
            f"CREATE TRIGGER harvest_totals_{name} AFTER {name.upper()} ON harvested_horns "
            f"REFERENCING {'NEW' if name == 'insert' else 'OLD'} TABLE AS {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION harvest_totals_{name}()"
        )


def upgrade() -> None:
    _tables()
    _fill()
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        _postgresql_triggers()
    else:
        _sqlite_triggers()
    _event_triggers(postgresql)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    triggers = (
        ("items", "item_totals", ("insert", "delete", "update")),
        ("harvested_horns", "harvest_totals", ("insert", "delete")),
        ("events", "event_totals", ("insert", "delete")),
    )
    for table, prefix, names in triggers:
        for name in names:
            op.execute(f"DROP TRIGGER {prefix}_{name}" + (f" ON {table}" if postgresql else ""))
            if postgresql:
                op.execute(f"DROP FUNCTION {prefix}_{name}()")
    op.drop_table("event_totals")
    op.drop_table("harvest_totals")
    op.drop_table("item_totals")
