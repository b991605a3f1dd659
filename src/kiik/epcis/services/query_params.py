"""The parameters of the EPCIS 2.0 SimpleEventQuery (REST binding), read and checked once.

Multi-valued parameters are pipe-delimited (`EQ_bizStep=shipping|receiving`); repeating a
multi-valued parameter adds to its values. Anything unknown or malformed is a `QueryError`
naming the parameter, so a client never gets a silently wider answer than it asked for.
Parameters on what only an event's body holds (extensions, ILMD, sensor data, ...) become the
filters of `kiik.epcis.domain.query_filters`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from kiik.epcis.domain.event_facts import parse_time
from kiik.epcis.domain.identifiers import InvalidIdentifier
from kiik.epcis.domain.query_filters import BodyFilter, body_filter, is_body_parameter, is_multi_valued
from kiik.epcis.domain.query_order import is_field_name
from kiik.epcis.domain.query_values import FilterError
from kiik.epcis.domain.vocabulary import bare_word
from kiik.epcis.services.identifier_terms import match_terms, stored_key
from kiik.epcis.services.records import naive_utc
from kiik.errors import QueryError

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
ACTIONS = ("ADD", "OBSERVE", "DELETE")
ORDER_FIELDS = ("eventTime", "recordTime")
# The order events became visible in (numbered after commit), which subscriptions walk by; kiik's
# own, not a client's orderBy (parse_query refuses it: it is no field name).
DELIVERY_ORDER = "deliverySequence"
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 10_000  # the issue asks for pages of 10,000 events

# MATCH_* parameter -> (roles in event_identifiers, whether the values name classes).
MATCH_ROLES: dict[str, tuple[tuple[str, ...], bool]] = {
    "MATCH_epc": (("epc", "child"), False),
    "MATCH_parentID": (("parent",), False),
    "MATCH_inputEPC": (("input",), False),
    "MATCH_outputEPC": (("output",), False),
    "MATCH_anyEPC": (("epc", "parent", "child", "input", "output"), False),
    "MATCH_epcClass": (("class", "child_class"), True),
    "MATCH_inputEPCClass": (("input_class",), True),
    "MATCH_outputEPCClass": (("output_class",), True),
    "MATCH_anyEPCClass": (("class", "child_class", "input_class", "output_class"), True),
}
MULTI_VALUED = frozenset(
    {"eventType", "EQ_action", "EQ_bizStep", "EQ_disposition", "EQ_readPoint", "EQ_bizLocation", "EQ_eventID"}
    | {"WD_readPoint", "WD_bizLocation"}
    | set(MATCH_ROLES)
)
SINGLE_VALUED = frozenset(
    {
        "GE_eventTime",
        "LT_eventTime",
        "GE_recordTime",
        "LT_recordTime",
        "EXISTS_errorDeclaration",
        "orderBy",
        "orderDirection",
        "perPage",
        "nextPageToken",
        "eventCountLimit",
        "maxEventCount",
    }
)
# Parameters that shape pages rather than choose events: a page token stays valid across them.
PAGING = frozenset({"perPage", "nextPageToken"})


@dataclass(frozen=True)
class IdentifierMatch:
    parameter: str
    roles: tuple[str, ...]
    keys: tuple[str, ...]
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class EventQuery:
    """A checked SimpleEventQuery (what `kiik.custody.adapters.event_query.Criteria` reads)."""

    event_types: tuple[str, ...] = ()
    event_time_from: datetime | None = None
    event_time_before: datetime | None = None
    record_time_from: datetime | None = None
    record_time_before: datetime | None = None
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()
    dispositions: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    # WD_: these places or any site within them (the query service expands them through the directory).
    read_points_within: tuple[str, ...] = ()
    biz_locations_within: tuple[str, ...] = ()
    identifier_matches: tuple[IdentifierMatch, ...] = ()
    error_declarations_only: bool = False
    # What the SQL columns cannot say, checked on each event's body (extensions, ILMD, sensors, ...).
    body_filters: tuple[BodyFilter, ...] = ()
    event_count_limit: int | None = None  # at most this many events in all (over every page)
    max_event_count: int | None = None  # more matching events than this is a QueryTooLarge
    order_by: str = "eventTime"
    descending: bool = True
    per_page: int = DEFAULT_PER_PAGE
    page_token: str | None = None
    # The choosing parameters as given, sorted: what a page token is bound to.
    fingerprint: tuple[tuple[str, str], ...] = field(default=())


def _split(name: str, raw: Iterable[str]) -> tuple[str, ...]:
    values = tuple(v.strip() for text in raw for v in text.split("|"))
    if not values or any(not v for v in values):
        raise QueryError(f"{name}: a value is empty; give one or more values separated by |")
    return values


def _one_of(name: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if value not in allowed:
            raise QueryError(f"{name}: {value!r} is not allowed; use one of {', '.join(allowed)}")
    return values


def _event_types(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        if value not in EVENT_TYPES and ":" not in value:
            raise QueryError(
                f"eventType: {value!r} is no EPCIS event type; use {', '.join(EVENT_TYPES)} "
                "or the URI of an extension event type"
            )
    return values


def _keys(name: str, values: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(dict.fromkeys(stored_key(v) for v in values))
    except InvalidIdentifier as exc:
        raise QueryError(f"{name}: {exc}") from exc


def _time(name: str, value: str) -> datetime:
    try:
        return naive_utc(parse_time(value))
    except ValueError:
        raise QueryError(
            f"{name}: {value!r} is not a date-time; write it as in 2025-09-12T07:30:00Z or with an offset, "
            "2025-09-12T12:30:00+05:00 (in a URL, encode + as %2B)"
        ) from None


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("", "true"):
        return True
    if lowered == "false":
        return False
    raise QueryError(f"{name}: {value!r} is not a boolean; use true or false")


def _per_page(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise QueryError(f"perPage: {value!r} is not a whole number") from None
    if number < 1:
        raise QueryError(f"perPage: {number} is too small; ask for 1 to {MAX_PER_PAGE} events a page")
    # The REST binding lets a server return fewer than asked; kiik's ceiling is MAX_PER_PAGE.
    return min(number, MAX_PER_PAGE)


def _count(name: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise QueryError(f"{name}: {value!r} is not a whole number") from None
    if number < 1:
        raise QueryError(f"{name}: {number} is too small; give a whole number of 1 or more")
    return number


def _asked_unit(given: dict[str, list[str]]) -> str | None:
    """The unit value parameters without one are read in: EQ_uom's, when it names one unit."""
    units = set(_split("EQ_uom", given["EQ_uom"])) if "EQ_uom" in given else set()
    return units.pop() if len(units) == 1 else None


def _body_filters(given: dict[str, list[str]]) -> tuple[BodyFilter, ...]:
    found = []
    unit = _asked_unit(given)
    for name, raw in given.items():
        if name in MULTI_VALUED or name in SINGLE_VALUED:
            continue
        values = _split(name, raw) if is_multi_valued(name) else tuple(raw)
        try:
            made = body_filter(name, values, unit=unit)
        except FilterError as exc:
            raise QueryError(str(exc)) from exc
        if made is not None:
            found.append(made)
    return tuple(found)


def _identifier_match(name: str, values: tuple[str, ...]) -> IdentifierMatch:
    roles, classes = MATCH_ROLES[name]
    keys: list[str] = []
    patterns: list[str] = []
    for value in values:
        try:
            terms = match_terms(value, classes=classes)
        except InvalidIdentifier as exc:
            raise QueryError(f"{name}: {exc}") from exc
        keys += terms.keys
        patterns += terms.patterns
    return IdentifierMatch(name, roles, tuple(dict.fromkeys(keys)), tuple(dict.fromkeys(patterns)))


def _words(kind: str) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    def read(values: tuple[str, ...]) -> tuple[str, ...]:
        # Stored columns hold bare CBV words; a full CBV URI asks for the same word.
        return tuple(dict.fromkeys(bare_word(v, kind=kind) or v for v in values))

    return read


def is_query_parameter(name: str) -> bool:
    """Whether `parse_query` takes a parameter of this name (its value may still be refused)."""
    return name in MULTI_VALUED or name in SINGLE_VALUED or is_body_parameter(name)


def parse_query(parameters: Iterable[tuple[str, str]]) -> EventQuery:
    """Read the query parameters of GET /epcis/events (as (name, value) pairs, repeats allowed)."""
    given: dict[str, list[str]] = {}
    for name, value in parameters:
        known = name in MULTI_VALUED or name in SINGLE_VALUED
        if not known and not is_body_parameter(name):
            supported = ", ".join(sorted(MULTI_VALUED | SINGLE_VALUED))
            raise QueryError(
                f"{name}: kiik does not support this query parameter; supported are {supported}, and the "
                "families of EPCIS 2.0 section 8.2.7.1 (EQ_/GT_/GE_/LT_/LE_/EXISTS_ on prefix:field, "
                "with INNER_, ILMD_, ERROR_DECLARATION_, SENSORELEMENT_, SENSORMETADATA_, SENSORREPORT_; "
                "EQ_bizTransaction_type, EQ_source_type, EQ_destination_type; sensor and quantity "
                "parameters such as EQ_type or GE_value_CEL; HASATTR_, EQATTR_ on readPoint or bizLocation)"
            )
        if (name in SINGLE_VALUED or (not known and not is_multi_valued(name))) and name in given:
            raise QueryError(f"{name}: given more than once; give it once")
        given.setdefault(name, []).append(value)
    multi = {name: _split(name, raw) for name, raw in given.items() if name in MULTI_VALUED}
    single = {name: raw[0] for name, raw in given.items() if name in SINGLE_VALUED}
    times = {
        name: _time(name, single[name])
        for name in ("GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime")
        if name in single
    }
    order_by = single.get("orderBy", "eventTime")
    if order_by not in ORDER_FIELDS and not is_field_name(order_by):
        raise QueryError(
            f"orderBy: {order_by!r} is not a field kiik orders by; use eventTime, recordTime, or an "
            "extension field by its full IRI (https://ns.example.com/epcis/field) or as prefix:field"
        )
    direction = single.get("orderDirection", "DESC")
    _one_of("orderDirection", (direction,), ("ASC", "DESC"))
    counts = {
        name: _count(name, single[name]) for name in ("eventCountLimit", "maxEventCount") if name in single
    }
    if len(counts) == 2:
        raise QueryError(
            "eventCountLimit and maxEventCount: give one or the other; eventCountLimit returns the first "
            "events, maxEventCount refuses a query that matches more (EPCIS 2.0 section 8.2.7.1)"
        )
    return EventQuery(
        event_types=_event_types(multi.get("eventType", ())),
        event_time_from=times.get("GE_eventTime"),
        event_time_before=times.get("LT_eventTime"),
        record_time_from=times.get("GE_recordTime"),
        record_time_before=times.get("LT_recordTime"),
        actions=_one_of("EQ_action", multi.get("EQ_action", ()), ACTIONS),
        biz_steps=_words("bizStep")(multi.get("EQ_bizStep", ())),
        dispositions=_words("disposition")(multi.get("EQ_disposition", ())),
        read_points=_keys("EQ_readPoint", multi.get("EQ_readPoint", ())),
        biz_locations=_keys("EQ_bizLocation", multi.get("EQ_bizLocation", ())),
        read_points_within=_keys("WD_readPoint", multi.get("WD_readPoint", ())),
        biz_locations_within=_keys("WD_bizLocation", multi.get("WD_bizLocation", ())),
        event_ids=multi.get("EQ_eventID", ()),
        identifier_matches=tuple(_identifier_match(n, v) for n, v in multi.items() if n in MATCH_ROLES),
        error_declarations_only=_flag("EXISTS_errorDeclaration", single["EXISTS_errorDeclaration"])
        if "EXISTS_errorDeclaration" in single
        else False,
        body_filters=_body_filters(given),
        event_count_limit=counts.get("eventCountLimit"),
        max_event_count=counts.get("maxEventCount"),
        order_by=order_by,
        descending=direction == "DESC",
        per_page=_per_page(single["perPage"]) if "perPage" in single else DEFAULT_PER_PAGE,
        page_token=single.get("nextPageToken"),
        fingerprint=tuple(sorted((n, v) for n, raw in given.items() if n not in PAGING for v in raw)),
    )
