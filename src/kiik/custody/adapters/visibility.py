"""Read access turned into SQL, once: `event_visible` and `item_visible` are the conditions every
read adds for a reader that does not see everything (see `kiik.directory.services.scope`): an
organisation, or an importing country's authority (`exported_keys`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true, union_all

from kiik.custody.adapters.tables import event_identifiers, events, items
from kiik.custody.domain.state import Status
from kiik.directory.domain.permissions import ExportedTo, Viewer


def item_visible(visible_to: Viewer) -> ColumnElement[bool]:
    """Items a reader sees in detail: an organisation those it holds now, an importing country's
    authority those exported to it and their sources (everything when `visible_to` is None)."""
    if visible_to is None:
        return true()
    if isinstance(visible_to, ExportedTo):
        return items.c.key.in_(exported_keys(visible_to.country))
    return concerns(visible_to)


def concerns(org_id: int) -> ColumnElement[bool]:
    """Items an organisation sees in detail: those it holds now, and those in transit to it (the
    named destination prepares the receipt and checks the consignment before it arrives)."""
    return or_(items.c.holder_org_id == org_id, in_transit_to(org_id))


def in_transit_to(org_id: int) -> ColumnElement[bool]:
    return and_(items.c.destination_org_id == org_id, items.c.status == Status.IN_TRANSIT.value)


def event_visible(visible_to: Viewer) -> ColumnElement[bool]:
    """Events a reader sees: an organisation those it recorded and those naming an item it holds
    now; an importing country's authority those naming an item exported to it or a source of one."""
    if visible_to is None:
        return true()
    if isinstance(visible_to, ExportedTo):
        return names_exported_item(visible_to.country)
    return or_(recorded_by(visible_to), names_held_item(visible_to))


ExportedKeys = Callable[[str], Select[Any]]


def _nothing_exported(country: str) -> Select[Any]:
    return select(items.c.key).where(false())


# The query of what was exported to a country belongs to the permits (their tables sit above
# custody); the composition root names it once at start-up (`kiik.bootstrap.unit_of_work`).
_exports: list[ExportedKeys] = [_nothing_exported]


def read_exports_from(query: ExportedKeys) -> None:
    """Use `query(country)` for the keys an importing country's authority sees."""
    _exports[0] = query


def exported_keys(country: str) -> Select[Any]:
    """The keys an importing country's authority sees (see `kiik.permits.adapters.exports`)."""
    return _exports[0](country)


def names_exported_item(country: str) -> ColumnElement[bool]:
    """Events naming an item exported to `country` or a source of one (see `exported_keys`)."""
    named = select(event_identifiers.c.event_pk).where(event_identifiers.c.key.in_(exported_keys(country)))
    return events.c.id.in_(named)


def recorded_by(org_id: int) -> ColumnElement[bool]:
    """The first half of `event_visible`: events the organisation recorded."""
    return events.c.org_id == org_id


def names_held_item(org_id: int, *, few_held: bool = False) -> ColumnElement[bool]:
    """The second half of `event_visible`: events naming an item the organisation holds now or
    that is in transit to it (see `concerns`).

    Two spellings of one condition, for the planner: checked event by event (an index probe per
    event, best when the candidate events are few or most of them are visible), or, when the
    organisation holds few items, as the set of events naming them (best for a wide query).
    """
    if few_held:
        naming = select(event_identifiers.c.event_pk).join(items, items.c.key == event_identifiers.c.key)
        named = union_all(naming.where(items.c.holder_org_id == org_id), naming.where(in_transit_to(org_id)))
        return events.c.id.in_(named)
    return exists().where(
        event_identifiers.c.event_pk == events.c.id,
        items.c.key == event_identifiers.c.key,
        concerns(org_id),
    )
