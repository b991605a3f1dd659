"""EPCIS XML events as the JSON-LD event dicts of GS1's XML <-> JSON mapping, streamed.

Standard fields are unqualified elements; anything in a namespace is a user extension and becomes a
`prefix:local` key, its namespace listed in the event's own `@context`. CBV 1.x URNs of known
words become the bare words JSON-LD uses, numbers become numbers. EPCIS 1.2 `<extension>` and
`<baseExtension>` wrappers are unwrapped, so 1.2-style and 2.0 documents give the same events.
Writing events as XML is `kiik.epcis.adapters.xml_writer`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]

from kiik.epcis.domain.event_hash_values import BARE_WORDS
from kiik.epcis.domain.vocabulary import XML_CARRIER_NAMESPACE

__all__ = [
    "NotAnEpcisDocument",
    "XmlDocumentInfo",
    "iter_xml_events",
    "xml_event_to_dict",
]

EVENT_TYPES = frozenset(
    {"ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"}
)
DOCUMENT_TYPES = frozenset({"EPCISDocument", "EPCISQueryDocument"})
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NIL = "{" + _XSI + "}nil"
_WRAPPERS = frozenset({"extension", "baseExtension"})
_CARRIED_CERTIFICATION = "{" + XML_CARRIER_NAMESPACE + "}certificationInfo"
_SIMPLE = frozenset(
    {"eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "parentID", "action", "transformationID"}
)
_EPC_LISTS = frozenset({"epcList", "childEPCs", "inputEPCList", "outputEPCList"})
_QUANTITY_LISTS = frozenset({"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"})
_NUMBERS = frozenset(
    {"quantity", "value", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue"}
)
# URI spellings of vocabulary words, shortened to the bare word when the word is a known one.
_WORD_PREFIXES: dict[str, tuple[str, ...]] = {
    "bizStep": ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-", "cbv:BizStep-"),
    "disposition": ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-", "cbv:Disp-"),
    "bizTransactionType": ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-", "cbv:BTT-"),
    "sourceDestinationType": ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-", "cbv:SDT-"),
    "reason": ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-", "cbv:ER-"),
    "component": ("urn:epcglobal:cbv:comp:", "https://ref.gs1.org/cbv/Comp-", "cbv:Comp-"),
    "sensorType": ("gs1:", "https://gs1.org/voc/"),
    "exception": ("gs1:", "https://gs1.org/voc/"),
}


class NotAnEpcisDocument(ValueError):
    """The XML is not an EPCIS document (or not XML at all); the message says why."""


@dataclass
class XmlDocumentInfo:
    """What a streamed document says besides its events; filled in while it is read."""

    root: str | None = None
    ignore_fields: list[str] = field(default_factory=list)  # `{namespace}local` names


# Every URI spelling of every known word -> the bare word, per kind of vocabulary.
_WORDS: dict[str, dict[str, str]] = {
    kind: {prefix + word: word for prefix in prefixes for word in BARE_WORDS[kind][0]}
    for kind, prefixes in _WORD_PREFIXES.items()
}


def _word(kind: str, text: str) -> str:
    return _WORDS[kind].get(text, text)


def _number(text: str) -> int | float | str:
    stripped = text.strip()
    try:
        return int(stripped)
    except ValueError:
        pass
    try:
        return float(stripped)
    except ValueError:
        return text


def _split(tag: str) -> tuple[str | None, str]:
    if tag[0] == "{":
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


def _text(element: Any) -> str:
    text = element.text
    return text.strip() if text else ""


class _Converter:
    """Converts event elements; names extension namespaces by the prefixes the document gives them."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {}  # namespace IRI -> prefix, for the whole document
        self.keys: dict[str, tuple[str, str]] = {}  # Clark-notation tag -> (prefix:local, namespace)
        self.used: set[str] = set()  # namespaces the current event uses

    def key(self, element: Any, tag: str, prefix: str | None = None) -> str:
        """`prefix:local` for a namespaced tag (or attribute name)."""
        known = self.keys.get(tag)
        if known is None:
            namespace, local = _split(tag)
            assert namespace is not None
            name = self.prefixes.get(namespace)
            if name is None:
                if prefix is None:
                    prefix = next(
                        (p for p, ns in (element.nsmap or {}).items() if ns == namespace and p), None
                    )
                taken = set(self.prefixes.values())
                if prefix is None or prefix in taken:
                    prefix = next(f"ns{i}" for i in range(1, len(taken) + 2) if f"ns{i}" not in taken)
                self.prefixes[namespace] = name = prefix
            known = self.keys[tag] = (f"{name}:{local}", namespace)
        self.used.add(known[1])
        return known[0]

    # -- user extensions ---------------------------------------------------------------------
    def extension_value(self, element: Any) -> Any:
        if not len(element) and not element.keys():
            return element.text or ""
        result: dict[str, Any] = {}
        for name, value in element.items():
            if name[0] != "{":
                result[name] = value
            elif not name.startswith(_XSI_PREFIX):
                result[self.key(element, name)] = value
        for child in element:
            tag = child.tag
            if isinstance(tag, str):
                key = self.key(child, tag, child.prefix) if tag[0] == "{" else tag
                self.add(result, key, self.extension_value(child))
        if element.text and element.text.strip():
            result["@value"] = element.text
        return result

    @staticmethod
    def add(target: dict[str, Any], key: str, value: Any) -> None:
        if key not in target:
            target[key] = value
        elif isinstance(target[key], list):
            target[key].append(value)
        else:
            target[key] = [target[key], value]

    # -- standard structures -----------------------------------------------------------------
    def event(self, element: Any) -> dict[str, Any]:
        self.used = set()
        result: dict[str, Any] = {"type": _split(element.tag)[1]}
        self.fields(element, result)
        if not self.used:
            return result
        context = {self.prefixes[namespace]: namespace for namespace in sorted(self.used)}
        return {"@context": [context], **result}

    def fields(self, element: Any, result: dict[str, Any]) -> None:
        for child in element:
            tag = child.tag
            if tag in _SIMPLE:
                text = child.text
                if text is not None:
                    result[tag] = text.strip()
                elif child.get(_NIL) != "true":
                    result[tag] = ""
            elif not isinstance(tag, str) or child.get(_NIL) == "true":
                continue
            elif tag == _CARRIED_CERTIFICATION:
                self.add(result, "certificationInfo", _text(child))
            elif tag[0] == "{":
                self.add(result, self.key(child, tag, child.prefix), self.extension_value(child))
            elif tag in _WRAPPERS:
                self.fields(child, result)
            elif tag == "certificationInfo":
                self.add(result, tag, _text(child))
            else:
                convert = _STANDARD.get(tag)
                result[tag] = convert(self, child) if convert is not None else self.extension_value(child)

    def word(self, element: Any) -> str:
        return _word(element.tag, _text(element))

    def epcs(self, element: Any) -> list[str]:
        return [_text(c) for c in element if c.tag == "epc"]

    def quantities(self, element: Any) -> list[dict[str, Any]]:
        return [self.structure(c) for c in element if isinstance(c.tag, str)]

    def location(self, element: Any) -> dict[str, Any]:
        return self.structure(element)

    def transactions(self, element: Any) -> list[dict[str, Any]]:
        return [
            self.typed(c, "bizTransaction", "bizTransactionType") for c in element if isinstance(c.tag, str)
        ]

    def parties(self, element: Any) -> list[dict[str, Any]]:
        return [self.typed(c, c.tag, "sourceDestinationType") for c in element if isinstance(c.tag, str)]

    def sensor_elements(self, element: Any) -> list[dict[str, Any]]:
        return [self.sensor_element(c) for c in element if isinstance(c.tag, str)]

    def persistent_disposition(self, element: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for child in element:
            if child.tag in ("set", "unset"):
                result.setdefault(child.tag, []).append(_word("disposition", _text(child)))
        return result

    def structure(self, element: Any) -> dict[str, Any]:
        """A small record: unqualified children as fields (text), qualified ones as extensions."""
        result: dict[str, Any] = {}
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or (child.text is None and child.get(_NIL) == "true"):
                continue
            if tag[0] == "{":
                self.add(result, self.key(child, tag, child.prefix), self.extension_value(child))
            elif tag in _WRAPPERS:
                result.update(self.structure(child))
            elif tag == "quantity":
                result[tag] = _number(_text(child))
            elif tag == "reason":
                result[tag] = _word("reason", _text(child))
            else:
                result[tag] = _text(child)
        return result

    def typed(self, element: Any, name: str, word_kind: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        kind = element.get("type")
        if kind is not None:
            result["type"] = _word(word_kind, kind.strip())
        result[name] = _text(element)
        return result

    def attributes(self, element: Any, report: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name, value in element.items():
            if name[0] == "{":
                if not name.startswith(_XSI_PREFIX):
                    result[self.key(element, name)] = value
            elif not report:
                result[name] = value
            elif name in _NUMBERS:
                result[name] = _number(value)
            elif name == "booleanValue":
                result[name] = value.strip() in ("true", "1")
            elif name in _REPORT_WORDS:
                result[name] = _word(_REPORT_WORDS[name], value.strip())
            else:
                result[name] = value
        for child in element:
            tag = child.tag
            if isinstance(tag, str):
                key = self.key(child, tag, child.prefix) if tag[0] == "{" else tag
                self.add(result, key, self.extension_value(child))
        return result

    def sensor_element(self, element: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for child in element:
            tag = child.tag
            if tag == "sensorMetadata":
                result["sensorMetadata"] = self.attributes(child, report=False)
            elif tag == "sensorReport":
                result.setdefault("sensorReport", []).append(self.attributes(child, report=True))
            elif isinstance(tag, str):
                key = self.key(child, tag, child.prefix) if tag[0] == "{" else tag
                self.add(result, key, self.extension_value(child))
        return result

    def error_declaration(self, element: Any) -> dict[str, Any]:
        result = self.structure(element)
        ids = element.find("correctiveEventIDs")
        if ids is not None:
            result["correctiveEventIDs"] = [_text(c) for c in ids if isinstance(c.tag, str)]
        return result


_XSI_PREFIX = "{" + _XSI + "}"
_REPORT_WORDS = {"type": "sensorType", "exception": "exception", "component": "component"}
_STANDARD: dict[str, Any] = {
    "bizStep": _Converter.word,
    "disposition": _Converter.word,
    **dict.fromkeys(_EPC_LISTS, _Converter.epcs),
    **dict.fromkeys(_QUANTITY_LISTS, _Converter.quantities),
    "readPoint": _Converter.location,
    "bizLocation": _Converter.location,
    "bizTransactionList": _Converter.transactions,
    "sourceList": _Converter.parties,
    "destinationList": _Converter.parties,
    "sensorElementList": _Converter.sensor_elements,
    "persistentDisposition": _Converter.persistent_disposition,
    "errorDeclaration": _Converter.error_declaration,
}


def xml_event_to_dict(element: Any) -> dict[str, Any]:
    """One EPCIS event element (or a 1.2 `<extension>` wrapping one) as a JSON-LD event dict."""
    return _convert(element, _Converter())


def _convert(element: Any, converter: _Converter) -> dict[str, Any]:
    if _split(element.tag)[1] not in EVENT_TYPES:
        inner = next((c for c in element if isinstance(c.tag, str) and _split(c.tag)[1] in EVENT_TYPES), None)
        if inner is None:
            raise NotAnEpcisDocument(f"<{_split(element.tag)[1]}> is not an EPCIS event")
        element = inner
    return converter.event(element)


def iter_xml_events(
    source: IO[bytes] | str | Path, info: XmlDocumentInfo | None = None
) -> Iterator[dict[str, Any]]:
    """The events of an EPCIS (query) document in document order, in bounded memory.

    Each event is converted when its end tag is read and its element is then discarded. `info`,
    if given, receives the root element name and the document's `ignoreFields`.
    """
    info = info if info is not None else XmlDocumentInfo()
    if isinstance(source, Path):
        source = str(source)
    # Only the end tags of events (and of ignoreFields) reach Python; libxml2 does the rest.
    parser = etree.iterparse(
        source,
        events=("end",),
        tag=[*EVENT_TYPES, "{*}ignoreFields"],
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
        # No entity is expanded, no DTD loaded, nothing fetched: a document cannot read a file or
        # the network through the parser (XXE), nor grow without bound (entity expansion).
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
    )
    converter = _Converter()
    try:
        for _, element in parser:
            if info.root is None:
                _check_root(element.getroottree().getroot(), info)
            if element.tag in EVENT_TYPES:
                if _in_event_list(element):
                    event = _convert(element, converter)
                    _discard(element)
                    yield event
            elif not any(_split(a.tag)[1] in EVENT_TYPES for a in element.iterancestors()):
                info.ignore_fields += [c.tag for c in element if isinstance(c.tag, str)]
        if info.root is None:
            _check_root(parser.root, info)
    except etree.XMLSyntaxError as error:
        raise NotAnEpcisDocument(f"not well-formed XML: {error}") from error


def _check_root(root: Any, info: XmlDocumentInfo) -> None:
    info.root = _split(root.tag)[1]
    if info.root not in DOCUMENT_TYPES:
        raise NotAnEpcisDocument(
            f"the root element is <{info.root}>, not <EPCISDocument> or <EPCISQueryDocument>"
        )


def _in_event_list(element: Any) -> bool:
    parent = element.getparent()
    if parent is not None and parent.tag == "extension":
        parent = parent.getparent()
    return parent is not None and _split(parent.tag)[1] == "EventList"


def _discard(element: Any) -> None:
    """Drop a converted event and everything before it (a 1.2 `<extension>` wrapper included)."""
    element.clear(keep_tail=False)
    node, parent = element, element.getparent()
    while parent is not None:
        while node.getprevious() is not None:
            del parent[0]
        if parent.tag != "extension":
            break
        node, parent = parent, parent.getparent()
