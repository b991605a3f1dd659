"""The JSON side of the reader: stream the events, validate each, then validate the envelope."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from kiik.epcis.adapters.event_check import validate_event
from kiik.epcis.adapters.json_schema import (
    DOCUMENT_DEFINITIONS,
    envelope_schema_problems,
    query_schema_problems,
)
from kiik.epcis.adapters.json_stream import (
    JsonDocumentStream,
    JsonSyntaxProblem,
    context_terms,
    normalise_simple_envelope,
    normalise_simple_event,
    with_document_context,
)
from kiik.epcis.adapters.problems import EVENT_TYPES, DocumentEvent, Problem

QUERY_KIND = "EPCIS-Query"
_QUERY_PARAMETER = re.compile(
    r"^(eventType|orderBy|orderDirection|eventCountLimit|maxEventCount|"
    r"(GE|GT|LE|LT|EQ|WD|MATCH|EXISTS|HASATTR)_\w+)$"
)


def json_document_events(
    stream: IO[bytes], state: dict[str, Any], problems: list[Problem], now: datetime | None
) -> Iterator[DocumentEvent]:
    """Each event of a JSON document with its problems; the document's own problems go to `problems`."""
    document = JsonDocumentStream(stream)
    index = 0
    terms: dict[str, Any] | None = None
    simple = False
    try:
        for list_path, raw in document.raw_events():
            state["kind"] = document.kind
            if terms is None:  # the context is known from the first event on, and stays
                terms = context_terms(document.context)
                simple = document.simple_context
            event = raw
            if isinstance(raw, dict):
                event = normalise_simple_event(raw) if simple else raw
                event = with_document_context(event, terms)
            found = validate_event(event, index=index, path_prefix=f"{list_path}[{index}]", now=now)
            yield DocumentEvent(index, event if isinstance(event, dict) else {}, found)
            index += 1
    except JsonSyntaxProblem as error:
        state["kind"] = document.kind
        problems.append(
            Problem(
                error.path or "$",
                "json",
                f"The file is not well-formed JSON: {error.reason}. Nothing after this point can be read.",
            )
        )
        return
    state["kind"] = document.kind
    problems.extend(_envelope_problems(document, state, now))


def _envelope_problems(
    document: JsonDocumentStream, state: dict[str, Any], now: datetime | None
) -> list[Problem]:
    envelope = document.envelope
    if not isinstance(envelope, dict):
        return [
            Problem(
                "$",
                "json",
                f"An EPCIS document is a JSON object; this file holds a {type(envelope).__name__}.",
            )
        ]
    kind = envelope.get("type")
    if kind in DOCUMENT_DEFINITIONS:
        if document.simple_context:
            envelope = normalise_simple_envelope(envelope)
        return envelope_schema_problems(envelope, kind)
    if kind in EVENT_TYPES:
        single = validate_event(envelope, standalone=True, now=now)
        return [
            Problem(
                "$",
                "document",
                f"This is a single {kind}, not an EPCIS document: send it to "
                "POST /events, or wrap it in an EPCISDocument's epcisBody.eventList.",
            ),
            *single,
        ]
    if "type" not in envelope and any(_QUERY_PARAMETER.match(key) for key in envelope):
        state["kind"] = QUERY_KIND
        return [
            Problem(
                "$",
                "document",
                "This is an EPCIS query definition (the parameters of a query of "
                "the REST binding), not an EPCISDocument or EPCISQueryDocument; it holds no events.",
            ),
            *query_schema_problems(envelope),
        ]
    if "type" not in envelope:
        return [
            Problem(
                "type",
                "schema",
                "'type' is missing; an EPCIS document says \"type\": "
                '"EPCISDocument" (or "EPCISQueryDocument" for query results).',
            )
        ]
    return [
        Problem(
            "type",
            "schema",
            f'{kind!r} is not an EPCIS JSON document type; use "EPCISDocument" '
            '(or "EPCISQueryDocument" for query results).',
        )
    ]
