"""Validation of one EPCIS event in JSON-LD form: the JSON Schema first, then the semantic rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiik.epcis.adapters.json_schema import event_schema_problems
from kiik.epcis.adapters.problems import Problem, json_path, with_event
from kiik.epcis.adapters.semantics import semantic_problems

# How deep an event may nest (objects and lists inside each other). GS1's events and their usual
# extensions need fewer than ten; a document thousands of levels deep would only exhaust the
# recursion of whatever reads it later (validators, encoders, the query output).
MAX_NESTING = 32


def nesting(value: object) -> int:
    """How deep `value` nests, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_NESTING:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def event_id_of(event: object) -> str | None:
    value = event.get("eventID") if isinstance(event, dict) else None
    return value if isinstance(value, str) else None


def validate_event(
    event: Any,
    *,
    index: int = 0,
    path_prefix: str = "",
    standalone: bool | None = None,
    now: datetime | None = None,
) -> list[Problem]:
    """JSON Schema and semantic problems of ONE event in JSON-LD form (empty when it is valid).

    `standalone` (default: when there is no `path_prefix`) means the event was sent on its own,
    so it must carry its own `@context`. `now` fixes the clock for the future-time rule.
    """
    if not isinstance(event, dict):
        kind = type(event).__name__
        return with_event(
            [Problem(path_prefix or "$", "schema", f"An event must be a JSON object, not a {kind}.")],
            index,
            None,
        )
    if nesting(event) > MAX_NESTING:
        message = f"The event nests more than {MAX_NESTING} levels deep; kiik takes at most {MAX_NESTING}."
        return with_event([Problem(path_prefix or "$", "event.too_deep", message)], index, event_id_of(event))
    problems = event_schema_problems(event, path_prefix)
    alone = not path_prefix if standalone is None else standalone
    if alone and "@context" not in event:
        problems.insert(
            0,
            Problem(
                json_path(["@context"], path_prefix),
                "schema",
                "An event sent on its own must carry '@context' (normally "
                "'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', "
                "plus any prefixes it uses).",
            ),
        )
    if not problems:
        problems = semantic_problems(event, path_prefix=path_prefix, now=now)
    return with_event(problems, index, event_id_of(event))
