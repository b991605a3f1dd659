"""The XML codec: EPCIS XML events as the JSON-LD events of GS1's mapping, streamed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from kiik.epcis.adapters.xml import NotAnEpcisDocument, XmlDocumentInfo, iter_xml_events, xml_event_to_dict
from kiik.epcis.domain.event_hash import event_hash_id, namespaces_from_context

VECTORS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "reference"
    / "epcis"
    / "hash-vectors"
    / "examples"
)
EPCIS2 = 'xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2025-11-02T10:00:00Z"'


def _document(events: str, *, namespaces: str = "", header: str = "") -> bytes:
    return (
        f"<epcis:EPCISDocument {EPCIS2} {namespaces}>{header}<EPCISBody><EventList>{events}"
        "</EventList></EPCISBody></epcis:EPCISDocument>"
    ).encode()


def test_an_object_event_with_every_kind_of_field() -> None:
    element = etree.fromstring(
        """<ObjectEvent xmlns:kz="https://kiik.kz/voc/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <eventTime>2025-11-02T10:00:00+05:00</eventTime><eventTimeZoneOffset>+05:00</eventTimeZoneOffset>
          <certificationInfo>https://cert.example/1</certificationInfo>
          <epcList><epc>urn:epc:id:sgtin:4870001.000001.7</epc><epc>urn:epc:id:sgtin:4870001.000001.8</epc></epcList>
          <action>ADD</action>
          <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
          <disposition>urn:epcglobal:cbv:disp:active</disposition>
          <persistentDisposition><set>urn:epcglobal:cbv:disp:completeness_verified</set></persistentDisposition>
          <readPoint><id>urn:epc:id:sgln:4870001.00001.0</id><kz:gate>2</kz:gate></readPoint>
          <bizTransactionList><bizTransaction type="urn:epcglobal:cbv:btt:po">urn:x:po:1</bizTransaction>
          </bizTransactionList>
          <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4870001.000002.L1</epcClass>
            <quantity>1.5</quantity><uom>KGM</uom></quantityElement>
            <quantityElement><epcClass>urn:epc:class:lgtin:4870001.000002.L2</epcClass>
            <quantity xsi:nil="true"/></quantityElement></quantityList>
          <sourceList><source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:4870001.00000</source>
          </sourceList>
          <sensorElementList><sensorElement>
            <sensorMetadata time="2025-11-02T09:00:00+05:00" kz:probe="p1"/>
            <sensorReport type="gs1:Temperature" value="-3.5" uom="CEL" booleanValue="true" component="x"/>
            <kz:note>cold</kz:note>
          </sensorElement></sensorElementList>
          <ilmd><kz:species>Saiga tatarica</kz:species><kz:animal><kz:sex>male</kz:sex><kz:tag>1</kz:tag>
            <kz:tag>2</kz:tag></kz:animal></ilmd>
          <kz:harvest xsi:type="xsd:string" kz:site="Ural-3">permit 17</kz:harvest>
        </ObjectEvent>"""
    )
    assert xml_event_to_dict(element) == {
        "@context": [{"kz": "https://kiik.kz/voc/"}],
        "type": "ObjectEvent",
        "eventTime": "2025-11-02T10:00:00+05:00",
        "eventTimeZoneOffset": "+05:00",
        "certificationInfo": "https://cert.example/1",
        "epcList": ["urn:epc:id:sgtin:4870001.000001.7", "urn:epc:id:sgtin:4870001.000001.8"],
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "persistentDisposition": {"set": ["completeness_verified"]},
        "readPoint": {"id": "urn:epc:id:sgln:4870001.00001.0", "kz:gate": "2"},
        "bizTransactionList": [{"type": "po", "bizTransaction": "urn:x:po:1"}],
        "quantityList": [
            {"epcClass": "urn:epc:class:lgtin:4870001.000002.L1", "quantity": 1.5, "uom": "KGM"},
            {"epcClass": "urn:epc:class:lgtin:4870001.000002.L2"},
        ],
        "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4870001.00000"}],
        "sensorElementList": [
            {
                "sensorMetadata": {"time": "2025-11-02T09:00:00+05:00", "kz:probe": "p1"},
                "sensorReport": [
                    {
                        "type": "Temperature",
                        "value": -3.5,
                        "uom": "CEL",
                        "booleanValue": True,
                        "component": "x",
                    }
                ],
                "kz:note": "cold",
            }
        ],
        "ilmd": {"kz:species": "Saiga tatarica", "kz:animal": {"kz:sex": "male", "kz:tag": ["1", "2"]}},
        "kz:harvest": {"kz:site": "Ural-3", "@value": "permit 17"},
    }


def test_epcis_1_2_wrappers_are_unwrapped() -> None:
    wrapped = _document(
        """<ObjectEvent><eventTime>2025-11-02T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
             <baseExtension><eventID>urn:uuid:1</eventID></baseExtension><epcList/><action>OBSERVE</action>
             <extension><quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4870001.000002.L1</epcClass>
             <quantity>3</quantity></quantityElement></quantityList></extension></ObjectEvent>
           <extension><TransformationEvent><eventTime>2025-11-02T11:00:00Z</eventTime>
             <eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
             <inputEPCList><epc>urn:epc:id:sgtin:4870001.000001.7</epc></inputEPCList></TransformationEvent></extension>"""
    )
    first, second = iter_xml_events(io.BytesIO(wrapped))
    assert first == {
        "type": "ObjectEvent",
        "eventTime": "2025-11-02T10:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "eventID": "urn:uuid:1",
        "epcList": [],
        "action": "OBSERVE",
        "quantityList": [{"epcClass": "urn:epc:class:lgtin:4870001.000002.L1", "quantity": 3}],
    }
    assert second["type"] == "TransformationEvent"
    assert second["inputEPCList"] == ["urn:epc:id:sgtin:4870001.000001.7"]


def test_a_query_document_gives_its_result_events_and_ignore_fields() -> None:
    document = b"""<epcisq:EPCISQueryDocument xmlns:epcisq="urn:epcglobal:epcis-query:xsd:2"
        xmlns:repo="https://repo.example/" schemaVersion="2.0" creationDate="2025-11-02T10:00:00Z">
      <repo:ignoreFields><repo:captureID/></repo:ignoreFields>
      <EPCISBody><epcisq:QueryResults><queryName>SimpleEventQuery</queryName><resultsBody><EventList>
        <ObjectEvent><eventTime>2025-11-02T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
          <epcList><epc>urn:epc:id:sgtin:4870001.000001.7</epc></epcList><action>OBSERVE</action>
          <repo:captureID>c-1</repo:captureID></ObjectEvent>
      </EventList></resultsBody></epcisq:QueryResults></EPCISBody></epcisq:EPCISQueryDocument>"""
    info = XmlDocumentInfo()
    (event,) = iter_xml_events(io.BytesIO(document), info)
    assert info.root == "EPCISQueryDocument"
    assert info.ignore_fields == ["{https://repo.example/}captureID"]
    assert event["repo:captureID"] == "c-1"
    assert event_hash_id(event, ignore_fields=info.ignore_fields) == event_hash_id(
        {k: v for k, v in event.items() if k not in ("repo:captureID", "@context")}
    )


def test_extensions_in_the_default_namespace_get_a_prefix() -> None:
    (event,) = iter_xml_events(
        io.BytesIO(
            _document(
                "<ObjectEvent><eventTime>2025-11-02T10:00:00Z</eventTime><epcList/><action>OBSERVE</action>"
                '<note xmlns="https://notes.example/">x</note></ObjectEvent>'
            )
        )
    )
    assert event["@context"] == [{"ns1": "https://notes.example/"}]
    assert event["ns1:note"] == "x"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html><body/></html>", "the root element is <html>"),
        (b"<epcis:EPCISDocument xmlns:epcis='urn:epcglobal:epcis:xsd:2'><EPCISBody>", "not well-formed XML"),
    ],
)
def test_other_documents_are_refused(content: bytes, reason: str) -> None:
    with pytest.raises(NotAnEpcisDocument, match=reason):
        list(iter_xml_events(io.BytesIO(content)))


@pytest.mark.parametrize(
    "name",
    [
        "CertificationInfoAndSensorReportWithCRS",
        "ReferenceEventHashAlgorithm2",
        "epcisDocWithXMLstartTagAndErrorDeclaration",
    ],
)
def test_xml_examples_give_the_events_of_their_json_twins(name: str) -> None:
    document = json.loads((VECTORS / f"{name}.jsonld").read_text())
    namespaces = namespaces_from_context(document["@context"])
    from_json = [event_hash_id(e, namespaces) for e in document["epcisBody"]["eventList"]]
    from_xml = [event_hash_id(e) for e in iter_xml_events(VECTORS / f"{name}.xml")]
    assert from_xml == from_json


def test_elements_are_discarded_as_events_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document of hundreds of MB must not build its tree: only the parser's read-ahead stays."""
    event = (
        "<ObjectEvent><eventTime>2025-11-02T10:00:00Z</eventTime><eventTimeZoneOffset>+05:00</eventTimeZoneOffset>"
        "<epcList><epc>urn:epc:id:sgtin:4870001.000001.{n}</epc></epcList><action>OBSERVE</action>"
        "<readPoint><id>urn:epc:id:sgln:4870001.00001.0</id></readPoint><kz:shelf>{n}</kz:shelf></ObjectEvent>"
    )
    path = tmp_path / "large.xml"
    with path.open("w") as out:
        out.write(f'<epcis:EPCISDocument {EPCIS2} xmlns:kz="https://kiik.kz/voc/"><EPCISBody><EventList>')
        out.write("".join(event.format(n=n) for n in range(20_000)))  # 140,000 elements
        out.write("</EventList></EPCISBody></epcis:EPCISDocument>")
    roots: list[Any] = []
    real_iterparse = etree.iterparse

    def recording_iterparse(*args: Any, **kwargs: Any) -> Any:
        for action, element in real_iterparse(*args, **kwargs):
            if not roots:
                roots.append(element)
            yield action, element

    monkeypatch.setattr("kiik.epcis.adapters.xml.etree.iterparse", recording_iterparse)
    largest_tree = 0
    count = 0
    for _event in iter_xml_events(path):
        count += 1
        if count % 250 == 0:
            largest_tree = max(largest_tree, sum(1 for _ in roots[0].iter()))
    assert count == 20_000
    assert largest_tree < 5_000, f"{largest_tree} elements held in memory while streaming"
