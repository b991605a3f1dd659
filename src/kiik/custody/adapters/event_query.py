"""Reading events back: the EPCIS query (filters, order, keyset pages), single events, item history.

Every read adds the reader's view (`kiik.custody.adapters.visibility`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
)

from kiik.custody.adapters.event_criteria import ORDER_COLUMNS, Criteria, conditions_of, is_erroneous
from kiik.custody.adapters.tables import (
    delivery_order,
    event_identifiers,
    events,
    events_to_number,
    items,
    named_queries,
)
from kiik.custody.adapters.visibility import event_visible, names_held_item, recorded_by
from kiik.db.bulk_insert import insert_rows
from kiik.directory.adapters.tables import organisations
from kiik.directory.domain.permissions import ExportedTo, Viewer
from kiik.epcis.services.query_params import DELIVERY_ORDER


@dataclass(frozen=True, slots=True)
class QueriedEvent:
    pk: int
    hash_id: str
    event_id: str
    event_type: str
    event_time: datetime
    record_time: datetime
    action: str | None
    biz_step: str | None
    disposition: str | None
    org_id: int | None
    declares_error: bool
    erroneous: bool
    body: dict[str, Any]
    delivery_seq: int | None = None

    def order_value(self, order_by: str) -> Any:
        if order_by == DELIVERY_ORDER:
            return self.delivery_seq
        return self.record_time if order_by == "recordTime" else self.event_time


@dataclass(frozen=True)
class HistoryEvent:
    """One line of an item's history: the event's columns (not its body) and who recorded it."""

    pk: int
    hash_id: str
    event_id: str
    event_type: str
    event_time: datetime
    record_time: datetime
    action: str | None
    biz_step: str | None
    disposition: str | None
    declares_error: bool
    erroneous: bool
    org_code: str | None
    org_name: str | None
    roles: tuple[str, ...]


# Up to this many items held, an organisation's wide queries start from the events naming them.
FEW_HELD = 2000
# The roles in which an identifier is an EPC of the event (not a class or a quantity).
EPC_ROLES = ("epc", "parent", "child", "input", "output")

# Serialises numbering on PostgreSQL (SQLite runs one writer at a time).
_NUMBERING_LOCK = 716_016
# Events taken off the waiting list per statement.
_NUMBERED_AT_ONCE = 5_000


def _selected() -> Select[Any]:
    return select(events, is_erroneous().label("erroneous"))


def _queried(row: Any) -> QueriedEvent:
    return QueriedEvent(
        pk=row.id,
        hash_id=row.hash_id,
        event_id=row.event_id,
        event_type=row.event_type,
        event_time=row.event_time,
        record_time=row.record_time,
        action=row.action,
        biz_step=row.biz_step,
        disposition=row.disposition,
        org_id=row.org_id,
        declares_error=bool(row.declares_error),
        erroneous=bool(row.erroneous),
        body=row.body,
        delivery_seq=getattr(row, "delivery_seq", None),
    )


# An item's history, built once: the columns a history line shows, never the event bodies.
_HISTORY = (
    select(
        events.c.id,
        events.c.hash_id,
        events.c.event_id,
        events.c.event_type,
        events.c.event_time,
        events.c.record_time,
        events.c.action,
        events.c.biz_step,
        events.c.disposition,
        events.c.declares_error,
        is_erroneous().label("erroneous"),
        organisations.c.code.label("org_code"),
        organisations.c.name.label("org_name"),
        event_identifiers.c.role.label("item_role"),
    )
    .join(event_identifiers, event_identifiers.c.event_pk == events.c.id)
    .outerjoin(organisations, organisations.c.id == events.c.org_id)
    .where(event_identifiers.c.key == bindparam("key"))
    .order_by(events.c.event_time, events.c.id)
)


class EventQueryStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def find(
        self,
        criteria: Criteria,
        *,
        visible_to: Viewer,
        limit: int,
        after: tuple[Any, int] | None = None,
    ) -> list[QueriedEvent]:
        """Up to `limit` events matching `criteria`, in the asked order, after the keyset `after`.

        For an organisation's view, the page is the first `limit` of two pages found apart, the
        events it recorded and the events naming what it holds: an OR of the two would keep
        either index from being used, which at a million events is seconds instead of milliseconds.
        """
        column = ORDER_COLUMNS[criteria.order_by]
        # In delivery order, only numbered events, with their numbers (see number_new_events).
        delivery = criteria.order_by == DELIVERY_ORDER
        source = events.join(delivery_order, delivery_order.c.event_pk == events.c.id) if delivery else events
        conditions = conditions_of(criteria)
        if after is not None:
            value, pk = after
            if criteria.descending:
                conditions.append(or_(column < value, and_(column == value, events.c.id < pk)))
            else:
                conditions.append(or_(column > value, and_(column == value, events.c.id > pk)))
        if criteria.descending:
            order = (column.desc(), events.c.id.desc())
        else:
            order = (column.asc(), events.c.id.asc())
        if isinstance(visible_to, ExportedTo):
            conditions.append(event_visible(visible_to))
        elif visible_to is not None:
            few_held = self.holds_few(visible_to)
            branches = [
                select(events.c.id)
                .select_from(source)
                .where(part, *conditions)
                .order_by(*order)
                .limit(limit)
                .subquery()
                for part in (recorded_by(visible_to), names_held_item(visible_to, few_held=few_held))
            ]
            page = union_all(*(select(branch.c.id) for branch in branches))
            conditions = [events.c.id.in_(page)]
        query = _selected().select_from(source).where(*conditions).order_by(*order).limit(limit)
        if delivery:
            query = query.add_columns(delivery_order.c.seq.label("delivery_seq"))
        # All rows at once: a page of 10,000 fetched row by row costs a tenth of a second more.
        return [_queried(r) for r in self.connection.execute(query).all()]

    def number_new_events(self) -> int:
        """Number the committed events waiting in `events_to_number`, after every number given, in
        (record time, id) order; how many were numbered.

        Run in a transaction of its own and committed: numbers are given one numbering at a time (an
        advisory lock on PostgreSQL; on SQLite the transaction writes first, taking the one writer's
        lock), and only to events this transaction sees, which are committed ones. An event committed
        later gets a later number, whatever its record time: a reader walking by number never passes
        an event it has not seen yet. Events themselves are never updated."""
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(text(f"SELECT pg_advisory_xact_lock({_NUMBERING_LOCK})"))
        else:
            self.connection.execute(delete(events_to_number).where(false()))
        waiting = (
            select(events_to_number.c.event_pk)
            .join(events, events.c.id == events_to_number.c.event_pk)
            .order_by(events.c.record_time, events.c.id)
        )
        pks = list(self.connection.scalars(waiting))
        if not pks:
            return 0
        given = int(self.connection.scalar(select(func.coalesce(func.max(delivery_order.c.seq), 0))) or 0)
        insert_rows(
            self.connection,
            delivery_order,
            ("seq", "event_pk"),
            [(given + n, pk) for n, pk in enumerate(pks, 1)],
        )
        for start in range(0, len(pks), _NUMBERED_AT_ONCE):
            part = pks[start : start + _NUMBERED_AT_ONCE]
            self.connection.execute(delete(events_to_number).where(events_to_number.c.event_pk.in_(part)))
        return len(pks)

    def holds_few(self, org_id: int) -> bool:
        """True when the organisation holds at most FEW_HELD items (see `names_held_item`)."""
        query = select(items.c.key).where(items.c.holder_org_id == org_id).limit(1).offset(FEW_HELD)
        return self.connection.scalar(query) is None

    def by_event_id(self, event_id: str, *, visible_to: Viewer) -> list[QueriedEvent]:
        """The event with this eventID (or Event Hash ID) and its error declarations."""
        query = (
            _selected()
            .where(
                or_(events.c.event_id == event_id, events.c.hash_id == event_id), event_visible(visible_to)
            )
            .order_by(events.c.declares_error, events.c.id)
        )
        return [_queried(r) for r in self.connection.execute(query)]

    def history(self, key: str) -> list[HistoryEvent]:
        """Every event naming `key`, in the order they happened, with the roles the key had in each.

        Callers check that the item is visible first: every event naming a visible item is visible.
        """
        found: dict[int, HistoryEvent] = {}
        for row in self.connection.execute(_HISTORY, {"key": key}):
            seen = found.get(row.id)
            if seen is not None:
                found[row.id] = replace(seen, roles=(*seen.roles, row.item_role))
                continue
            found[row.id] = HistoryEvent(
                pk=row.id,
                hash_id=row.hash_id,
                event_id=row.event_id,
                event_type=row.event_type,
                event_time=row.event_time,
                record_time=row.record_time,
                action=row.action,
                biz_step=row.biz_step,
                disposition=row.disposition,
                declares_error=bool(row.declares_error),
                erroneous=bool(row.erroneous),
                org_code=row.org_code,
                org_name=row.org_name,
                roles=(row.item_role,),
            )
        return list(found.values())

    def count_naming(self, key: str) -> int:
        query = select(func.count(func.distinct(event_identifiers.c.event_pk))).where(
            event_identifiers.c.key == key
        )
        return int(self.connection.scalar(query) or 0)

    def is_visible(self, event_pk: int, visible_to: Viewer) -> bool:
        if visible_to is None:
            return True
        query = select(literal(1)).where(events.c.id == event_pk, event_visible(visible_to))
        return self.connection.scalar(query) is not None

    def known(self, resource: str, *, visible_to: Viewer, after: str | None, limit: int) -> list[str]:
        """Distinct business locations, read points or identifiers of the events a reader sees, in
        order, after `after` (the values GET /epcis/bizLocations, /readPoints and /epcs list)."""
        if resource == "epcs":
            value = event_identifiers.c.key
            query = select(value).join(events, events.c.id == event_identifiers.c.event_pk)
            query = query.where(event_identifiers.c.role.in_(EPC_ROLES))
        else:
            value = events.c.biz_location if resource == "bizLocations" else events.c.read_point
            query = select(value).where(value.is_not(None))
        if visible_to is not None:
            query = query.where(event_visible(visible_to))
        if after is not None:
            query = query.where(value > after)
        return list(self.connection.scalars(query.group_by(value).order_by(value).limit(limit)))

    def add_named(self, name: str, org_id: int | None, definition: dict[str, Any]) -> bool:
        """Keep a query under its name; False when the name is taken."""
        if self.connection.scalar(select(named_queries.c.name).where(named_queries.c.name == name)):
            return False
        made = datetime.now(UTC).replace(tzinfo=None)
        values = {"name": name, "org_id": org_id, "definition": definition, "created_at": made}
        self.connection.execute(insert(named_queries).values(**values))
        return True

    def named(self, name: str) -> tuple[int | None, dict[str, Any]] | None:
        row = self.connection.execute(select(named_queries).where(named_queries.c.name == name)).first()
        return None if row is None else (row.org_id, dict(row.definition))

    def named_list(self, org_id: int | None) -> list[str]:
        """The names of an organisation's queries (every query's when None), in order."""
        query = select(named_queries.c.name).order_by(named_queries.c.name)
        if org_id is not None:
            query = query.where(named_queries.c.org_id == org_id)
        return list(self.connection.scalars(query))

    def delete_named(self, name: str) -> None:
        self.connection.execute(delete(named_queries).where(named_queries.c.name == name))
