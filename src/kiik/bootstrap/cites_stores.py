"""The stores of the species, quota and permit feature, opened on the unit of work's connection."""

from __future__ import annotations

from sqlalchemy import Connection

from kiik.permits.adapters.store import PermitStore
from kiik.species.adapters.quota_store import QuotaStore
from kiik.species.adapters.species_store import SpeciesStore


class CitesStores:
    def __init__(self, connection: Connection) -> None:
        self.species = SpeciesStore(connection)
        self.quotas = QuotaStore(connection)
        self.permits = PermitStore(connection)
