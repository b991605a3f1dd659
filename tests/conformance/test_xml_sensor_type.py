"""An XML event whose sensor report has no type is valid by GS1's XSD but could not be answered as
valid EPCIS 2.0 JSON (the JSON Schema requires the type): it is refused at capture, with the element
named; with its type the same document is captured and answered as schema-valid JSON."""

from __future__ import annotations

from pathlib import Path

from kiik.epcis.adapters.json_schema import event_schema_problems
from kiik.epcis.adapters.reader import validate_document
from kiik.epcis.adapters.xml import iter_xml_events

EXAMPLE = "epcis/gs1-EPCIS/XML/WithFullCombinationOfFields/object_event_all_possible_fields.xml"


def test_a_sensor_report_without_type_is_refused_naming_it(reference: Path, tmp_path: Path) -> None:
    original = (reference / EXAMPLE).read_text()
    without = tmp_path / "without-type.xml"
    without.write_text(original.replace('type="gs1:Temperature"', "", 1))
    [problem] = validate_document(without)
    assert problem.rule == "semantics.sensor_type" and "sensorReport[1]" in problem.path
    assert validate_document(reference / EXAMPLE) == []
    for event in iter_xml_events(reference / EXAMPLE):
        assert event_schema_problems(event, "") == []
