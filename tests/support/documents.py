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
