"""The one MetaData every capability declares its tables on, and column types for both databases.

Constraints are named, so that SQLite batch migrations can find them again; the whole schema is
assembled in `kiik.bootstrap.schema` (for Alembic and the drift check).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Integer,
    MetaData,
)
from sqlalchemy.dialects.postgresql import JSONB

# Named constraints, so that SQLite batch migrations can find them again.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BIGINT on PostgreSQL; INTEGER on SQLite, where only INTEGER PRIMARY KEY autoincrements.
BigId = BigInteger().with_variant(Integer(), "sqlite")

Document = JSON().with_variant(JSONB(), "postgresql")
