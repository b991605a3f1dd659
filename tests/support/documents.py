"""Capture helpers for tests: documents built in memory go through the real reader and service."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kiik.bootstrap.registry import Registry
from kiik.custody.services.capture import CaptureOutcome, capture_events
from kiik.directory.domain.permissions import Principal
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.domain import event_builders as build


def capture(
    registry: Registry, principal: Principal, events: Sequence[dict[str, Any]] | bytes, rules: bool = True
) -> CaptureOutcome:
    data = events if isinstance(events, bytes) else json.dumps(build.document(events)).encode()
    reader = open_capture_document(data)
    return capture_events(
        registry.uow(),
        principal,
        reader.events(),
        custody_rules=rules,
        yields=registry.settings.yields,
        document_problems=reader.document_problems,
    )


def rules_of(outcome: CaptureOutcome) -> list[str]:
    return [e["rule"] for e in outcome.errors]


def listed_events(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The events of a query document, each with the context it has there: the document's, then its
    own (a query answer states GS1's context and the extensions' prefixes once, for the document)."""
    shared = document.get("@context", [])
    shared = shared if isinstance(shared, list) else [shared]
    found = []
    for event in document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]:
        own = event.get("@context", [])
        found.append({**event, "@context": [*shared, *(own if isinstance(own, list) else [own])]})
    return found
