"""JSON-LD event dicts written as EPCIS 2.0 XML, and query documents valid against GS1's query XSD.

The inverse of `kiik.epcis.adapters.xml`: reading what this writes gives back the same event dict
(so the same Event Hash ID). Standard fields become unqualified elements in the order the XSD asks
for; `prefix:local` keys become elements in the namespace the event's `@context` (or GS1's) binds to
the prefix; bare CBV words are written as their CBV URNs, bare sensor words as `gs1:` CURIEs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree  # type: ignore[import-untyped]

from kiik.epcis.adapters.xml_text import plain_event_xml
from kiik.epcis.domain.event_hash import STANDARD_PREFIXES, namespaces_from_context
from kiik.epcis.domain.event_hash_values import BARE_WORDS
from kiik.epcis.domain.vocabulary import XML_CARRIER_NAMESPACE, XML_CARRIER_PREFIX

QUERY_NS = "urn:epcglobal:epcis-query:xsd:2"
_CARRIED_CERTIFICATION = f"{{{XML_CARRIER_NAMESPACE}}}certificationInfo"

_BASE = ("eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "errorDeclaration", "certificationInfo")
_WHERE = ("bizStep", "disposition", "readPoint", "bizLocation")
_SENSING = ("sourceList", "destinationList", "sensorElementList", "persistentDisposition")
# Each event type's standard fields in the order of its XSD type (after the base fields).
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "ObjectEvent": (
        "epcList", "action", *_WHERE, "bizTransactionList", "quantityList", *_SENSING, "ilmd",
    ),
    "AggregationEvent": (
        "parentID", "childEPCs", "action", *_WHERE, "bizTransactionList", "childQuantityList", *_SENSING,
    ),
    "TransactionEvent": (
        "bizTransactionList", "parentID", "epcList", "action", *_WHERE, "quantityList", *_SENSING,
    ),
    "TransformationEvent": (
        "inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList", "transformationID",
        *_WHERE, "bizTransactionList", *_SENSING, "ilmd",
    ),
    "AssociationEvent": (
        "parentID", "childEPCs", "childQuantityList", "action", *_WHERE, "bizTransactionList", *_SENSING,
    ),
}  # fmt: skip
# How a bare word of each kind is written in XML (the first spelling the reader knows).
_WORD_SPELLING = {
    "bizStep": "urn:epcglobal:cbv:bizstep:",
    "disposition": "urn:epcglobal:cbv:disp:",
    "set": "urn:epcglobal:cbv:disp:",
    "unset": "urn:epcglobal:cbv:disp:",
    "bizTransactionType": "urn:epcglobal:cbv:btt:",
    "sourceDestinationType": "urn:epcglobal:cbv:sdt:",
    "reason": "urn:epcglobal:cbv:er:",
    "component": "urn:epcglobal:cbv:comp:",
    "sensorType": "gs1:",
    "exception": "gs1:",
}
_EPC_LISTS = frozenset({"epcList", "childEPCs", "inputEPCList", "outputEPCList"})
_QUANTITY_LISTS = frozenset({"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"})
_PLAIN = frozenset({"eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "parentID", "action"})
_PLAIN |= {"transformationID", "certificationInfo"}
_REPORT_WORDS = {"type": "sensorType", "exception": "exception", "component": "component"}
# Fields that are one string in every event kiik stores (the common case, written at once).
_SIMPLE_TEXT = frozenset({"eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "action"})


def _word(kind: str, value: Any) -> str:
    text = str(value)
    return _WORD_SPELLING[kind] + text if text in BARE_WORDS[kind][0] else text


def _scalar(value: Any) -> str:
    """A JSON scalar as XML text: booleans as XSD booleans, numbers without exponents."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text if "." in text or "e" in text.lower() else text + ".0"
    return "" if value is None else str(value)


class _Writer:
    """Writes one event; knows the prefixes its `@context` (and GS1's) defines."""

    def __init__(self, event: Mapping[str, Any]) -> None:
        self.namespaces = {**STANDARD_PREFIXES, **namespaces_from_context(event.get("@context") or [])}

    def tag(self, key: str) -> str:
        """The Clark name of a key: `prefix:local` in its namespace, a plain key unqualified."""
        prefix, colon, local = key.partition(":")
        if not colon:
            return key
        return f"{{{self.namespaces.get(prefix, prefix + ':')}}}{local}"

    def extension(self, parent: Any, key: str, value: Any) -> None:
        """A user extension (or ILMD) field as elements: lists repeat the element, objects nest."""
        if key.startswith("@"):
            return
        for item in value if isinstance(value, list) else [value]:
            element = etree.SubElement(parent, self.tag(key))
            if isinstance(item, dict):
                for child_key, child in item.items():
                    if child_key == "@value":
                        element.text = _scalar(child)
                    else:
                        self.extension(element, child_key, child)
            else:
                element.text = _scalar(item)

    def extensions(self, parent: Any, fields: Mapping[str, Any]) -> None:
        for key, value in fields.items():
            if ":" in key and not key.startswith("@"):
                self.extension(parent, key, value)

    def event(self, event: Mapping[str, Any]) -> Any:
        kind = str(event.get("type"))
        # Every prefix the event may use is declared on it, so that a reader gives back the same keys;
        # cleanup_namespaces then drops those it did not use.
        nsmap = {p: ns for p, ns in self.namespaces.items() if p.isidentifier()}
        element = etree.Element(kind, nsmap=nsmap)
        for name in (*_BASE, *FIELD_ORDER.get(kind, ())):
            if name in event:
                self.field(element, name, event[name])
        if "comment" in event:
            # JSON-LD's comment has no XML element; hashers skip it in both forms.
            element.append(etree.Comment(" " + str(event["comment"]).replace("--", "- -") + " "))
        self.extensions(element, event)
        self.carried(element, event)
        etree.cleanup_namespaces(element, top_nsmap={XML_CARRIER_PREFIX: XML_CARRIER_NAMESPACE})
        return element

    def carried(self, element: Any, event: Mapping[str, Any]) -> None:
        """What GS1's XSD has no place for, as extension elements in kiik's carrier namespace, which
        the XSD lets any event end with and kiik's reader puts back: the second and later
        certificationInfo (the XSD allows one, JSON a list)."""
        certification = event.get("certificationInfo")
        if isinstance(certification, list):
            for value in certification[1:]:
                etree.SubElement(element, _CARRIED_CERTIFICATION).text = _scalar(value)

    def field(self, parent: Any, name: str, value: Any) -> None:
        if name in _SIMPLE_TEXT:
            etree.SubElement(parent, name).text = value if isinstance(value, str) else _scalar(value)
        elif name == "certificationInfo":
            # One element where the XSD has it; the others are carried (see `carried`).
            first = value[0] if isinstance(value, list) else value
            if not isinstance(value, list) or value:
                etree.SubElement(parent, name).text = _scalar(first)
        elif name in _PLAIN:
            for item in value if isinstance(value, list) else [value]:
                etree.SubElement(parent, name).text = _scalar(item)
        elif name in ("bizStep", "disposition"):
            etree.SubElement(parent, name).text = _word(name, value)
        elif name in _EPC_LISTS:
            listed = etree.SubElement(parent, name)
            for epc in value:
                etree.SubElement(listed, "epc").text = str(epc)
        elif name in _QUANTITY_LISTS:
            listed = etree.SubElement(parent, name)
            for quantity in value:
                self.quantity(etree.SubElement(listed, "quantityElement"), quantity)
        elif name in ("readPoint", "bizLocation"):
            place = etree.SubElement(parent, name)
            etree.SubElement(place, "id").text = str(value.get("id", ""))
            self.extensions(place, value)
        elif name == "bizTransactionList":
            listed = etree.SubElement(parent, name)
            for item in value:
                self.typed(listed, "bizTransaction", item, "bizTransactionType")
        elif name in ("sourceList", "destinationList"):
            listed = etree.SubElement(parent, name)
            for item in value:
                self.typed(listed, name.removesuffix("List"), item, "sourceDestinationType")
        elif name == "sensorElementList":
            listed = etree.SubElement(parent, name)
            for item in value:
                self.sensor_element(etree.SubElement(listed, "sensorElement"), item)
        elif name == "persistentDisposition":
            disposition = etree.SubElement(parent, name)
            for change in ("unset", "set"):
                for word in value.get(change, ()):
                    etree.SubElement(disposition, change).text = _word(change, word)
        elif name == "errorDeclaration":
            self.error_declaration(etree.SubElement(parent, name), value)
        elif name == "ilmd":
            self.extensions(etree.SubElement(parent, name), value)

    def quantity(self, element: Any, quantity: Mapping[str, Any]) -> None:
        etree.SubElement(element, "epcClass").text = str(quantity.get("epcClass", ""))
        if "quantity" in quantity:
            etree.SubElement(element, "quantity").text = _scalar(quantity["quantity"])
            if "uom" in quantity:
                etree.SubElement(element, "uom").text = str(quantity["uom"])

    def typed(self, parent: Any, name: str, item: Mapping[str, Any], kind: str) -> None:
        element = etree.SubElement(parent, name)
        if "type" in item:
            element.set("type", _word(kind, item["type"]))
        element.text = str(item.get(name, ""))

    def attributes(self, element: Any, values: Mapping[str, Any], report: bool) -> None:
        for key, value in values.items():
            if isinstance(value, Mapping | list) or key.startswith("@"):
                continue
            if report and key in _REPORT_WORDS:
                element.set(key, _word(_REPORT_WORDS[key], value))
            else:
                element.set(self.tag(key), _scalar(value))

    def sensor_element(self, element: Any, sensor: Mapping[str, Any]) -> None:
        if "sensorMetadata" in sensor:
            self.attributes(etree.SubElement(element, "sensorMetadata"), sensor["sensorMetadata"], False)
        for report in sensor.get("sensorReport", ()):
            self.attributes(etree.SubElement(element, "sensorReport"), report, True)
        self.extensions(element, sensor)

    def error_declaration(self, element: Any, declaration: Mapping[str, Any]) -> None:
        if "declarationTime" in declaration:
            etree.SubElement(element, "declarationTime").text = str(declaration["declarationTime"])
        if "reason" in declaration:
            etree.SubElement(element, "reason").text = _word("reason", declaration["reason"])
        if "correctiveEventIDs" in declaration:
            ids = etree.SubElement(element, "correctiveEventIDs")
            for event_id in declaration["correctiveEventIDs"]:
                etree.SubElement(ids, "correctiveEventID").text = str(event_id)
        self.extensions(element, declaration)


def event_dict_to_xml(event: Mapping[str, Any]) -> Any:
    """One JSON-LD event dict as an lxml element of EPCIS 2.0 XML."""
    return _Writer(event).event(event)


def _creation_date() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _event_text(event: Mapping[str, Any]) -> str:
    kind = str(event.get("type"))
    plain = plain_event_xml(event, (*_BASE, *FIELD_ORDER.get(kind, ())), _scalar)
    if plain is not None:
        return plain
    return str(etree.tostring(event_dict_to_xml(event), encoding=str))


def query_document_xml(
    events: Iterable[Mapping[str, Any]],
    query_name: str = "SimpleEventQuery",
    subscription_id: str | None = None,
) -> bytes:
    """An EPCISQueryDocument (GS1's query XSD) holding the events of one query result, as bytes.

    Written as text: the envelope here, each plain event by `xml_text`, any other by lxml."""
    subscription = (
        "" if subscription_id is None else f"<subscriptionID>{escape(subscription_id)}</subscriptionID>"
    )
    head = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<epcisq:EPCISQueryDocument xmlns:epcisq="{QUERY_NS}" schemaVersion="2.0" '
        f'creationDate="{_creation_date()}"><EPCISBody><epcisq:QueryResults>'
        f"<queryName>{escape(query_name)}</queryName>{subscription}<resultsBody>"
    )
    body = "".join(_event_text(event) for event in events)
    listed = f"<EventList>{body}</EventList>" if body else "<EventList/>"
    tail = "</resultsBody></epcisq:QueryResults></EPCISBody></epcisq:EPCISQueryDocument>"
    return (head + listed + tail).encode()
