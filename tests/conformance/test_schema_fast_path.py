"""The fast schema check (fastjsonschema) and the detailed one (jsonschema) agree on every event.

An event the fast check passes is never shown to jsonschema, so a disagreement would let an
invalid event through (or, the other way round, only cost time). Checked on every event of every
JSON reference document, valid and invalid, and on a few thousand variants of them, each with one
field changed, dropped or added.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiik.epcis.adapters.json_schema import detailed_event_schema_errors, fast_event_schema_valid
from kiik.epcis.adapters.problems import EVENT_TYPES
from kiik.epcis.adapters.reader import open_document

EPCIS = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "epcis"
JSON_DOCUMENTS = sorted(
    path
    for folder in ("gs1-EPCIS/JSON", "gs1-EPCIS/JSON-simple-context", "openepcis-test-resources")
    for pattern in ("**/*.json", "**/*.jsonld")
    for path in (EPCIS / folder).glob(pattern)
    if path.is_file()
)


def _events(path: Path) -> list[dict[str, Any]]:
    """The events of a document as the reader validates them (normalised, with their context)."""
    with open_document(path) as reader:
        found = [item.event for item in reader.events() if item.event]
    try:
        whole = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return found
    if isinstance(whole, dict) and whole.get("type") in EVENT_TYPES:
        found.append(whole)  # a bare event: the reader validates the document itself as one
    return found


def _agree(event: dict[str, Any]) -> None:
    if "type" not in event:
        return  # reported without either schema check
    fast = fast_event_schema_valid(event)
    detailed = detailed_event_schema_errors(event)
    assert fast == (not detailed), (
        f"fast check says {'valid' if fast else 'invalid'}, jsonschema says "
        f"{[e.message for e in detailed] or 'valid'} for {json.dumps(event)[:400]}"
    )


def test_reference_folder_is_present() -> None:
    assert EPCIS.is_dir(), f"the EPCIS reference folder is missing: expected {EPCIS}"
    assert len(JSON_DOCUMENTS) >= 80


@pytest.mark.parametrize("path", JSON_DOCUMENTS, ids=lambda p: p.relative_to(EPCIS).as_posix())
def test_fast_and_detailed_schema_checks_agree_on_reference_events(path: Path) -> None:
    for event in _events(path):
        _agree(event)


_REPLACEMENTS: list[Any] = [
    None,
    True,
    0,
    -1.5,
    "",
    "ADD",
    "not a uri",
    "urn:epc:id:sgtin:4012345.011111.1",
    "https://example.com/x",
    "2026-07-22T06:45:00.000+05:00",
    "2026-07-22 06:45",
    "+05:00",
    "shipping",
    [],
    ["urn:epc:id:sgtin:4012345.011111.1", "urn:epc:id:sgtin:4012345.011111.1"],
    ["x"],
    {},
    {"id": "urn:epc:id:sgln:4012345.00001.0"},
    {"bad key": 1},
]


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path inside a JSON value, to depth 4."""
    if len(path) >= 4:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from _places(item, (*path, index))


def _changed(event: dict[str, Any], path: tuple[Any, ...], change: str, new: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(event))
    holder = copy
    for part in path[:-1]:
        holder = holder[part]
    last = path[-1]
    if change == "drop":
        del holder[last]
    elif change == "add" and isinstance(holder[last], dict):
        holder[last][new] = "x"
    else:
        holder[last] = new
    return dict(copy)


def _variants(events: list[dict[str, Any]], count: int, seed: int) -> Iterator[dict[str, Any]]:
    chosen = random.Random(seed)
    places = [(event, path) for event in events for path in _places(event) if path != ("type",)]
    for _ in range(count):
        event, path = chosen.choice(places)
        roll = chosen.random()
        if roll < 0.1:
            yield _changed(event, path, "drop", None)
        elif roll < 0.2:
            yield _changed(event, path, "add", chosen.choice(["weight", "ex:weight", "eventTime"]))
        else:
            yield _changed(event, path, "set", chosen.choice(_REPLACEMENTS))


def test_fast_and_detailed_schema_checks_agree_on_changed_events() -> None:
    events = [event for path in JSON_DOCUMENTS for event in _events(path) if "type" in event]
    assert len(events) >= 100
    for variant in _variants(events, 4000, seed=20260722):
        _agree(variant)
