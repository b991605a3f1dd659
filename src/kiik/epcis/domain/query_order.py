"""Ordering events by a field inside them (`orderBy` other than eventTime and recordTime).

EPCIS 2.0 section 8.2.7.1 lets `orderBy` name eventTime, recordTime or an extension field whose type
is a number, a time or a string, named in full: its IRI (namespace and local name,
`https://ns.example.com/epcis/temperature`). kiik also takes the field as `prefix:local` with the
prefix the event's `@context` binds (as the `EQ_prefix:local` filters do).

Each event's position is a sort key: its value as a number, else as a time (in epoch seconds), else
as text; numbers sort before times, times before text. An event without the field has no key and
comes after every event that has it, in either direction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC
from typing import Any

from kiik.epcis.domain.event_hash import STANDARD_PREFIXES, namespaces_from_context
from kiik.epcis.domain.query_values import moment, number

SortKey = tuple[int, float | str]
_CURIE = re.compile(r"^[A-Za-z][\w.\-]*:[\w.\-]+$")


def is_field_name(name: str) -> bool:
    """Whether `orderBy` names a field kiik can look up: an absolute IRI or `prefix:local`."""
    return bool(_CURIE.match(name)) or name.startswith(("http://", "https://", "urn:"))


def _value(event: Mapping[str, Any], name: str) -> Any:
    if name in event:
        return event[name]
    # The field named by its IRI: the key whose prefix the event's context binds to the namespace.
    namespaces = {**STANDARD_PREFIXES, **namespaces_from_context(event.get("@context") or [])}
    for key, value in event.items():
        prefix, colon, local = key.partition(":")
        if colon and not key.startswith("@") and namespaces.get(prefix, "\0") + local == name:
            return value
    return None


def sort_key(event: Mapping[str, Any], name: str) -> SortKey | None:
    """The event's position when ordered by the field `name`; None when it has no such value."""
    value = _value(event, name)
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Mapping):
        value = value.get("@value")
    if value is None or isinstance(value, bool | Mapping | list):
        return None
    if (found := number(value)) is not None:
        return (0, found)
    if (time := moment(value)) is not None:
        aware = time if time.tzinfo is not None else time.replace(tzinfo=UTC)
        return (1, aware.timestamp())
    return (2, str(value))


def is_after(key: SortKey | None, pk: int, position: tuple[SortKey | None, int], descending: bool) -> bool:
    """Whether an event (its key and id) comes after `position` in the asked order (events without
    the field last, then by id in the asked direction)."""
    other, other_pk = position
    if (key is None) != (other is None):
        return other is not None  # the keyless come after every keyed event
    if key is None or other is None or key == other:
        return pk < other_pk if descending else pk > other_pk
    return key < other if descending else key > other
