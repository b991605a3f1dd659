"""The ratified EPCIS 2.0.1 JSON Schema (and the REST binding's query schema), compiled once.

Events are validated one at a time against the definition for their type (`ObjectEvent`,
`AggregationEvent`, ...), which is what the document schema does for each item of its event list,
so a document of any size is checked in bounded memory. The envelope (the document without its
events) is validated against `epcisDocument` / `epcisQueryDocument` with an empty event list.

Format checks for `date-time` and `uri` are on (without them several invalid documents pass); their
results are cached because the same field names are checked as URIs in every event.

An event is first put to the fast check of `epcis_schema_fast` (fastjsonschema, same formats);
jsonschema runs only for an event that check rejects, to say what is wrong and where.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from kiik.adapters.epcis_problems import EVENT_TYPES, Problem
from kiik.adapters.epcis_schema_fast import event_check
from kiik.adapters.epcis_schema_inline import InlinedSchema
from kiik.adapters.epcis_schema_messages import explain_errors

DOCUMENT_DEFINITIONS = {"EPCISDocument": "epcisDocument", "EPCISQueryDocument": "epcisQueryDocument"}


def _load(name: str) -> dict[str, Any]:
    text = resources.files("kiik.adapters").joinpath("schemas", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


# The plainest URIs, which RFC 3986 accepts on sight: scheme ":" path-rootless (an EPC URN, a
# prefixed name such as "ex:weight"), or scheme "://" reg-name path-abempty (a Digital Link or web
# address without user, port, query, fragment or %-escapes). Every string this matches is a URI for
# rfc3987 too (tests/unit/test_epcis_uri_check.py); anything else goes to rfc3987 itself. It
# spares the 3 µs rfc3987 takes for each EPC, which unlike field names occur once.
_PCHAR = r"[A-Za-z0-9\-._~!$&'()*+,;=:@]"
_REG_NAME = r"[A-Za-z0-9\-._~!$&'()*+,;=]"
_PLAIN_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+.\-]*:(?:{_PCHAR}+|//{_REG_NAME}+)(?:/{_PCHAR}*)*", re.ASCII)


def _is_uri(text: str) -> bool:
    return _PLAIN_URI.fullmatch(text) is not None or _conforms_as_uri(text)


def _format_function(name: str) -> Callable[[str], bool]:
    """What `Draft7Validator.FORMAT_CHECKER.conforms(text, name)` answers, without its wrapping."""
    function, raises = Draft7Validator.FORMAT_CHECKER.checkers[name]

    def conforms(text: str) -> bool:
        try:
            return bool(function(text))
        except raises:
            return False

    return conforms


_RFC3987_URI = _format_function("uri")
_RFC3339_DATE_TIME = _format_function("date-time")


# Field names and vocabulary URIs repeat in every event and stay in these caches; identifiers that
# occur once pass through them, so a small size is enough and memory stays bounded.
@lru_cache(maxsize=4096)
def _conforms_as_uri(text: str) -> bool:
    return _RFC3987_URI(text)


@lru_cache(maxsize=1024)
def _is_date_time(text: str) -> bool:
    return _RFC3339_DATE_TIME(text)


def is_uri(value: object) -> bool:
    """True when `value` is a string the schema accepts as a URI (RFC 3987)."""
    return isinstance(value, str) and _is_uri(value)


def format_checks() -> dict[str, Callable[[Any], bool]]:
    """The format checks of the schema, for validators other than jsonschema (strings only)."""
    return {"uri": _is_uri, "date-time": _is_date_time}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("uri")(lambda value: not isinstance(value, str) or _is_uri(value))
    checker.checks("date-time")(lambda value: not isinstance(value, str) or _is_date_time(value))
    return checker


@cache
def epcis_schema() -> dict[str, Any]:
    """The EPCIS 2.0.1 JSON Schema as shipped with kiik."""
    return _load("epcis_schema.json")


@cache
def inlined_schema() -> InlinedSchema:
    """The event definitions with references resolved, for fast per-event validation."""
    return InlinedSchema(epcis_schema())


_STANDARD_ENUM = Draft7Validator.VALIDATORS["enum"]
_WORD_SETS: dict[int, tuple[list[Any], frozenset[str]]] = {}


def _words(values: list[Any]) -> frozenset[str]:
    """The strings of an `enum` list as a set, remembered per list (schema lists live for the process)."""
    known = _WORD_SETS.get(id(values))
    if known is None or known[0] is not values:
        known = (values, frozenset(v for v in values if isinstance(v, str)))
        _WORD_SETS[id(values)] = known
    return known[1]


def _enum(validator: Any, values: list[Any], instance: Any, schema: Any) -> Iterator[ValidationError]:
    # A string found among the words is valid; anything else takes the standard (exact) path.
    if isinstance(instance, str) and instance in _words(values):
        return
    yield from _STANDARD_ENUM(validator, values, instance, schema)


def _property_names(validator: Any, names: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # Same as the standard keyword, but names listed in the schema's word list skip the descent.
    if not validator.is_type(instance, "object"):
        return
    first = names.get("anyOf", [{}])[0] if isinstance(names, dict) else {}
    listed = _words(first["enum"]) if isinstance(first, dict) and set(first) == {"enum"} else frozenset()
    for name in instance:
        if name not in listed:
            yield from validator.descend(instance=name, schema=names)


_STANDARD_TYPE = Draft7Validator.VALIDATORS["type"]
_PYTHON_TYPES: dict[str, type] = {"string": str, "object": dict, "array": list}


def _type(validator: Any, types: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # Draft 7 checks these three with exactly this isinstance; others take the standard path.
    expected = _PYTHON_TYPES.get(types) if isinstance(types, str) else None
    if expected is not None and isinstance(instance, expected):
        return
    yield from _STANDARD_TYPE(validator, types, instance, schema)


_EventValidator = validators.extend(
    Draft7Validator, {"enum": _enum, "propertyNames": _property_names, "type": _type}
)


@cache
def _event_validator(definition: str) -> Draft7Validator:
    schema = inlined_schema().definition(definition)
    validator: Draft7Validator = _EventValidator(schema, format_checker=_format_checker())
    return validator


@cache
def _registry() -> tuple[Registry[Any], str, str]:
    epcis = epcis_schema()
    query = _load("epcis_query_schema.json")
    registry: Registry[Any] = Registry().with_resources(
        [
            (epcis["$id"], Resource.from_contents(epcis, default_specification=DRAFT7)),
            (query["$id"], Resource.from_contents(query, default_specification=DRAFT7)),
        ]
    )
    return registry, epcis["$id"], query["$id"]


@cache
def _validator(definition: str, *, query: bool = False) -> Draft7Validator:
    registry, epcis_id, query_id = _registry()
    base = query_id if query else epcis_id
    return Draft7Validator(
        {"$ref": f"{base}#/definitions/{definition}"}, registry=registry, format_checker=_format_checker()
    )


def event_definition(event_type: object) -> str:
    """The schema definition an event of this type is checked against (extension types are URIs)."""
    return event_type if isinstance(event_type, str) and event_type in EVENT_TYPES else "Extended-Event"


def fast_event_schema_valid(event: dict[str, Any]) -> bool:
    """The fast check's verdict alone (the event must have a `type`)."""
    return event_check(event_definition(event.get("type")))(event)


def detailed_event_schema_errors(event: dict[str, Any]) -> list[ValidationError]:
    """jsonschema's errors for the event (the event must have a `type`); empty when it is valid."""
    return list(_event_validator(event_definition(event.get("type"))).iter_errors(event))


def event_schema_problems(event: dict[str, Any], path_prefix: str = "") -> list[Problem]:
    """Schema problems of one event, checked against the definition for its `type`."""
    event_type = event.get("type")
    if "type" not in event:
        return explain_errors([], path_prefix, "event", missing_type=True)
    definition = event_definition(event_type)
    if event_check(definition)(event):
        return []  # the fast check says valid: nothing to explain
    errors = _event_validator(definition).iter_errors(event)
    what = event_type if isinstance(event_type, str) and event_type in EVENT_TYPES else "event"
    return explain_errors(errors, path_prefix, what)


def envelope_schema_problems(envelope: dict[str, Any], kind: str) -> list[Problem]:
    """Schema problems of a document whose event list has been taken out (streamed separately)."""
    errors = _validator(DOCUMENT_DEFINITIONS[kind]).iter_errors(envelope)
    return explain_errors(errors, "", kind)


def query_schema_problems(query: dict[str, Any]) -> list[Problem]:
    """Problems of an EPCIS REST query definition, against the query schema of the REST binding."""
    errors = _validator("EPCIS-Query", query=True).iter_errors(query)
    return explain_errors(errors, "", "query", rule="query-schema")
