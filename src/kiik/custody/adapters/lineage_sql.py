"""The statements a lineage read runs (see `lineage_store`), built once per dialect and reader.

The walk is one recursive query; everything else reads by key. Keys go to PostgreSQL as one array
parameter, so that a statement's text is the same whatever the number of keys.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Float,
    Integer,
    Select,
    String,
    Text,
    any_,
    bindparam,
    cast,
    exists,
    literal_column,
    null,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY

from kiik.custody.adapters.tables import (
    INPUT_ROLES_SQL,
    OUTPUT_ROLES_SQL,
    erroneous_events,
    event_identifiers,
    events,
    item_origins,
    items,
)
from kiik.custody.adapters.visibility import event_visible, item_visible
from kiik.db.metadata import BigId
from kiik.directory.domain.permissions import Viewer

PRODUCED_ROLES = ("output", "output_class")
CONSUMED_ROLES = ("input", "input_class")
COMMISSIONED_ROLES = ("epc", "class")


def valid_event() -> ColumnElement[bool]:
    """Neither an error declaration nor an event declared erroneous."""
    return events.c.declares_error.is_(False) & ~exists().where(erroneous_events.c.event_pk == events.c.id)


def valid_origin() -> ColumnElement[bool]:
    return ~exists().where(erroneous_events.c.event_pk == item_origins.c.event_pk)


BODY_PARTS = ("ilmd", "inputQuantityList", "outputQuantityList")
EVENT_COLUMNS = (
    events.c.id,
    events.c.event_id,
    events.c.hash_id,
    events.c.event_type,
    events.c.event_time,
    events.c.org_id,
    events.c.biz_location,
)
ORIGIN_COLUMNS = (*EVENT_COLUMNS, events.c.body["ilmd"].label("ilmd"))


def any_of(column: Any, name: str, dialect: str, type_: Any = String) -> ColumnElement[bool]:
    """`column` is one of the values of the parameter `name`: one array parameter on PostgreSQL
    (one statement text whatever the number of keys), an expanded IN list elsewhere."""
    if dialect == "postgresql":
        return column == any_(cast(bindparam(name), ARRAY(type_)))
    return column.in_(bindparam(name, expanding=True))


def _walk(seed: Select[Any], *, backward: bool, visible_to: Viewer, dialect: str) -> Any:
    """Every step reached from `seed` (rows of key and depth), one transformation at a time.

    Backward, a step goes from a key to the inputs of the transformation that made it; forward,
    to the outputs of the transformations that used it. On SQLite the transformations are found by
    a correlated subquery: joined, SQLite guesses the recursive table large and builds Bloom filters
    by scanning the identifiers and events whole (a second at a season's scale). PostgreSQL, the
    other way round, scans the identifiers for the subquery, and is given the joins.
    """
    name = "behind" if backward else "ahead"
    reached = seed.cte(name, recursive=True)
    here, there = event_identifiers.alias(f"{name}_here"), event_identifiers.alias(f"{name}_there")
    mine, theirs = (PRODUCED_ROLES, CONSUMED_ROLES) if backward else (CONSUMED_ROLES, PRODUCED_ROLES)
    # The roles written out as SQL, as the partial indexes are: a bound parameter would hide from
    # the planner that the index covers the condition.
    mine_sql = text(f"{here.name}.{OUTPUT_ROLES_SQL if backward else INPUT_ROLES_SQL}")
    transformation = (
        events.c.event_type == "TransformationEvent",
        valid_event(),
        event_visible(visible_to),
    )
    columns = (
        cast(there.c.key, String),
        reached.c.depth + literal_column("1"),
        cast(reached.c.key, String),
        cast(there.c.role, String),
        there.c.event_pk,
    )
    deeper = reached.c.depth < bindparam("max_depth", type_=Integer)
    if dialect == "sqlite":
        taken = (
            select(here.c.event_pk)
            .join(events, events.c.id == here.c.event_pk)
            .where(here.c.key == reached.c.key, mine_sql, *transformation)
            .correlate(reached)
        )
        step = (
            select(*columns)
            .select_from(reached)
            .join(there, there.c.event_pk.in_(taken))
            .where(there.c.role.in_(theirs), deeper)
        )
    else:
        step = (
            select(*columns)
            .select_from(reached)
            .join(here, here.c.key == reached.c.key)
            .join(events, events.c.id == here.c.event_pk)
            .join(there, there.c.event_pk == here.c.event_pk)
            .where(mine_sql, there.c.role.in_(theirs), deeper, *transformation)
        )
    return reached.union(step)


_ORIGIN_TYPES = (BigId, String, String, DateTime, Integer, String, Text)
_ORIGIN_NAMES = (
    "origin_pk",
    "origin_event_id",
    "origin_hash_id",
    "origin_time",
    "origin_org_id",
    "origin_location",
    "origin_ilmd",
)
_LINK_NAMES = ("link_type", "link_inputs", "link_outputs")


def _nulls(types: tuple[Any, ...], names: tuple[str, ...]) -> list[Any]:
    return [cast(null(), kind).label(name) for kind, name in zip(types, names, strict=True)]


def _with_states(steps: Any, *, origins: bool, state_visible_to: Viewer, direction: str) -> Select[Any]:
    """The walk's rows (the start's own row, with no event, first) with the state of each key and,
    backward, its valid origin: one statement instead of three reads of hundreds of keys."""
    columns: list[Any] = [
        literal_column(f"'{direction}'", String).label("direction"),
        steps.c.via,
        steps.c.key,
        steps.c.role,
        steps.c.depth,
        steps.c.event_pk,
        items.c.status,
        items.c.holder_org_id,
        items.c.mass_kg,
        items.c.product_type,
        item_visible(state_visible_to).label("visible"),
    ]
    joined = steps.outerjoin(items, items.c.key == steps.c.key)
    if origins:
        origin = item_origins.c
        values = (
            origin.event_pk,
            origin.event_id,
            origin.hash_id,
            origin.event_time,
            origin.org_id,
            origin.biz_location,
            cast(origin.ilmd, Text),  # as JSON text: `lineage_store` parses a walk's origins at once
        )
        columns += [value.label(name) for value, name in zip(values, _ORIGIN_NAMES, strict=True)]
        joined = joined.outerjoin(item_origins, (origin.item_key == steps.c.key) & valid_origin())
    else:
        columns += _nulls(_ORIGIN_TYPES, _ORIGIN_NAMES)
    columns += _nulls((String, Text, Text), _LINK_NAMES)
    return select(*columns).select_from(joined).limit(bindparam("limit", type_=Integer))


def _links(*walks: Any) -> Select[Any]:
    """A row (direction `t`) for each transformation the walks went through, so that they come
    with the steps rather than in a second read: its primary key as `event_pk`, its columns where
    a source's origin goes, then its type and the parts of its body lineage reads, as JSON text."""
    reached = union(*(select(walk.c.event_pk) for walk in walks)).subquery() if len(walks) > 1 else walks[0]
    ilmd, inputs, outputs = (cast(events.c.body[part], Text) for part in BODY_PARTS)
    columns = [
        literal_column("'t'", String).label("direction"),
        *_nulls((String, String, String, Integer), ("via", "key", "role", "depth")),
        events.c.id.label("event_pk"),
        *_nulls(
            (String, Integer, Float, String, Boolean),
            ("status", "holder_org_id", "mass_kg", "product_type", "visible"),
        ),
        events.c.id,
        events.c.event_id,
        events.c.hash_id,
        events.c.event_time,
        events.c.org_id,
        events.c.biz_location,
        ilmd,
        events.c.event_type,
        inputs,
        outputs,
    ]
    return select(*columns).where(events.c.id.in_(select(reached.c.event_pk)))


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


def _root_seed() -> Select[Any]:
    return _seed(cast(bindparam("root", type_=String), String))


@lru_cache(maxsize=512)
def lineage_statement(dialect: str, behind_visible_to: Viewer, visible_to: Viewer) -> Any:
    """Both walks from a root in one statement: behind it through the transformations visible to
    `behind_visible_to` (with origins), ahead of it through those visible to `visible_to`; states as
    `visible_to` sees them; and the transformations of both. Built once per dialect and reader:
    building costs more than running."""
    behind = _walk(_root_seed(), backward=True, visible_to=behind_visible_to, dialect=dialect)
    ahead = _walk(_root_seed(), backward=False, visible_to=visible_to, dialect=dialect)
    parts = (
        _with_states(behind, origins=True, state_visible_to=visible_to, direction="b"),
        _with_states(ahead, origins=False, state_visible_to=visible_to, direction="f"),
        _links(behind, ahead),
    )
    return union_all(*(part.subquery().select() for part in parts))


@lru_cache(maxsize=512)
def animal_statement(dialect: str, visible_to: Viewer) -> Any:
    """The walk ahead of the items validly commissioned for an animal, with their origins, and the
    transformations it went through."""
    seed = _seed(
        select(item_origins.c.item_key).where(item_origins.c.animal_id == bindparam("animal"), valid_origin())
    )
    ahead = _walk(seed, backward=False, visible_to=visible_to, dialect=dialect)
    parts = (_with_states(ahead, origins=True, state_visible_to=visible_to, direction="f"), _links(ahead))
    return union_all(*(part.subquery().select() for part in parts))


@lru_cache(maxsize=16)
def by_keys(dialect: str) -> dict[str, Select[Any]]:
    """The statements that read by a set of keys, for one dialect."""
    return {
        "origins": select(item_origins)
        .where(any_of(item_origins.c.item_key, "keys", dialect), valid_origin())
        .order_by(item_origins.c.event_time, item_origins.c.event_pk),
    }


# An alias of the identifiers for queries that also ask `event_visible`: its EXISTS over the
# identifiers would otherwise be correlated to the outer query's identifier row.
NAMED = event_identifiers.alias("named")


@lru_cache(maxsize=512)
def in_full_statement(dialect: str, visible_to: Viewer) -> Select[Any]:
    """Commissionings of keys the origin projection does not hold, read from the events."""
    return (
        select(*ORIGIN_COLUMNS, NAMED.c.key.label("item_key"))
        .join(NAMED, NAMED.c.event_pk == events.c.id)
        .where(
            any_of(NAMED.c.key, "keys", dialect),
            NAMED.c.role.in_(COMMISSIONED_ROLES),
            events.c.event_type == "ObjectEvent",
            events.c.action == "ADD",
            valid_event(),
            event_visible(visible_to),
        )
        .order_by(events.c.event_time, events.c.id)
    )
