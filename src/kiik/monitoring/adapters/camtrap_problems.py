"""A Camtrap DP package's validation problems, worded by kiik: each error the validating libraries
report (frictionless for the tables, jsonschema for the profile) is read by its type and its values
(the table, row, field, cell, constraint) and becomes a sentence of the pages' catalogs placed at
its table, row and field (`kiik.errors.at`). An error of a type not listed here keeps the library's
own English note as a detail.

The table checks run in a worker process, so an error travels as a record of plain values
(`record_of`), JSON that the importing process words (`worded`).
"""

from __future__ import annotations

import ast
import re
from typing import Any

from kiik.errors import N_, Wording, at

DESCRIPTOR = "datapackage.json"
_CONSTRAINT = re.compile(r'^constraint "(\w+)" is "(.*)"$', re.DOTALL)
_TYPE = re.compile(r'^type is "(\w+)/(.+)"$')
_OTHER_ROW = re.compile(r"row at position (\d+)")

# A cell that is not of its field's type, by type.
TYPES = {
    "number": N_("%(value)s is not a number"),
    "integer": N_("%(value)s is not a whole number"),
    "boolean": N_("%(value)s is not true or false"),
    "date": N_("%(value)s is not a date (YYYY-MM-DD)"),
    "datetime": N_("%(value)s is not a date and time (e.g. 2024-05-30T04:57:37+02:00)"),
    "time": N_("%(value)s is not a time of day (HH:MM:SS)"),
    "year": N_("%(value)s is not a year"),
}
OTHER_TYPE = N_("%(value)s is not of the type %(type)s (format %(format)s)")

# A cell that breaks a constraint of its field, by constraint.
CONSTRAINTS = {
    "required": N_("a value is required"),
    "enum": N_("%(value)s is not one of %(allowed)s"),
    "minimum": N_("%(value)s is below the minimum %(limit)s"),
    "maximum": N_("%(value)s is above the maximum %(limit)s"),
    "minLength": N_("%(value)s is shorter than %(limit)s characters"),
    "maxLength": N_("%(value)s is longer than %(limit)s characters"),
    "pattern": N_("%(value)s does not match the pattern %(limit)s"),
}
OTHER_CONSTRAINT = N_("%(value)s breaks the constraint %(constraint)s (%(limit)s)")

# What frictionless reports, by its error type: a sentence filled from the record (`_values`).
ERRORS = {
    "missing-cell": N_("the cell is missing: the row has fewer values than the header"),
    "extra-cell": N_("an extra value in column %(position)s: the row has more values than the header"),
    "unique-error": N_("%(value)s is on row %(other)s already: each value of this field is unique"),
    "primary-key": N_("the row's key is that of row %(other)s: each row has its own"),
    "foreign-key": N_("%(value)s is not a %(reference_field)s of the table %(reference)s"),
    "blank-row": N_("the row is blank: remove it"),
    "duplicate-row": N_("the row repeats row %(other)s: remove one"),
    "missing-label": N_("the header lacks the column %(field)s of the table schema"),
    "extra-label": N_("the header's column %(position)s, %(label)s, is not in the table schema"),
    "blank-label": N_("the header's column %(position)s has no name"),
    "duplicate-label": N_("the header names the column %(label)s twice"),
    "incorrect-label": N_(
        "the header's column %(position)s is %(label)s where the table schema has %(field)s"
    ),
    "blank-header": N_("the header is blank: the first line names the columns"),
    "unmatched-header": N_("the header names none of the table schema's fields"),
    "encoding-error": N_("the file is not UTF-8 text: save it as UTF-8"),
}
EMPTY_KEY = N_("the row's key is empty: each row has its own")
# Errors of the package, a table's schema or its file: what the library says is the detail.
STRUCTURE = {
    "schema-error": N_("the table schema is not usable: %(detail)s"),
    "field-error": N_("a field of the table schema is not usable: %(detail)s"),
    "package-error": N_("the package cannot be read: %(detail)s"),
    "resource-error": N_("the table cannot be read: %(detail)s"),
    "source-error": N_("the table's file cannot be read: %(detail)s"),
    "scheme-error": N_("the table's file cannot be opened: %(detail)s"),
    "format-error": N_("the table's file is not CSV: %(detail)s"),
}
OTHER = N_("the check %(type)s failed: %(detail)s")

# The descriptor against the Camtrap DP profile (jsonschema), by the rule it breaks.
PROFILE = {
    "required": N_("%(name)s is required"),
    "type": N_("%(value)s is not of the type %(type)s"),
    "enum": N_("%(value)s is not one of %(allowed)s"),
    "pattern": N_("%(value)s does not match the pattern %(limit)s"),
    "minimum": N_("%(value)s is below the minimum %(limit)s"),
    "maximum": N_("%(value)s is above the maximum %(limit)s"),
    "minItems": N_("needs at least %(limit)s entries"),
    "minLength": N_("%(value)s is shorter than %(limit)s characters"),
}
PROFILE_OTHER = N_("does not follow the Camtrap DP profile: %(detail)s")


def record_of(table: str, error: Any) -> dict[str, Any]:
    """A frictionless error as plain values (JSON for the worker): its type, table, row, field, cell,
    note and message, and for a foreign key the referenced table and field."""
    found = error.to_dict()
    return {
        "type": found.get("type", ""),
        "table": table,
        "row": found.get("rowNumber"),
        "field": found.get("fieldName") or ", ".join(found.get("fieldNames", [])),
        "position": found.get("fieldNumber"),
        "cell": found.get("cell", ", ".join(found.get("fieldCells", []))),
        "label": found.get("label"),
        "note": found.get("note", ""),
        "message": found.get("message", ""),
        "reference": found.get("referenceName"),
        "reference_field": ", ".join(found.get("referenceFieldNames", [])),
    }


def worded(record: dict[str, Any]) -> Wording:
    """A table's error (`record_of`) as kiik words it, placed at its table, row and field."""
    problem = _problem(record)
    place: dict[str, object] = {"table": record.get("table") or DESCRIPTOR}
    if record.get("row"):
        place["row"] = record["row"]
    if record.get("field"):
        place["field"] = record["field"]
    return at(problem, **place)


def _problem(record: dict[str, Any]) -> Wording:
    kind, note = record.get("type", ""), str(record.get("note") or "")
    value = repr(record.get("cell") or "")
    if kind == "type-error":
        typed = _TYPE.match(note)
        name, style = typed.groups() if typed else ("", "")
        sentence = TYPES.get(name, OTHER_TYPE)
        return sentence.filled(value=value, type=name or note, format=style)
    if kind == "constraint-error":
        broken = _CONSTRAINT.match(note)
        if broken is None:
            return OTHER.filled(type=kind, detail=note or record.get("message", ""))
        constraint, limit = broken.groups()
        sentence = CONSTRAINTS.get(constraint, OTHER_CONSTRAINT)
        return sentence.filled(value=value, constraint=constraint, limit=limit, allowed=_listed(limit))
    if kind == "primary-key" and _OTHER_ROW.search(note) is None:
        return EMPTY_KEY
    if kind in ERRORS:
        other = _OTHER_ROW.search(note)
        return ERRORS[kind].filled(
            value=value,
            other=other.group(1) if other else "?",
            position=record.get("position") or "?",
            label=repr(record.get("label") or ""),
            field=record.get("field") or "",
            reference=record.get("reference") or "",
            reference_field=record.get("reference_field") or "",
        )
    detail = note or str(record.get("message") or "")
    return STRUCTURE.get(kind, OTHER).filled(type=kind, detail=detail)


def _listed(text: str) -> str:
    """An enum's values as the library writes them (`['a', 'b']`), as `a, b`."""
    try:
        values = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return ", ".join(map(str, values)) if isinstance(values, list | tuple) else text


def profile_worded(error: Any) -> Wording:
    """A jsonschema error of the descriptor against the profile, placed at its path (the field)."""
    where = "/".join(str(p) for p in error.path)
    rule, limit, instance = error.validator, error.validator_value, error.instance
    if rule == "required" and isinstance(instance, dict) and isinstance(limit, list):
        missing = [name for name in limit if name not in instance]
        problem = PROFILE["required"].filled(name=", ".join(missing))
    elif rule in PROFILE and rule != "required":
        allowed = ", ".join(map(str, limit)) if isinstance(limit, list) else str(limit)
        problem = PROFILE[rule].filled(
            value=_short(repr(instance)), type=allowed, allowed=allowed, limit=allowed
        )
    else:
        problem = PROFILE_OTHER.filled(detail=_short(error.message))
    return at(problem, table=DESCRIPTOR, field=where) if where else at(problem, table=DESCRIPTOR)


def _short(message: str) -> str:
    return message if len(message) <= 300 else message[:297] + "..."
