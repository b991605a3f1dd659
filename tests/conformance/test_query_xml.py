"""Query answers in XML (`Accept: application/xml`): on every query path, an EPCISQueryDocument valid
against GS1's query XSD (the reference copy, read with lxml), whose events, read back, have the Event
Hash IDs they were captured with, whether they were captured from JSON or from XML. Runs on SQLite
and PostgreSQL."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.epcis.adapters.xml import iter_xml_events
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from tests.support.documents import capture, listed_events
from tests.support.world import Member, make_world

XML = "application/xml"
# An XML document of GS1's with sensor data, ILMD-like user extensions and nested extension fields.
GS1_XML = "epcis/gs1-EPCIS/XML/WithFullCombinationOfFields/object_event_all_possible_fields.xml"


@pytest.fixture(scope="module")
def query_xsd(reference: Path) -> Any:
    return etree.XMLSchema(etree.parse(str(reference / "epcis/gs1-EPCIS/XSD/EPCglobal-epcis-query-2_0.xsd")))


def xml_hashes(body: bytes, xsd: Any) -> list[str]:
    """The Event Hash IDs of an XML query answer, after checking it against GS1's query XSD."""
    document = etree.fromstring(body)
    assert xsd.validate(document), xsd.error_log.last_error
    return [event_hash_id(e) for e in iter_xml_events(io.BytesIO(body))]


def _captured(
    registry: Registry, reference: Path
) -> tuple[Member, list[dict[str, Any]], list[dict[str, Any]]]:
    world = make_world(registry)
    team = world["harvester"]
    day = datetime(2025, 9, 12, 8, tzinfo=UTC)
    from_json = [
        build.commissioning(
            [f"urn:epc:id:sgtin:4870002.000001.{n}"], day, team.sgln, ilmd={"massKg": 0.3 + n / 10}
        )
        for n in range(1, 4)
    ]
    assert capture(registry, team.principal, from_json).succeeded
    xml_document = (reference / GS1_XML).read_bytes()
    from_xml = list(iter_xml_events(io.BytesIO(xml_document)))
    ministry = world["ministry"]
    outcome = capture(registry, ministry.principal, xml_document, rules=False)
    assert outcome.succeeded, outcome.errors
    return ministry, from_json, from_xml


def test_every_query_path_answers_in_xml_with_the_captured_hash_ids(
    registry: Registry, reference: Path, query_xsd: Any
) -> None:
    ministry, from_json, from_xml = _captured(registry, reference)
    everything = from_json + from_xml
    headers = {"Authorization": f"Bearer {ministry.token}", "Accept": XML}
    commissioned = [e for e in everything if e.get("bizStep") == "commissioning"]
    first_epc = from_json[0]["epcList"][0]
    naming_first = [e for e in everything if first_epc in e.get("epcList", [])]
    assert commissioned and naming_first  # the expected answers are not empty
    one = from_xml[0]
    with TestClient(create_app(registry)) as client:
        made = client.post(
            "/epcis/queries",
            json={"name": "commissioned", "query": {"EQ_bizStep": ["commissioning"]}},
            headers={"Authorization": headers["Authorization"]},
        )
        assert made.status_code == 201, made.text
        expected = {
            "/epcis/events?perPage=100": everything,
            "/epcis/queries/commissioned/events": commissioned,
            "/epcis/bizSteps/commissioning/events": commissioned,
            f"/epcis/epcs/{quote(first_epc, safe='')}/events": naming_first,
            f"/epcis/events/{quote(event_hash_id(one), safe='')}": [one],
        }
        for path, events in expected.items():
            answer = client.get(path, headers=headers)
            assert answer.status_code == 200, (path, answer.text)
            assert answer.headers["content-type"].startswith(XML)
            assert sorted(xml_hashes(answer.content, query_xsd)) == sorted(
                event_hash_id(e) for e in events
            ), path
            # The same path in JSON-LD gives the same events.
            in_json = client.get(path, headers={**headers, "Accept": "application/ld+json"}).json()
            assert sorted(event_hash_id(e) for e in listed_events(in_json)) == sorted(
                event_hash_id(e) for e in events
            )
        named = etree.fromstring(client.get("/epcis/queries/commissioned/events", headers=headers).content)
        assert named.findtext(".//queryName") == "commissioned"


def test_xml_pages_are_linked_like_json_pages(registry: Registry, reference: Path, query_xsd: Any) -> None:
    ministry, from_json, from_xml = _captured(registry, reference)
    headers = {"Authorization": f"Bearer {ministry.token}", "Accept": XML}
    url: str | None = "/epcis/events?perPage=2"
    seen: list[str] = []
    with TestClient(create_app(registry)) as client:
        while url:
            answer = client.get(url, headers=headers)
            assert answer.status_code == 200, answer.text
            page = xml_hashes(answer.content, query_xsd)
            assert len(page) <= 2
            seen += page
            link = answer.headers.get("Link")
            url = link.split(">")[0].lstrip("<") if link else None
    assert sorted(seen) == sorted(event_hash_id(e) for e in from_json + from_xml)
