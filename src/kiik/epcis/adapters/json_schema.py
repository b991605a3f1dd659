"""The ratified EPCIS 2.0.1 JSON Schema (and the REST binding's query schema), compiled once.

Events are validated one at a time against the definition for their type (`ObjectEvent`,
`AggregationEvent`, ...), which is what the document schema does for each item of its event list,
so a document of any size is checked in bounded memory. The envelope (the document without its
events) is validated against `epcisDocument` / `epcisQueryDocument` with an empty event list.

Format checks for `date-time` and `uri` are on (without them several invalid documents pass; see
`schema_files`).

An event is first put to the fast check of `schema_fast` (fastjsonschema, same formats);
jsonschema runs only for an event that check rejects, to say what is wrong and where.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from jsonschema import Draft7Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from kiik.epcis.adapters.problems import EVENT_TYPES, Problem
from kiik.epcis.adapters.schema_fast import event_check
from kiik.epcis.adapters.schema_files import epcis_schema, format_checks, inlined_schema, load_schema_file
from kiik.epcis.adapters.schema_messages import explain_errors

DOCUMENT_DEFINITIONS = {"EPCISDocument": "epcisDocument", "EPCISQueryDocument": "epcisQueryDocument"}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checks = format_checks()
    checker.checks("uri")(lambda value: not isinstance(value, str) or checks["uri"](value))
    checker.checks("date-time")(lambda value: not isinstance(value, str) or checks["date-time"](value))
    return checker


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


def _unescaped_patterns(schema: Any) -> Any:
    """The query schema with its parameter-name patterns escaped once, as GS1 meant them.

    GS1's file escapes them twice (`\\\\:\\\\w+` in JSON, a backslash then `w+` as a regex), so no
    `EQ_prefix:field` name would ever match it and every extension parameter would be refused."""
    if isinstance(schema, dict):
        return {
            key: {name.replace("\\\\", "\\"): _unescaped_patterns(v) for name, v in value.items()}
            if key == "patternProperties"
            else _unescaped_patterns(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_unescaped_patterns(item) for item in schema]
    return schema


@cache
def _registry() -> tuple[Registry[Any], str, str]:
    epcis = epcis_schema()
    query = _unescaped_patterns(load_schema_file("epcis_query_schema.json"))
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


@cache
def _query_schema_names() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    schema = _unescaped_patterns(load_schema_file("epcis_query_schema.json"))["definitions"]["EPCIS-Query"]
    return frozenset(schema["properties"]), tuple(re.compile(p) for p in schema["patternProperties"])


def _plain_value(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def query_schema_problems(
    query: dict[str, Any], *, also_known: Callable[[str], bool] | None = None
) -> list[Problem]:
    """Problems of an EPCIS REST query definition, against the REST binding's query schema.

    The binding's OpenAPI types a named query's `query` as any object and points to GS1's query
    schema, which names fewer parameters than the query language of EPCIS 2.0 section 8.2.7.1
    (no `HASATTR_bizLocation`, `EQATTR_`, `EQ_uom`, `GE_value` without a unit, ...). A parameter GS1's
    schema names is checked against it; one it does not name but `also_known` accepts (the query
    language's parser, which then reads it as it reads GET /epcis/events) is only required to hold a
    plain value or a list of them; any other is refused by GS1's schema, naming it.
    """
    names, patterns = _query_schema_names()
    checked: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, value in query.items():
        if (
            name in names
            or any(p.search(name) for p in patterns)
            or also_known is None
            or not also_known(name)
        ):
            checked[name] = value
            continue
        values = value if isinstance(value, list) else [value]
        if not all(_plain_value(v) for v in values):
            problems.append(
                Problem(
                    f"/{name}",
                    "query-schema",
                    f"{name}: give a string, a number, a boolean or a list of them (as the query string "
                    "of GET /epcis/events would), not an object or a nested list",
                )
            )
    errors = _validator("EPCIS-Query", query=True).iter_errors(checked)
    return explain_errors(errors, "", "query", rule="query-schema") + problems
