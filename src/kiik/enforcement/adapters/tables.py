"""Enforcement's tables, on the shared MetaData (`kiik.bootstrap.schema` gathers them).

A seizure is one incident; its specimens (CITES term, quantity, unit) and the codes found on the
goods are rows of their own. Each seized code keeps what matching found (verdict, reason, last
legal holder, event) and where the goods are now (`disposition`). Alerts and their review steps,
cases, animals in rehabilitation, market inspections and the partner exchange follow. Rows are
added, and only a seizure's, a code's, an alert's, a case's or an animal's current status changes;
every step that changes one is a row too (who, when).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kiik.db.metadata import Document, metadata

seizures = Table(
    "seizures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(80), nullable=False, unique=True),
    Column("status", String(16), nullable=False),  # draft (from a market inspection) or recorded
    Column("seized_on", Date, nullable=False, index=True),
    Column("reporting_country", String(2), nullable=False),
    Column("region", String(80), nullable=True, index=True),
    Column("place", String(200), nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("agency", String(200), nullable=False),
    Column("agency_case_number", String(80), nullable=True),
    Column("detection_method", String(60), nullable=False),
    Column("species", String(120), nullable=False, index=True),
    Column("route", Document, nullable=False),  # origin, export, transit, destination: country, known
    Column("transport_mode", String(40), nullable=True),
    Column("concealment", String(200), nullable=True),
    Column("legal_action", String(200), nullable=True),
    Column("specimen_fate", String(200), nullable=True),
    Column("offenders", Integer, nullable=True),
    Column("offender_nationalities", String(200), nullable=True),
    Column("notes", Text, nullable=True),
    Column("recorded_by", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("recorded_at", DateTime, nullable=False),
)

seizure_specimens = Table(
    "seizure_specimens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seizure_id", Integer, ForeignKey("seizures.id"), nullable=False, index=True),
    Column("term", String(8), nullable=False),
    Column("quantity", Float, nullable=False),
    Column("unit", String(8), nullable=False),
    Column("marked", Integer, nullable=False),  # how many of them carried a code
)

seized_codes = Table(
    "seized_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seizure_id", Integer, ForeignKey("seizures.id"), nullable=False, index=True),
    Column("code", String(300), nullable=False, index=True),
    Column("verdict", String(16), nullable=False),  # leak, forgery, foreign
    Column("reason", String(40), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("holder_org_id", Integer, nullable=True, index=True),
    Column("holder_region", String(80), nullable=True),
    Column("last_event_id", String(300), nullable=True),
    Column("last_event_time", DateTime, nullable=True),
    Column("details", Document, nullable=False),
    Column("disposition", String(16), nullable=False),
    UniqueConstraint("seizure_id", "code", name="uq_seized_codes_seizure_code"),
)

custody_steps = Table(
    "custody_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seizure_id", Integer, ForeignKey("seizures.id"), nullable=False, index=True),
    Column("step", String(16), nullable=False),
    Column("place", String(200), nullable=False),
    Column("note", Text, nullable=True),
    Column("event_id", String(300), nullable=True),
    Column("codes", Integer, nullable=False),
    Column("by_org", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("by_actor", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
)

leak_alerts = Table(
    "leak_alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seizure_id", Integer, ForeignKey("seizures.id"), nullable=False, index=True),
    Column("holder_org_id", Integer, nullable=True, index=True),
    Column("region", String(80), nullable=True, index=True),
    Column("codes", Document, nullable=False),
    Column("status", String(16), nullable=False),
    Column("opened_at", DateTime, nullable=False),
)

alert_steps = Table(
    "alert_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_id", Integer, ForeignKey("leak_alerts.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("note", Text, nullable=True),
    Column("by_org", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("by_actor", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
)

org_regions = Table(
    "org_regions",
    metadata,
    Column("org_id", Integer, ForeignKey("organisations.id"), primary_key=True),
    Column("region", String(80), nullable=False, index=True),
)

enforcement_cases = Table(
    "enforcement_cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(80), nullable=False, unique=True),
    Column("article_part", String(20), nullable=False),
    Column("offence_on", Date, nullable=False),
    Column("suspects", Integer, nullable=False),
    Column("suspect_nationalities", String(200), nullable=True),
    Column("outcome", String(200), nullable=True),
    Column("opened_by", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("opened_at", DateTime, nullable=False),
)

case_seizures = Table(
    "case_seizures",
    metadata,
    Column("case_id", Integer, ForeignKey("enforcement_cases.id"), primary_key=True),
    Column("seizure_id", Integer, ForeignKey("seizures.id"), primary_key=True),
)

rehab_animals = Table(
    "rehab_animals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seizure_id", Integer, ForeignKey("seizures.id"), nullable=False, index=True),
    Column("mark", String(80), nullable=False, unique=True),
    Column("species", String(120), nullable=False),
    Column("centre", String(200), nullable=False),
    Column("status", String(16), nullable=False),  # in_care, died, released
    Column("admitted_on", Date, nullable=False),
    Column("released_on", Date, nullable=True),
    Column("release_place", String(200), nullable=True),
    Column("release_latitude", Float, nullable=True),
    Column("release_longitude", Float, nullable=True),
)

rehab_records = Table(
    "rehab_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("animal_id", Integer, ForeignKey("rehab_animals.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # admitted, health_check, death, release
    Column("on_date", Date, nullable=False),
    Column("note", Text, nullable=True),
    Column("by_actor", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
)

market_inspections = Table(
    "market_inspections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("inspected_on", Date, nullable=False),
    Column("place", String(200), nullable=False),
    Column("region", String(80), nullable=True),
    Column("code", String(300), nullable=True),
    Column("verdict", String(16), nullable=False),
    Column("explanation", Text, nullable=False),
    Column("seizure_id", Integer, ForeignKey("seizures.id"), nullable=True),
    Column("by_org", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("at", DateTime, nullable=False),
)

partner_seizure_exchanges = Table(
    "partner_seizure_exchanges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("direction", String(8), nullable=False),  # sent or received
    Column("partner", String(8), nullable=False),
    Column("reference", String(80), nullable=False),
    Column("codes", Document, nullable=False),
    Column("answers", Document, nullable=True),
    Column("at", DateTime, nullable=False),
    Index("ix_partner_seizure_exchanges_partner_reference", "partner", "reference"),
)
