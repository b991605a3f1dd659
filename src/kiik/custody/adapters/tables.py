"""Tables of custody: the events and the identifiers they name, the items' current state, capture jobs,
and the projections of stock and lineage.

Events are append-only: rows of `events` and `event_identifiers` are inserted and never updated or
deleted. `items` is the projection of current state, written in the same transaction as the events.

- `item_origins`: the commissioning of every item (its event and ILMD, the animal ID taken out),
  written at capture: a lineage reads the origins of hundreds of source items from here without
  opening their events, and the forward trace from an animal starts here. A row whose event was
  later declared erroneous is skipped when read (the event keeps its primary key).
- `stock_discrepancies`: what stock counts found wrong, each open until an event resolves it.
- `stock_settings`: the registry's stock settings (the mass tolerance of counts).
- `mass_bounds`: the plausible masses of items and lots the ministry set.
- `item_totals`: items counted and weighed (micrograms) per holder, status, site, species, product
  type and kind, kept by triggers on `items` in the transaction that writes them (migration 0021):
  the stock report and the dashboard read these instead of counting the season; `event_totals`,
  events per organisation, likewise.
- two indexes on `items` for the stock report (by holder) and for counts (by site), and two partial
  indexes on `event_identifiers` for lineage steps.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from kiik.db.metadata import BigId, Document, metadata

events = Table(
    "events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("hash_id", String(100), nullable=False),
    Column("event_id", String(300), nullable=False, index=True),
    Column("event_type", String(32), nullable=False),
    Column("event_time", DateTime, nullable=False, index=True),
    Column("record_time", DateTime, nullable=False, index=True),
    Column("action", String(8), nullable=True),
    Column("biz_step", String(300), nullable=True),
    Column("disposition", String(300), nullable=True),
    Column("read_point", String(300), nullable=True),
    Column("biz_location", String(300), nullable=True),
    Column("declares_error", Boolean, nullable=False, server_default="0"),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("capture_id", String(40), nullable=True),
    Column("body", Document, nullable=False),
    # An organisation's own events in time order, without reading back through the whole time index.
    Index("ix_events_org_time", "org_id", "event_time", "id"),
    Index("ix_events_org_record_time", "org_id", "record_time", "id"),
    # The same event captured twice is stored once; its error declaration is another record.
    UniqueConstraint("hash_id", "declares_error", name="uq_events_hash_id_declares_error"),
)

event_identifiers = Table(
    "event_identifiers",
    metadata,
    # No foreign key to events here, nor on the other rows capture writes for every event or item
    # (see migration 0010): PostgreSQL would check and lock the referenced row once per row written.
    Column("event_pk", BigId, nullable=False),
    Column("role", String(16), nullable=False),
    Column("key", String(300), nullable=False),
    Index("ix_event_identifiers_key_event", "key", "event_pk"),
    Index("ix_event_identifiers_event", "event_pk"),
)

erroneous_events = Table(
    "erroneous_events",
    metadata,
    Column("event_pk", BigId, ForeignKey("events.id"), primary_key=True),
    Column("declaration_pk", BigId, ForeignKey("events.id"), nullable=False),
)

items = Table(
    "items",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("is_class", Boolean, nullable=False),
    # By holder, by holder and status, by site and status: the indexes in tables_stock.py (an item
    # moves often, and each index over what moved is written again).
    Column("holder_org_id", Integer, nullable=True),
    Column("site", String(300), nullable=True),
    Column("status", String(16), nullable=False),
    Column("parent_key", String(300), nullable=True, index=True),
    Column("quantity", Float, nullable=True),
    Column("uom", String(8), nullable=True),
    Column("mass_kg", Float, nullable=True),
    Column("product_type", String(64), nullable=True),
    Column("species", String(120), nullable=True, index=True),
    Column("destination_org_id", Integer, nullable=True),
    Column("last_event_time", String(40), nullable=True),
)

# A missing holder is 0 and a missing site, species or product type "" (keys of a primary key).
# Masses in micrograms, integers: adding and taking away leave no rounding behind.
MICROGRAMS = 1_000_000_000
item_totals = Table(
    "item_totals",
    metadata,
    Column("holder_org_id", Integer, primary_key=True, autoincrement=False),
    Column("status", String(16), primary_key=True),
    Column("site", String(300), primary_key=True),
    Column("species", String(120), primary_key=True),
    Column("product_type", String(64), primary_key=True),
    Column("is_class", Boolean, primary_key=True),
    Column("item_count", BigId, nullable=False),
    Column("mass_ug", BigId, nullable=False),
)

# Events per organisation (0: none), kept by triggers on `events` (migration 0021).
event_totals = Table(
    "event_totals",
    metadata,
    Column("org_id", Integer, primary_key=True, autoincrement=False),
    Column("event_count", BigId, nullable=False),
)

capture_jobs = Table(
    "capture_jobs",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=True, index=True),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("event_count", Integer, nullable=False, server_default="0"),
    Column("stored_count", Integer, nullable=False, server_default="0"),
    Column("errors", JSON, nullable=False),
    Column("text", Text, nullable=True),
)


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

# Named queries of the EPCIS REST binding (/epcis/queries): a query definition kept under a name
# by the organisation that made it, run later within what the asker may read.
named_queries = Table(
    "named_queries",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("org_id", Integer, nullable=True, index=True),
    Column("definition", Document, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Subscriptions to named queries (EPCIS REST binding): where and when to deliver, as whom, and how
# far delivery got (the record time and id of the last event delivered), so that a delivery that
# failed resumes where it stopped. `due_at` is when to try next (a stream's next round, a schedule's
# next run, or a retry after a backoff).
# The order events became visible in, what subscriptions walk by: each event gets a number after its
# capture committed (kiik.custody.adapters.event_query.EventQueryStore.number_new_events). Events stay
# append-only: the numbers live here, and the events still to number wait in `events_to_number`, a
# row inserted with each event in its capture's transaction and removed when it is numbered.
events_to_number = Table(
    "events_to_number",
    metadata,
    Column("event_pk", BigId, primary_key=True, autoincrement=False),
)
delivery_order = Table(
    "delivery_order",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=False),
    Column("event_pk", BigId, nullable=False),
    Index("ix_delivery_order_event_pk", "event_pk", unique=True),
)
query_subscriptions = Table(
    "query_subscriptions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("query_name", String(200), nullable=False, index=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("token_id", Integer, ForeignKey("api_tokens.id"), nullable=True),
    Column("dest", String(2000), nullable=False),
    Column("signature_token", String(500), nullable=True),
    Column("stream", Boolean, nullable=False),
    Column("schedule", Document, nullable=True),
    Column("report_if_empty", Boolean, nullable=False),
    Column("initial_record_time", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("due_at", DateTime, nullable=False, index=True),
    Column("after_time", DateTime, nullable=True),
    Column("after_event", BigId, nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("last_delivered_at", DateTime, nullable=True),
)

# The plausible masses the ministry set (kiik.custody.domain.mass_bounds; defaults where none):
# one row per product type, item or lot, and species ("" for any species).
mass_bounds = Table(
    "mass_bounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_type", String(64), nullable=False),
    Column("measured", String(8), nullable=False),
    Column("species", String(120), nullable=False, server_default=""),
    Column("least_kg", Float, nullable=False),
    Column("most_kg", Float, nullable=False),
    Column("set_by", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("product_type", "measured", "species", name="uq_mass_bounds_product_type"),
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
# What is on its way to an organisation (the destination reads it before the receipt): only items
# in transit carry a destination, so the index holds those alone.
IN_TRANSIT_SQL = "destination_org_id IS NOT NULL"
Index(
    "ix_items_in_transit_to",
    items.c.destination_org_id,
    items.c.status,
    sqlite_where=text(IN_TRANSIT_SQL),
    postgresql_where=text(IN_TRANSIT_SQL),
)
