"""Item state as people read it, and the links between items that processing made.

Lineage is walked level by level: for a set of keys, one indexed query finds the transformations
that made them (the keys as `output`/`output_class` in `event_identifiers`) or used them
(`input`/`input_class`), a second reads those events' other identifiers. Erroneous events and
error declarations never link items.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, exists, func, select

from kiik.adapters.event_query import event_visible, item_visible
from kiik.adapters.item_store import chunked
from kiik.adapters.tables import erroneous_events, event_identifiers, events, items, organisations, sites

PRODUCED_ROLES = ("output", "output_class")
CONSUMED_ROLES = ("input", "input_class")
COMMISSIONED_ROLES = ("epc", "class")
LINK_ROLES = PRODUCED_ROLES + CONSUMED_ROLES


@dataclass(frozen=True)
class ItemRecord:
    key: str
    is_class: bool
    status: str
    holder_org_id: int | None
    holder_code: str | None
    holder_name: str | None
    site: str | None
    site_name: str | None
    parent: str | None
    quantity: float | None
    uom: str | None
    mass_kg: float | None
    product_type: str | None
    destination_code: str | None
    last_event_time: str | None


@dataclass(frozen=True)
class LinkEvent:
    """A transformation (or commissioning) as lineage shows it, with the identifiers it names.

    `body` holds only the parts of the event lineage reads (`ilmd` and the input and output
    quantity lists), taken out in SQL: a transformation of 250 horns is not loaded whole.
    """

    pk: int
    event_id: str
    hash_id: str
    event_type: str
    event_time: datetime
    org_id: int | None
    body: dict[str, Any]
    identifiers: tuple[tuple[str, str], ...] = ()

    def keys(self, roles: Sequence[str]) -> list[str]:
        return [key for role, key in self.identifiers if role in roles]


def _valid_event() -> ColumnElement[bool]:
    """Neither an error declaration nor an event declared erroneous."""
    return events.c.declares_error.is_(False) & ~exists().where(erroneous_events.c.event_pk == events.c.id)


def _commissioning(visible_to: int | None) -> tuple[ColumnElement[bool], ...]:
    return (
        events.c.event_type == "ObjectEvent",
        events.c.action == "ADD",
        _valid_event(),
        event_visible(visible_to),
    )


_HOLDER = organisations.alias("holder")
_DESTINATION = organisations.alias("destination")
# Built once: statement construction, not SQL, was most of a one-item read's time.
_ITEM_SELECT = (
    select(
        items,
        _HOLDER.c.code.label("holder_code"),
        _HOLDER.c.name.label("holder_name"),
        sites.c.name.label("site_name"),
        _DESTINATION.c.code.label("destination_code"),
    )
    .outerjoin(_HOLDER, _HOLDER.c.id == items.c.holder_org_id)
    .outerjoin(_DESTINATION, _DESTINATION.c.id == items.c.destination_org_id)
    .outerjoin(sites, sites.c.sgln == items.c.site)
)

_ITEM_BY_KEY = _ITEM_SELECT.where(items.c.key == bindparam("key"))


def _item(row: Any) -> ItemRecord:
    return ItemRecord(
        key=row.key,
        is_class=bool(row.is_class),
        status=row.status,
        holder_org_id=row.holder_org_id,
        holder_code=row.holder_code,
        holder_name=row.holder_name,
        site=row.site,
        site_name=row.site_name,
        parent=row.parent_key,
        quantity=row.quantity,
        uom=row.uom,
        mass_kg=row.mass_kg,
        product_type=row.product_type,
        destination_code=row.destination_code,
        last_event_time=row.last_event_time,
    )


_BODY_PARTS = ("ilmd", "inputQuantityList", "outputQuantityList")
_EVENT_COLUMNS = (
    events.c.id,
    events.c.event_id,
    events.c.hash_id,
    events.c.event_type,
    events.c.event_time,
    events.c.org_id,
)
_LINK_COLUMNS = (*_EVENT_COLUMNS, *(events.c.body[part].label(part) for part in _BODY_PARTS))
# A commissioning is read for its ILMD only (the origin of a source item).
_ORIGIN_COLUMNS = (*_EVENT_COLUMNS, events.c.body["ilmd"].label("ilmd"))


def _link(row: Any, identifiers: Iterable[tuple[str, str]] = ()) -> LinkEvent:
    mapping = row._mapping
    return LinkEvent(
        pk=row.id,
        event_id=row.event_id,
        hash_id=row.hash_id,
        event_type=row.event_type,
        event_time=row.event_time,
        org_id=row.org_id,
        body={part: mapping[part] for part in _BODY_PARTS if mapping.get(part) is not None},
        identifiers=tuple(identifiers),
    )


class LineageStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def item(self, key: str, *, visible_to: int | None) -> ItemRecord | None:
        query = _ITEM_BY_KEY if visible_to is None else _ITEM_BY_KEY.where(item_visible(visible_to))
        row = self.connection.execute(query, {"key": key}).first()
        return _item(row) if row is not None else None

    def items(self, keys: Iterable[str], *, visible_to: int | None) -> dict[str, ItemRecord]:
        found: dict[str, ItemRecord] = {}
        for part in chunked(list(dict.fromkeys(keys))):
            query = _ITEM_SELECT.where(items.c.key.in_(list(part)), item_visible(visible_to))
            found.update((row.key, _item(row)) for row in self.connection.execute(query))
        return found

    def contents(self, key: str, *, visible_to: int | None, limit: int = 1000) -> list[str]:
        """What is packed in `key` now (its children in the projection)."""
        query = (
            select(items.c.key)
            .where(items.c.parent_key == key, item_visible(visible_to))
            .order_by(items.c.key)
            .limit(limit)
        )
        return list(self.connection.scalars(query))

    def producing(self, keys: Sequence[str], *, visible_to: int | None) -> list[LinkEvent]:
        """The valid transformations, visible to the reader, that made any of `keys`."""
        return self._transformations(keys, PRODUCED_ROLES, visible_to)

    def consuming(self, keys: Sequence[str], *, visible_to: int | None) -> list[LinkEvent]:
        """The valid transformations, visible to the reader, that used any of `keys`."""
        return self._transformations(keys, CONSUMED_ROLES, visible_to)

    def _transformations(
        self, keys: Sequence[str], roles: Sequence[str], visible_to: int | None
    ) -> list[LinkEvent]:
        """Transformations naming `keys` in `roles`, with those keys and the ones on the other side.

        Only the other side's identifiers are read besides the keys asked about: a step forward
        from one horn does not load the other 249 horns of its lot.
        """
        named: dict[int, list[tuple[str, str]]] = {}
        for part in chunked(list(dict.fromkeys(keys))):
            query = (
                select(event_identifiers.c.event_pk, event_identifiers.c.role, event_identifiers.c.key)
                .join(events, events.c.id == event_identifiers.c.event_pk)
                .where(
                    event_identifiers.c.key.in_(list(part)),
                    event_identifiers.c.role.in_(list(roles)),
                    events.c.event_type == "TransformationEvent",
                    _valid_event(),
                    event_visible(visible_to),
                )
            )
            for pk, role, key in self.connection.execute(query):
                named.setdefault(pk, []).append((role, key))
        if not named:
            return []
        other_side = [r for r in LINK_ROLES if r not in roles]
        rows: list[Any] = []
        for part in chunked(sorted(named)):
            rows += self.connection.execute(select(*_LINK_COLUMNS).where(events.c.id.in_(list(part))))
            query = select(
                event_identifiers.c.event_pk, event_identifiers.c.role, event_identifiers.c.key
            ).where(event_identifiers.c.event_pk.in_(list(part)), event_identifiers.c.role.in_(other_side))
            for pk, role, key in self.connection.execute(query):
                named[pk].append((role, key))
        rows.sort(key=lambda r: (r.event_time, r.id))
        return [_link(row, named[row.id]) for row in rows]

    def commissionings(self, keys: Sequence[str], *, visible_to: int | None) -> dict[str, LinkEvent]:
        """The first valid commissioning (ObjectEvent ADD) of each key, where the reader sees it.

        An identifier's first recorded event is its commissioning (the custody rules refuse any
        other first), so that one event per key is read; keys where it is not (a commissioning
        declared erroneous, a registry run without custody rules) are looked up in full.
        """
        found: dict[str, LinkEvent] = {}
        for part in chunked(list(dict.fromkeys(keys))):
            earliest = (
                select(event_identifiers.c.key, func.min(event_identifiers.c.event_pk))
                .where(
                    event_identifiers.c.key.in_(list(part)), event_identifiers.c.role.in_(COMMISSIONED_ROLES)
                )
                .group_by(event_identifiers.c.key)
            )
            first: dict[str, int] = {key: pk for key, pk in self.connection.execute(earliest)}
            if not first:
                continue
            query = select(*_ORIGIN_COLUMNS).where(
                events.c.id.in_(sorted(set(first.values()))), *_commissioning(visible_to)
            )
            rows = {row.id: row for row in self.connection.execute(query)}
            found.update((key, _link(rows[pk])) for key, pk in first.items() if pk in rows)
            rest = [key for key in first if key not in found]
            if rest:
                found.update(self._commissionings_in_full(rest, visible_to))
        return found

    def _commissionings_in_full(self, keys: Sequence[str], visible_to: int | None) -> dict[str, LinkEvent]:
        found: dict[str, LinkEvent] = {}
        for part in chunked(list(keys)):
            query = (
                select(*_ORIGIN_COLUMNS, event_identifiers.c.key.label("item_key"))
                .join(event_identifiers, event_identifiers.c.event_pk == events.c.id)
                .where(
                    event_identifiers.c.key.in_(list(part)),
                    event_identifiers.c.role.in_(COMMISSIONED_ROLES),
                    *_commissioning(visible_to),
                )
                .order_by(events.c.event_time, events.c.id)
            )
            for row in self.connection.execute(query):
                found.setdefault(row.item_key, _link(row))
        return found
