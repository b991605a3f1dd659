"""Monitoring's tables, on the shared MetaData (`kiik.bootstrap.schema` gathers them).

Camera-trap rows keep their Camtrap DP values as written (`row`, a JSON list in the official field
order) so that an export gives back what was imported; the columns beside it are what analysis
and alerts read. Times are seconds since the epoch (UTC), the same on both databases. Observations
and media carry the deployment's id without a foreign key: they are written a million at a time
by one import that has just written those deployments (as capture's rows, migration 0010).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kiik.db.metadata import BigId, Document, metadata

census_surveys = Table(
    "census_surveys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("species", String(120), nullable=False),
    Column("population", String(40), nullable=False),
    Column("year", Integer, nullable=False),
    Column("method", String(200), nullable=False),
    Column("started_on", Date, nullable=True),
    Column("ended_on", Date, nullable=True),
    Column("estimate", BigInteger, nullable=False),
    Column("ci_lower", BigInteger, nullable=True),
    Column("ci_upper", BigInteger, nullable=True),
    Column("standard_error", Float, nullable=True),
    Column("source", Text, nullable=False),
    Column("recorded_by", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("recorded_at", DateTime, nullable=False),
    UniqueConstraint("species", "population", "year", name="uq_census_surveys_species_population_year"),
)

offtake_plans = Table(
    "offtake_plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("species", String(120), nullable=False),
    Column("population", String(40), nullable=False),
    Column("season", Integer, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("max_animals", Integer, nullable=False),
    Column("rule_basis", String(20), nullable=False),
    Column("rule_share", Float, nullable=False),
    Column("census_year", Integer, nullable=False),
    Column("census_basis", BigInteger, nullable=False),
    Column("justification_name", String(200), nullable=False),
    Column("justification_type", String(100), nullable=False),
    Column("justification_sha256", String(64), nullable=False),
    Column("justification_size", Integer, nullable=False),
    Column("justification", LargeBinary, nullable=False),
    Column("recorded_by", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("recorded_at", DateTime, nullable=False),
    UniqueConstraint(
        "species", "population", "season", "revision", name="uq_offtake_plans_species_population_season"
    ),
)

fence_passages = Table(
    "fence_passages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("location_id", String(120), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("region", String(100), nullable=False),
    Column("fence", String(200), nullable=False),
    Column("border", String(20), nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("opened_on", Date, nullable=True),
)

camtrap_packages = Table(
    "camtrap_packages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("package_key", String(200), nullable=False, unique=True),
    Column("title", String(500), nullable=False, server_default=""),
    Column("descriptor", Document, nullable=False),
    Column("observations", Integer, nullable=False),
    Column("imported_by", Integer, ForeignKey("organisations.id"), nullable=True),
    Column("imported_at", DateTime, nullable=False),
)

camtrap_deployments = Table(
    "camtrap_deployments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("package_id", Integer, ForeignKey("camtrap_packages.id"), nullable=False),
    Column("deployment_id", String(200), nullable=False),
    Column("location_id", String(200), nullable=True, index=True),
    Column("starts", BigInteger, nullable=False),
    Column("ends", BigInteger, nullable=False),
    Column("camera_id", String(200), nullable=True),
    Column("row", Text, nullable=False),
    UniqueConstraint("package_id", "deployment_id", name="uq_camtrap_deployments_package_id"),
)

camtrap_malfunctions = Table(
    "camtrap_malfunctions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("deployment_pk", Integer, ForeignKey("camtrap_deployments.id"), nullable=False, index=True),
    Column("starts", BigInteger, nullable=False),
    Column("ends", BigInteger, nullable=False),
    Column("reason", String(300), nullable=False, server_default=""),
)

camtrap_media = Table(
    "camtrap_media",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("package_id", Integer, nullable=False, index=True),
    Column("media_id", String(200), nullable=False),
    Column("deployment_pk", Integer, nullable=False),
    Column("file_path", Text, nullable=False),
    Column("row", Text, nullable=False),
)

camtrap_observations = Table(
    "camtrap_observations",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("package_id", Integer, nullable=False, index=True),
    Column("deployment_pk", Integer, nullable=False),
    Column("observation_id", String(200), nullable=False),
    Column("media_id", String(200), nullable=True),
    Column("observation_type", String(20), nullable=False),
    Column("scientific_name", String(200), nullable=True),
    Column("starts", BigInteger, nullable=False),
    Column("ends", BigInteger, nullable=False),
    Column("count", Integer, nullable=True),
    Column("direction", String(60), nullable=True),
    Column("row", Text, nullable=False),
    Index("ix_camtrap_observations_deployment_species_start", "deployment_pk", "scientific_name", "starts"),
)

# Each species' photos at a deployment merged at the shortest threshold (one minute) at import,
# one row per deployment and species with the bursts packed as columns (little-endian 64-bit
# integers): analyses merge these further at the threshold they choose instead of reading every
# observation (kiik.monitoring.domain.series).
camtrap_burst_series = Table(
    "camtrap_burst_series",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("package_id", Integer, nullable=False, index=True),
    Column("deployment_pk", Integer, nullable=False),
    Column("scientific_name", String(200), nullable=False),
    Column("bursts", Integer, nullable=False),
    Column("starts", LargeBinary, nullable=False),
    Column("ends", LargeBinary, nullable=False),
    Column("groups", LargeBinary, nullable=False),
    Column("directions", Text, nullable=False),  # one line per burst, "|"-joined
    Index("ix_camtrap_burst_series_deployment_species", "deployment_pk", "scientific_name"),
)

monitoring_alerts = Table(
    "monitoring_alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("package_id", Integer, ForeignKey("camtrap_packages.id"), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("location_id", String(200), nullable=True),
    Column("deployment_id", String(200), nullable=False),
    Column("observed_at", BigInteger, nullable=False, index=True),
    Column("observation_id", String(200), nullable=False),
    Column("media_id", String(200), nullable=True),
    Column("photo", Text, nullable=True),
    Column("raised_at", DateTime, nullable=False),
)
