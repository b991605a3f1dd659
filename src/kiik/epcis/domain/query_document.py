"""The JSON-LD EPCISQueryDocument of a query's events: one `@context` for the whole document.

Each event was captured with its own context: GS1's, and the prefixes of its extensions. Repeated
per event inside a document that has GS1's context already, it would redefine GS1's protected
terms, which a JSON-LD processor refuses; so the document states them once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kiik.epcis.domain.event_builders import EPCIS_CONTEXT


def shared_context(events: list[dict[str, Any]]) -> tuple[list[Any], list[dict[str, Any]]]:
    """One `@context` for a query document, and its events without theirs.

    Each event was captured with its own context: GS1's, and the prefixes of its extensions. Repeated
    per event inside a document that has GS1's context already, it would redefine GS1's protected
    terms, which a JSON-LD processor refuses. So GS1's context and every prefix the events define go
    to the document, once; an event keeps only what clashes with another's (a prefix bound to
    another namespace) or names another remote context, never GS1's again."""
    prefixes: dict[str, Any] = {}
    bare = []
    for event in events:
        own = event.get("@context")
        rest = {k: v for k, v in event.items() if k != "@context"}
        if own is None:
            bare.append(rest)
            continue
        parts = own if isinstance(own, list) else [own]
        defined = {k: v for part in parts if isinstance(part, dict) for k, v in part.items()}
        remote = [part for part in parts if isinstance(part, str) and part != EPCIS_CONTEXT]
        if remote or any(k in prefixes and prefixes[k] != v for k, v in defined.items()):
            kept = [*remote, *([defined] if defined else [])]
            bare.append({"@context": kept, **rest} if kept else rest)
            continue
        prefixes.update(defined)
        bare.append(rest)
    return [EPCIS_CONTEXT, *([prefixes] if prefixes else [])], bare


def query_document(
    events: list[dict[str, Any]], query_name: str | None = None, subscription_id: str | None = None
) -> dict[str, Any]:
    """An EPCISQueryDocument holding the events of one query page (SimpleEventQuery unless named), or
    of one delivery to a subscription."""
    context, events = shared_context(events)
    results: dict[str, Any] = {"queryName": query_name or "SimpleEventQuery"}
    if subscription_id is not None:
        results["subscriptionID"] = subscription_id
    results["resultsBody"] = {"eventList": events}
    return {
        "@context": context,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "epcisBody": {"queryResults": results},
    }
