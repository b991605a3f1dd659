"""The EPCIS Event Hash ID of CBV 2.0 section 8.9, computed from an event in its JSON-LD form.

The pre-hash string lists the event's fields in a canonical order, each value normalised (see
`event_hash_values`), lists sorted, extensions written as `{namespace}local=value`; its SHA-256
is the ID: `ni:///sha-256;<hex>?ver=CBV2.0`. XML events are hashed after conversion to the same
JSON-LD form (`kiik.epcis.adapters.xml`), so both syntaxes give one hash.

The order of fields follows the reference implementation, whose test vectors are the
expectation, where it differs from the table in its README: `parentID` before `epcList`,
`sensorElementList` before `bizTransactionList`, and `sourceList` sorted among the extension
fields at the end. Left out, as the reference does: `eventID`, `recordTime`, `errorDeclaration`,
comments (`rdfs:comment`), and fields a document lists under `ignoreFields`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from kiik.epcis.domain.event_hash_writer import COMMENT, Writer

__all__ = [
    "STANDARD_PREFIXES",
    "event_hash_id",
    "find_ignore_fields",
    "hash_id_of_prehash",
    "namespaces_from_context",
    "prehash_string",
]

# The prefixes the EPCIS 2.0 JSON-LD context defines; a document's own definitions win.
STANDARD_PREFIXES: dict[str, str] = {
    "epcis": "https://ref.gs1.org/epcis/",
    "cbv": "https://ref.gs1.org/cbv/",
    "cbvmda": "urn:epcglobal:cbv:mda:",
    "gs1": "https://gs1.org/voc/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}
_NOTHING_IGNORED = frozenset({COMMENT})


def namespaces_from_context(context: Any) -> dict[str, str]:
    """The prefix -> namespace IRI map of a JSON-LD `@context` (a string, dict or list of them).

    URL strings (remote contexts) are ignored; later definitions win; `@vocab` is kept.
    """
    found: dict[str, str] = {}
    for entry in context if isinstance(context, list) else [context]:
        if isinstance(entry, Mapping):
            for name, value in entry.items():
                if isinstance(value, str) and (name == "@vocab" or not name.startswith("@")):
                    found[name] = value
                elif isinstance(value, Mapping) and isinstance(value.get("@id"), str) and ":" not in name:
                    found[name] = value["@id"]
    return found


def find_ignore_fields(document: Mapping[str, Any]) -> list[str]:
    """The field names a document asks hashers to ignore (`<prefix>:ignoreFields` outside the events)."""
    found: list[str] = []
    levels: list[Any] = [document]
    body = document.get("epcisBody")
    if isinstance(body, Mapping):
        levels += [body, document.get("epcisHeader"), body.get("queryResults")]
    for level in levels:
        if isinstance(level, Mapping):
            for key, value in level.items():
                if key == "ignoreFields" or key.endswith(":ignoreFields"):
                    found += [
                        v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)
                    ]
    return found


def prehash_string(
    event: Mapping[str, Any], context: Mapping[str, str] | None = None, *, ignore_fields: Iterable[str] = ()
) -> str:
    """The canonical pre-hash string of one JSON-LD event.

    `context` maps prefixes to namespaces (see `namespaces_from_context`); the event's own
    `@context` is applied over it. `ignore_fields` are CURIEs or `{namespace}local` names to skip.
    """
    own = event.get("@context")
    known = _known_namespaces(context, own)
    if known is not None:
        writer = Writer(known[0], _NOTHING_IGNORED, known[1])
    else:
        writer = Writer(_namespaces(context, own), _NOTHING_IGNORED)
    if ignore_fields:
        writer.ignored = frozenset(writer.name(field) for field in ignore_fields) | {COMMENT}
    return writer.write(event)


def _namespaces(context: Mapping[str, str] | None, own: Any) -> dict[str, str]:
    namespaces = dict(STANDARD_PREFIXES)
    if context:
        namespaces.update(context)
    if own:
        namespaces.update(namespaces_from_context(own))
    return namespaces


# The namespaces of the contexts met lately, each with the expanded names its writers found: the
# events of one document carry the same `@context`, and working it out again for each event, key
# by key, costs a tenth of the hash.
_KNOWN_CONTEXTS: dict[Any, tuple[dict[str, str], dict[str, str]]] = {}
_KNOWN_CONTEXTS_MAX = 64
_MAX_NAMES = 4096


def _known_namespaces(
    context: Mapping[str, str] | None, own: Any
) -> tuple[dict[str, str], dict[str, str]] | None:
    """The namespaces of `context` with `own` applied, and their shared names, when both are plain
    (prefix to string maps); None for anything else, which is worked out afresh."""
    try:
        key = (
            tuple(context.items()) if context else (),
            _plain_context(own),
        )
        known = _KNOWN_CONTEXTS.get(key)
    except TypeError:  # something unhashable inside: not a plain context
        return None
    if known is None:
        if len(_KNOWN_CONTEXTS) >= _KNOWN_CONTEXTS_MAX:
            _KNOWN_CONTEXTS.clear()
        known = _KNOWN_CONTEXTS[key] = (_namespaces(context, own), {})
    elif len(known[1]) > _MAX_NAMES:
        known[1].clear()
    return known


def _plain_context(own: Any) -> Any:
    """A hashable form of an event's `@context` (a string, a map or a list of them)."""
    if isinstance(own, list):
        return tuple(_plain_context(entry) for entry in own)
    if isinstance(own, dict):
        return tuple(own.items())
    return own


def event_hash_id(
    event: Mapping[str, Any], context: Mapping[str, str] | None = None, *, ignore_fields: Iterable[str] = ()
) -> str:
    """The Event Hash ID `ni:///sha-256;<hex>?ver=CBV2.0` of one JSON-LD event."""
    return hash_id_of_prehash(prehash_string(event, context, ignore_fields=ignore_fields))


def hash_id_of_prehash(prehash: str) -> str:
    """The Event Hash ID of a pre-hash string: its SHA-256 in an RFC 6920 `ni` URI."""
    return f"ni:///sha-256;{hashlib.sha256(prehash.encode('utf-8')).hexdigest()}?ver=CBV2.0"
