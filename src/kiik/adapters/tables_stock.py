"""Tables of the stock and lineage feature, declared on the shared MetaData (see adapters/schema.py).

- `item_origins`: the commissioning of every item (its event and ILMD, the animal ID taken out),
  written at capture: a lineage reads the origins of hundreds of source items from here without
  opening their events, and the forward trace from an animal starts here. A row whose event was
  later declared erroneous is skipped when read (the event keeps its primary key).
- `stock_discrepancies`: what stock counts found wrong, each open until an event resolves it.
- `stock_settings`: the registry's stock settings (the mass tolerance of counts).
- two indexes on `items` for the stock report (by holder) and for counts (by site), and two partial
  indexes on `event_identifiers` for lineage steps.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, String, Table, Text, text

from kiik.adapters.tables import BigId, Document, event_identifiers, items, metadata

item_origins = Table(
    "item_origins",
    metadata,
    Column("item_key", String(300), primary_key=True),
    Column("event_pk", BigId, primary_key=True),  # no foreign keys: see migration 0010
    Column("event_id", String(300), nullable=False),
    Column("hash_id", String(100), nullable=False),
    Column("event_time", DateTime, nullable=False),
    Column("org_id", Integer, nullable=True),
    Column("biz_location", String(300), nullable=True),
    Column("animal_id", String(120), nullable=True, index=True),
    Column("ilmd", Document, nullable=True),
)

stock_discrepancies = Table(
    "stock_discrepancies",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("item_key", String(300), nullable=False, index=True),
    Column("is_class", Boolean, nullable=False),
    Column("message", Text, nullable=False),
    # The count that found it: who counted, where, when, and the count's eventID (or hash ID).
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False),
    Column("site", String(300), nullable=False),
    Column("count_event_id", String(300), nullable=False, index=True),
    Column("counted_at", DateTime, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    # What the registry said then, and what was weighed.
    Column("registered_holder_org_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("registered_site", String(300), nullable=True),
    Column("registered_status", String(16), nullable=True),
    Column("registered_mass_kg", Float, nullable=True),
    Column("measured_mass_kg", Float, nullable=True),
    # Open while resolved_at is null; then the event that resolved it (eventID or hash ID) and why.
    Column("resolved_at", DateTime, nullable=True, index=True),
    Column("resolved_by_event_id", String(300), nullable=True),
    Column("resolution", Text, nullable=True),
    Index("ix_stock_discrepancies_org_counted", "org_id", "counted_at"),
    Index("ix_stock_discrepancies_holder", "registered_holder_org_id"),
)

stock_settings = Table(
    "stock_settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Float, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

# Lineage steps: the transformations that made a key (its outputs) and that used it (its inputs).
# Partial, so that the step from a horn that nothing made probes a few hundred entries, not the
# ten rows every horn has in the full identifier index.
OUTPUT_ROLES_SQL = "role IN ('output', 'output_class')"
INPUT_ROLES_SQL = "role IN ('input', 'input_class')"
Index(
    "ix_event_identifiers_output_key",
    event_identifiers.c.key,
    event_identifiers.c.event_pk,
    sqlite_where=text(OUTPUT_ROLES_SQL),
    postgresql_where=text(OUTPUT_ROLES_SQL),
)
Index(
    "ix_event_identifiers_input_key",
    event_identifiers.c.key,
    event_identifiers.c.event_pk,
    sqlite_where=text(INPUT_ROLES_SQL),
    postgresql_where=text(INPUT_ROLES_SQL),
)

# The stock report groups a holder's items without reading the table: every column it needs is here.
Index(
    "ix_items_stock_report",
    items.c.holder_org_id,
    items.c.status,
    items.c.site,
    items.c.species,
    items.c.product_type,
    items.c.is_class,
    items.c.mass_kg,
)
# A complete count reads what is active at its site.
Index("ix_items_site_status", items.c.site, items.c.status)
