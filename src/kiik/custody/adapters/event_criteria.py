"""An EPCIS query's criteria (SimpleEventQuery's EQ_/GE_/LT_/MATCH_ parameters, checked by
`kiik.epcis.services.query_params`) as SQL conditions on the events table; `event_query` runs them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, exists, false, or_, select

from kiik.custody.adapters.tables import delivery_order, erroneous_events, event_identifiers, events
from kiik.epcis.services.query_params import DELIVERY_ORDER


class IdentifierMatch(Protocol):
    """One MATCH_* parameter: any of `keys` (exact) or `patterns` (LIKE) in any of `roles`."""

    @property
    def roles(self) -> Sequence[str]: ...
    @property
    def keys(self) -> Sequence[str]: ...
    @property
    def patterns(self) -> Sequence[str]: ...


class Criteria(Protocol):
    """What the query service asks for (built and checked by `kiik.custody.services.queries`)."""

    @property
    def event_types(self) -> Sequence[str]: ...
    @property
    def event_time_from(self) -> datetime | None: ...
    @property
    def event_time_before(self) -> datetime | None: ...
    @property
    def record_time_from(self) -> datetime | None: ...
    @property
    def record_time_before(self) -> datetime | None: ...
    @property
    def actions(self) -> Sequence[str]: ...
    @property
    def biz_steps(self) -> Sequence[str]: ...
    @property
    def dispositions(self) -> Sequence[str]: ...
    @property
    def read_points(self) -> Sequence[str]: ...
    @property
    def biz_locations(self) -> Sequence[str]: ...
    @property
    def event_ids(self) -> Sequence[str]: ...
    @property
    def identifier_matches(self) -> Sequence[IdentifierMatch]: ...
    @property
    def error_declarations_only(self) -> bool: ...
    @property
    def order_by(self) -> str: ...
    @property
    def descending(self) -> bool: ...


# The columns a query may be ordered by.
ORDER_COLUMNS = {
    "eventTime": events.c.event_time,
    "recordTime": events.c.record_time,
    DELIVERY_ORDER: delivery_order.c.seq,
}


def is_erroneous() -> ColumnElement[bool]:
    """The event has been declared erroneous by a later error declaration."""
    return exists().where(erroneous_events.c.event_pk == events.c.id)


def _in(column: Any, values: Sequence[str]) -> ColumnElement[bool] | None:
    return column.in_(list(values)) if values else None


def _identifier_condition(match: IdentifierMatch) -> ColumnElement[bool]:
    alternatives: list[ColumnElement[bool]] = []
    if match.keys:
        alternatives.append(event_identifiers.c.key.in_(list(match.keys)))
    alternatives += [event_identifiers.c.key.like(p, escape="\\") for p in match.patterns]
    matching = select(event_identifiers.c.event_pk).where(
        event_identifiers.c.role.in_(list(match.roles)), or_(*alternatives) if alternatives else false()
    )
    return events.c.id.in_(matching)


def conditions_of(criteria: Criteria) -> list[ColumnElement[bool]]:
    """The WHERE conditions of `criteria` (an empty list matches every event)."""
    found: list[ColumnElement[bool] | None] = [
        _in(events.c.event_type, criteria.event_types),
        _in(events.c.action, criteria.actions),
        _in(events.c.biz_step, criteria.biz_steps),
        _in(events.c.disposition, criteria.dispositions),
        _in(events.c.read_point, criteria.read_points),
        _in(events.c.biz_location, criteria.biz_locations),
        _in(events.c.event_id, criteria.event_ids),
    ]
    bounds = (
        (events.c.event_time, criteria.event_time_from, criteria.event_time_before),
        (events.c.record_time, criteria.record_time_from, criteria.record_time_before),
    )
    for column, lower, upper in bounds:
        if lower is not None:
            found.append(column >= lower)
        if upper is not None:
            found.append(column < upper)
    if criteria.error_declarations_only:
        found.append(events.c.declares_error.is_(True))
    found += [_identifier_condition(m) for m in criteria.identifier_matches]
    return [c for c in found if c is not None]
