"""Tables of the directory: organisations, their sites and their API tokens (only hashes are kept)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
)

from kiik.db.metadata import BigId, Document, metadata

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("pgln", String(120), nullable=True, unique=True),
    Column("country", String(2), nullable=False, server_default="KZ"),
    Column("created_at", DateTime, nullable=False),
    # Whom to contact (each empty when not known).
    Column("contact_person", String(200), nullable=False, server_default=""),
    Column("contact_phone", String(40), nullable=False, server_default=""),
    Column("contact_email", String(254), nullable=False, server_default=""),
    Column("postal_address", String(400), nullable=False, server_default=""),
)

sites = Table(
    "sites",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("sgln", String(120), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    # The site this one lies within (WD_bizLocation and WD_readPoint take descendants in).
    Column("parent_id", Integer, ForeignKey("sites.id"), nullable=True, index=True),
    # Where the site is: its region (ISO 3166-2, e.g. KZ-27) and coordinates (WGS 84 degrees).
    Column("region", String(6), nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("label", String(200), nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
)


# Every administrative action (organisations, sites, tokens, keys, partner registries, permits'
# decisions, settings): who, when, what. Rows are inserted and never changed or deleted.
admin_audit = Table(
    "admin_audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(64), nullable=False, index=True),
    Column("subject", String(300), nullable=False),
    Column("details", Document, nullable=False),
)


# People who log in with a username and password, each in one organisation with one role. Only an
# argon2id hash of the password is kept; `totp_secret` is set when the person enrolled a second factor.
people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("org_id", Integer, ForeignKey("organisations.id"), nullable=False, index=True),
    Column("role", String(32), nullable=False),
    Column("full_name", String(200), nullable=False, server_default=""),
    Column("password_hash", String(200), nullable=False),
    Column("totp_secret", String(64), nullable=True),
    Column("language", String(8), nullable=True),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("last_failed_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("disabled_at", DateTime, nullable=True),
)

# Log-in sessions: the cookie carries a random token, of which only the SHA-256 is kept. A session
# ends when it is idle or old (kiik.directory.domain.people.SessionLifetime), when its person logs
# out, or when an administrator ends it (`ended_at`).
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("person_id", Integer, ForeignKey("people.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("ended_at", DateTime, nullable=True),
)
