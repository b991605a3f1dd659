"""Rules beyond custody that every captured event must also satisfy (harvest authorisations,
species rules, permits...). Each capability adds its rule factory to `kiik.bootstrap.capture_rules`,
once; the unit of work hands them to capture (`rule_factories`).

A rule object lives for one capture (one document, one transaction): it may cache what it read
and count what the document has used so far, and it may write its own projection through the
unit of work, which is rolled back with everything else when the document is refused. Rules run
only when custody rules are on (`KIIK_CUSTODY_RULES`).

A rule may also have a `written(events)` method: capture calls it after each batch of events is
written (only while the document is still accepted) with those events (`WrittenEvent`: stored key,
row and facts, in the order they were checked; see `kiik.epcis.services.records`), the place to write the
rule's projection in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from kiik.custody.domain.state import Violation
from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain.event_facts import EventFacts


class EventRule(Protocol):
    def check(self, facts: EventFacts, event: Mapping[str, Any], principal: Principal) -> list[Violation]:
        """The violations of one event, in document order; an empty list when it complies."""
        ...


RuleFactory = Callable[[UnitOfWork], EventRule]


def rules_for(uow: UnitOfWork, factories: tuple[RuleFactory, ...] | None = None) -> list[EventRule]:
    """One rule object per factory, for one capture: the unit of work's rules unless given."""
    chosen: tuple[RuleFactory, ...] = uow.rule_factories if factories is None else factories
    return [factory(uow) for factory in chosen]
