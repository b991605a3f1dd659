"""Reading events: the EPCIS SimpleEventQuery with keyset pages, and single events by eventID.

Each event comes back as it was captured (its stored body, event-level `@context` included) with
the `recordTime` the registry gave it, and nothing else: its Event Hash ID is the one computed at
capture. Pages are keyset pages: the token holds the last event's order value and id, so a page
costs the same however deep it is and events captured meanwhile do not shift it.

Parameters that look inside an event's body (extensions, ILMD, sensor data, ...) are checked on the
events SQL finds, batch after batch, until a page is full: a selective body filter costs a scan of
the events the column filters leave, never a wrong page.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from kiik.directory.domain.permissions import Permission, Principal, Viewer
from kiik.directory.services.scope import restrict
from kiik.epcis.domain.query_filters import MasterData
from kiik.epcis.domain.query_order import SortKey, is_after, sort_key
from kiik.epcis.services.identifier_terms import stored_key
from kiik.epcis.services.query_params import DELIVERY_ORDER, ORDER_FIELDS, PAGING, EventQuery, parse_query
from kiik.errors import NotFound, QueryError, QueryTooLarge


class StoredEvent(Protocol):
    pk: int
    hash_id: str
    event_id: str
    event_type: str
    event_time: datetime
    record_time: datetime
    org_id: int | None
    declares_error: bool
    erroneous: bool
    body: dict[str, Any]
    delivery_seq: int | None  # the order it became visible in (None until numbered)

    def order_value(self, order_by: str) -> Any: ...


class EventQueries(Protocol):
    def find(
        self, criteria: Any, *, visible_to: Viewer, limit: int, after: tuple[datetime, int] | None = None
    ) -> Sequence[StoredEvent]: ...
    def by_event_id(self, event_id: str, *, visible_to: Viewer) -> Sequence[StoredEvent]: ...


class ReadUnitOfWork(Protocol):
    """The part of a unit of work that reads use (see bootstrap.unit_of_work)."""

    queries: Any
    lineage: Any
    directory: Any

    def __enter__(self) -> ReadUnitOfWork: ...
    def __exit__(self, *args: object) -> None: ...


@dataclass(frozen=True)
class EventPage:
    events: list[dict[str, Any]]
    next_page_token: str | None
    per_page: int = 0  # the page size used: what was asked, or kiik's ceiling when more was asked


def epcis_time(moment: datetime) -> str:
    """A stored (naive UTC) time as EPCIS writes it: milliseconds and Z."""
    return moment.isoformat(timespec="milliseconds") + "Z"


def as_captured(event: StoredEvent) -> dict[str, Any]:
    """The event as captured plus its recordTime: the hash ID is unchanged by recordTime."""
    body = dict(event.body)
    body["recordTime"] = epcis_time(event.record_time)
    return body


def _fingerprint(query: EventQuery) -> str:
    return hashlib.sha256(json.dumps(query.fingerprint).encode()).hexdigest()[:16]


def as_token(data: bytes) -> str:
    """Page-token text: URL-safe base64 without padding (it travels in a query string)."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def from_token(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


def _orders_by_field(query: EventQuery) -> bool:
    return query.order_by not in ORDER_FIELDS and query.order_by != DELIVERY_ORDER


def _position_value(query: EventQuery, last: StoredEvent) -> Any:
    if _orders_by_field(query):
        return sort_key(last.body, query.order_by)
    return last.order_value(query.order_by).isoformat()


def page_token(query: EventQuery, last: StoredEvent, given: int = 0) -> str:
    """An opaque token for the page after `last`, bound to the query's filters and order; `given`
    counts the events of the pages so far (what an eventCountLimit is spent against)."""
    data = {
        "o": query.order_by,
        "d": "DESC" if query.descending else "ASC",
        "v": _position_value(query, last),
        "i": last.pk,
        "q": _fingerprint(query),
        "n": given,
    }
    return as_token(json.dumps(data, separators=(",", ":")).encode())


def _read_position_value(query: EventQuery, value: Any) -> Any:
    if not _orders_by_field(query):
        return datetime.fromisoformat(value)
    if value is None:
        return None
    rank, key = value
    if rank not in (0, 1, 2) or not isinstance(key, str if rank == 2 else int | float):
        raise ValueError("not a sort key")
    return (rank, key)


def read_page_token(query: EventQuery) -> tuple[tuple[Any, int], int] | None:
    """The keyset position a query's nextPageToken points after, and how many events the pages
    before gave (None on the first page)."""
    token = query.page_token
    if token is None:
        return None
    try:
        data = json.loads(from_token(token))
        position = (_read_position_value(query, data["v"]), int(data["i"]))
        given = int(data.get("n", 0))
        bound = (data["o"], data["d"], data["q"])
    except (ValueError, KeyError, TypeError):
        raise QueryError(
            "nextPageToken: the token is not one kiik gave; follow the Link header of the last page"
        ) from None
    if bound != (query.order_by, "DESC" if query.descending else "ASC", _fingerprint(query)):
        raise QueryError(
            "nextPageToken: the token belongs to a query with other parameters; repeat the query's "
            "parameters unchanged (perPage may change) or follow the Link header"
        )
    return position, given


# Events read from SQL at a time when body filters pick among them.
SCAN_BATCH = 500


def _master_data(uow: ReadUnitOfWork) -> MasterData:
    """Each site's master data by its SGLN (any spelling): its name, owner and owner's country."""
    known: dict[str, dict[str, str]] = {}
    for site in uow.directory.sites():
        owner = uow.directory.organisation(site.org_id)
        attributes = {"name": site.name}
        if owner is not None:
            attributes |= {"owningParty": owner.pgln or owner.code, "countryCode": owner.country}
        known[stored_key(site.sgln)] = attributes

    def lookup(place: str) -> dict[str, str] | None:
        try:
            return known.get(stored_key(place))
        except ValueError:
            return None

    return lookup


# An orderBy on a field inside the event sorts every matching event in memory: up to this many.
MAX_SORTED = 100_000
# Events read from SQL at a time when every matching event is read.
SORT_BATCH = 5_000


def _sorted_by_field(
    uow: ReadUnitOfWork, query: EventQuery, visible_to: Viewer, limit: int, after: tuple[Any, int] | None
) -> tuple[list[StoredEvent], bool]:
    """Up to `limit` events matching the query after `after`, ordered by the field `query.order_by`
    names (see `kiik.epcis.domain.query_order`), and whether more follow."""
    scan = replace(query, order_by="eventTime", descending=False)
    master_data = _master_data(uow) if any(f.needs_master_data for f in query.body_filters) else None
    keyed: list[tuple[SortKey, StoredEvent]] = []
    keyless: list[StoredEvent] = []
    position: tuple[datetime, int] | None = None
    while True:
        found = list(uow.queries.find(scan, visible_to=visible_to, limit=SORT_BATCH, after=position))
        for event in found:
            if all(check(event.body, master_data) for check in query.body_filters):
                key = sort_key(event.body, query.order_by)
                if key is None:
                    keyless.append(event)
                else:
                    keyed.append((key, event))
        if len(keyed) + len(keyless) > MAX_SORTED:
            raise QueryTooLarge(
                f"orderBy: ordering by {query.order_by} sorts every matching event, and kiik sorts at most "
                f"{MAX_SORTED:,}; narrow the query (GE_eventTime, EQ_bizStep, ...) or order by eventTime"
            )
        if len(found) < SORT_BATCH:
            break
        position = (found[-1].event_time, found[-1].pk)
    keyed.sort(key=lambda pair: (pair[0], pair[1].pk), reverse=query.descending)
    keyless.sort(key=lambda event: event.pk, reverse=query.descending)
    ordered: list[tuple[SortKey | None, StoredEvent]] = [*keyed, *((None, event) for event in keyless)]
    if after is not None:
        ordered = [(k, e) for k, e in ordered if is_after(k, e.pk, after, query.descending)]
    return [event for _, event in ordered[:limit]], len(ordered) > limit


# A place no event has (stored places are URIs): what an IN list asks for when nothing can match.
NO_PLACE = ("",)


def _within(uow: ReadUnitOfWork, query: EventQuery) -> EventQuery:
    """The query with its WD_ places expanded to the sites within them (at any depth), ANDed with its
    EQ_ places: `EQ_bizLocation=a&WD_bizLocation=b` asks for `a` when it lies within `b`."""
    if not query.read_points_within and not query.biz_locations_within:
        return query
    keyed = {stored_key(site.sgln): site for site in uow.directory.sites()}
    children: dict[int | None, list[Any]] = {}
    for site in keyed.values():
        children.setdefault(site.parent_id, []).append(site)

    def descendants(places: tuple[str, ...]) -> set[str]:
        found = set(places)
        waiting = [keyed[p] for p in places if p in keyed]
        while waiting:
            site = waiting.pop()
            for child in children.get(site.id, []):
                key = stored_key(child.sgln)
                if key not in found:
                    found.add(key)
                    waiting.append(child)
        return found

    def combined(equal: tuple[str, ...], within: tuple[str, ...]) -> tuple[str, ...]:
        if not within:
            return equal
        places = descendants(within)
        if equal:
            places &= set(equal)
        return tuple(sorted(places)) or NO_PLACE

    return replace(
        query,
        read_points=combined(query.read_points, query.read_points_within),
        biz_locations=combined(query.biz_locations, query.biz_locations_within),
        read_points_within=(),
        biz_locations_within=(),
    )


def _matching(
    uow: ReadUnitOfWork, query: EventQuery, visible_to: Viewer, limit: int, after: tuple[Any, int] | None
) -> tuple[list[StoredEvent], bool]:
    """Up to `limit` events matching the query after `after`, and whether more follow."""
    query = _within(uow, query)
    if _orders_by_field(query):
        return _sorted_by_field(uow, query, visible_to, limit, after)
    if not query.body_filters:
        found = list(uow.queries.find(query, visible_to=visible_to, limit=limit + 1, after=after))
        return found[:limit], len(found) > limit
    master_data = _master_data(uow) if any(f.needs_master_data for f in query.body_filters) else None
    batch = max(limit + 1, SCAN_BATCH)
    kept: list[StoredEvent] = []
    while True:
        found = list(uow.queries.find(query, visible_to=visible_to, limit=batch, after=after))
        for event in found:
            if all(check(event.body, master_data) for check in query.body_filters):
                kept.append(event)
                if len(kept) > limit:
                    return kept[:limit], True
        if len(found) < batch:
            return kept, False
        after = (found[-1].order_value(query.order_by), found[-1].pk)


def query_events(
    uow: ReadUnitOfWork, principal: Principal, parameters: Iterable[tuple[str, str]]
) -> EventPage:
    """GET /epcis/events: the events the principal may see that match the parameters, one page."""
    scope = restrict(principal, Permission.EVENTS_READ)
    query = parse_query(parameters)
    position = read_page_token(query)
    after, given = position if position is not None else (None, 0)
    size = query.per_page
    if query.event_count_limit is not None:
        size = min(size, query.event_count_limit - given)
    with uow:
        if query.max_event_count is not None and position is None:
            # The whole answer is counted once, on the first page: more than allowed is refused.
            counted, more = _matching(uow, query, scope.visible_to, query.max_event_count, None)
            if more:
                raise QueryTooLarge(
                    f"maxEventCount: the query matches more than {query.max_event_count} events; narrow "
                    "it with more parameters, or raise maxEventCount"
                )
            page, more = counted[:size], len(counted) > size
        else:
            page, more = _matching(uow, query, scope.visible_to, size, after) if size > 0 else ([], False)
    if query.event_count_limit is not None and given + len(page) >= query.event_count_limit:
        more = False
    token = page_token(query, page[-1], given + len(page)) if more else None
    return EventPage([as_captured(e) for e in page], token, query.per_page)


def event_by_id(uow: ReadUnitOfWork, principal: Principal, event_id: str) -> list[dict[str, Any]]:
    """GET /epcis/events/{eventID}: the event and any error declaration of it, by eventID or hash ID."""
    scope = restrict(principal, Permission.EVENTS_READ)
    with uow:
        found = list(uow.queries.by_event_id(event_id, visible_to=scope.visible_to))
    if not found:
        raise NotFound(f"no event {event_id} visible to you: check the eventID (or Event Hash ID)")
    return [as_captured(e) for e in found]


# The values GET /epcis/{resource} lists (EPCIS REST binding discovery), by resource.
KNOWN_VALUES = ("bizLocations", "readPoints", "epcs")


def known_values(
    uow: ReadUnitOfWork, principal: Principal, resource: str, per_page: int, token: str | None
) -> tuple[list[str], str | None]:
    """The business locations, read points or EPCs named by events the principal may read, in
    order, one page; and the token of the next page (the last value given, encoded)."""
    if resource not in KNOWN_VALUES:
        raise QueryError(f"{resource}: kiik lists {', '.join(KNOWN_VALUES)}")
    scope = restrict(principal, Permission.EVENTS_READ)
    after = None
    if token is not None:
        try:
            after = from_token(token).decode()
        except (ValueError, UnicodeDecodeError):
            raise QueryError(
                "nextPageToken: the token is not one kiik gave; follow the Link header"
            ) from None
    with uow:
        found = list(
            uow.queries.known(resource, visible_to=scope.visible_to, after=after, limit=per_page + 1)
        )
    page = found[:per_page]
    following = None
    if len(found) > per_page:
        following = as_token(page[-1].encode())
    return page, following


# What a subscription leaves out of its query: it delivers every matching event once, in the order
# they were recorded, so paging, ordering and counting parameters have no say.
_NOT_FOR_SUBSCRIPTIONS = PAGING | {"orderBy", "orderDirection", "eventCountLimit", "maxEventCount"}


def number_new_events(uow: ReadUnitOfWork) -> int:
    """Give the events committed since the last numbering their delivery numbers (the order
    subscriptions deliver in); run before reading what a subscription delivers next."""
    with uow:
        stores: Any = uow
        numbered = int(stores.queries.number_new_events())
        stores.commit()
    return numbered


def events_recorded_after(
    uow: ReadUnitOfWork,
    principal: Principal,
    parameters: Iterable[tuple[str, str]],
    *,
    since: datetime,
    after: int,
    limit: int,
) -> list[StoredEvent]:
    """The events the principal may see that match the parameters, recorded at `since` or later and
    numbered after `after`, in the order they were numbered (`number_new_events`): what a
    subscription delivers next. Walking by that number rather than by (recordTime, id) is what keeps
    an event committed late, with an earlier record time than one delivered already, from being
    skipped."""
    scope = restrict(principal, Permission.EVENTS_READ)
    query = parse_query([(n, v) for n, v in parameters if n not in _NOT_FOR_SUBSCRIPTIONS])
    since = naive(since)
    start = since if query.record_time_from is None else max(query.record_time_from, since)
    query = replace(query, order_by=DELIVERY_ORDER, descending=False, record_time_from=start)
    with uow:
        page, _ = _matching(uow, query, scope.visible_to, limit, (after, 0))
    return page


def naive(moment: datetime) -> datetime:
    """Stored times are naive UTC."""
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)
