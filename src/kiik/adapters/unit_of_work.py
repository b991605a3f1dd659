"""One transaction per use case: the unit of work is the only thing that commits."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from kiik.adapters.cites_stores import CitesStores
from kiik.adapters.consignment_store import ConsignmentStore
from kiik.adapters.directory_store import DirectoryStore
from kiik.adapters.event_query import EventQueryStore
from kiik.adapters.event_store import EventStore
from kiik.adapters.harvest_store import HarvestStore
from kiik.adapters.item_store import ItemStore
from kiik.adapters.job_store import JobStore
from kiik.adapters.lineage_store import LineageStore
from kiik.adapters.merkle_store import MerkleStore
from kiik.adapters.partner_store import PartnerStore
from kiik.adapters.signing import SigningKeyStore
from kiik.adapters.stock_store import StockStore


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self._connection = self.engine.connect()
        self._transaction = self._connection.begin()
        self.events = EventStore(self._connection)
        self.items = ItemStore(self._connection)
        self.directory = DirectoryStore(self._connection)
        self.jobs = JobStore(self._connection)
        self.queries = EventQueryStore(self._connection)
        self.lineage = LineageStore(self._connection)
        self.harvest = HarvestStore(self._connection)
        self.cites = CitesStores(self._connection)
        self.keys = SigningKeyStore(self._connection)
        self.stock = StockStore(self._connection)
        self.log = MerkleStore(self._connection)
        self.partners = PartnerStore(self._connection)
        self.consignments = ConsignmentStore(self._connection)
        return self

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def commit(self) -> None:
        self._transaction.commit()

    def rollback(self) -> None:
        if self._transaction.is_active:
            self._transaction.rollback()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()
        assert self._connection is not None
        self._connection.close()
        self._connection = None
