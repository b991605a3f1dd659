"""What an EPCIS event says about the items it names, read once from its JSON-LD form.

The custody rules, the projection and the storage of identifiers all read events through
`EventFacts`, so the many spellings of one identifier are resolved to one key in one place.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, overload

from kiik.epcis.domain.identifiers import InvalidIdentifier, canonical_key
from kiik.epcis.domain.vocabulary import bare_word, mass_in_kg

T = TypeVar("T")

# How an identifier takes part in an event; stored with it so queries can match by role.
ROLES = ("epc", "parent", "child", "input", "output", "class", "child_class", "input_class", "output_class")


def key_of(text: str) -> str:
    """The registry key of an identifier; text that is no known identifier is kept as written."""
    try:
        return canonical_key(text)
    except InvalidIdentifier:
        return text.strip()


class _worked_out_once(Generic[T]):  # noqa: N801 - used as a decorator, like cached_property
    """`functools.cached_property` without its lock: Python 3.11 takes a lock on every first
    read, which cost more than working out the value for the facts of each captured event.
    The value is kept in the instance's `__dict__` (so it is pickled along with the facts)."""

    def __init__(self, function: Callable[[Any], T]) -> None:
        self.function = function
        self.name = function.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _worked_out_once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | _worked_out_once[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass(frozen=True)
class QuantityLine:
    key: str
    quantity: float | None
    uom: str | None

    @property
    def mass_kg(self) -> float | None:
        if self.quantity is None:
            return None
        return mass_in_kg(self.quantity, self.uom)


@dataclass(frozen=True)
class EventFacts:
    event_type: str
    action: str | None
    biz_step: str | None
    disposition: str | None
    event_time: datetime
    read_point: str | None
    biz_location: str | None
    event_id: str | None
    epcs: tuple[str, ...] = ()
    parent: str | None = None
    children: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    quantities: tuple[QuantityLine, ...] = ()
    child_quantities: tuple[QuantityLine, ...] = ()
    input_quantities: tuple[QuantityLine, ...] = ()
    output_quantities: tuple[QuantityLine, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    destinations: tuple[tuple[str, str], ...] = ()
    ilmd: Mapping[str, Any] = field(default_factory=dict)
    declares_error: bool = False
    time_zone_offset: str | None = None  # as written: the local day of a harvest depends on it

    @_worked_out_once
    def identifier_pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple(self.identifiers())

    def identifiers(self) -> list[tuple[str, str]]:
        """Every (role, key) pair the event names, for storage and queries."""
        pairs: list[tuple[str, str]] = [("epc", k) for k in self.epcs]
        if self.parent:
            pairs.append(("parent", self.parent))
        pairs += [("child", k) for k in self.children]
        pairs += [("input", k) for k in self.inputs]
        pairs += [("output", k) for k in self.outputs]
        pairs += [("class", q.key) for q in self.quantities]
        pairs += [("child_class", q.key) for q in self.child_quantities]
        pairs += [("input_class", q.key) for q in self.input_quantities]
        pairs += [("output_class", q.key) for q in self.output_quantities]
        return list(dict.fromkeys(pairs))

    @_worked_out_once
    def ilmd_by_local_name(self) -> dict[str, Any]:
        """The ILMD fields by local name (the first of each name), whatever prefix the document
        gave their namespace."""
        by_name: dict[str, Any] = {}
        for name, value in self.ilmd.items():
            by_name.setdefault(name.rsplit(":", 1)[-1], value)
        return by_name

    @_worked_out_once
    def ilmd_json(self) -> str | None:
        """The ILMD as JSON text (what the origin projection keeps), or None when there is none."""
        return json.dumps(self.ilmd) if self.ilmd else None

    def ilmd_value(self, local_name: str) -> Any:
        """An ILMD field by its local name, whatever prefix the document gave its namespace."""
        return self.ilmd_by_local_name.get(local_name)


def parse_time(text: str) -> datetime:
    """An EPCIS time as an aware UTC datetime (`Z` or an offset)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _keys(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key_of(v) for v in values or () if isinstance(v, str)))


def _quantities(values: Any) -> tuple[QuantityLine, ...]:
    lines = []
    for entry in values or ():
        if isinstance(entry, Mapping) and isinstance(entry.get("epcClass"), str):
            quantity = entry.get("quantity")
            lines.append(
                QuantityLine(
                    key=key_of(entry["epcClass"]),
                    quantity=float(quantity) if isinstance(quantity, int | float) else None,
                    uom=entry.get("uom"),
                )
            )
    return tuple(lines)


def _parties(values: Any, field_name: str) -> tuple[tuple[str, str], ...]:
    parties = []
    for entry in values or ():
        if isinstance(entry, Mapping) and isinstance(entry.get(field_name), str):
            kind = str(entry.get("type", ""))
            parties.append((kind.rsplit("-", 1)[-1].rsplit(":", 1)[-1], key_of(entry[field_name])))
    return tuple(parties)


def _location(value: Any) -> str | None:
    if isinstance(value, Mapping) and isinstance(value.get("id"), str):
        return key_of(value["id"])
    return None


def read_event(event: Mapping[str, Any]) -> EventFacts:
    """The facts of one event in JSON-LD form (already schema-valid)."""
    event_type = str(event.get("type", ""))
    parent = event.get("parentID")
    return EventFacts(
        event_type=event_type,
        action=event.get("action"),
        biz_step=bare_word(event.get("bizStep"), kind="bizStep"),
        disposition=bare_word(event.get("disposition"), kind="disposition"),
        event_time=parse_time(event["eventTime"]),
        read_point=_location(event.get("readPoint")),
        biz_location=_location(event.get("bizLocation")),
        event_id=event.get("eventID"),
        epcs=_keys(event.get("epcList")),
        parent=key_of(parent) if isinstance(parent, str) else None,
        children=_keys(event.get("childEPCs")),
        inputs=_keys(event.get("inputEPCList")),
        outputs=_keys(event.get("outputEPCList")),
        quantities=_quantities(event.get("quantityList")),
        child_quantities=_quantities(event.get("childQuantityList")),
        input_quantities=_quantities(event.get("inputQuantityList")),
        output_quantities=_quantities(event.get("outputQuantityList")),
        sources=_parties(event.get("sourceList"), "source"),
        destinations=_parties(event.get("destinationList"), "destination"),
        ilmd=event.get("ilmd") or {},
        declares_error="errorDeclaration" in event,
        time_zone_offset=offset if isinstance(offset := event.get("eventTimeZoneOffset"), str) else None,
    )
