"""The row kiik stores for an event: its body as captured plus the columns queries filter on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from kiik.epcis.domain.event_facts import EventFacts


@dataclass(frozen=True)
class NewEventRow:
    hash_id: str
    event_id: str
    event_type: str
    event_time: datetime
    record_time: datetime
    action: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    declares_error: bool
    org_id: int | None
    capture_id: str | None
    body: dict[str, Any] | None  # None: handed to the event store already encoded
    identifiers: list[tuple[str, str]]


# The columns of an event's row that are worked out from its body at capture, and that queries
# filter on: a row whose columns disagree with its body answers queries wrongly.
DERIVED_COLUMNS = (
    "event_id",
    "event_type",
    "event_time",
    "action",
    "biz_step",
    "disposition",
    "read_point",
    "biz_location",
    "declares_error",
)


# The longest text a column of an event's row (and an identifier's key) holds; longer values are
# refused at capture with the field named, rather than failing in the database.
MAX_STORED_TEXT = 300


def shown(value: object, most: int = 80) -> str:
    """A value as an error message quotes it: in full when short, else its start and its length."""
    text = repr(value)
    return text if len(text) <= most else f"{text[:most]}... ({len(str(value))} characters)"


def too_long(facts: EventFacts) -> list[tuple[str, str]]:
    """(field, value) of each value of the event that would not fit its column."""
    fields = {
        "eventID": facts.event_id,
        "bizStep": facts.biz_step,
        "disposition": facts.disposition,
        "readPoint": facts.read_point,
        "bizLocation": facts.biz_location,
    }
    found = [(name, value) for name, value in fields.items() if value and len(value) > MAX_STORED_TEXT]
    found += [(role, key) for role, key in facts.identifier_pairs if len(key) > MAX_STORED_TEXT]
    return found


def derived_columns(facts: EventFacts, hash_id: str) -> dict[str, Any]:
    """What `new_event` stores in each of DERIVED_COLUMNS for an event with these facts."""
    return {
        "event_id": str(facts.event_id or hash_id),
        "event_type": facts.event_type,
        "event_time": naive_utc(facts.event_time),
        "action": facts.action,
        "biz_step": facts.biz_step,
        "disposition": facts.disposition,
        "read_point": facts.read_point,
        "biz_location": facts.biz_location,
        "declares_error": facts.declares_error,
    }


def column_differences(
    stored: Mapping[str, Any], identifiers: Iterable[tuple[str, str]], facts: EventFacts, hash_id: str
) -> list[tuple[str, Any, Any]]:
    """(column, stored, derived from the body) for each column, and the identifiers, that disagree."""
    found = [
        (name, stored.get(name), value)
        for name, value in derived_columns(facts, hash_id).items()
        if stored.get(name) != value
    ]
    named, expected = set(identifiers), set(facts.identifier_pairs)
    if named != expected:
        found.append(("identifiers", sorted(named - expected), sorted(expected - named)))
    return found


def naive_utc(value: datetime) -> datetime:
    """Times are stored as naive UTC, the one form SQLite and PostgreSQL compare alike."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def new_event(
    event: dict[str, Any] | None,
    facts: EventFacts,
    hash_id: str,
    org_id: int | None,
    capture_id: str | None,
    record_time: datetime,
) -> NewEventRow:
    """The body keeps the event exactly as captured; an event without an eventID is found by its hash.

    `event` may be None when the body is handed to the event store already encoded."""
    return NewEventRow(
        hash_id=hash_id,
        event_id=str(facts.event_id or hash_id),
        event_type=facts.event_type,
        event_time=naive_utc(facts.event_time),
        record_time=naive_utc(record_time),
        action=facts.action,
        biz_step=facts.biz_step,
        disposition=facts.disposition,
        read_point=facts.read_point,
        biz_location=facts.biz_location,
        declares_error=facts.declares_error,
        org_id=org_id,
        capture_id=capture_id,
        body=event,
        identifiers=list(facts.identifier_pairs),
    )


class WrittenEvent(NamedTuple):
    """An event of a batch just written by capture: its primary key, its row and its facts."""

    pk: int
    row: NewEventRow
    facts: EventFacts
