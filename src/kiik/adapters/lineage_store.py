"""Item state as people read it, and the links between items that processing made.

A lineage is read in a handful of statements whatever its size. One recursive query over
`event_identifiers` finds every link reached from the start (backward through the transformation
that made each key, forward through those that used it); the transformations, the origins of the
source items (from the `item_origins` projection, not their events' bodies) and the states of every
key are then read by key. Every statement has the same text whatever the lineage (PostgreSQL gets
keys as one array), so both databases plan each once. Erroneous events and error declarations
never link items.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    select,
)

from kiik.adapters.bulk_insert import insert_rows
from kiik.adapters.event_query import event_visible, item_visible
from kiik.adapters.item_store import chunked
from kiik.adapters.lineage_sql import (
    BODY_PARTS,
    NAMED,
    animal_statement,
    by_keys,
    in_full_statement,
    lineage_statement,
    valid_event,
    valid_origin,
)
from kiik.adapters.tables import (
    events,
    items,
    organisations,
    sites,
)
from kiik.adapters.tables_stock import item_origins
from kiik.domain.permissions import Viewer


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
class NodeState:
    """An item's state as a lineage node shows it. When `visible` is False the reader may not see
    the item's state: only its mass is used then (to weigh shares), never shown."""

    key: str
    status: str
    holder_org_id: int | None
    mass_kg: float | None
    product_type: str | None
    visible: bool


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
    biz_location: str | None = None

    def keys(self, roles: Sequence[str]) -> list[str]:
        return [key for role, key in self.identifiers if role in roles]


@dataclass
class Walk:
    """A lineage walk: its steps, the state of every key reached and (backward) their origins."""

    edges: list[Edge] = field(default_factory=list)
    states: dict[str, NodeState] = field(default_factory=dict)
    origins: dict[str, LinkEvent] = field(default_factory=dict)
    truncated: bool = False


@dataclass(frozen=True)
class Edge:
    """One step of a lineage walk: from `via` through the transformation `event_pk` to `key`."""

    via: str
    key: str
    role: str
    depth: int
    event_pk: int


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


def _link(row: Any, identifiers: Iterable[tuple[str, str]] = ()) -> LinkEvent:
    mapping = row._mapping
    return LinkEvent(
        pk=row.id,
        event_id=row.event_id,
        hash_id=row.hash_id,
        event_type=row.event_type,
        event_time=row.event_time,
        org_id=row.org_id,
        body={part: mapping[part] for part in BODY_PARTS if mapping.get(part) is not None},
        identifiers=tuple(identifiers),
        biz_location=row.biz_location,
    )


def _origin(row: Any) -> LinkEvent:
    return LinkEvent(
        pk=row.event_pk,
        event_id=row.event_id,
        hash_id=row.hash_id,
        event_type="ObjectEvent",
        event_time=row.event_time,
        org_id=row.org_id,
        body={"ilmd": row.ilmd} if row.ilmd is not None else {},
        biz_location=row.biz_location,
    )


def _json_text(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value)


_ORIGIN_COLUMNS = (
    "item_key",
    "event_pk",
    "event_id",
    "hash_id",
    "event_time",
    "org_id",
    "biz_location",
    "animal_id",
    "ilmd",
)


def _read_walk(found: Walk, rows: Sequence[Any], max_steps: int) -> None:
    found.truncated = len(rows) > max_steps
    edges, states, origins = found.edges, found.states, found.origins
    for row in rows:  # by position: a Row's attribute lookups cost more than the query
        _, via, key, role, depth, event_pk, status, holder, mass, product, visible = row[:11]
        if event_pk is not None:
            edges.append(Edge(via, key, role, depth, event_pk))
        if status is not None and key not in states:
            states[key] = NodeState(key, status, holder, mass, product, bool(visible))
        if row[11] is not None and key not in origins:
            origin_pk, event_id, hash_id, moment, org_id, location, ilmd = row[11:18]
            origins[key] = LinkEvent(
                origin_pk,
                event_id,
                hash_id,
                "ObjectEvent",
                moment,
                org_id,
                {"ilmd": ilmd} if ilmd is not None else {},
                biz_location=location,
            )


class LineageStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name

    def item(self, key: str, *, visible_to: Viewer) -> ItemRecord | None:
        query = _ITEM_BY_KEY if visible_to is None else _ITEM_BY_KEY.where(item_visible(visible_to))
        row = self.connection.execute(query, {"key": key}).first()
        return _item(row) if row is not None else None

    def items(self, keys: Iterable[str], *, visible_to: Viewer) -> dict[str, ItemRecord]:
        found: dict[str, ItemRecord] = {}
        for part in chunked(list(dict.fromkeys(keys))):
            query = _ITEM_SELECT.where(items.c.key.in_(list(part)), item_visible(visible_to))
            found.update((row.key, _item(row)) for row in self.connection.execute(query))
        return found

    def contents(self, key: str, *, visible_to: Viewer, limit: int = 1000) -> list[str]:
        """What is packed in `key` now (its children in the projection)."""
        query = (
            select(items.c.key)
            .where(items.c.parent_key == key, item_visible(visible_to))
            .order_by(items.c.key)
            .limit(limit)
        )
        return list(self.connection.scalars(query))

    def lineage(
        self,
        root: str,
        *,
        behind_visible_to: Viewer,
        visible_to: Viewer,
        max_depth: int,
        max_steps: int,
    ) -> tuple[Walk, Walk]:
        """The steps behind `root` (through transformations visible to `behind_visible_to`, with the
        origins of what is reached) and ahead of it (visible to `visible_to`), each with the state of
        every key reached as `visible_to` sees it: one statement."""
        statement = lineage_statement(self.dialect, behind_visible_to, visible_to)
        params = {"root": root, "max_depth": max_depth, "limit": max_steps + 1}
        behind, ahead = Walk(), Walk()
        rows = self.connection.execute(statement, params).all()
        _read_walk(behind, [r for r in rows if r[0] == "b"], max_steps)
        _read_walk(ahead, [r for r in rows if r[0] == "f"], max_steps)
        return behind, ahead

    def walk_from_animal(
        self, animal_id: str, *, visible_to: Viewer, max_depth: int, max_steps: int
    ) -> Walk:
        """The steps ahead of the items commissioned (validly) for an animal, with their origins."""
        statement = animal_statement(self.dialect, visible_to)
        params = {"animal": animal_id[:120], "max_depth": max_depth, "limit": max_steps + 1}
        found = Walk()
        _read_walk(found, self.connection.execute(statement, params).all(), max_steps)
        return found

    def animal_items(self, animal_id: str) -> list[str]:
        """The items validly commissioned with this animal ID (ILMD animalID), by commissioning time."""
        query = (
            select(item_origins.c.item_key)
            .where(item_origins.c.animal_id == animal_id[:120], valid_origin())
            .order_by(item_origins.c.event_time, item_origins.c.item_key)
        )
        return list(dict.fromkeys(self.connection.scalars(query)))

    def transformations(
        self, behind: Sequence[Edge], ahead: Sequence[Edge] = ()
    ) -> tuple[list[LinkEvent], list[LinkEvent]]:
        """The transformations the edges went through (one query for both ways), each with the
        identifiers the edges name: behind, the outputs reached and all their inputs; ahead, the
        inputs reached and all their outputs (a horn's step into a lot does not load 249 horns)."""
        named: list[dict[int, dict[tuple[str, str], None]]] = [{}, {}]
        for side, edges in enumerate((behind, ahead)):
            for edge in edges:
                pairs = named[side].setdefault(edge.event_pk, {})
                pairs[("output", edge.via) if side == 0 else ("input", edge.via)] = None
                pairs[(edge.role, edge.key)] = None
        pks = sorted(set(named[0]) | set(named[1]))
        if not pks:
            return [], []
        rows = self.connection.execute(by_keys(self.dialect)["events"], {"pks": pks}).all()
        ordered = sorted(rows, key=lambda r: (r.event_time, r.id))
        behind_links = [_link(row, named[0][row.id]) for row in ordered if row.id in named[0]]
        ahead_links = [_link(row, named[1][row.id]) for row in ordered if row.id in named[1]]
        return behind_links, ahead_links

    def origins(self, keys: Sequence[str], *, visible_to: Viewer) -> dict[str, LinkEvent]:
        """The first valid commissioning of each key (its origin), where the reader sees it.

        Read from the origin projection; keys it does not hold (captured with custody rules off,
        or never commissioned) are looked up in the events."""
        found: dict[str, LinkEvent] = {}
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return found
        if visible_to is None:
            for row in self.connection.execute(by_keys(self.dialect)["origins"], {"keys": wanted}):
                found.setdefault(row.item_key, _origin(row))
        rest = [key for key in wanted if key not in found]
        if rest:
            statement = in_full_statement(self.dialect, visible_to)
            for part in chunked(rest):
                for row in self.connection.execute(statement, {"keys": list(part)}):
                    found.setdefault(row.item_key, _link(row))
        return found

    def visible_keys(self, keys: Sequence[str], *, visible_to: Viewer) -> set[str]:
        """The keys the reader has seen at least one valid event of."""
        if visible_to is None:
            return set(keys)
        found: set[str] = set()
        for part in chunked(list(keys)):
            query = (
                select(NAMED.c.key)
                .join(events, events.c.id == NAMED.c.event_pk)
                .where(NAMED.c.key.in_(list(part)), valid_event(), event_visible(visible_to))
                .distinct()
            )
            found.update(self.connection.scalars(query))
        return found

    def record_origins(self, rows: Sequence[dict[str, Any]]) -> None:
        """Add the origins of events just written (item_key, event_pk, event_id, hash_id,
        event_time, org_id, biz_location, animal_id, ilmd as a mapping or as JSON text): new events,
        so no row exists yet."""
        values = [
            (
                *(row[name] for name in _ORIGIN_COLUMNS[:-1]),
                _json_text(row["ilmd"]),
            )
            for row in rows
        ]
        insert_rows(self.connection, item_origins, _ORIGIN_COLUMNS, values)
