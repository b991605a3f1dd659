"""The EPCIS Event Hash ID of CBV 2.0 section 8.9, computed from an event in its JSON-LD form.

The pre-hash string lists the event's fields in a canonical order, each value normalised (see
`event_hash_values`), lists sorted, extensions written as `{namespace}local=value`; its SHA-256
is the ID: `ni:///sha-256;<hex>?ver=CBV2.0`. XML events are hashed after conversion to the same
JSON-LD form (`kiik.adapters.epcis_xml`), so both syntaxes give one hash.

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

from kiik.domain.event_hash_values import scalar, timestamp, vocabulary

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

_SKIPPED = frozenset({"@context", "eventID", "recordTime", "errorDeclaration", "comment", "type"})
_COMMENT = "{http://www.w3.org/2000/01/rdf-schema#}comment"
_EPC_LISTS = ("epcList", "inputEPCList", "childEPCs")
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList")
_KNOWN = frozenset(
    {"eventTime", "eventTimeZoneOffset", "certificationInfo", "parentID", *_EPC_LISTS, *_QUANTITY_LISTS,
     "outputEPCList", "outputQuantityList", "action", "transformationID", "bizStep", "disposition",
     "persistentDisposition", "readPoint", "bizLocation", "sensorElementList", "bizTransactionList",
     "destinationList", "sourceList", "ilmd"}
)  # fmt: skip
_METADATA_FIELDS = ("time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
                    "dataProcessingMethod", "bizRules")  # fmt: skip
_REPORT_FIELDS = (
    "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
    "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
    "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue",
    "uom", "coordinateReferenceSystem",
)  # fmt: skip
_TIMES = frozenset({"time", "startTime", "endTime"})
_REPORT_VOCABULARY = {"type": "sensorType", "exception": "exception", "component": "component"}


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
    namespaces = dict(STANDARD_PREFIXES)
    if context:
        namespaces.update(context)
    own = event.get("@context")
    if own:
        namespaces.update(namespaces_from_context(own))
    writer = _Writer(namespaces, ())
    writer.ignored = frozenset(writer.name(field) for field in ignore_fields) | {_COMMENT}
    return writer.event(event)


def event_hash_id(
    event: Mapping[str, Any], context: Mapping[str, str] | None = None, *, ignore_fields: Iterable[str] = ()
) -> str:
    """The Event Hash ID `ni:///sha-256;<hex>?ver=CBV2.0` of one JSON-LD event."""
    return hash_id_of_prehash(prehash_string(event, context, ignore_fields=ignore_fields))


def hash_id_of_prehash(prehash: str) -> str:
    """The Event Hash ID of a pre-hash string: its SHA-256 in an RFC 6920 `ni` URI."""
    return f"ni:///sha-256;{hashlib.sha256(prehash.encode('utf-8')).hexdigest()}?ver=CBV2.0"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class _Writer:
    """Writes one event; collects the fields it does not know for the sorted tail."""

    def __init__(self, namespaces: dict[str, str], ignored: Iterable[str]) -> None:
        self.namespaces = namespaces
        self.vocab = namespaces.get("@vocab")
        self.ignored = frozenset(ignored)
        self.tail: list[str] = []

    def name(self, key: str) -> str:
        """`{namespace}local` for a prefixed or vocabulary key; the key itself otherwise."""
        if key.startswith("{"):
            return key
        prefix, colon, local = key.partition(":")
        if colon:
            namespace = self.namespaces.get(prefix)
            if namespace is not None:
                return "{" + namespace + "}" + local
            if local.startswith("//"):
                cut = max(key.rfind("/"), key.rfind("#")) + 1
                return "{" + key[:cut] + "}" + key[cut:]
            return key
        if self.vocab is not None:
            return "{" + self.vocab + "}" + key
        return key

    def _is_extension(self, key: str) -> bool:
        return ":" in key or key.startswith("{") or self.vocab is not None

    def event(self, event: Mapping[str, Any]) -> str:
        out: list[str] = []
        if "type" in event:
            out.append("eventType=" + str(event["type"]).strip())
        if "eventTime" in event:
            out.append("eventTime=" + timestamp(str(event["eventTime"])))
        if "eventTimeZoneOffset" in event:
            out.append("eventTimeZoneOffset=" + str(event["eventTimeZoneOffset"]).strip())
        out += sorted("certificationInfo=" + scalar(v) for v in _as_list(event.get("certificationInfo")))
        if "parentID" in event:
            out.append("parentID=" + scalar(event["parentID"]))
        for name in _EPC_LISTS:
            out.append(self._epcs(name, event.get(name)))
        for name in _QUANTITY_LISTS:
            out.append(self._quantities(name, event.get(name)))
        out.append(self._epcs("outputEPCList", event.get("outputEPCList")))
        out.append(self._quantities("outputQuantityList", event.get("outputQuantityList")))
        for name in ("action", "transformationID"):
            if name in event:
                out.append(name + "=" + scalar(event[name]))
        for name in ("bizStep", "disposition"):
            if name in event:
                out.append(name + "=" + vocabulary(name, event[name]))
        out.append(self._persistent_disposition(event.get("persistentDisposition")))
        for name in ("readPoint", "bizLocation"):
            out.append(self._location(name, event.get(name)))
        out.append(self._sensor_elements(event.get("sensorElementList")))
        out.append(self._parties("bizTransactionList", "bizTransaction", "bizTransactionType", event))
        out.append(self._parties("destinationList", "destination", "sourceDestinationType", event))
        out.append(self._ilmd(event.get("ilmd")))
        source = self._parties("sourceList", "source", "sourceDestinationType", event)
        if source:
            self.tail.append(source)
        for key, value in event.items():
            if key in _KNOWN or key in _SKIPPED or key.startswith("@"):
                continue
            self.tail += self._generic(key, value)
        out += sorted(self.tail)
        return "".join(out)

    def _epcs(self, name: str, values: Any) -> str:
        items = sorted("epc=" + scalar(v) for v in _as_list(values))
        return name + "".join(items) if items else ""

    def _quantities(self, name: str, values: Any) -> str:
        items = []
        for element in _as_list(values):
            if not isinstance(element, Mapping):
                continue
            text = "quantityElement"
            if "epcClass" in element:
                text += "epcClass=" + scalar(element["epcClass"])
            if "quantity" in element:
                text += "quantity=" + scalar(element["quantity"])
            if "uom" in element:
                text += "uom=" + scalar(element["uom"])
            items.append(text + self._rest("quantityElement", element, ("epcClass", "quantity", "uom"), name))
        return name + "".join(sorted(items)) if items else ""

    def _persistent_disposition(self, value: Any) -> str:
        if not isinstance(value, Mapping):
            return ""
        items = [
            f"{field}={vocabulary(field, v)}"
            for field in ("set", "unset")
            for v in _as_list(value.get(field))
        ]
        rest = self._rest("persistentDisposition", value, ("set", "unset"))
        return "persistentDisposition" + "".join(sorted(items)) + rest if items or rest else ""

    def _location(self, name: str, value: Any) -> str:
        if not isinstance(value, Mapping):
            return "" if value is None else f"{name}id={scalar(value)}"
        text = name + ("id=" + scalar(value["id"]) if "id" in value else "")
        return text + self._rest(name, value, ("id",))

    def _parties(self, list_name: str, field: str, type_field: str, event: Mapping[str, Any]) -> str:
        items = []
        for entry in _as_list(event.get(list_name)):
            if not isinstance(entry, Mapping):
                continue
            text = "type=" + vocabulary(type_field, entry["type"]) if "type" in entry else ""
            text += field + "=" + scalar(entry[field]) if field in entry else ""
            items.append(text + self._rest(field, entry, ("type", field), list_name))
        return list_name + "".join(sorted(items)) if items else ""

    def _sensor_elements(self, elements: Any) -> str:
        items: list[str] = []
        leftovers: list[str] = []
        for element in _as_list(elements):
            if not isinstance(element, Mapping):
                continue
            element_tail: list[str] = []
            text = "sensorElement"
            metadata = element.get("sensorMetadata")
            if isinstance(metadata, Mapping):
                text += self._fields("sensorMetadata", metadata, _METADATA_FIELDS, element_tail)
            reports = [self._fields("sensorReport", r, _REPORT_FIELDS, element_tail)
                       for r in _as_list(element.get("sensorReport")) if isinstance(r, Mapping)]  # fmt: skip
            text += "".join(sorted(reports))
            extensions, unknown = self._split(element, ("sensorMetadata", "sensorReport"))
            element_tail += unknown
            items.append(text + "".join(sorted(extensions)))
            if element_tail:
                leftovers.append("sensorElement" + "".join(sorted(element_tail)))
        if leftovers:
            self.tail.append("sensorElementList" + "".join(sorted(leftovers)))
        return "sensorElementList" + "".join(sorted(items)) if items else ""

    def _fields(self, name: str, value: Mapping[str, Any], fields: tuple[str, ...], tail: list[str]) -> str:
        text = name
        for field in fields:
            if field in value:
                v = value[field]
                if field in _TIMES:
                    text += f"{field}={timestamp(str(v))}"
                elif name == "sensorReport" and field in _REPORT_VOCABULARY:
                    text += f"{field}={vocabulary(_REPORT_VOCABULARY[field], v)}"
                else:
                    text += f"{field}={scalar(v)}"
        extensions, unknown = self._split(value, fields)
        if unknown:
            tail.append(name + "".join(sorted(unknown)))
        return text + "".join(sorted(extensions))

    def _ilmd(self, value: Any) -> str:
        if not isinstance(value, Mapping):
            return ""
        items = [s for key, v in value.items() if not key.startswith("@") for s in self._generic(key, v)]
        return "ilmd" + "".join(sorted(items)) if items else ""

    def _split(self, value: Mapping[str, Any], known: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """The strings of a structure's extension fields, and of its unknown unprefixed fields."""
        extensions: list[str] = []
        unknown: list[str] = []
        for key, item in value.items():
            if key in known or key.startswith("@"):
                continue
            (extensions if self._is_extension(key) else unknown).extend(self._generic(key, item))
        return extensions, unknown

    def _rest(self, name: str, value: Mapping[str, Any], known: tuple[str, ...], list_name: str = "") -> str:
        """Extension fields of a structure, inline; its unknown fields go to the tail under its path."""
        extensions, unknown = self._split(value, known)
        if unknown:
            self.tail.append(list_name + name + "".join(sorted(unknown)))
        return "".join(sorted(extensions))

    def _generic(self, key: str, value: Any) -> list[str]:
        """A field outside the standard ones: `{ns}local=value`, or `{ns}local` followed by its children."""
        name = self.name(key)
        if name in self.ignored:
            return []
        if isinstance(value, list):
            return [s for item in value for s in self._generic(key, item)]
        if isinstance(value, Mapping):
            text = name
            if "@value" in value:
                text += "=" + scalar(value["@value"])
            elif "@id" in value:
                text += "=" + scalar(value["@id"])
            children = [s for k, v in value.items() if not k.startswith("@") for s in self._generic(k, v)]
            return [text + "".join(sorted(children))]
        text = scalar(value)
        return [name + "=" + text] if text else [name]
