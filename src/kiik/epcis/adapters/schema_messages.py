"""JSON Schema errors turned into problems a person can act on.

jsonschema says "'transforming' is not valid under any of the given schemas"; a person wants to
hear that 'transforming' is no CBV business step, where it is, and what to write instead. Each
error is mapped to the path of the field at fault (for a missing or unexpected field, the field's
own path) and a sentence saying what to do.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from kiik.epcis.adapters.problems import Problem, json_path
from kiik.epcis.adapters.schema_files import epcis_schema, inlined_schema

_REQUIRED = re.compile(r"^(.*) is a required property$")

_HINTS = {
    "@context": "the JSON-LD context, normally 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'",
    "eventTime": "when the event happened, e.g. '2026-07-22T06:45:00.000+05:00'",
    "eventTimeZoneOffset": "the local UTC offset where it happened, e.g. '+05:00'",
    "action": "ADD, OBSERVE or DELETE",
    "type": "the event or document type",
    "schemaVersion": "'2.0'",
    "creationDate": "when the document was made, e.g. '2026-07-22T06:45:00Z'",
    "declarationTime": "when the error was declared",
    "epcClass": "the class (GTIN or lot) the quantity is of",
}

_VOCABULARIES = {
    "bizStep": ("a CBV 2.0 business step", "'commissioning', 'shipping', 'receiving'"),
    "disposition": ("a CBV 2.0 disposition", "'active', 'in_transit', 'in_progress'"),
    "bizTransaction-type": ("a CBV 2.0 business transaction type", "'po', 'desadv', 'inv'"),
    "source-dest-type": (
        "a CBV 2.0 source/destination type",
        "'owning_party', 'possessing_party', 'location'",
    ),
    "error-reason": ("a CBV 2.0 error reason", "'did_not_occur', 'incorrect_data'"),
    "measurementType": ("a GS1 measurement type", "'Temperature', 'Mass', 'Length'"),
    "sensorAlertType": ("a GS1 sensor alert type", "'ALARM_CONDITION', 'ERROR_CONDITION'"),
    "component": ("a CBV 2.0 component", "'x', 'y', 'northing'"),
    "eventType": (
        "an EPCIS event type",
        "'ObjectEvent', 'AggregationEvent', 'TransformationEvent', 'TransactionEvent', 'AssociationEvent'",
    ),
}


@cache
def _special_schemas() -> dict[int, str]:
    """Sub-schemas recognised by identity: the validator resolves `$ref`s into these very dicts."""
    definitions = epcis_schema()["definitions"]
    inlined = inlined_schema()
    found: dict[int, str] = {}
    for name in _VOCABULARIES:
        if name in definitions:
            found[id(definitions[name])] = name
            found[id(inlined.definition(name))] = name
    found[id(definitions["ObjectEvent"]["allOf"][3])] = "ilmd-needs-add"
    found[id(inlined.definition("ObjectEvent")["allOf"][3])] = "ilmd-needs-add"
    return found


def _container(parts: list[str | int], what: str) -> str:
    for part in reversed(parts):
        if isinstance(part, str):
            return f"'{part}'"
    return {"event": "an event", "query": "a query"}.get(
        what, f"an {what}" if what[0] in "AEIOU" else f"a {what}"
    )


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    if error.context:
        for child in error.context:
            yield from _leaves(child)
    else:
        yield error


def _in_property_names(error: ValidationError) -> bool:
    return "propertyNames" in error.relative_schema_path


def _vocabulary_message(name: str, value: object) -> str:
    noun, examples = _VOCABULARIES[name]
    text = f"{value!r} is neither {noun} nor a URI. Use a standard word such as {examples}, or a full URI"
    if isinstance(value, str) and (value.startswith("urn:epcglobal:cbv:") or "gs1.org/cbv/" in value):
        return text + "; in JSON-LD the CBV words are written bare (e.g. 'shipping'), not as CBV URIs."
    return text + " of your own vocabulary (kiik's own words start with 'urn:kiik:')."


def _unexpected_keys(error: ValidationError) -> list[str]:
    allowed = set(error.schema.get("properties", {}))
    patterns = [re.compile(p) for p in error.schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [k for k in instance if k not in allowed and not any(p.search(k) for p in patterns)]


def _explain(
    error: ValidationError, parts: list[str | int], what: str
) -> list[tuple[list[str | int], str, bool]]:
    """(path parts, message, generic?) for one error; a generic one yields to specific ones at its place."""
    value = error.instance
    keyword = error.validator
    container = _container(parts, what)
    if _in_property_names(error):
        key = str(value)
        hint = f"for example 'example:{key}'" if ":" not in key else "with a prefix that is a URI scheme"
        return [
            (
                [*parts, key],
                f"'{key}' is not a field that {container} can have. A field of your own must be written as "
                f"prefix:name ({hint}) with the prefix declared in @context.",
                False,
            )
        ]
    special = _special_schemas().get(id(error.schema))
    if keyword == "required":
        name = _required_name(error)
        hint_text = _HINTS.get(name)
        return [
            (
                [*parts, name],
                f"'{name}' is missing; {container} requires it" + (f" ({hint_text})." if hint_text else "."),
                False,
            )
        ]
    if keyword == "additionalProperties":
        return [
            ([*parts, key], _unexpected_message(key, container, error), False)
            for key in _unexpected_keys(error)
        ]
    if keyword in ("anyOf", "oneOf"):
        return _explain_alternatives(error, parts, what, special)
    if keyword == "format" and parts and parts[-1] == "type" and len(parts) == 1 and what == "event":
        return [(parts, _vocabulary_message("eventType", value), False)]
    return [(parts, _simple_message(error, parts), False)]


def _unexpected_message(key: str, container: str, error: ValidationError) -> str:
    allowed = list(error.schema.get("properties", {}))
    if len(allowed) <= 12:
        return f"'{key}' is not allowed in {container}; the fields allowed are: {', '.join(allowed)}."
    close = difflib.get_close_matches(key, allowed, n=1)
    return f"'{key}' is not allowed in {container}" + (f"; did you mean '{close[0]}'?" if close else ".")


def _required_name(error: ValidationError) -> str:
    match = _REQUIRED.match(error.message)
    return str(ast.literal_eval(match.group(1))) if match else str(error.validator_value)


def _explain_alternatives(
    error: ValidationError, parts: list[str | int], what: str, special: str | None
) -> list[tuple[list[str | int], str, bool]]:
    value = error.instance
    if special == "ilmd-needs-add" and isinstance(value, dict):
        if "ilmd" not in value or value.get("action") not in ("OBSERVE", "DELETE"):
            return []  # an action that is no action at all is reported by its own enum error
        return [
            (
                [*parts, "ilmd"],
                "ilmd (instance/lot master data) may only be given when action is ADD; "
                f"this event's action is "
                f"{value.get('action')!r}.",
                False,
            )
        ]
    if special in _VOCABULARIES:
        return [(parts, _vocabulary_message(special, value), False)]
    leaves = list(_leaves(error))
    if leaves and all(leaf.validator == "required" for leaf in leaves):
        branches: dict[object, list[str]] = {}
        for leaf in leaves:
            branch = branches.setdefault(leaf.absolute_schema_path[len(error.absolute_schema_path)], [])
            if _required_name(leaf) not in branch:
                branch.append(_required_name(leaf))
        choices = "; ".join(" with ".join(names) for names in branches.values())
        return [(parts, f"{_container(parts, what)} needs at least one of: {choices}.", False)]
    best = best_match(error.context or [error])
    if best is error:
        return [(parts, _simple_message(error, parts), True)]
    deeper = [*parts, *best.relative_path]
    return [(path, message, True) for path, message, _ in _explain(best, deeper, what)]


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _first_repeated(values: list[Any]) -> Any:
    seen: list[Any] = []
    for value in values:
        if value in seen:
            return value
        seen.append(value)
    return None


def _simple_message(error: ValidationError, parts: list[str | int]) -> str:
    value, keyword, expected = error.instance, error.validator, error.validator_value
    field = next((p for p in reversed(parts) if isinstance(p, str)), "this value")
    if keyword == "enum":
        choices = ", ".join(repr(c) for c in expected[:12]) + (", ..." if len(expected) > 12 else "")
        return f"{value!r} is not allowed for {field}; use one of {choices}."
    if keyword == "format" and expected == "date-time":
        return (
            f"{value!r} is not a valid date-time; write it as RFC 3339 with a time zone, "
            "e.g. '2026-07-22T06:45:00.000+05:00' or '2026-07-22T01:45:00Z'."
        )
    if keyword == "format" and expected == "uri":
        return f"{value!r} is not a URI; it needs a scheme, as in 'urn:epc:id:sgtin:...' or 'https://...'."
    if keyword == "type":
        wanted = " or ".join(expected) if isinstance(expected, list) else expected
        article = "an" if str(wanted)[0] in "aeiou" else "a"
        return f"{field} must be {article} {wanted}, but {value!r} is {_json_type(value)}."
    if keyword == "pattern" and field == "eventTimeZoneOffset":
        return f"{value!r} is not a UTC offset; write it as '+05:00' or '-06:00' (from -14:00 to +14:00)."
    if keyword == "pattern" and field == "schemaVersion":
        return f"{value!r} is not a version number; write '2.0'."
    if keyword == "minItems":
        return f"{field} must not be empty."
    if keyword == "uniqueItems":
        return f"{field} lists {_first_repeated(value)!r} more than once; list each item once."
    if keyword == "not" and expected == {}:
        return f"{field} is not allowed here."
    return f"{field}: {error.message}."


def explain_errors(
    errors: Iterable[ValidationError],
    path_prefix: str,
    what: str,
    *,
    missing_type: bool = False,
    rule: str = "schema",
) -> list[Problem]:
    """Problems for the errors of one instance; `path_prefix` places them in their document."""
    found: list[tuple[list[str | int], str, bool]] = []
    if missing_type:
        found.append(
            (["type"], f"'type' is missing; an event needs one ({_VOCABULARIES['eventType'][1]}).", False)
        )
    for error in errors:
        found.extend(_explain(error, list(error.relative_path), what))
    specific = [json_path(path) for path, _, generic in found if not generic]
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for path, message, generic in found:
        local = json_path(path)
        if generic and any(s == local or s.startswith(local) for s in specific):
            continue
        full = json_path(path, path_prefix) or "$"
        if (full, message) not in seen:
            seen.add((full, message))
            problems.append(Problem(full, rule, message))
    return problems
