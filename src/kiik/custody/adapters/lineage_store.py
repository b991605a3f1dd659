"""Item state as people read it, and the links between items that processing made.

A lineage is read in one statement whatever its size. A recursive query over `event_identifiers`
finds every link reached from the start (backward through the transformation that made each key,
forward through those that used it); the same statement joins each key reached to its state and,
backward, to its origin (from the `item_origins` projection, not its event's body), and adds a row
for each transformation gone through. Rows are read by position. The statement has the same text
whatever the lineage, so both databases plan it once (PostgreSQL keeps it prepared). Erroneous
events and error declarations never link items.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection,
    bindparam,
    select,
)

from kiik.custody.adapters.item_store import chunked
from kiik.custody.adapters.lineage_sql import (
    BODY_PARTS,
    NAMED,
    animal_statement,
    by_keys,
    in_full_statement,
    lineage_statement,
    valid_event,
    valid_origin,
)
from kiik.custody.adapters.tables import events, item_origins, items
from kiik.custody.adapters.visibility import event_visible, item_visible
from kiik.db.bulk_insert import insert_rows
from kiik.directory.adapters.tables import organisations, sites
from kiik.directory.domain.permissions import Viewer


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


class NodeState(NamedTuple):
    """An item's state as a lineage node shows it. When `visible` is False the reader may not see
    the item's state: only its mass is used then (to weigh shares), never shown."""

    key: str
    status: str
    holder_org_id: int | None
    mass_kg: float | None
    product_type: str | None
    visible: bool


class LinkEvent(NamedTuple):
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
    """A lineage walk: its steps, the state of every key reached, (backward) their origins, and the
    transformations it went through by primary key (without their identifiers: see
    `LineageStore.transformations`)."""

    edges: list[Edge] = field(default_factory=list)
    states: dict[str, NodeState] = field(default_factory=dict)
    origins: dict[str, LinkEvent] = field(default_factory=dict)
    links: dict[int, LinkEvent] = field(default_factory=dict)
    truncated: bool = False


class Edge(NamedTuple):
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


def _link(row: Any) -> LinkEvent:
    mapping = row._mapping
    return LinkEvent(
        pk=row.id,
        event_id=row.event_id,
        hash_id=row.hash_id,
        event_type=row.event_type,
        event_time=row.event_time,
        org_id=row.org_id,
        body={part: mapping[part] for part in BODY_PARTS if mapping.get(part) is not None},
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
    """The walk's rows (see `lineage_sql._with_states`) into edges, states and origins.

    Read by position, into named tuples: a walk back from a lot reads a row per horn, and a Row's
    attribute lookups, or a frozen dataclass, cost more than the query. The origins' ILMD come as
    JSON text and are parsed in one go, which takes half the time of parsing them one by one."""
    found.truncated = len(rows) > max_steps
    edges, states, origins = found.edges, found.states, found.origins
    bodies: list[dict[str, Any]] = []
    documents: list[str] = []
    for row in rows:
        _, via, key, role, depth, event_pk, status, holder, mass, product, visible = row[:11]
        if event_pk is not None:
            edges.append(Edge(via, key, role, depth, event_pk))
        if status is not None and key not in states:
            states[key] = NodeState(key, status, holder, mass, product, bool(visible))
        if row[11] is not None and key not in origins:
            origin_pk, event_id, hash_id, moment, org_id, location, ilmd = row[11:18]
            body: dict[str, Any] = {}
            origins[key] = LinkEvent(
                origin_pk, event_id, hash_id, "ObjectEvent", moment, org_id, body, (), location
            )
            if ilmd is not None:
                bodies.append(body)
                documents.append(ilmd)
    if documents:
        for body, ilmd in zip(bodies, json.loads(f"[{','.join(documents)}]"), strict=True):
            if ilmd is not None:
                body["ilmd"] = ilmd


def _read_links(rows: Sequence[Any]) -> dict[int, LinkEvent]:
    """The transformation rows of a walk (direction `t`, see `lineage_sql._links`) by primary key."""
    links: dict[int, LinkEvent] = {}
    for row in rows:
        pk, event_id, hash_id, moment, org_id, location, ilmd, event_type, inputs, outputs = row[11:21]
        parts = (json.loads(text) if text is not None else None for text in (ilmd, inputs, outputs))
        body = {part: value for part, value in zip(BODY_PARTS, parts, strict=True) if value is not None}
        links[pk] = LinkEvent(pk, event_id, hash_id, event_type, moment, org_id, body, (), location)
    return links


def _read(rows: Sequence[Any], max_steps: int) -> dict[str, Walk]:
    """A statement's rows into a walk per direction (`b`ehind, `f`orward), sharing the transformations."""
    by_direction: dict[str, list[Any]] = {"b": [], "f": [], "t": []}
    for row in rows:
        by_direction[row[0]].append(row)
    links = _read_links(by_direction["t"])
    walks = {direction: Walk(links=links) for direction in ("b", "f")}
    for direction, walk in walks.items():
        _read_walk(walk, by_direction[direction], max_steps)
    return walks


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
        every key reached as `visible_to` sees it, and the transformations of both: one statement."""
        statement = lineage_statement(self.dialect, behind_visible_to, visible_to)
        params = {"root": root, "max_depth": max_depth, "limit": max_steps + 1}
        walks = _read(self.connection.execute(statement, params).all(), max_steps)
        return walks["b"], walks["f"]

    def walk_from_animal(self, animal_id: str, *, visible_to: Viewer, max_depth: int, max_steps: int) -> Walk:
        """The steps ahead of the items commissioned (validly) for an animal, with their origins and
        the transformations they went through."""
        statement = animal_statement(self.dialect, visible_to)
        params = {"animal": animal_id[:120], "max_depth": max_depth, "limit": max_steps + 1}
        return _read(self.connection.execute(statement, params).all(), max_steps)["f"]

    def animal_items(self, animal_id: str) -> list[str]:
        """The items validly commissioned with this animal ID (ILMD animalID), by commissioning time."""
        query = (
            select(item_origins.c.item_key)
            .where(item_origins.c.animal_id == animal_id[:120], valid_origin())
            .order_by(item_origins.c.event_time, item_origins.c.item_key)
        )
        return list(dict.fromkeys(self.connection.scalars(query)))

    @staticmethod
    def transformations(behind: Walk | None, ahead: Walk) -> tuple[list[LinkEvent], list[LinkEvent]]:
        """The transformations the walks went through (read with them), in the order they happened,
        each with the identifiers the edges name: behind, the outputs reached and all their inputs;
        ahead, the inputs reached and all their outputs (a horn's step into a lot lists 1 horn, not
        250)."""
        found: list[list[LinkEvent]] = [[], []]
        for side, walk in enumerate((behind, ahead)):
            if walk is None:
                continue
            named: dict[int, dict[tuple[str, str], None]] = {}
            for edge in walk.edges:
                pairs = named.setdefault(edge.event_pk, {})
                pairs[("output", edge.via) if side == 0 else ("input", edge.via)] = None
                pairs[(edge.role, edge.key)] = None
            links = [walk.links[pk]._replace(identifiers=tuple(pairs)) for pk, pairs in named.items()]
            found[side] = sorted(links, key=lambda link: (link.event_time, link.pk))
        return found[0], found[1]

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
