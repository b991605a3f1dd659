"""The Event Hash ID (CBV 2.0 section 8.9): normalisation of values, order of fields, extensions."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from kiik.epcis.domain.event_hash import (
    event_hash_id,
    find_ignore_fields,
    hash_id_of_prehash,
    namespaces_from_context,
    prehash_string,
)
from kiik.epcis.domain.event_hash_values import number, scalar, timestamp, vocabulary

EX = "https://ns.example.com/epcis/"


def _event(**fields: Any) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": "2025-11-02T10:00:00+05:00",
        "eventTimeZoneOffset": "+05:00",
        "epcList": ["urn:epc:id:sgtin:4870001.000001.7"],
        "action": "OBSERVE",
        **fields,
    }


HEAD = (
    "eventType=ObjectEventeventTime=2025-11-02T05:00:00.000ZeventTimeZoneOffset=+05:00"
    "epcListepc=https://id.gs1.org/01/04870001000011/21/7action=OBSERVE"
)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("2005-04-03T20:33:31.116000-06:00", "2005-04-04T02:33:31.116Z"),
        ("2019-10-21T14:58:56+02:00", "2019-10-21T12:58:56.000Z"),
        ("2019-10-21T12:58:56Z", "2019-10-21T12:58:56.000Z"),
        ("2020-01-01T00:00:00.1235+05:00", "2019-12-31T19:00:00.124Z"),
        ("2023-01-18T11:04:03.1415Z", "2023-01-18T11:04:03.142Z"),
        ("2023-12-31T23:59:59.9996Z", "2024-01-01T00:00:00.000Z"),
        ("2022-02-16T08:40:21.3142715Z", "2022-02-16T08:40:21.314Z"),
        ("2020-01-01T00:00Z", "2020-01-01T00:00:00.000Z"),
        ("not a time", "not a time"),
    ],
)
def test_timestamps_are_utc_with_milliseconds(written: str, canonical: str) -> None:
    assert timestamp(written) == canonical


@pytest.mark.parametrize(
    ("value", "text"),
    [(26, "26"), (26.0, "26"), (0.1, "0.1"), (1e3, "1000"), (Decimal("12.10"), "12.1"), (1e-7, "1e-07")],
)
def test_numbers_lose_trailing_zeros(value: Any, text: str) -> None:
    assert number(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("12.10000", "12.1"),
        ("0.180000000000", "0.18"),
        ("  7 ", "7"),
        (True, "true"),
        ("gs1:Temperature", "https://gs1.org/voc/Temperature"),
        ("cbv:BizStep-receiving", "https://ref.gs1.org/cbv/BizStep-receiving"),
        ("urn:epcglobal:cbv:disp:in_transit", "https://ref.gs1.org/cbv/Disp-in_transit"),
        ("urn:epcglobal:cbv:bt:4870001000004:PO-17", "urn:epcglobal:cbv:bt:4870001000004:PO-17"),
        ("urn:epc:id:sgln:4870001.00001.0", "https://id.gs1.org/414/4870001000011"),
        ("https://example.org/253/4012345000054987", "https://id.gs1.org/253/4012345000054987"),
        ("example:x", "example:x"),
        ("f0f0f0", "f0f0f0"),
    ],
)
def test_scalar_values(value: Any, text: str) -> None:
    assert scalar(value) == text


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("bizStep", "shipping", "https://ref.gs1.org/cbv/BizStep-shipping"),
        ("bizStep", "urn:epcglobal:cbv:bizstep:shipping", "https://ref.gs1.org/cbv/BizStep-shipping"),
        ("bizStep", "urn:kiik:bizstep:seizing", "urn:kiik:bizstep:seizing"),
        ("bizStep", "not_a_step", "not_a_step"),
        ("disposition", "in_transit", "https://ref.gs1.org/cbv/Disp-in_transit"),
        ("bizTransactionType", "po", "https://ref.gs1.org/cbv/BTT-po"),
        ("sourceDestinationType", "owning_party", "https://ref.gs1.org/cbv/SDT-owning_party"),
        ("sensorType", "Temperature", "https://gs1.org/voc/Temperature"),
        ("exception", "ALARM_CONDITION", "https://gs1.org/voc/ALARM_CONDITION"),
        ("component", "latitude", "https://ref.gs1.org/cbv/Comp-latitude"),
    ],
)
def test_bare_cbv_words_become_uris(field: str, value: str, text: str) -> None:
    assert vocabulary(field, value) == text


def test_the_id_is_the_sha256_of_the_prehash_in_an_ni_uri() -> None:
    event = _event()
    assert prehash_string(event) == HEAD
    assert event_hash_id(event) == hash_id_of_prehash(HEAD)
    assert re.fullmatch(r"ni:///sha-256;[0-9a-f]{64}\?ver=CBV2\.0", event_hash_id(event))


def test_fields_follow_the_canonical_order_of_the_reference_implementation() -> None:
    # Values are placeholders; what matters is where each field lands.
    event = {
        "ilmd": {"ex:a": "1"},
        "sensorElementList": [{"sensorReport": [{"type": "x", "value": 1}]}],
        "destinationList": [{"type": "dt", "destination": "d"}],
        "sourceList": [{"type": "st", "source": "s"}],
        "bizTransactionList": [{"type": "tt", "bizTransaction": "bt"}],
        "bizLocation": {"id": "l"},
        "readPoint": {"id": "r"},
        "persistentDisposition": {"set": ["s"]},
        "disposition": "d",
        "bizStep": "b",
        "transformationID": "t",
        "action": "ADD",
        "outputQuantityList": [{"epcClass": "oq"}],
        "outputEPCList": ["oe"],
        "inputQuantityList": [{"epcClass": "iq"}],
        "childQuantityList": [{"epcClass": "cq"}],
        "quantityList": [{"epcClass": "q"}],
        "childEPCs": ["ce"],
        "inputEPCList": ["ie"],
        "epcList": ["e1"],
        "parentID": "p",
        "certificationInfo": "c",
        "eventTimeZoneOffset": "+00:00",
        "eventTime": "2020-01-01T00:00:00Z",
        "type": "ObjectEvent",
    }
    assert prehash_string(event, {"ex": "https://ex.org/"}) == (
        "eventType=ObjectEventeventTime=2020-01-01T00:00:00.000ZeventTimeZoneOffset=+00:00certificationInfo=c"
        "parentID=pepcListepc=e1inputEPCListepc=iechildEPCsepc=cequantityListquantityElementepcClass=q"
        "childQuantityListquantityElementepcClass=cqinputQuantityListquantityElementepcClass=iq"
        "outputEPCListepc=oeoutputQuantityListquantityElementepcClass=oqaction=ADDtransformationID=t"
        "bizStep=bdisposition=dpersistentDispositionset=sreadPointid=rbizLocationid=l"
        "sensorElementListsensorElementsensorReporttype=xvalue=1bizTransactionListtype=ttbizTransaction=bt"
        "destinationListtype=dtdestination=dilmd{https://ex.org/}a=1sourceListtype=stsource=s"
    )


def test_lists_are_sorted_and_types_come_first() -> None:
    one = _event(
        epcList=["urn:epc:id:sgtin:4870001.000001.8", "urn:epc:id:sgtin:4870001.000001.7"],
        bizTransactionList=[
            {"bizTransaction": "urn:x:2", "type": "po"},
            {"type": "inv", "bizTransaction": "urn:x:1"},
        ],
    )
    two = _event(
        epcList=["https://id.gs1.org/01/04870001000011/21/7", "https://id.gs1.org/01/04870001000011/21/8"],
        bizTransactionList=[
            {"type": "inv", "bizTransaction": "urn:x:1"},
            {"type": "po", "bizTransaction": "urn:x:2"},
        ],
    )
    assert prehash_string(one) == prehash_string(two)
    assert (
        "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-invbizTransaction=urn:x:1type="
        in prehash_string(one)
    )


def test_fields_outside_the_hash_do_not_change_it() -> None:
    plain = _event()
    decorated = _event(
        eventID="urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
        recordTime="2026-01-01T00:00:00Z",
        errorDeclaration={"declarationTime": "2026-01-02T00:00:00Z", "reason": "incorrect_data"},
        **{"rdfs:comment": "seen at the Ural warehouse", "@context": [{"ex": EX}]},
    )
    assert event_hash_id(decorated) == event_hash_id(plain)


def test_extensions_are_written_with_their_namespace_and_sorted() -> None:
    event = _event(
        readPoint={"id": "urn:epc:id:sgln:4870001.00001.0", "ex:gate": "2", "ex:area": "north"},
        ilmd={
            "ex:species": "Saiga tatarica",
            "ex:population": "Ural",
            "ex:horns": [{"ex:side": "R"}, {"ex:side": "L"}],
        },
        **{"ex:zone": "B", "ex:audit": {"ex:by": "inspector 12", "ex:at": "2025-11-02"}},
    )
    assert prehash_string(event, {"ex": EX}) == (
        HEAD + "readPointid=https://id.gs1.org/414/4870001000011"
        f"{{{EX}}}area=north{{{EX}}}gate=2"
        f"ilmd{{{EX}}}horns{{{EX}}}side=L{{{EX}}}horns{{{EX}}}side=R{{{EX}}}population=Ural"
        f"{{{EX}}}species=Saiga tatarica"
        f"{{{EX}}}audit{{{EX}}}at=2025-11-02{{{EX}}}by=inspector 12{{{EX}}}zone=B"
    )


def test_the_prefix_name_does_not_matter_only_its_namespace() -> None:
    first = _event(**{"a:zone": "B"})
    second = _event(**{"@context": [{"b": EX}], "b:zone": "B"})
    assert event_hash_id(first, {"a": EX}) == event_hash_id(second)


def test_the_events_own_context_wins_over_the_documents() -> None:
    event = _event(**{"@context": [{"ex": "urn:other"}], "ex:zone": "B"})
    assert prehash_string(event, {"ex": EX}).endswith("{urn:other}zone=B")


def test_vocab_gives_unprefixed_extension_keys_their_namespace() -> None:
    assert prehash_string(_event(zone="B"), {"@vocab": EX}).endswith(f"{{{EX}}}zone=B")


def test_unknown_unprefixed_fields_go_to_the_sorted_tail_with_their_path() -> None:
    event = _event(
        sensorElementList=[{"sensorReport": [{"type": "Temperature", "value": 3, "bizRules": "x"}]}]
    )
    assert prehash_string(event) == (
        HEAD + "sensorElementListsensorElementsensorReporttype=https://gs1.org/voc/Temperaturevalue=3"
        "sensorElementListsensorElementsensorReportbizRules=x"
    )


def test_ignore_fields_skip_repository_fields() -> None:
    plain = _event()
    stamped = _event(**{"repo:captureID": "c-17", "ex:keep": "1"})
    namespaces = {"repo": "https://repo.example/", "ex": EX}
    assert prehash_string(stamped, namespaces, ignore_fields=["repo:captureID"]) == HEAD + f"{{{EX}}}keep=1"
    assert prehash_string(
        stamped, namespaces, ignore_fields=["{https://repo.example/}captureID", "ex:keep"]
    ) == (prehash_string(plain))


def test_sensor_elements_and_reports_are_sorted_with_metadata_first() -> None:
    event = _event(
        sensorElementList=[
            {"sensorReport": [{"type": "Temperature", "value": 26.0, "uom": "CEL"}]},
            {
                "sensorMetadata": {"time": "2025-11-02T09:00:00+05:00", "ex:probe": "p1"},
                "sensorReport": [
                    {"type": "RelativeHumidity", "value": 40},
                    {"type": "Temperature", "value": 1},
                ],
                "ex:note": "cold room",
            },
        ]
    )
    assert prehash_string(event, {"ex": EX}) == (
        HEAD + "sensorElementList"
        f"sensorElementsensorMetadatatime=2025-11-02T04:00:00.000Z{{{EX}}}probe=p1"
        "sensorReporttype=https://gs1.org/voc/RelativeHumidityvalue=40"
        f"sensorReporttype=https://gs1.org/voc/Temperaturevalue=1{{{EX}}}note=cold room"
        "sensorElementsensorReporttype=https://gs1.org/voc/Temperaturevalue=26uom=CEL"
    )


def test_namespaces_from_a_document_context() -> None:
    context = [
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        {"ex": EX},
        {"kiik": "https://kiik.kz/voc/", "@vocab": "https://kiik.kz/terms/", "@protected": True},
    ]
    assert namespaces_from_context(context) == {
        "ex": EX,
        "kiik": "https://kiik.kz/voc/",
        "@vocab": "https://kiik.kz/terms/",
    }
    assert namespaces_from_context("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld") == {}


def test_ignore_fields_are_found_outside_the_event_list() -> None:
    document = {
        "epcisBody": {
            "queryResults": {
                "repository-x:ignoreFields": ["repository-x:hash", "example:captureID"],
                "resultsBody": {"eventList": [{"ex:ignoreFields": ["not this"]}]},
            }
        }
    }
    assert find_ignore_fields(document) == ["repository-x:hash", "example:captureID"]
