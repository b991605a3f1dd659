"""The whole relational schema: the core tables and every feature's tables, on one MetaData.

Feature tables live in their own modules (`tables_<feature>.py`) declared on `tables.metadata`;
they are imported here so that Alembic, the drift check and the tests see all of them.
"""

from __future__ import annotations

from kiik.adapters import tables
from kiik.adapters.tables import metadata

FEATURE_MODULES: tuple[str, ...] = ("tables_harvest", "tables_stock", "tables_permits", "tables_partners")

for _name in FEATURE_MODULES:
    __import__(f"kiik.adapters.{_name}")

__all__ = ["metadata", "tables"]
