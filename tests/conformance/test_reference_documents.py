"""Every GS1 EPCIS 2.0 example validates; every openepcis `Invalid/` document is rejected at its fault.

The reference folder sits beside the clone (`../shared/reference/epcis`). When it is missing these
tests fail (they do not skip): conformance that was not checked is not conformance.

Not collected, on purpose:
* `gs1-EPCIS/XSL/1.2/` holds EPCIS **1.2** documents (namespace urn:epcglobal:epcis:xsd:1) and the
  1.2 XSDs, kept by GS1 for the 1.2-to-2.0 stylesheets; kiik reads EPCIS 2.0 only.
* `gs1-EPCIS/JSON-Schema/test/` holds bare events and throw-away schemas that test GS1's split
  development JSON Schema; they are not EPCIS documents.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from kiik.epcis.adapters.reader import Problem, open_document

EPCIS = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "epcis"
GS1 = EPCIS / "gs1-EPCIS"
OPENEPCIS = EPCIS / "openepcis-test-resources"
MISSING = EPCIS / "(reference folder missing)"

# Kinds a valid example may have: event documents, and the other document types of the 2.0 XSD.
VALID_KINDS = {"EPCISDocument", "EPCISQueryDocument", "EPCISMasterDataDocument", "EPCISCaptureJob"}

# One GS1 example breaks a rule of the ratified 2.0.1 schema: the JSON-simple-context copy of the
# "all possible fields" ObjectEvent gives `ilmd` with action OBSERVE (its JSON/ twin says ADD), and
# the schema allows ilmd only with ADD. kiik follows the ratified schema and says exactly that.
KNOWN_NONCONFORMING = {
    "JSON-simple-context/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld": (
        "epcisBody.eventList[0].ilmd",
        "only be given when action is ADD",
    ),
}


def _collect(folder: Path, *patterns: str) -> list[Path]:
    found = sorted({path for pattern in patterns for path in folder.glob(pattern) if path.is_file()})
    return found or [MISSING]


def _read(path: Path) -> tuple[str, int, list[Problem]]:
    assert EPCIS.is_dir(), f"the EPCIS reference folder is missing: expected {EPCIS}"
    assert path.is_file(), f"reference document missing: {path}"
    with open_document(path) as reader:
        events = list(reader.events())
        problems = [*reader.document_problems(), *(p for e in events for p in e.problems)]
        return reader.kind, len(events), problems


def _name(path: Path) -> str:
    return path.relative_to(EPCIS).as_posix() if path.is_relative_to(EPCIS) else path.name


EXAMPLES = _collect(GS1, "JSON/**/*.json*", "JSON-simple-context/**/*.json*", "XML/**/*.xml")
INVALID = _collect(OPENEPCIS, "**/Invalid/**/*.json", "**/Invalid/**/*.xml")


def test_reference_folders_are_present_and_complete() -> None:
    assert GS1.is_dir() and OPENEPCIS.is_dir(), f"the EPCIS reference folder is missing: expected {EPCIS}"
    by_folder = {name: [p for p in EXAMPLES if f"/{name}/" in p.as_posix()] for name in ("JSON", "XML")}
    assert len(by_folder["JSON"]) >= 32 and len(by_folder["XML"]) >= 24
    assert len([p for p in EXAMPLES if "JSON-simple-context" in p.as_posix()]) >= 32
    assert len(INVALID) >= 30


@pytest.mark.parametrize("path", EXAMPLES, ids=_name)
def test_gs1_example_is_valid(path: Path) -> None:
    kind, count, problems = _read(path)
    relative = path.relative_to(GS1).as_posix()
    if relative in KNOWN_NONCONFORMING:
        where, what = KNOWN_NONCONFORMING[relative]
        assert [(p.path, p.rule) for p in problems] == [(where, "schema")]
        assert what in problems[0].message
        return
    assert problems == [], "\n".join(f"{p.path}: {p.rule}: {p.message}" for p in problems)
    assert kind in VALID_KINDS
    assert count == _count_events(path), "the stream must hand out every event of the document"


def _count_events(path: Path) -> int:
    """The number of events, counted by reading the whole document the plain way."""
    if path.suffix == ".xml":
        tree = etree.parse(str(path))
        return len(tree.xpath("//*[local-name()='EventList' and namespace-uri()='']/*"))
    body = json.loads(path.read_text(encoding="utf-8"))["epcisBody"]
    holder = body["queryResults"]["resultsBody"] if "queryResults" in body else body
    return len(holder["eventList"])


QUERY_EVENTS = "/epcisq:EPCISQueryDocument/EPCISBody/QueryResults/resultsBody/EventList"

# For each invalid document: the paths (and, where the path alone does not say it, a word of the
# message) that must be named. Files not listed here are still checked by the generic rules below.
EXPECTED: dict[str, list[tuple[str, str | None]]] = {
    # JSON capture documents
    "Combination_of_events_with_missing_mandatory_fields.json": [
        ("epcisBody.eventList[0].action", "missing"),
        ("epcisBody.eventList[1].eventTimeZoneOffset", "missing"),
        ("epcisBody.eventList[1].action", "missing"),
    ],
    "Combination_of_multiple_invalid_fields.json": [
        ("epcisBody.eventList[0].bizStep", "business step"),
        ("epcisBody.eventList[1].disposition", "disposition"),
        ("epcisBody.eventList[2].sourceList[0].type", "source/destination type"),
        ("epcisBody.eventList[3].ilmd.materialType", "prefix"),
        ("epcisBody.eventList[4].eventTime", "date-time"),
        ("epcisBody.eventList[4].action", "OBSERVE"),
    ],
    "Combination_of_non_standard_bizStep_and_disposition.json": [
        ("epcisBody.eventList[0].bizStep", "'transforming'"),
        ("epcisBody.eventList[1].disposition", "'in_transport'"),
    ],
    "EPCISDocument_without_context.json": [("@context", "missing")],
    "ObjectEvent_with_ilmd_field_without_namespace.json": [
        ("epcisBody.eventList[0].ilmd.materialType", "prefix")
    ],
    "ObjectEvent_with_invalid_action.json": [("epcisBody.eventList[0].action", "'CREATE'")],
    "ObjectEvent_with_invalid_certificationInfo.json": [
        ("epcisBody.eventList[0].certificationInfo", "string")
    ],
    "ObjectEvent_with_invalid_eventTime_format.json": [("epcisBody.eventList[0].eventTime", "'22-07-2026'")],
    "ObjectEvent_with_non_standard_bizStep.json": [("epcisBody.eventList[0].bizStep", "'transforming'")],
    "ObjectEvent_with_non_standard_bizStep_in_second_event.json": [("epcisBody.eventList[1].bizStep", None)],
    "ObjectEvent_with_non_standard_disposition.json": [
        ("epcisBody.eventList[0].disposition", "'in_transport'")
    ],
    "ObjectEvent_with_quantity_as_text.json": [("epcisBody.eventList[0].quantityList[0].quantity", "number")],
    "ObjectEvent_with_unknown_field_in_quantityList.json": [
        ("epcisBody.eventList[0].quantityList[0].weight", "not allowed")
    ],
    "ObjectEvent_without_action_and_eventTime.json": [
        ("epcisBody.eventList[0].eventTime", "missing"),
        ("epcisBody.eventList[0].action", "missing"),
    ],
    "ObjectEvent_without_identifier_list.json": [("epcisBody.eventList[0]", "epcList")],
    # JSON query results and query definitions (REST binding query schema)
    "QueryDocument_with_invalid_action.json": [
        ("epcisBody.queryResults.resultsBody.eventList[0].action", "'INVALIDACTION'")
    ],
    "QueryDocument_with_invalid_eventType.json": [
        ("epcisBody.queryResults.resultsBody.eventList[0].type", "'ObjectEventInvalid'")
    ],
    "Query_with_invalid_values.json": [
        ("$", "query definition"),
        ("GE_eventTime", "'not-a-date'"),
        ("EQ_action[0]", "'SHIPPED'"),
        ("orderDirection", "'SIDEWAYS'"),
    ],
    "Query_with_unknown_parameter.json": [("$", "query definition"), ("GE_eventDate", "GE_eventTime")],
    # XML capture documents: an XPath-like path with the line of the fault
    "ObjectEvent_bare_event_without_action.xml": [
        ("/ObjectEvent (line 1)", "EPCISDocument"),
        ("/ObjectEvent/bizStep (line 8)", "action"),
    ],
    "ObjectEvent_with_invalid_action.xml": [
        ("/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/action (line 12)", "'CREATE'")
    ],
    "ObjectEvent_with_invalid_eventTime_format.xml": [
        ("/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/eventTime (line 7)", "'22-07-2026'")
    ],
    "ObjectEvent_with_near_miss_action.xml": [
        ("/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/action (line 13)", "'OBSERV'")
    ],
    "ObjectEvent_with_unknown_element.xml": [
        ("/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/madeUpField (line 13)", "not expected")
    ],
    "ObjectEvent_with_wrong_element_order.xml": [
        ("/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/action (line 7)", "eventTime")
    ],
    "ObjectEvent_without_eventTime.xml": [
        ("/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/eventTimeZoneOffset (line 7)", "eventTime")
    ],
    # XML query documents
    "QueryDocument_with_invalid_action.xml": [
        (
            f"{QUERY_EVENTS}/ObjectEvent[1]/action (line 14)",
            "'INVALIDACTION'",
        ),
        ("/epcisq:EPCISQueryDocument/EPCISBody/QueryResults (line 5)", "urn:epcglobal:epcis-query:xsd:2"),
    ],
    "QueryDocument_with_invalid_eventType.xml": [
        (
            f"{QUERY_EVENTS}/ObjectEventInvalid[1] (line 8)",
            "EventList holds only",
        )
    ],
    "QueryDocument_with_missing_value.xml": [
        ("/epcisq:EPCISQueryDocument/EPCISBody/epcisq:Poll/params/param[2] (line 15)", "value")
    ],
    "Query_without_queryName.xml": [
        ("/epcisq:EPCISQueryDocument/EPCISBody/epcisq:Poll/params (line 7)", "queryName")
    ],
}


@pytest.mark.parametrize("path", INVALID, ids=_name)
def test_invalid_document_is_rejected_naming_the_failing_path(path: Path) -> None:
    _, _, problems = _read(path)
    assert problems, f"{path.name} was accepted but is invalid"
    for problem in problems:
        assert problem.path and problem.rule and problem.message.strip()
    assert any(p.path not in ("", "$") for p in problems), "no problem names the path at fault"
    for where, word in EXPECTED.get(path.name, []):
        named = [p for p in problems if p.path == where]
        assert named, f"no problem at {where}; got {[p.path for p in problems]}"
        if word is not None:
            assert any(word in p.message for p in named), [p.message for p in named]


def test_event_problems_carry_index_and_event_id() -> None:
    path = (
        OPENEPCIS
        / "2.0/EPCIS/JSON/Capture/Invalid/ObjectEvent_with_non_standard_bizStep_in_second_event.json"
    )
    _, count, problems = _read(path)
    assert count == 2
    assert [(p.event_index, p.rule) for p in problems] == [(1, "schema")]
