"""Writes one event's pre-hash string: each field in its canonical place, unknown ones in the tail.

Each standard field has a position and a writer; the event's keys are visited once. Fields the
standard does not define go to a tail that is sorted and appended: user extensions as
`{namespace}local=value`, and, as the reference implementation does, unprefixed unknown fields
(with the path of the structure they sit in) and `sourceList`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kiik.epcis.domain.event_hash_values import scalar, timestamp, uri_or_text, vocabulary

COMMENT = "{http://www.w3.org/2000/01/rdf-schema#}comment"
SKIPPED = frozenset({"@context", "eventID", "recordTime", "errorDeclaration", "comment"})
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
_QUANTITY_FIELDS = ("epcClass", "quantity", "uom")
_MAPPINGS = (dict, Mapping)  # dict first: isinstance on the Mapping ABC alone is slow


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Writer:
    """Writes events for one set of namespaces and ignored fields.

    `names` may be shared by writers of the same namespaces (see `event_hash`): it remembers the
    expanded name of each key met, as the events of one document use the same few."""

    def __init__(
        self, namespaces: Mapping[str, str], ignored: frozenset[str], names: dict[str, str] | None = None
    ) -> None:
        self.namespaces = namespaces
        self.vocab = namespaces.get("@vocab")
        self.ignored = ignored
        self.names = {} if names is None else names
        self.tail: list[str] = []

    def name(self, key: str) -> str:
        """`{namespace}local` for a prefixed or vocabulary key; the key itself otherwise."""
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = self._expanded(key)
        return name

    def _expanded(self, key: str) -> str:
        if key[:1] == "{":
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

    def write(self, event: Mapping[str, Any]) -> str:
        self.tail = []
        slots: list[tuple[int, str]] = []
        known = _FIELDS.get
        for key, value in event.items():
            field = known(key)
            if field is not None:
                position, write = field
                text = write(self, key, value)
                if text:
                    slots.append((position, text))
            elif key not in SKIPPED and key[:1] != "@":
                self.tail += self.generic(key, value)
        slots.sort()
        return "".join([text for _, text in slots]) + "".join(sorted(self.tail))

    # -- standard fields, in the order of _FIELDS -----------------------------------------------
    def event_type(self, key: str, value: Any) -> str:
        return "eventType=" + str(value).strip()

    def time(self, key: str, value: Any) -> str:
        return key + "=" + timestamp(str(value))

    def text(self, key: str, value: Any) -> str:
        return key + "=" + str(value).strip()

    def plain(self, key: str, value: Any) -> str:
        return key + "=" + scalar(value)

    def certificates(self, key: str, value: Any) -> str:
        return "".join(sorted(["certificationInfo=" + scalar(v) for v in _as_list(value)]))

    def word(self, key: str, value: Any) -> str:
        return key + "=" + vocabulary(key, value)

    def epcs(self, key: str, values: Any) -> str:
        items = sorted(["epc=" + scalar(v) for v in _as_list(values)])
        return key + "".join(items) if items else ""

    def quantities(self, key: str, values: Any) -> str:
        items = []
        for element in _as_list(values):
            if isinstance(element, _MAPPINGS):
                text = "quantityElement"
                for field in _QUANTITY_FIELDS:
                    if field in element:
                        text += field + "=" + scalar(element[field])
                items.append(text + self.rest("quantityElement", element, _QUANTITY_FIELDS, key))
        return key + "".join(sorted(items)) if items else ""

    def persistent_disposition(self, key: str, value: Any) -> str:
        if not isinstance(value, _MAPPINGS):
            return ""
        items = [
            f"{field}={vocabulary(field, v)}"
            for field in ("set", "unset")
            for v in _as_list(value.get(field))
        ]
        rest = self.rest(key, value, ("set", "unset"))
        return key + "".join(sorted(items)) + rest if items or rest else ""

    def location(self, key: str, value: Any) -> str:
        if not isinstance(value, _MAPPINGS):
            return "" if value is None else f"{key}id={scalar(value)}"
        text = key + ("id=" + scalar(value["id"]) if "id" in value else "")
        return text + self.rest(key, value, ("id",))

    def parties(self, key: str, values: Any) -> str:
        field, type_field = _PARTIES[key]
        items = []
        for entry in _as_list(values):
            if isinstance(entry, _MAPPINGS):
                text = "type=" + vocabulary(type_field, entry["type"]) if "type" in entry else ""
                text += field + "=" + scalar(entry[field]) if field in entry else ""
                items.append(text + self.rest(field, entry, ("type", field), key))
        return key + "".join(sorted(items)) if items else ""

    def sources(self, key: str, values: Any) -> str:
        text = self.parties(key, values)
        if text:  # sorted among the extensions, as the reference implementation does
            self.tail.append(text)
        return ""

    def sensor_elements(self, key: str, elements: Any) -> str:
        items: list[str] = []
        leftovers: list[str] = []
        for element in _as_list(elements):
            if not isinstance(element, _MAPPINGS):
                continue
            element_tail: list[str] = []
            text = "sensorElement"
            metadata = element.get("sensorMetadata")
            if isinstance(metadata, _MAPPINGS):
                text += self.fields("sensorMetadata", metadata, _METADATA_FIELDS, element_tail)
            reports = [
                self.fields("sensorReport", report, _REPORT_FIELDS, element_tail)
                for report in _as_list(element.get("sensorReport"))
                if isinstance(report, _MAPPINGS)
            ]
            text += "".join(sorted(reports))
            extensions, unknown = self.split(element, ("sensorMetadata", "sensorReport"))
            element_tail += unknown
            items.append(text + "".join(sorted(extensions)))
            if element_tail:
                leftovers.append("sensorElement" + "".join(sorted(element_tail)))
        if leftovers:
            self.tail.append(key + "".join(sorted(leftovers)))
        return key + "".join(sorted(items)) if items else ""

    def ilmd(self, key: str, value: Any) -> str:
        if not isinstance(value, _MAPPINGS):
            return ""
        items = [s for k, v in value.items() if k[:1] != "@" for s in self.generic(k, v)]
        return key + "".join(sorted(items)) if items else ""

    # -- helpers ------------------------------------------------------------------------------
    def fields(self, name: str, value: Mapping[str, Any], fields: tuple[str, ...], tail: list[str]) -> str:
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
        extensions, unknown = self.split(value, fields)
        if unknown:
            tail.append(name + "".join(sorted(unknown)))
        return text + "".join(sorted(extensions))

    def split(self, value: Mapping[str, Any], known: tuple[str, ...]) -> tuple[list[str], list[str]]:
        """The strings of a structure's extension fields, and of its unknown unprefixed fields."""
        extensions: list[str] = []
        unknown: list[str] = []
        for key, item in value.items():
            if key in known or key[:1] == "@":
                continue
            if ":" in key or key[:1] == "{" or self.vocab is not None:
                extensions += self.generic(key, item)
            else:
                unknown += self.generic(key, item)
        return extensions, unknown

    def rest(self, name: str, value: Mapping[str, Any], known: tuple[str, ...], list_name: str = "") -> str:
        """Extension fields of a structure, inline; its unknown fields go to the tail under its path."""
        if len(value) <= len(known) and all(k in known for k in value):
            return ""
        extensions, unknown = self.split(value, known)
        if unknown:
            self.tail.append(list_name + name + "".join(sorted(unknown)))
        return "".join(sorted(extensions))

    def generic(self, key: str, value: Any) -> list[str]:
        """A field outside the standard ones: `{ns}local=value`, or `{ns}local` followed by its children."""
        name = self.name(key)
        if name in self.ignored:
            return []
        if type(value) is str:  # the usual case, decided before the slower isinstance tests
            text = uri_or_text(value)
            return [name + "=" + text] if text else [name]
        if isinstance(value, list):
            return [s for item in value for s in self.generic(key, item)]
        if isinstance(value, _MAPPINGS):
            text = name
            if "@value" in value:
                text += "=" + scalar(value["@value"])
            elif "@id" in value:
                text += "=" + scalar(value["@id"])
            children = [s for k, v in value.items() if k[:1] != "@" for s in self.generic(k, v)]
            return [text + "".join(sorted(children))]
        text = scalar(value)
        return [name + "=" + text] if text else [name]


_PARTIES = {
    "bizTransactionList": ("bizTransaction", "bizTransactionType"),
    "sourceList": ("source", "sourceDestinationType"),
    "destinationList": ("destination", "sourceDestinationType"),
}

# The canonical order: CBV 2.0 section 8.9 as the reference implementation writes it.
_ORDER: list[tuple[str, Callable[[Writer, str, Any], str]]] = [
    ("type", Writer.event_type),
    ("eventTime", Writer.time),
    ("eventTimeZoneOffset", Writer.text),
    ("certificationInfo", Writer.certificates),
    ("parentID", Writer.plain),
    ("epcList", Writer.epcs),
    ("inputEPCList", Writer.epcs),
    ("childEPCs", Writer.epcs),
    ("quantityList", Writer.quantities),
    ("childQuantityList", Writer.quantities),
    ("inputQuantityList", Writer.quantities),
    ("outputEPCList", Writer.epcs),
    ("outputQuantityList", Writer.quantities),
    ("action", Writer.plain),
    ("transformationID", Writer.plain),
    ("bizStep", Writer.word),
    ("disposition", Writer.word),
    ("persistentDisposition", Writer.persistent_disposition),
    ("readPoint", Writer.location),
    ("bizLocation", Writer.location),
    ("sensorElementList", Writer.sensor_elements),
    ("bizTransactionList", Writer.parties),
    ("destinationList", Writer.parties),
    ("ilmd", Writer.ilmd),
    ("sourceList", Writer.sources),
]
_FIELDS: dict[str, tuple[int, Callable[[Writer, str, Any], str]]] = {
    name: (index, write) for index, (name, write) in enumerate(_ORDER)
}
