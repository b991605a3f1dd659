"""The XML side of the reader: each event against the XSD, then converted to JSON-LD and checked
by the same semantic rules as JSON events; the envelope against the XSD at the end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from lxml import etree

from kiik.epcis.adapters.event_check import event_id_of
from kiik.epcis.adapters.problems import DocumentEvent, Problem, with_event
from kiik.epcis.adapters.semantics import Finding, semantic_findings
from kiik.epcis.adapters.xml import xml_event_to_dict
from kiik.epcis.adapters.xml_stream import EVENT_ELEMENTS, XmlDocumentStream, XmlEventElement
from kiik.epcis.adapters.xsd import envelope_xsd_problems, event_xsd_problems, root_problem

# The element that holds each item of a JSON list in EPCIS 2.0 XML.
_XML_ITEM = {
    "epcList": "epc",
    "childEPCs": "epc",
    "inputEPCList": "epc",
    "outputEPCList": "epc",
    "quantityList": "quantityElement",
    "childQuantityList": "quantityElement",
    "inputQuantityList": "quantityElement",
    "outputQuantityList": "quantityElement",
    "sourceList": "source",
    "destinationList": "destination",
    "bizTransactionList": "bizTransaction",
}


def xml_document_events(
    stream: IO[bytes], state: dict[str, Any], problems: list[Problem], now: datetime | None
) -> Iterator[DocumentEvent]:
    """Each event of an XML document with its problems; the document's own problems go to `problems`."""
    document = XmlDocumentStream(stream)
    index = 0
    for item in document.raw_events():
        state["kind"] = document.kind
        found = event_xsd_problems(item.element, item.path)
        if item.tag == "extension" and not found:
            continue  # an EventList extension in another namespace: allowed, and no event kiik reads
        event: dict[str, Any] = {}
        if not found:
            event, found = _read_event(item, now)
        yield DocumentEvent(index, event, with_event(found, index, event_id_of(event) or _xml_event_id(item)))
        index += 1
    state["kind"] = document.kind
    if document.root is None:
        if document.syntax_problem is not None:
            problems.append(document.syntax_problem)
        return
    wrong_root = root_problem(document.root)
    if wrong_root is not None:
        problems.append(wrong_root)
    if document.syntax_problem is not None:
        problems.append(document.syntax_problem)
    elif wrong_root is None:
        problems.extend(envelope_xsd_problems(document.root))


def _read_event(item: XmlEventElement, now: datetime | None) -> tuple[dict[str, Any], list[Problem]]:
    if item.tag not in EVENT_ELEMENTS:
        return {}, [
            Problem(
                f"{item.path} (line {item.line})",
                "semantics.event_type",
                f"<{item.tag}> in an EventList is not one of the EPCIS 2.0 event types kiik "
                f"reads ({', '.join(EVENT_ELEMENTS)}).",
            )
        ]
    try:
        event = xml_event_to_dict(item.element)
    except Exception as error:  # noqa: BLE001 - any failure to read a schema-valid event is reported, not raised
        return {}, [
            Problem(f"{item.path} (line {item.line})", "xml", f"The event could not be read: {error}")
        ]
    return event, [
        *_json_gaps(item, event),
        *(_xml_problem(item, f) for f in semantic_findings(event, now=now)),
    ]


def _json_gaps(item: XmlEventElement, event: dict[str, Any]) -> list[Problem]:
    """What the XML schema allows but EPCIS 2.0 JSON does not, so that an event kiik keeps can be
    answered as valid JSON: a sensor report without its measurement type (optional in the XSD,
    required by the JSON Schema)."""
    found = []
    for n, element in enumerate(event.get("sensorElementList", [])):
        for m, report in enumerate(element.get("sensorReport", []) if isinstance(element, dict) else []):
            if isinstance(report, dict) and "type" not in report:
                found.append(
                    Problem(
                        f"{item.path}/sensorElementList/sensorElement[{n + 1}]/sensorReport[{m + 1}] "
                        f"(line {item.line})",
                        "semantics.sensor_type",
                        'A sensorReport needs its type (the measurement, such as type="gs1:Temperature"): '
                        "EPCIS 2.0 JSON requires it, so kiik could not answer the event as valid JSON.",
                    )
                )
    return found


def _xml_event_id(item: XmlEventElement) -> str | None:
    found = item.element.find("eventID")
    if found is None:
        found = item.element.find("baseExtension/eventID")
    return found.text.strip() if found is not None and found.text else None


def _xml_problem(item: XmlEventElement, finding: Finding) -> Problem:
    """A semantic finding (a JSON path inside the event) placed on the XML element it is about."""
    parts, rule, message = finding
    steps: list[str] = []
    last = ""
    for part in parts:
        if isinstance(part, int):
            steps.append(f"{_XML_ITEM.get(last, '*')}[{part + 1}]")
        else:
            steps.append(part)
            last = part
    relative = "/".join(steps)
    line = item.line
    if relative:
        try:
            matches = item.element.xpath(relative)
        except etree.XPathError:
            matches = []
        if matches and isinstance(matches[0], etree._Element) and matches[0].sourceline:
            line = matches[0].sourceline
    path = f"{item.path}/{relative}" if relative else item.path
    return Problem(f"{path} (line {line})", rule, message)
