"""One transaction per use case: the unit of work is the only thing that commits.

It opens every capability's stores on one connection, and hands capture the rules of every
capability (`capture_rules`); the partner inbox applies enforcement's seizure alerts and
answers. An importing country's authority reads what was exported to it under
permits: custody's read conditions take that set of keys from the permits' tables here.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from kiik.bootstrap import capture_rules
from kiik.bootstrap.cites_stores import CitesStores
from kiik.custody.adapters import visibility
from kiik.custody.adapters.event_query import EventQueryStore
from kiik.custody.adapters.event_store import EventStore
from kiik.custody.adapters.item_store import ItemStore
from kiik.custody.adapters.job_store import JobStore
from kiik.custody.adapters.lineage_store import LineageStore
from kiik.custody.adapters.stock_store import StockStore
from kiik.custody.adapters.subscription_store import SubscriptionStore
from kiik.custody.services.event_rules import RuleFactory
from kiik.directory.adapters.people_store import PeopleStore
from kiik.directory.adapters.store import DirectoryStore
from kiik.enforcement.adapters.registry_lookup import RegistryLookup
from kiik.enforcement.adapters.store import EnforcementStore
from kiik.enforcement.services import exchange as seizure_exchange
from kiik.harvest.adapters.store import HarvestStore
from kiik.ledger.adapters.key_files import KeyFiles
from kiik.ledger.adapters.merkle_store import MerkleStore
from kiik.ledger.adapters.signing import SigningKeyStore
from kiik.monitoring.adapters.camtrap_store import CameraTrapStore
from kiik.monitoring.adapters.census_store import CensusStore, PlanStore
from kiik.partners.adapters.consignment_store import ConsignmentStore
from kiik.partners.adapters.store import PartnerStore
from kiik.partners.services import inbox
from kiik.permits.adapters.exports import exported_keys
from kiik.proceeds.adapters.store import ProceedsStore
from kiik.trade.adapters.store import TradeStore

visibility.read_exports_from(exported_keys)
for _kind, _applier in seizure_exchange.APPLIERS.items():
    inbox.apply_also(_kind, _applier)


class SqlUnitOfWork:
    def __init__(self, engine: Engine, key_files: KeyFiles) -> None:
        self.engine = engine
        self.key_files = key_files
        self._connection: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self._connection = self.engine.connect()
        self._transaction = self._connection.begin()
        self.events = EventStore(self._connection)
        self.items = ItemStore(self._connection)
        self.directory = DirectoryStore(self._connection)
        self.people = PeopleStore(self._connection)
        self.jobs = JobStore(self._connection)
        self.queries = EventQueryStore(self._connection)
        self.subscriptions = SubscriptionStore(self._connection)
        self.lineage = LineageStore(self._connection)
        self.harvest = HarvestStore(self._connection)
        self.cites = CitesStores(self._connection)
        self.keys = SigningKeyStore(self._connection, self.key_files)
        self.stock = StockStore(self._connection)
        self.log = MerkleStore(self._connection)
        self.partners = PartnerStore(self._connection)
        self.consignments = ConsignmentStore(self._connection)
        self.census = CensusStore(self._connection)
        self.offtake_plans = PlanStore(self._connection)
        self.camera_traps = CameraTrapStore(self._connection)
        self.enforcement = EnforcementStore(self._connection)
        self.registry_lookup = RegistryLookup(self._connection)
        self.trade = TradeStore(self._connection)
        self.proceeds = ProceedsStore(self._connection)
        return self

    @property
    def rule_factories(self) -> tuple[RuleFactory, ...]:
        return capture_rules.RULE_FACTORIES

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
