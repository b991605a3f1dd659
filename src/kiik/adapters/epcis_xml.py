"""EPCIS XML events as the JSON-LD event dicts of GS1's XML <-> JSON mapping, streamed.

Standard fields are unqualified elements; anything in a namespace is a user extension and becomes a
`prefix:local` key, its namespace listed in the event's own `@context`. CBV 1.x URNs of known
words become the bare words JSON-LD uses, numbers become numbers. EPCIS 1.2 `<extension>` and
`<baseExtension>` wrappers are unwrapped, so 1.2-style and 2.0 documents give the same events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree  # type: ignore[import-untyped]

from kiik.domain.event_hash_values import BARE_WORDS

__all__ = [
    "NotAnEpcisDocument",
    "XmlDocumentInfo",
    "event_dict_to_xml",
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
_SIMPLE = frozenset(
    {"eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "parentID", "action", "transformationID"}
)
_EPC_LISTS = frozenset({"epcList", "childEPCs", "inputEPCList", "outputEPCList"})
_QUANTITY_LISTS = frozenset({"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"})
_QUANTITY_CONVERTERS = {"quantity": lambda text: _number(text)}
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


def _word(kind: str, text: str) -> str:
    words = BARE_WORDS[kind][0]
    for prefix in _WORD_PREFIXES[kind]:
        if text.startswith(prefix) and text[len(prefix) :] in words:
            return text[len(prefix) :]
    return text


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


class _Converter:
    """Converts one event element; remembers the extension namespaces it meets."""

    def __init__(self) -> None:
        self.namespaces: dict[str, str] = {}  # namespace IRI -> prefix

    def key(self, element: Any, namespace: str, local: str, prefix: str | None = None) -> str:
        known = self.namespaces.get(namespace)
        if known is None:
            if prefix is None:
                prefix = next((p for p, ns in (element.nsmap or {}).items() if ns == namespace and p), None)
            taken = set(self.namespaces.values())
            if prefix is None or prefix in taken:
                prefix = next(f"ns{i}" for i in range(1, len(taken) + 2) if f"ns{i}" not in taken)
            self.namespaces[namespace] = known = prefix
        return f"{known}:{local}"

    def context(self) -> list[dict[str, str]]:
        return (
            [{prefix: namespace for namespace, prefix in self.namespaces.items()}] if self.namespaces else []
        )

    # -- user extensions ---------------------------------------------------------------------
    def extension_value(self, element: Any) -> Any:
        children = [c for c in element if isinstance(c.tag, str)]
        attributes = [(n, v) for n, v in element.attrib.items() if not n.startswith("{" + _XSI)]
        if not children and not attributes:
            return element.text or ""
        result: dict[str, Any] = {}
        for name, value in attributes:
            namespace, local = _split(name)
            result[self.key(element, namespace, local) if namespace else local] = value
        for child in children:
            self.add(result, self.child_key(child), self.extension_value(child))
        if element.text and element.text.strip():
            result["@value"] = element.text
        return result

    def child_key(self, element: Any) -> str:
        namespace, local = _split(element.tag)
        return self.key(element, namespace, local, element.prefix) if namespace else local

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
        result: dict[str, Any] = {"type": _split(element.tag)[1]}
        self.fields(element, result)
        context = self.context()
        return {"@context": context, **result} if context else result

    def fields(self, element: Any, result: dict[str, Any]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or child.get(_NIL) == "true":
                continue
            if tag in _SIMPLE:
                result[tag] = (child.text or "").strip()
            elif tag[0] == "{":
                namespace, local = _split(tag)
                self.add(result, self.key(child, namespace, local, child.prefix), self.extension_value(child))
            elif tag in _WRAPPERS:
                self.fields(child, result)
            elif tag == "certificationInfo":
                self.add(result, tag, (child.text or "").strip())
            else:
                result[tag] = self.standard(tag, child)

    def standard(self, local: str, element: Any) -> Any:
        if local in ("bizStep", "disposition"):
            return _word(local, (element.text or "").strip())
        if local in _EPC_LISTS:
            return [(c.text or "").strip() for c in element if c.tag == "epc"]
        if local in _QUANTITY_LISTS:
            return [self.structure(c, _QUANTITY_CONVERTERS) for c in element if isinstance(c.tag, str)]
        if local in ("readPoint", "bizLocation"):
            return self.structure(element, {})
        if local == "bizTransactionList":
            return [
                self.typed(c, "bizTransaction", "bizTransactionType")
                for c in element
                if isinstance(c.tag, str)
            ]
        if local in ("sourceList", "destinationList"):
            return [self.typed(c, c.tag, "sourceDestinationType") for c in element if isinstance(c.tag, str)]
        if local == "sensorElementList":
            return [self.sensor_element(c) for c in element if isinstance(c.tag, str)]
        if local == "persistentDisposition":
            result: dict[str, Any] = {}
            for child in element:
                if child.tag in ("set", "unset"):
                    result.setdefault(child.tag, []).append(_word("disposition", (child.text or "").strip()))
            return result
        if local == "errorDeclaration":
            return self.error_declaration(element)
        return self.extension_value(element)

    def structure(self, element: Any, converters: dict[str, Any]) -> dict[str, Any]:
        """A small record: unqualified children as fields (text), qualified ones as extensions."""
        result: dict[str, Any] = {}
        for child in element:
            if not isinstance(child.tag, str) or child.get(_NIL) == "true":
                continue
            namespace, local = _split(child.tag)
            if namespace is not None:
                self.add(result, self.key(child, namespace, local, child.prefix), self.extension_value(child))
            elif local in _WRAPPERS:
                result.update(self.structure(child, converters))
            else:
                text = (child.text or "").strip()
                result[local] = converters[local](text) if local in converters else text
        return result

    def typed(self, element: Any, name: str, word_kind: str) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if element.get("type") is not None:
            result["type"] = _word(word_kind, element.get("type").strip())
        result[name] = (element.text or "").strip()
        return result

    def attributes(self, element: Any, result: dict[str, Any], report: bool) -> dict[str, Any]:
        for name, value in element.attrib.items():
            namespace, local = _split(name)
            if namespace == _XSI:
                continue
            if namespace is not None:
                result[self.key(element, namespace, local)] = value
            elif report and local in _NUMBERS:
                result[local] = _number(value)
            elif report and local == "booleanValue":
                result[local] = value.strip() in ("true", "1")
            elif report and local == "type":
                result[local] = _word("sensorType", value.strip())
            elif report and local in ("exception", "component"):
                result[local] = _word(local, value.strip())
            else:
                result[local] = value
        for child in element:
            if isinstance(child.tag, str):
                self.add(result, self.child_key(child), self.extension_value(child))
        return result

    def sensor_element(self, element: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "sensorMetadata":
                result["sensorMetadata"] = self.attributes(child, {}, report=False)
            elif child.tag == "sensorReport":
                result.setdefault("sensorReport", []).append(self.attributes(child, {}, report=True))
            else:
                self.add(result, self.child_key(child), self.extension_value(child))
        return result

    def error_declaration(self, element: Any) -> dict[str, Any]:
        result = self.structure(element, {"reason": lambda text: _word("reason", text)})
        ids = element.find("correctiveEventIDs")
        if ids is not None:
            result["correctiveEventIDs"] = [(c.text or "").strip() for c in ids if isinstance(c.tag, str)]
        return result


def xml_event_to_dict(element: Any) -> dict[str, Any]:
    """One EPCIS event element (or a 1.2 `<extension>` wrapping one) as a JSON-LD event dict."""
    if _split(element.tag)[1] not in EVENT_TYPES:
        inner = next((c for c in element if isinstance(c.tag, str) and _split(c.tag)[1] in EVENT_TYPES), None)
        if inner is None:
            raise NotAnEpcisDocument(f"<{_split(element.tag)[1]}> is not an EPCIS event")
        element = inner
    return _Converter().event(element)


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
    )
    try:
        for _, element in parser:
            if info.root is None:
                _check_root(element.getroottree().getroot(), info)
            if element.tag in EVENT_TYPES:
                if _in_event_list(element):
                    event = xml_event_to_dict(element)
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


def event_dict_to_xml(event: dict[str, Any]) -> Any:
    """Not provided yet: kiik writes events as JSON-LD."""
    raise NotImplementedError("writing EPCIS XML is not supported yet")
