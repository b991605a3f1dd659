"""What JSON allows and GS1's XSD has no place for, through XML and back.

An event's `certificationInfo` may be a list in JSON (GS1's JSON schema) but is one element in the
XSD: kiik writes the first where the XSD has it and carries the others in an extension element of its
own namespace, which its reader puts back. Captured from JSON, an event with three certifications is
answered in XML valid against GS1's query XSD; that XML, read back and captured again, gives the same
Event Hash ID, in JSON and XML. Extension fields inside a quantity element are refused at capture in
both forms (GS1's JSON schema forbids them, and so does the XSD), with the field named. Runs on SQLite
and PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from lxml import etree

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.epcis.adapters.capture_source import open_capture_document
from kiik.epcis.adapters.xml import iter_xml_events
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from tests.conformance.test_query_xml import query_xsd, xml_hashes  # noqa: F401 (a fixture)
from tests.support.documents import capture, listed_events
from tests.support.world import make_world

CERTIFICATES = [f"https://accreditation.example.org/certificate/{n}" for n in ("A1", "B2", "C3")]


def _event(serial: int, certificates: Any) -> dict[str, Any]:
    event = build.commissioning(
        [f"urn:epc:id:sgtin:4870002.000001.{serial}"], datetime(2025, 9, 12, 8, tzinfo=UTC), None
    )
    event["certificationInfo"] = certificates
    event["@context"] = [{"ex": "https://example.org/ex/"}]
    event["ex:grade"] = "A"
    return event


def test_several_certifications_go_through_xml_and_back_with_the_same_hash(
    registry: Registry,
    query_xsd: Any,  # noqa: F811
) -> None:
    world = make_world(registry)
    ministry = world["ministry"]
    events = [_event(1, CERTIFICATES), _event(2, CERTIFICATES[:1]), _event(3, CERTIFICATES[1])]
    expected = sorted(event_hash_id(e) for e in events)
    assert capture(registry, ministry.principal, events, rules=False).succeeded
    headers = {"Authorization": f"Bearer {ministry.token}"}
    with TestClient(create_app(registry)) as client:
        answer = client.get("/epcis/events", headers={**headers, "Accept": "application/xml"})
        assert answer.status_code == 200, answer.text
        assert sorted(xml_hashes(answer.content, query_xsd)) == expected  # valid, and the same hashes
        read_back = {e["epcList"][0]: e for e in iter_xml_events(io.BytesIO(answer.content))}
        assert read_back["urn:epc:id:sgtin:4870002.000001.1"]["certificationInfo"] == CERTIFICATES
        # The XML carries one certificationInfo where the XSD has it, the others in kiik's namespace.
        tree = etree.fromstring(answer.content)
        first = tree.xpath("//ObjectEvent[epcList/epc='urn:epc:id:sgtin:4870002.000001.1']")[0]
        assert [c.text for c in first.findall("certificationInfo")] == CERTIFICATES[:1]
        carried = first.findall("{https://kiik.kz/ns/epcis-xml/}certificationInfo")
        assert [c.text for c in carried] == CERTIFICATES[1:]

    # The XML answer, read as an EPCISDocument a partner would capture, is the same events.
    document = _as_capture_document(answer.content)
    reader = open_capture_document(document)
    recaptured = list(reader.events())
    assert all(not e.problems for e in recaptured), [e.problems for e in recaptured]
    assert sorted(event_hash_id(e.event) for e in recaptured) == expected
    with TestClient(create_app(registry)) as client:
        as_json = client.get("/epcis/events", headers=headers)
        assert sorted(event_hash_id(e) for e in listed_events(as_json.json())) == expected


def _as_capture_document(query_answer: bytes) -> bytes:
    """The events of an XML query answer in an EPCISDocument (what a partner would capture)."""
    tree = etree.fromstring(query_answer)
    root = etree.Element(
        "{urn:epcglobal:epcis:xsd:2}EPCISDocument",
        nsmap={"epcis": "urn:epcglobal:epcis:xsd:2"},
        schemaVersion="2.0",
        creationDate="2025-09-12T09:00:00Z",
    )
    listed = etree.SubElement(etree.SubElement(root, "EPCISBody"), "EventList")
    for event in tree.iter("ObjectEvent"):
        for record_time in event.findall("recordTime"):
            event.remove(record_time)
        listed.append(event)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def test_extensions_inside_a_quantity_element_are_refused_in_both_forms(reference: Path) -> None:
    event = {
        "@context": [{"ex": "https://example.org/ex/"}],
        "type": "ObjectEvent",
        "eventTime": "2025-09-12T08:00:00.000Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": [],
        "action": "OBSERVE",
        "quantityList": [
            {
                "epcClass": "urn:epc:class:lgtin:4870002.000002.L1",
                "quantity": 2,
                "uom": "KGM",
                "ex:grade": "A",
            }
        ],
    }
    from_json = open_capture_document(json.dumps(build.document([event])).encode())
    problems = [p for e in from_json.events() for p in e.problems]
    assert any("ex:grade" in p.message and "quantityList" in p.message for p in problems), problems
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" '
        b'xmlns:ex="https://example.org/ex/" schemaVersion="2.0" creationDate="2025-09-12T09:00:00Z">'
        b"<EPCISBody><EventList><ObjectEvent><eventTime>2025-09-12T08:00:00Z</eventTime>"
        b"<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList/><action>OBSERVE</action><quantityList>"
        b"<quantityElement><epcClass>urn:epc:class:lgtin:4870002.000002.L1</epcClass><quantity>2</quantity>"
        b"<uom>KGM</uom><ex:grade>A</ex:grade></quantityElement></quantityList></ObjectEvent></EventList>"
        b"</EPCISBody></epcis:EPCISDocument>"
    )
    from_xml = open_capture_document(xml)
    problems = [p for e in from_xml.events() for p in e.problems]
    assert any(p.rule == "xsd" and "grade" in p.message for p in problems), problems
