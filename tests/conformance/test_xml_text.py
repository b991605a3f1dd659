"""The text path of the XML writer (`kiik.epcis.adapters.xml_text`) writes, for every event it takes,
exactly what lxml serialises for it; the others (extensions, sensors, ...) are left to lxml. Checked on
every event of GS1's example documents and on plain events built here, including the text XML must
escape (`&`, `<`, `>`, quotes in attributes) and characters it must not write raw."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from kiik.epcis.adapters.xml_text import plain_event_xml
from kiik.epcis.adapters.xml_writer import _BASE, FIELD_ORDER, _scalar, event_dict_to_xml, query_document_xml
from kiik.epcis.domain import event_builders as build
from tests.conformance.test_round_trip import CAPTURED, _events, query_xsd


def _text(event: dict[str, Any]) -> str | None:
    return plain_event_xml(event, (*_BASE, *FIELD_ORDER.get(str(event.get("type")), ())), _scalar)


def _lxml(event: dict[str, Any]) -> str:
    return str(etree.tostring(event_dict_to_xml(event), encoding=str))


def _plain_events() -> list[dict[str, Any]]:
    day = datetime(2025, 9, 12, 8, tzinfo=UTC)
    shipped = build.commissioning(
        ["urn:epc:id:sgtin:4870002.000001.1"], day, "urn:epc:id:sgln:4870001.00001.0"
    )
    shipped |= {
        "bizStep": "shipping",
        "bizTransactionList": [{"type": "po", "bizTransaction": "https://po.example.org/?a=1&b=<2>"}],
        "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4870001.00000"}],
        "destinationList": [{"type": 'weird"type', "destination": "urn:epc:id:pgln:4870002.00000"}],
        "quantityList": [
            {"epcClass": "urn:epc:class:lgtin:4870002.000002.L1", "quantity": 2.5, "uom": "KGM"}
        ],
        "certificationInfo": "https://cert.example.org/1",
        "eventID": "urn:uuid:0b4b0a52-6f3b-4b8c-8f2b-6e1c2f3e4a5b",
    }
    empty = build.commissioning([], day, None)
    control = build.commissioning(["urn:epc:id:sgtin:4870002.000001.2"], day, None)
    control["eventID"] = "ni:///weird\x0bchar"
    return [shipped, empty, control]


def test_plain_events_are_written_as_lxml_writes_them() -> None:
    taken = 0
    for event in _plain_events():
        text = _text(event)
        if text is not None:
            taken += 1
            assert text == _lxml(event)
    assert taken == 2  # the one with a control character goes through lxml


@pytest.mark.parametrize("path", CAPTURED, ids=lambda p: p.name)
def test_every_gs1_example_event_is_written_as_lxml_writes_it(path: Path) -> None:
    events, _ = _events(path)
    for event in events:
        text = _text(event)
        if text is not None:
            assert text == _lxml(event), path
    document = query_document_xml(events)
    assert query_xsd().validate(etree.fromstring(document)), query_xsd().error_log.last_error
