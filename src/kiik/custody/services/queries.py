"""Reading events: the EPCIS SimpleEventQuery with keyset pages, and single events by eventID.

Each event comes back as it was captured (its stored body, event-level `@context` included) with
the `recordTime` the registry gave it, and nothing else: its Event Hash ID is the one computed at
capture. Pages are keyset pages: the token holds the last event's order value and id, so a page
costs the same however deep it is and events captured meanwhile do not shift it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from kiik.directory.domain.permissions import Permission, Principal, Viewer
from kiik.directory.services.scope import restrict
from kiik.epcis.services.query_params import EventQuery, parse_query
from kiik.errors import NotFound, QueryError


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

    def order_value(self, order_by: str) -> datetime: ...


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


def page_token(query: EventQuery, last: StoredEvent) -> str:
    """An opaque token for the page after `last`, bound to the query's filters and order."""
    data = {
        "o": query.order_by,
        "d": "DESC" if query.descending else "ASC",
        "v": last.order_value(query.order_by).isoformat(),
        "i": last.pk,
        "q": _fingerprint(query),
    }
    return as_token(json.dumps(data, separators=(",", ":")).encode())


def read_page_token(query: EventQuery) -> tuple[datetime, int] | None:
    """The keyset position a query's nextPageToken points after (None on the first page)."""
    token = query.page_token
    if token is None:
        return None
    try:
        data = json.loads(from_token(token))
        position = (datetime.fromisoformat(data["v"]), int(data["i"]))
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
    return position


def query_events(
    uow: ReadUnitOfWork, principal: Principal, parameters: Iterable[tuple[str, str]]
) -> EventPage:
    """GET /epcis/events: the events the principal may see that match the parameters, one page."""
    scope = restrict(principal, Permission.EVENTS_READ)
    query = parse_query(parameters)
    after = read_page_token(query)
    with uow:
        found = list(
            uow.queries.find(query, visible_to=scope.visible_to, limit=query.per_page + 1, after=after)
        )
    more = len(found) > query.per_page
    page = found[: query.per_page]
    token = page_token(query, page[-1]) if more else None
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
