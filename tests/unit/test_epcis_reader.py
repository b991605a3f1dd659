"""The EPCIS reader: streaming, paths of problems, the semantic rules, and what it refuses."""

from __future__ import annotations

import io
import json
import tracemalloc
from datetime import UTC, datetime
from typing import Any

import pytest

from kiik.epcis.adapters.reader import (
    DocumentEvent,
    Problem,
    open_document,
    validate_document,
    validate_event,
)
from kiik.epcis.adapters.semantics import semantic_problems

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def horn_event(serial: int = 7, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": "2025-09-14T08:30:00.000+05:00",
        "eventTimeZoneOffset": "+05:00",
        "eventID": f"urn:uuid:6b1d6b0e-1a4e-4c8a-9b55-{serial:012d}",
        "epcList": [f"urn:epc:id:sgtin:4870001.000001.{serial}"],
        "action": "ADD",
        "bizStep": "commissioning",
        "disposition": "active",
        "readPoint": {"id": "urn:epc:id:sgln:4870001.00001.0"},
        "ilmd": {"kiik:species": "Saiga tatarica", "kiik:population": "Ural"},
    }
    event.update(changes)
    return {k: v for k, v in event.items() if v is not None}


def document(*events: dict[str, Any], context: Any = None, **envelope: Any) -> dict[str, Any]:
    return {
        "@context": context if context is not None else [CONTEXT, {"kiik": "https://kiik.kz/voc/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-09-14T09:00:00Z",
        "epcisBody": {"eventList": list(events)},
        **envelope,
    }


def read(source: Any, media_type: str | None = None) -> tuple[str, list[DocumentEvent], list[Problem]]:
    with open_document(source, media_type, now=NOW) as reader:
        events = list(reader.events())
        return reader.kind, events, reader.document_problems()


def as_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


# --- JSON documents ----------------------------------------------------------------------------


def test_a_valid_document_streams_its_events_with_the_document_prefixes_added() -> None:
    kind, events, problems = read(as_bytes(document(horn_event(7), horn_event(8))))
    assert (kind, problems) == ("EPCISDocument", [])
    assert [e.index for e in events] == [0, 1] and all(e.problems == [] for e in events)
    assert events[0].event["@context"] == [{"kiik": "https://kiik.kz/voc/"}]
    assert events[0].event["epcList"] == ["urn:epc:id:sgtin:4870001.000001.7"]


def test_an_event_that_uses_no_document_prefix_gets_no_context() -> None:
    plain = horn_event(ilmd=None, action="OBSERVE", bizStep="shipping", disposition="in_transit")
    _, events, _ = read(as_bytes(document(plain)))
    assert "@context" not in events[0].event


def test_problems_name_the_json_path_the_event_and_its_id() -> None:
    bad = horn_event(9, bizStep="transforming")
    _, events, _ = read(as_bytes(document(horn_event(8), bad)))
    assert events[0].problems == []
    [problem] = events[1].problems
    assert problem.path == "epcisBody.eventList[1].bizStep"
    assert (problem.rule, problem.event_index, problem.event_id) == ("schema", 1, bad["eventID"])
    assert "'transforming'" in problem.message and "commissioning" in problem.message
    assert problem.to_dict() == {
        "path": problem.path,
        "rule": "schema",
        "message": problem.message,
        "event_index": 1,
        "event_id": bad["eventID"],
    }


def test_kind_is_known_before_the_events_are_read_and_no_event_is_lost() -> None:
    with open_document(as_bytes(document(horn_event(1), horn_event(2), horn_event(3)))) as reader:
        assert reader.kind == "EPCISDocument"
        assert [e.index for e in reader.events()] == [0, 1, 2]
        with pytest.raises(RuntimeError):
            list(reader.events())


def test_context_and_type_written_after_the_body_are_found_by_scanning_ahead() -> None:
    data = document(horn_event(7))
    late = {"epcisBody": data["epcisBody"], "schemaVersion": "2.0", "creationDate": data["creationDate"]}
    late.update({"type": "EPCISDocument", "@context": data["@context"]})
    with open_document(as_bytes(late)) as reader:
        [item] = list(reader.events())
        assert reader.kind == "EPCISDocument"
        assert reader.document_problems() == []
    assert item.event["@context"] == [{"kiik": "https://kiik.kz/voc/"}] and item.problems == []


def test_a_stream_that_cannot_seek_is_spooled_and_read() -> None:
    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    kind, events, problems = read(OneWay(as_bytes(document(horn_event(7)))))
    assert (kind, len(events), problems) == ("EPCISDocument", 1, [])


def test_envelope_problems_are_document_problems() -> None:
    data = document(horn_event(7))
    del data["@context"]
    data["creationDate"] = "yesterday"
    _, events, problems = read(as_bytes(data))
    assert sorted(p.path for p in problems) == ["@context", "creationDate"]
    assert all(p.event_index is None for p in problems)
    assert events[0].problems == []


def test_query_results_use_the_query_results_path() -> None:
    data = {
        "@context": CONTEXT,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-09-14T09:00:00Z",
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [horn_event(action="GO")]},
            }
        },
    }
    kind, events, problems = read(as_bytes(data))
    assert (kind, problems) == ("EPCISQueryDocument", [])
    assert [p.path for p in events[0].problems] == ["epcisBody.queryResults.resultsBody.eventList[0].action"]


def test_malformed_json_is_reported_where_the_parser_stopped() -> None:
    text = json.dumps(document(horn_event(7), horn_event(8)))
    cut = text[: text.index('"urn:epc:id:sgtin:4870001.000001.8"') + 12]
    _, events, problems = read(cut.encode())
    assert len(events) == 1
    assert [p.rule for p in problems] == ["json"]
    assert (
        problems[0].path.startswith("epcisBody.eventList") and "not well-formed JSON" in problems[0].message
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "empty"), (b"   \n", "empty"), (b"hello", "neither JSON nor XML"), (b"[1, 2]", "JSON object")],
)
def test_what_is_no_document_at_all_is_said_plainly(content: bytes, words: str) -> None:
    problems = validate_document(content)
    assert problems and words in problems[0].message and problems[0].path == "$"


def test_a_bare_event_is_not_a_document_but_its_own_problems_are_named() -> None:
    event = horn_event(7, action=None)
    problems = validate_document(as_bytes({"@context": CONTEXT, **event}))
    assert problems[0].path == "$" and "single ObjectEvent" in problems[0].message
    assert "action" in [p.path for p in problems]


def test_a_query_definition_is_recognised_and_checked_against_the_query_schema() -> None:
    query = {"eventType": ["ObjectEvent"], "EQ_bizStep": ["shipping"], "GE_eventTime": "last week"}
    with open_document(as_bytes(query)) as reader:
        assert list(reader.events()) == []
        problems = reader.document_problems()
        assert reader.kind == "EPCIS-Query"
    assert [(p.path, p.rule) for p in problems] == [("$", "document"), ("GE_eventTime", "query-schema")]


def test_unknown_document_type_and_missing_type() -> None:
    assert validate_document(as_bytes(document(type="EPCISMasterDataDocument")))[0].path == "type"
    untyped = document()
    del untyped["type"]
    assert "'type' is missing" in validate_document(as_bytes(untyped))[0].message


def test_simple_context_spellings_are_read_as_the_standard_ones() -> None:
    event = horn_event(7, action="OBSERVE", ilmd=None, eventID=None)
    event["id"] = "ni:///sha-256;abc?ver=CBV2.0"
    event["sensorElementList"] = [
        {"type": "epcis:SensorElement", "sensorReport": [{"type": "Temperature", "value": 4}]}
    ]
    data = document(
        event, context=["https://gs1.github.io/EPCIS/epcis-context-simple.jsonld"], id="_:document1"
    )
    data["schemaVersion"] = 2.0
    _, events, problems = read(as_bytes(data))
    assert problems == [] and events[0].problems == []
    assert events[0].event["eventID"] == "ni:///sha-256;abc?ver=CBV2.0" and "id" not in events[0].event
    assert "type" not in events[0].event["sensorElementList"][0]


def test_the_same_spellings_are_errors_under_the_standard_context() -> None:
    data = document(horn_event(7), id="_:document1")
    assert [p.path for p in validate_document(as_bytes(data))] == ["id"]


def _peak_memory(action: Any) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_document_is_read_in_bounded_memory() -> None:
    # Every event is the same, so the (bounded) caches of checked URIs and identifiers do not
    # grow during the measurement and only what the streaming itself holds is counted.
    read(as_bytes(document(horn_event(1))))

    def peak_while_streaming(count: int) -> tuple[int, int]:
        payload = as_bytes(document(*[horn_event(1)] * count))

        def stream() -> None:
            with open_document(io.BytesIO(payload)) as reader:
                assert sum(1 for item in reader.events() if not item.problems) == count

        return _peak_memory(stream), len(payload)

    small, small_size = peak_while_streaming(400)
    large, large_size = peak_while_streaming(1600)
    # Four times the events, the same memory: the parser's read buffer, one event, the envelope.
    assert large - small < (large_size - small_size) // 10, (small, large)


# --- validate_event and the semantic rules ------------------------------------------------------


def test_validate_event_accepts_a_well_formed_event_sent_on_its_own() -> None:
    assert (
        validate_event({"@context": [CONTEXT, {"kiik": "https://kiik.kz/voc/"}], **horn_event()}, now=NOW)
        == []
    )


def test_an_event_sent_on_its_own_needs_its_context() -> None:
    [problem] = validate_event(horn_event(), now=NOW)
    assert (problem.path, problem.rule) == ("@context", "schema")
    assert validate_event(horn_event(), path_prefix="epcisBody.eventList[0]", now=NOW) == []


def test_validate_event_prefixes_paths_and_refuses_non_objects() -> None:
    event = horn_event(eventTimeZoneOffset="5h")
    [problem] = validate_event(event, index=4, path_prefix="epcisBody.eventList[4]", now=NOW)
    assert problem.path == "epcisBody.eventList[4].eventTimeZoneOffset" and problem.event_index == 4
    assert "+05:00" in problem.message
    assert validate_event(["not", "an", "event"])[0].message.startswith("An event must be a JSON object")


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"action": "CREATE"}, "action", "'CREATE'"),
        ({"eventTime": None}, "eventTime", "missing"),
        ({"ilmd": {"species": "Saiga"}}, "ilmd.species", "prefix"),
        ({"action": "OBSERVE"}, "ilmd", "only be given when action is ADD"),
        ({"disposition": "urn:epcglobal:cbv:disp:active"}, "disposition", "written bare"),
        ({"madeUp": 1}, "madeUp", "prefix:name"),
        ({"type": "HornEvent"}, "type", "EPCIS event type"),
        ({"epcList": None}, "", "epcList; quantityList; sensorElementList"),
    ],
)
def test_schema_messages_say_what_to_do(changes: dict[str, Any], path: str, words: str) -> None:
    problems = validate_event(horn_event(**changes), path_prefix="e", now=NOW)
    assert [p.path for p in problems] == [f"e.{path}" if path else "e"]
    assert words in problems[0].message


def semantic(event: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.path, p.rule) for p in semantic_problems(event, now=NOW)]


def test_a_gs1_key_with_a_wrong_check_digit_is_refused() -> None:
    event = horn_event(epcList=["https://id.gs1.org/01/04870001000012/21/7"])
    problems = semantic_problems(event, now=NOW)
    assert [(p.path, p.rule) for p in problems] == [("epcList[0]", "semantics.identifier")]
    assert "check digit" in problems[0].message


def test_urls_that_are_no_digital_link_are_left_alone() -> None:
    event = horn_event(readPoint={"id": "https://example.org/sites/01/yard"})
    assert semantic(event) == []


def test_the_same_item_twice_in_one_list_is_refused_whatever_its_spelling() -> None:
    event = horn_event(
        epcList=["urn:epc:id:sgtin:4870001.000001.7", "https://id.gs1.org/01/04870001000011/21/7"]
    )
    assert semantic(event) == [("epcList[1]", "semantics.duplicate_epc")]


def test_aggregation_add_and_delete_need_a_parent_that_is_not_a_child() -> None:
    packing = {
        "type": "AggregationEvent",
        "eventTime": "2025-09-14T08:30:00Z",
        "eventTimeZoneOffset": "+05:00",
        "action": "ADD",
        "childEPCs": ["urn:epc:id:sgtin:4870001.000001.7"],
    }
    assert semantic(packing) == [("parentID", "semantics.parent_required")]
    assert semantic({**packing, "action": "OBSERVE"}) == []
    box = "urn:epc:id:sscc:4870001.0000000001"
    assert semantic({**packing, "parentID": box}) == []
    assert semantic({**packing, "parentID": box, "childEPCs": [box]}) == [
        ("childEPCs[0]", "semantics.parent_in_children")
    ]


def test_a_transformation_must_have_inputs_or_outputs() -> None:
    event = {
        "type": "TransformationEvent",
        "eventTime": "2025-09-14T08:30:00Z",
        "eventTimeZoneOffset": "+05:00",
    }
    assert semantic(event) == [("$", "semantics.transformation_empty")]


def test_quantities_without_unit_are_counts_and_masses_need_their_unit() -> None:
    lot = "urn:epc:class:lgtin:4870001.000002.L1"
    event = horn_event(
        epcList=None,
        quantityList=[
            {"epcClass": lot, "quantity": 12.5, "uom": "KGM"},
            {"epcClass": lot, "quantity": 3},
            {"epcClass": "urn:epc:class:lgtin:4870001.000002.L2", "quantity": 2.5},
            {"epcClass": "urn:epc:class:lgtin:4870001.000002.L3", "quantity": -1, "uom": "KGM"},
        ],
    )
    assert semantic(event) == [
        ("quantityList[1].uom", "semantics.quantity_uom"),
        ("quantityList[2].uom", "semantics.quantity_count"),
        ("quantityList[3].quantity", "semantics.negative_quantity"),
    ]


def test_an_event_in_the_future_beyond_the_clock_skew_is_refused() -> None:
    assert semantic(horn_event(eventTime="2026-01-01T00:04:00Z")) == []
    problems = semantic_problems(horn_event(eventTime="2026-01-01T05:00:00+05:00"), now=NOW)
    assert problems == []
    [problem] = semantic_problems(horn_event(eventTime="2026-01-01T00:10:00Z"), now=NOW)
    assert (problem.path, problem.rule) == ("eventTime", "semantics.future_event_time")


def test_an_error_declaration_needs_its_time() -> None:
    event = horn_event(errorDeclaration={"reason": "incorrect_data"})
    assert semantic(event) == [("errorDeclaration.declarationTime", "semantics.declaration_time")]
    assert validate_event(event, path_prefix="e", now=NOW)[0].path == "e.errorDeclaration.declarationTime"


# --- XML documents -----------------------------------------------------------------------------

XML_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:kiik="https://kiik.kz/voc/" '
    'schemaVersion="2.0" creationDate="2025-09-14T09:00:00Z">\n<EPCISBody>\n<EventList>\n'
)
XML_TAIL = "</EventList>\n</EPCISBody>\n</epcis:EPCISDocument>\n"


def xml_event(serial: int, action: str = "ADD", epc: str | None = None) -> str:
    return (
        "<ObjectEvent>\n"
        "<eventTime>2025-09-14T08:30:00.000+05:00</eventTime>\n"
        "<eventTimeZoneOffset>+05:00</eventTimeZoneOffset>\n"
        f"<epcList><epc>{epc or f'urn:epc:id:sgtin:4870001.000001.{serial}'}</epc></epcList>\n"
        f"<action>{action}</action>\n"
        "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>\n"
        "<ilmd><kiik:species>Saiga tatarica</kiik:species></ilmd>\n"
        "</ObjectEvent>\n"
    )


def test_xml_events_are_read_as_json_ld_and_problems_carry_xpath_and_line() -> None:
    text = XML_HEAD + xml_event(1) + xml_event(2, action="CREATE") + xml_event(3) + XML_TAIL
    kind, events, problems = read(text.encode())
    assert (kind, problems, len(events)) == ("EPCISDocument", [], 3)
    assert events[0].event["bizStep"] == "commissioning"
    assert events[0].event["ilmd"] == {"kiik:species": "Saiga tatarica"}
    [problem] = events[1].problems
    assert problem.path == "/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[2]/action (line 17)"
    assert (problem.rule, problem.event_index) == ("xsd", 1) and "'CREATE'" in problem.message
    assert events[2].problems == []


def test_xml_semantic_problems_point_at_the_element() -> None:
    text = XML_HEAD + xml_event(1, epc="https://id.gs1.org/01/04870001000012/21/7") + XML_TAIL
    _, events, _ = read(text.encode())
    [problem] = events[0].problems
    assert problem.path == "/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/epcList/epc[1] (line 8)"
    assert problem.rule == "semantics.identifier"


def test_malformed_xml_keeps_the_events_read_so_far_and_says_where_it_broke() -> None:
    text = XML_HEAD + xml_event(1) + "<ObjectEvent><eventTime>oops</ObjectEvent>"
    _, events, problems = read(text.encode())
    assert len(events) == 1
    assert [p.rule for p in problems] == ["xml"] and problems[0].path.startswith("line 13")


def test_xml_entities_are_never_expanded() -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/hostname">]>\n'
        + XML_HEAD.split("\n", 1)[1]
        + xml_event(1).replace("Saiga tatarica", "&secret;")
        + XML_TAIL
    )
    with open("/etc/hostname", encoding="utf-8") as handle:
        secret = handle.read().strip()
    _, events, problems = read(text.encode())
    [problem] = events[0].problems
    assert problem.rule == "xml" and "&secret;" in problem.message
    dumped = json.dumps([e.event for e in events]) + repr(problems)
    assert not secret or secret not in dumped


def test_an_epcis_1_document_is_named_as_such() -> None:
    text = XML_HEAD.replace("xsd:2", "xsd:1") + XML_TAIL
    problems = validate_document(text.encode())
    assert any("EPCIS 1.x" in p.message for p in problems)


def test_media_type_overrides_sniffing() -> None:
    problems = validate_document(as_bytes(document(horn_event())), "application/xml")
    assert problems and problems[0].rule == "xml"


def test_xml_events_leave_the_tree_once_handed_out() -> None:
    from kiik.epcis.adapters.xml_stream import XmlDocumentStream

    text = XML_HEAD + "".join(xml_event(serial) for serial in range(3000)) + XML_TAIL
    stream = XmlDocumentStream(io.BytesIO(text.encode()))
    held = []
    for item in stream.raw_events():
        held.append(len(item.element.getparent()))
    # The parser reads ahead by one buffer; the tree never holds more than that many events.
    assert len(held) == 3000 and max(held) < 300, max(held)
    assert stream.root is not None and len(stream.root.find("EPCISBody/EventList")) == 0


def test_a_caller_can_accept_only_event_documents() -> None:
    from kiik.epcis.adapters.reader import EVENT_DOCUMENT_KINDS

    master_data = (
        '<epcismd:EPCISMasterDataDocument xmlns:epcismd="urn:epcglobal:epcis-masterdata:xsd:2" '
        'schemaVersion="2.0" creationDate="2025-09-14T09:00:00Z"><EPCISBody><VocabularyList/>'
        "</EPCISBody></epcismd:EPCISMasterDataDocument>"
    )
    assert validate_document(master_data.encode()) == []
    with open_document(master_data.encode(), kinds=EVENT_DOCUMENT_KINDS) as reader:
        assert list(reader.events()) == []
        [problem] = reader.document_problems()
    assert (problem.path, problem.rule) == ("$", "document") and "EPCISMasterDataDocument" in problem.message
    with open_document(as_bytes(document(horn_event())), kinds=EVENT_DOCUMENT_KINDS) as reader:
        assert len(list(reader.events())) == 1 and reader.document_problems() == []


def test_an_event_list_extension_in_another_namespace_is_passed_over() -> None:
    extension = '<extension xmlns:x="http://x.example/"><x:note>batch 7</x:note></extension>\n'
    text = XML_HEAD + xml_event(1) + extension + xml_event(2) + XML_TAIL
    _, events, problems = read(text.encode())
    assert [(e.index, e.problems) for e in events] == [(0, []), (1, [])] and problems == []
