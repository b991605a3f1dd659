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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal_column,
    null,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kiik.adapters.event_query import event_visible, item_visible
from kiik.adapters.item_store import chunked
from kiik.adapters.tables import (
    BigId,
    erroneous_events,
    event_identifiers,
    events,
    items,
    organisations,
    sites,
)
from kiik.adapters.tables_stock import item_origins

PRODUCED_ROLES = ("output", "output_class")
CONSUMED_ROLES = ("input", "input_class")
COMMISSIONED_ROLES = ("epc", "class")


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


@dataclass(frozen=True)
class Edge:
    """One step of a lineage walk: from `via` through the transformation `event_pk` to `key`."""

    via: str
    key: str
    role: str
    depth: int
    event_pk: int


def _valid_event() -> ColumnElement[bool]:
    """Neither an error declaration nor an event declared erroneous."""
    return events.c.declares_error.is_(False) & ~exists().where(erroneous_events.c.event_pk == events.c.id)


def _valid_origin() -> ColumnElement[bool]:
    return ~exists().where(erroneous_events.c.event_pk == item_origins.c.event_pk)


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
    events.c.biz_location,
)
_LINK_COLUMNS = (*_EVENT_COLUMNS, *(events.c.body[part].label(part) for part in _BODY_PARTS))
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


def _any_of(column: Any, name: str, dialect: str, type_: Any = String) -> ColumnElement[bool]:
    """`column` is one of the values of the parameter `name`: one array parameter on PostgreSQL
    (one statement text whatever the number of keys), an expanded IN list elsewhere."""
    if dialect == "postgresql":
        return column == any_(cast(bindparam(name), ARRAY(type_)))
    return column.in_(bindparam(name, expanding=True))


def _walk(seed: Select[Any], *, backward: bool, visible_to: int | None) -> Select[Any]:
    """Every step reached from `seed` (rows of key and depth), one transformation at a time.

    Backward, a step goes from a key to the inputs of the transformation that made it; forward,
    to the outputs of the transformations that used it. The transformations are found by a
    correlated subquery rather than a join: joined, SQLite guesses the recursive table large and
    builds Bloom filters by scanning the identifiers and events whole (a second at a season's scale).
    """
    name = "behind" if backward else "ahead"
    reached = seed.cte(name, recursive=True)
    here, there = event_identifiers.alias(f"{name}_here"), event_identifiers.alias(f"{name}_there")
    mine, theirs = (PRODUCED_ROLES, CONSUMED_ROLES) if backward else (CONSUMED_ROLES, PRODUCED_ROLES)
    taken = (
        select(here.c.event_pk)
        .join(events, events.c.id == here.c.event_pk)
        .where(
            here.c.key == reached.c.key,
            here.c.role.in_(mine),
            events.c.event_type == "TransformationEvent",
            _valid_event(),
            event_visible(visible_to),
        )
        .correlate(reached)
    )
    step = (
        select(
            cast(there.c.key, String),
            reached.c.depth + literal_column("1"),
            cast(reached.c.key, String),
            cast(there.c.role, String),
            there.c.event_pk,
        )
        .select_from(reached)
        .join(there, there.c.event_pk.in_(taken))
        .where(there.c.role.in_(theirs), reached.c.depth < bindparam("max_depth", type_=Integer))
    )
    walk = reached.union(step)
    return (
        select(walk.c.via, walk.c.key, walk.c.role, walk.c.depth, walk.c.event_pk)
        .where(walk.c.event_pk.is_not(None))
        .limit(bindparam("limit", type_=Integer))
    )


def _seed(keys: Select[Any] | ColumnElement[Any]) -> Select[Any]:
    # Types spelled out: PostgreSQL wants a recursive query's columns typed alike in both terms.
    no_event = cast(null(), BigId).label("event_pk")
    depth = literal_column("0", Integer).label("depth")
    if isinstance(keys, Select):
        key = cast(keys.selected_columns[0], String).label("key")
        return keys.with_only_columns(
            key, depth, key.label("via"), cast(null(), String).label("role"), no_event
        )
    return select(keys.label("key"), depth, keys.label("via"), cast(null(), String).label("role"), no_event)


@lru_cache(maxsize=512)
def _walk_statement(start: str, backward: bool, visible_to: int | None) -> Select[Any]:
    """Built once per kind of start, direction and reader: building a statement costs more than
    running it. `start` is "root" (one key) or "animal" (the items commissioned for an animal)."""
    if start == "root":
        seed = _seed(cast(bindparam("root", type_=String), String))
    else:
        seed = _seed(
            select(item_origins.c.item_key).where(
                item_origins.c.animal_id == bindparam("animal"), _valid_origin()
            )
        )
    return _walk(seed, backward=backward, visible_to=visible_to)


@lru_cache(maxsize=16)
def _by_keys(dialect: str) -> dict[str, Select[Any]]:
    """The statements that read by a set of keys (or event ids), for one dialect."""
    return {
        "events": select(*_LINK_COLUMNS).where(_any_of(events.c.id, "pks", dialect, BigId)),
        "origins": select(item_origins)
        .where(_any_of(item_origins.c.item_key, "keys", dialect), _valid_origin())
        .order_by(item_origins.c.event_time, item_origins.c.event_pk),
        "first_naming": select(event_identifiers.c.key, func.min(event_identifiers.c.event_pk))
        .where(
            _any_of(event_identifiers.c.key, "keys", dialect),
            event_identifiers.c.role.in_(COMMISSIONED_ROLES),
        )
        .group_by(event_identifiers.c.key),
        "states": select(
            items.c.key,
            items.c.status,
            items.c.holder_org_id,
            items.c.mass_kg,
            items.c.product_type,
        ).where(_any_of(items.c.key, "keys", dialect)),
    }


@lru_cache(maxsize=512)
def _states_statement(dialect: str, visible_to: int | None) -> Select[Any]:
    return _by_keys(dialect)["states"].add_columns(item_visible(visible_to).label("visible"))


# An alias of the identifiers for queries that also ask `event_visible`: its EXISTS over the
# identifiers would otherwise be correlated to the outer query's identifier row.
_NAMED = event_identifiers.alias("named")


@lru_cache(maxsize=512)
def _in_full_statement(dialect: str, visible_to: int | None) -> Select[Any]:
    """Commissionings of keys the origin projection does not hold, read from the events."""
    return (
        select(*_ORIGIN_COLUMNS, _NAMED.c.key.label("item_key"))
        .join(_NAMED, _NAMED.c.event_pk == events.c.id)
        .where(
            _any_of(_NAMED.c.key, "keys", dialect),
            _NAMED.c.role.in_(COMMISSIONED_ROLES),
            events.c.event_type == "ObjectEvent",
            events.c.action == "ADD",
            _valid_event(),
            event_visible(visible_to),
        )
        .order_by(events.c.event_time, events.c.id)
    )


class LineageStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name

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

    def walk(
        self, root: str, *, backward: bool, visible_to: int | None, max_depth: int, max_steps: int
    ) -> list[Edge]:
        """The steps behind `root` (through transformations visible to `visible_to`) or ahead of it."""
        statement = _walk_statement("root", backward, visible_to)
        params = {"root": root, "max_depth": max_depth, "limit": max_steps + 1}
        return [Edge(*row) for row in self.connection.execute(statement, params)]

    def walk_from_animal(
        self, animal_id: str, *, visible_to: int | None, max_depth: int, max_steps: int
    ) -> list[Edge]:
        """The steps ahead of the items commissioned (validly) for an animal."""
        statement = _walk_statement("animal", False, visible_to)
        params = {"animal": animal_id[:120], "max_depth": max_depth, "limit": max_steps + 1}
        return [Edge(*row) for row in self.connection.execute(statement, params)]

    def animal_items(self, animal_id: str) -> list[str]:
        """The items validly commissioned with this animal ID (ILMD animalID), by commissioning time."""
        query = (
            select(item_origins.c.item_key)
            .where(item_origins.c.animal_id == animal_id[:120], _valid_origin())
            .order_by(item_origins.c.event_time, item_origins.c.item_key)
        )
        return list(dict.fromkeys(self.connection.scalars(query)))

    def transformations(self, edges: Sequence[Edge], *, backward: bool) -> list[LinkEvent]:
        """The transformations the edges went through, each with the identifiers the edges name:
        backward, the outputs reached and all their inputs; forward, the inputs reached and all
        their outputs (never the other inputs: a horn's step into a lot does not load 249 horns)."""
        named: dict[int, dict[tuple[str, str], None]] = {}
        for edge in edges:
            reached = ("output", edge.via) if backward else ("input", edge.via)
            pairs = named.setdefault(edge.event_pk, {})
            pairs[reached] = None
            pairs[(edge.role, edge.key)] = None
        if not named:
            return []
        rows = self.connection.execute(_by_keys(self.dialect)["events"], {"pks": sorted(named)})
        ordered = sorted(rows, key=lambda r: (r.event_time, r.id))
        return [_link(row, named[row.id]) for row in ordered]

    def origins(self, keys: Sequence[str], *, visible_to: int | None) -> dict[str, LinkEvent]:
        """The first valid commissioning of each key (its origin), where the reader sees it.

        Read from the origin projection; keys it does not hold (captured with custody rules off,
        or never commissioned) are looked up in the events."""
        found: dict[str, LinkEvent] = {}
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return found
        if visible_to is None:
            for row in self.connection.execute(_by_keys(self.dialect)["origins"], {"keys": wanted}):
                found.setdefault(row.item_key, _origin(row))
        rest = [key for key in wanted if key not in found]
        if rest:
            statement = _in_full_statement(self.dialect, visible_to)
            for part in chunked(rest):
                for row in self.connection.execute(statement, {"keys": list(part)}):
                    found.setdefault(row.item_key, _link(row))
        return found

    def states(self, keys: Sequence[str], *, visible_to: int | None) -> dict[str, NodeState]:
        """The state of each key, flagged visible only where the reader may see it."""
        statement = _states_statement(self.dialect, visible_to)
        found: dict[str, NodeState] = {}
        for part in chunked(list(dict.fromkeys(keys)), 5000):
            for row in self.connection.execute(statement, {"keys": list(part)}):
                found[row.key] = NodeState(
                    row.key, row.status, row.holder_org_id, row.mass_kg, row.product_type, bool(row.visible)
                )
        return found

    def visible_keys(self, keys: Sequence[str], *, visible_to: int | None) -> set[str]:
        """The keys the reader has seen at least one valid event of."""
        if visible_to is None:
            return set(keys)
        found: set[str] = set()
        for part in chunked(list(keys)):
            query = (
                select(_NAMED.c.key)
                .join(events, events.c.id == _NAMED.c.event_pk)
                .where(_NAMED.c.key.in_(list(part)), _valid_event(), event_visible(visible_to))
                .distinct()
            )
            found.update(self.connection.scalars(query))
        return found

    def record_origins(self, rows: Sequence[dict[str, Any]]) -> None:
        """Add origin rows (item_key, event_pk, event_id, hash_id, event_time, org_id, biz_location,
        animal_id, ilmd); a row already stored is kept."""
        if not rows:
            return
        if self.dialect == "postgresql":
            statement: Any = postgresql_insert(item_origins).on_conflict_do_nothing()
        elif self.dialect == "sqlite":
            statement = sqlite_insert(item_origins).on_conflict_do_nothing()
        else:
            statement = insert(item_origins)
        for part in chunked(list(rows), 2000):
            self.connection.execute(statement, list(part))

    def commissioned(self, keys: Sequence[str]) -> dict[str, tuple[int, str, str, datetime]]:
        """The newest commissioning (ObjectEvent ADD) naming each key: pk, eventID, hash ID, time.
        For keys commissioned in the current transaction, that is the one just written."""
        found: dict[str, tuple[int, str, str, datetime]] = {}
        statement = (
            select(
                event_identifiers.c.key, events.c.id, events.c.event_id, events.c.hash_id, events.c.event_time
            )
            .join(events, events.c.id == event_identifiers.c.event_pk)
            .where(
                _any_of(event_identifiers.c.key, "keys", self.dialect),
                event_identifiers.c.role.in_(COMMISSIONED_ROLES),
                events.c.event_type == "ObjectEvent",
                events.c.action == "ADD",
                events.c.declares_error.is_(False),
            )
        )
        for part in chunked(list(dict.fromkeys(keys))):
            for key, pk, event_id, hash_id, moment in self.connection.execute(
                statement, {"keys": list(part)}
            ):
                if key not in found or pk > found[key][0]:
                    found[key] = (pk, event_id, hash_id, moment)
        return found
