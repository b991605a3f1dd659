"""A fast yes/no answer to "is this event valid against the EPCIS JSON Schema?".

jsonschema walks the schema afresh for every event and builds a validator object at every step,
which costs about 250 µs for a commissioning event. fastjsonschema turns each per-type definition
(the inlined form of `schema_inline`, so no `$ref` lookups) into straight-line Python once;
an event then takes a few tens of µs. It only says valid or not: when it says not, the caller runs
the jsonschema path, which says what is wrong and where in the words of `schema_messages`.

The two must never disagree on a valid event, so:

* the `uri` and `date-time` formats call the very checks jsonschema's FormatChecker uses here
  (`rfc3987` and `rfc3339_validator`, through the same cached functions); no other format is
  checked, as with jsonschema's checker, and defaults are never filled in;
* fastjsonschema reads a final `$` in a pattern as the very end of the string, where Python's
  `re` (which jsonschema uses as it is) also matches before a final newline; such patterns are
  given to it with that `$` spelt out;
* a few rewrites that keep the meaning make the generated code cheaper: a list of words (`enum`
  of strings) becomes one set look-up, registered as a format, and the failure messages of
  branches that are only tried (`anyOf`, `not`, `if`, `propertyNames`) are not formatted;
* anything unexpected from the generated code counts as "not sure", never as valid.

Wherever fastjsonschema might still be stricter than jsonschema, the event merely takes the slow
path, which has the last word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema
from fastjsonschema import JsonSchemaException

from kiik.epcis.adapters.schema_files import format_checks, inlined_schema

_WORDS_FORMAT = "kiik-words-{}"
# `"...".format(**locals())` builds the path of a failing value inside a list; the message of a
# tried branch is thrown away, and locals() of the generated function holds hundreds of names.
_FORMATTED_NAME = re.compile(r'"\.format\(\*\*locals\(\)\)')

_END = r"(?=\n?\Z)"  # what `$` means in a Python regex without MULTILINE

_TYPE_ORDER = {"array": 0, "object": 1}

Check = Callable[[Any], bool]


def _forbids(node: Any) -> bool:
    """The node says `not` somewhere inside it."""
    if isinstance(node, dict):
        return "not" in node or any(_forbids(value) for value in node.values())
    if isinstance(node, list):
        return any(_forbids(item) for item in node)
    return False


def _one_type_each(branches: list[Any]) -> bool:
    """Each branch names one JSON type of its own (no two alike), so at most one can fit a value."""
    types = [branch.get("type") if isinstance(branch, dict) else None for branch in branches]
    return all(isinstance(t, str) for t in types) and len(set(types)) == len(types)


class _Rewriter:
    """The definition with its word lists turned into set look-ups (as custom formats)."""

    def __init__(self, formats: dict[str, Check]) -> None:
        self.formats = formats
        self._by_words: dict[frozenset[str], str] = {}

    def rewrite(self, node: Any, *, data: bool = False) -> Any:
        if data:
            return node
        if isinstance(node, list):
            return [self.rewrite(item) for item in node]
        if not isinstance(node, dict):
            return node
        result = {
            key: self.rewrite(value, data=key in ("enum", "const", "required", "default", "examples"))
            for key, value in node.items()
        }
        pattern = result.get("pattern")
        if isinstance(pattern, str) and pattern.endswith("$") and not pattern.endswith("\\$"):
            # fastjsonschema reads `$` as the very end; Python's (and jsonschema's) `$` also
            # matches before a final newline. Said without `$`, the two read it alike.
            result["pattern"] = pattern[:-1] + _END
        branches = result.get("anyOf")
        if isinstance(branches, list) and _one_type_each(branches):
            # Exactly one branch can fit a value; lists and objects go first, as their branches
            # are the expensive ones to fail (a string fails a list's branch at once).
            result["anyOf"] = sorted(branches, key=lambda branch: _TYPE_ORDER.get(branch["type"], 2))
        elif isinstance(branches, list):
            # Branches that forbid a field (`not`) are the exceptions ("ilmd only with ADD"): an
            # ordinary event fits the plain branch, so that one is tried first. Order never
            # changes what anyOf accepts, only how many branches fail before one fits.
            result["anyOf"] = sorted(branches, key=_forbids)
        values = result.get("enum")
        if (
            isinstance(values, list)
            and values
            and all(isinstance(value, str) for value in values)
            and "format" not in result
            and result.get("type", "string") == "string"
        ):
            # An enum of strings accepts exactly the strings listed: a string, and one of the set.
            del result["enum"]
            result["type"] = "string"
            result["format"] = self._words_format(frozenset(values))
        return result

    def _words_format(self, words: frozenset[str]) -> str:
        name = self._by_words.get(words)
        if name is None:
            name = _WORDS_FORMAT.format(len(self._by_words))
            self._by_words[words] = name
            self.formats[name] = words.__contains__
        return name


def compile_check(definition: dict[str, Any], formats: dict[str, Check]) -> Check:
    """True when `instance` is valid against `definition` (a schema without `$ref`s)."""
    all_formats = dict(formats)
    schema = _Rewriter(all_formats).rewrite(definition)
    code = fastjsonschema.compile_to_code(
        schema, formats=all_formats, use_default=False, detailed_exceptions=False
    )
    code = _FORMATTED_NAME.sub('"', code)
    namespace: dict[str, Any] = {}
    exec(compile(code, "<epcis fast schema>", "exec"), namespace)  # noqa: S102 - code generated here
    validate = namespace["validate"]

    def check(instance: Any) -> bool:
        try:
            validate(instance, all_formats)
        except JsonSchemaException:
            return False
        except Exception:  # noqa: BLE001 - "not sure": the detailed path decides
            return False
        return True

    return check


@cache
def event_check(definition_name: str) -> Check:
    """The fast check for one event definition (`ObjectEvent`, ..., `Extended-Event`)."""
    return compile_check(inlined_schema().definition(definition_name), format_checks())
