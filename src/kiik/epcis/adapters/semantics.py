"""Rules an EPCIS event must keep beyond what its schema can say.

These run on one event in JSON-LD form, after it passed the JSON Schema (or, from XML, the XSD).
Each rule has an id (`semantics.<name>`) and a message that says what is wrong and what to do.
They stay within what the EPCIS 2.0 standard and GS1 keys require, so every GS1 example passes;
the chain-of-custody rules (who holds what) live in `kiik.custody.domain`, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from kiik.epcis.adapters.problems import Problem, json_path
from kiik.epcis.domain.digital_link import parse_digital_link
from kiik.epcis.domain.identifiers import InvalidIdentifier, canonical_key, parse_identifier
from kiik.epcis.services.records import shown

CLOCK_SKEW = timedelta(minutes=5)
MASS_UNITS = frozenset(
    {"KGM", "GRM", "MGM", "TNE", "LBR", "ONZ", "DTN", "HGM", "CGM", "DJ", "KTN", "STN", "LTN"}
)
EPC_LIST_FIELDS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
QUANTITY_LIST_FIELDS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")

# A GS1 key written as an EPC URI or as a GS1 Digital Link (any domain) on one of its primary keys.
_GS1_DIGITAL_LINK = re.compile(
    r"^https?://[^/?#]+(?:/[^?#]*)?/(?:00|01|253|255|401|402|414|417|8003|8004|8006|8010|8017|8018)/\d"
)
_EPC_URI = re.compile(r"^urn:epc:(?:id|class|idpat):")

Finding = tuple[list[str | int], str, str]  # (path inside the event, rule, message)


def _gs1_key_problem(text: str) -> str | None:
    """Why a GS1 key is invalid (check digit, length, ...), or None when it is valid or no GS1 key.

    EPC URNs are always GS1 keys. An http(s) URI is one only when it is shaped like a Digital Link
    (a GS1 key as /AI/value pairs); any other URL (a purchase order, a web page) is left alone.
    """
    if text.startswith(("http://", "https://")):
        try:
            parse_digital_link(text, strict=False)
        except InvalidIdentifier:
            return None
    try:
        parse_identifier(text)
    except InvalidIdentifier as problem:
        return str(problem)
    return None


def _key(text: str) -> str:
    """The registry key of an identifier, so that its EPC URN and Digital Link spellings compare equal."""
    try:
        return canonical_key(text)
    except InvalidIdentifier:
        return text.strip()


def looks_like_gs1_key(text: str) -> bool:
    """A quick first sieve: EPC URIs and URLs with a GS1 primary key AI in their path."""
    return bool(_EPC_URI.match(text) or _GS1_DIGITAL_LINK.match(text))


def _identifiers(event: dict[str, Any]) -> Iterator[tuple[list[str | int], object]]:
    """Every identifier-valued field of the event, with its path inside the event."""
    for name in EPC_LIST_FIELDS:
        values = event.get(name)
        if isinstance(values, list):
            for i, value in enumerate(values):
                yield [name, i], value
    if isinstance(event.get("parentID"), str):
        yield ["parentID"], event["parentID"]
    for name in QUANTITY_LIST_FIELDS:
        elements = event.get(name)
        if isinstance(elements, list):
            for i, element in enumerate(elements):
                if isinstance(element, dict):
                    yield [name, i, "epcClass"], element.get("epcClass")
    for name in ("readPoint", "bizLocation"):
        place = event.get(name)
        if isinstance(place, dict):
            yield [name, "id"], place.get("id")
    for list_name, field in (("sourceList", "source"), ("destinationList", "destination")):
        elements = event.get(list_name)
        if isinstance(elements, list):
            for i, element in enumerate(elements):
                if isinstance(element, dict):
                    yield [list_name, i, field], element.get(field)


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.strip().upper().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# The same places and parties recur in event after event; the items themselves mostly occur once,
# so the cache stays small and its memory bounded.
@lru_cache(maxsize=8192)
def _identifier_problem(text: str) -> str | None:
    """Why `text` is no valid GS1 key, or None when it is one or is no GS1 key at all."""
    return _gs1_key_problem(text) if looks_like_gs1_key(text) else None


def check_identifiers(event: dict[str, Any], keys: dict[str, str] | None = None) -> Iterator[Finding]:
    """Identifiers that are no valid GS1 keys. `keys`, when given, receives the registry key of each
    item of an EPC list, worked out while its reading is still cached (see `check_duplicates`)."""
    for path, value in _identifiers(event):
        if isinstance(value, str):
            reason = _identifier_problem(value)
            if reason:
                yield path, "semantics.identifier", f"{shown(value)} is not a valid GS1 identifier: {reason}"
            if keys is not None and path[0] in EPC_LIST_FIELDS:
                keys[value] = _key(value)


def check_duplicates(event: dict[str, Any], keys: Mapping[str, str] | None = None) -> Iterator[Finding]:
    """Items listed twice in one list, in any spelling. With the keys `check_identifiers` found, an
    event naming 100,000 items does not read each of them again."""
    known = keys or {}
    for name in EPC_LIST_FIELDS:
        values = event.get(name)
        if not isinstance(values, list) or len(values) < 2:
            continue  # nothing can be listed twice
        first_seen: dict[str, int] = {}
        for i, value in enumerate(values):
            if not isinstance(value, str):
                continue
            canonical = known.get(value) or _key(value)
            if first_seen.setdefault(canonical, i) == i:
                continue
            first = values[first_seen[canonical]]
            same = "listed twice" if first == value else f"the same item as {first!r}, listed before it"
            yield (
                [name, i],
                "semantics.duplicate_epc",
                (f"{value!r} in {name} is {same}; an item can take part in an event only once."),
            )


def check_aggregation(event: dict[str, Any]) -> Iterator[Finding]:
    if event.get("type") != "AggregationEvent":
        return
    action, parent = event.get("action"), event.get("parentID")
    if action in ("ADD", "DELETE") and not parent:
        yield (
            ["parentID"],
            "semantics.parent_required",
            (
                f"An AggregationEvent with action {action} must name its parentID (the container the "
                "children are packed into or taken out of); only OBSERVE may leave it out."
            ),
        )
    if isinstance(parent, str):
        for i, child in enumerate(_list(event.get("childEPCs"))):
            if isinstance(child, str) and _key(child) == _key(parent):
                yield (
                    ["childEPCs", i],
                    "semantics.parent_in_children",
                    (
                        f"{child!r} is both the parent and a child of this aggregation; "
                        "a container cannot hold itself."
                    ),
                )


def check_transformation(event: dict[str, Any]) -> Iterator[Finding]:
    if event.get("type") != "TransformationEvent":
        return
    if not any(_list(event.get(name)) for name in (*EPC_LIST_FIELDS[2:], *QUANTITY_LIST_FIELDS[2:])):
        yield (
            [],
            "semantics.transformation_empty",
            (
                "A TransformationEvent must list what went in or what came out: give at least one of "
                "inputEPCList, inputQuantityList, outputEPCList or outputQuantityList."
            ),
        )


def check_quantities(event: dict[str, Any]) -> Iterator[Finding]:
    for name in QUANTITY_LIST_FIELDS:
        listed = event.get(name)
        if not isinstance(listed, list) or not listed:
            continue
        elements = [e for e in listed if isinstance(e, dict)]
        mass_classes = {e.get("epcClass") for e in elements if e.get("uom") in MASS_UNITS}
        for i, element in enumerate(listed):
            if not isinstance(element, dict):
                continue
            quantity, uom = element.get("quantity"), element.get("uom")
            if isinstance(quantity, bool) or not isinstance(quantity, int | float):
                continue
            if quantity < 0:
                yield (
                    [name, i, "quantity"],
                    "semantics.negative_quantity",
                    (
                        f"quantity {quantity} is negative; a quantity says how much took part "
                        "and cannot be below zero."
                    ),
                )
            elif uom is None and element.get("epcClass") in mass_classes:
                yield (
                    [name, i, "uom"],
                    "semantics.quantity_uom",
                    (
                        f"{element.get('epcClass')!r} is measured by mass elsewhere in {name}, "
                        "but this quantity "
                        f'({quantity}) has no uom; give its unit, e.g. "uom": "KGM".'
                    ),
                )
            elif uom is None and quantity != int(quantity):
                yield (
                    [name, i, "uom"],
                    "semantics.quantity_count",
                    (
                        f"quantity {quantity} has no uom, so it counts items and must be a whole number; "
                        'if it is a measure, give its unit, e.g. "uom": "KGM" for kilograms.'
                    ),
                )


def check_times(event: dict[str, Any], now: datetime) -> Iterator[Finding]:
    event_time = _parse_time(event.get("eventTime"))
    if event_time is not None and event_time > now + CLOCK_SKEW:
        yield (
            ["eventTime"],
            "semantics.future_event_time",
            (
                f"eventTime {event['eventTime']} is in the future "
                f"(now is {now.isoformat(timespec='seconds')}); "
                "an event is recorded after it happens. Check the clock and the time zone of the device."
            ),
        )
    declaration = event.get("errorDeclaration")
    if isinstance(declaration, dict) and not declaration.get("declarationTime"):
        yield (
            ["errorDeclaration", "declarationTime"],
            "semantics.declaration_time",
            ("An errorDeclaration must say when the error was declared: add declarationTime."),
        )


def semantic_findings(event: dict[str, Any], *, now: datetime | None = None) -> list[Finding]:
    """What is wrong with one (schema-valid) event, each with its path inside the event."""
    moment = now or datetime.now(UTC)
    keys: dict[str, str] = {}
    return [
        *check_identifiers(event, keys),
        *check_duplicates(event, keys),
        *check_aggregation(event),
        *check_transformation(event),
        *check_quantities(event),
        *check_times(event, moment),
    ]


def semantic_problems(
    event: dict[str, Any], *, path_prefix: str = "", now: datetime | None = None
) -> list[Problem]:
    """The semantic problems of one (schema-valid) event, placed in their document by `path_prefix`."""
    return [
        Problem(json_path(path, path_prefix) or "$", rule, message)
        for path, rule, message in semantic_findings(event, now=now)
    ]
