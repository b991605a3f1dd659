"""The whole relational schema: every capability's tables, on the one MetaData (`kiik.db.metadata`).

Each capability declares its tables in its own `adapters/tables.py`; they are imported here so that
Alembic, the drift check and the tests see all of them.
"""

from __future__ import annotations

from kiik.custody.adapters import tables as custody_tables
from kiik.db.metadata import metadata
from kiik.directory.adapters import tables as directory_tables
from kiik.enforcement.adapters import tables as enforcement_tables
from kiik.harvest.adapters import tables as harvest_tables
from kiik.ledger.adapters import tables as ledger_tables
from kiik.monitoring.adapters import tables as monitoring_tables
from kiik.partners.adapters import tables as partner_tables
from kiik.permits.adapters import tables as permit_tables
from kiik.species.adapters import tables as species_tables

CAPABILITY_TABLES = (
    directory_tables,
    custody_tables,
    harvest_tables,
    species_tables,
    permit_tables,
    ledger_tables,
    partner_tables,
    monitoring_tables,
    enforcement_tables,
)

__all__ = ["CAPABILITY_TABLES", "metadata"]
