"""Rules beyond custody that every captured event must also satisfy (harvest authorisations,
species rules, permits...). Each feature adds its rule factory to `RULE_FACTORIES`, once.

A rule object lives for one capture (one document, one transaction): it may cache what it read
and count what the document has used so far, and it may write its own projection through the
unit of work, which is rolled back with everything else when the document is refused. Rules run
only when custody rules are on (`KIIK_CUSTODY_RULES`).

A rule may also have a `written(events)` method: capture calls it after each batch of events is
written (only while the document is still accepted) with those events (`WrittenEvent`: stored key,
row and facts, in the order they were checked; see `services.records`), the place to write the
rule's projection in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from kiik.domain.custody import Violation
from kiik.domain.event_facts import EventFacts
from kiik.domain.permissions import Principal
from kiik.services.export_notice import ExportNotices
from kiik.services.harvest_rule import HarvestRule
from kiik.services.merkle_log import LogAppender
from kiik.services.onward_processing import OnwardProcessing
from kiik.services.origin_rule import OriginRecorder
from kiik.services.permit_capture_rule import PermitExports
from kiik.services.ports import UnitOfWork
from kiik.services.species_capture_rule import SpeciesRules
from kiik.services.stock_count_rule import StockCounts


class EventRule(Protocol):
    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        """The violations of one event, in document order; an empty list when it complies."""
        ...


RuleFactory = Callable[[UnitOfWork], EventRule]

# One line per feature; order is the order in which their problems are reported.
RULE_FACTORIES: tuple[RuleFactory, ...] = (
    HarvestRule,
    SpeciesRules,
    PermitExports,
    OriginRecorder,
    StockCounts,
    LogAppender,
    ExportNotices,
    OnwardProcessing,
)


def rules_for(uow: UnitOfWork, factories: tuple[RuleFactory, ...] | None = None) -> list[EventRule]:
    return [factory(uow) for factory in (RULE_FACTORIES if factories is None else factories)]
