"""The query parameters that GS1's own examples exercise (error declarations, sensor reports with
string values, percentile ranks and extensions in sensor elements, metadata and reports): every JSON
example is captured into one repository, and each answer is compared with the events the test picks
from the parsed examples itself. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiik.bootstrap.registry import Registry
from kiik.custody.services.capture import capture_events
from kiik.custody.services.queries import query_events
from kiik.epcis.adapters.reader import open_document
from kiik.epcis.domain.event_hash import event_hash_id
from tests.conformance.test_round_trip import CAPTURED, GS1, _events
from tests.support.world import make_world

JSON_EXAMPLES = [p for p in CAPTURED if p.relative_to(GS1).parts[0] == "JSON"]


def _word(value: Any) -> str:
    """A vocabulary word without its URN, URI or CURIE prefix, written out plainly for the test."""
    return str(value).rsplit(":", 1)[-1].rsplit("-", 1)[-1].rsplit("/", 1)[-1]


def _declaration(e: dict[str, Any]) -> dict[str, Any]:
    found = e.get("errorDeclaration")
    return found if isinstance(found, dict) else {}


def _reports(e: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for element in e.get("sensorElementList", []) for r in element.get("sensorReport", [])]


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _cases() -> dict[str, tuple[list[tuple[str, str]], Callable[[dict[str, Any]], bool]]]:
    return {
        "EQ_errorReason": (
            [("EQ_errorReason", "incorrect_data")],
            lambda e: _word(_declaration(e).get("reason", "")) == "incorrect_data",
        ),
        "EQ_correctiveEventID": (
            [("EQ_correctiveEventID", "urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8")],
            lambda e: (
                "urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8"
                in _declaration(e).get("correctiveEventIDs", [])
            ),
        ),
        "GE_errorDeclaration_Time": (
            [("GE_errorDeclaration_Time", "2010-01-01T00:00:00Z")],
            lambda e: (
                "declarationTime" in _declaration(e)
                and _time(_declaration(e)["declarationTime"]) >= _time("2010-01-01T00:00:00Z")
            ),
        ),
        "EQ_ERROR_DECLARATION_": (
            [("EQ_ERROR_DECLARATION_example:vendorExtension", "Test1")],
            lambda e: _declaration(e).get("example:vendorExtension") == "Test1",
        ),
        "EQ_stringValue": (
            [("EQ_stringValue", "someSensorOutput")],
            lambda e: any(r.get("stringValue") == "someSensorOutput" for r in _reports(e)),
        ),
        "GE_percRank": (
            [("GE_percRank", "50")],
            lambda e: any(r.get("percRank", -1) >= 50 for r in _reports(e)),
        ),
        "EQ_type": (
            [("EQ_type", "Temperature")],
            lambda e: any(_word(r.get("type", "")) == "Temperature" for r in _reports(e)),
        ),
        "GT_value_CEL": (
            [("GT_value_CEL", "26")],
            lambda e: any(r.get("uom") == "CEL" and r.get("value", -1000) > 26 for r in _reports(e)),
        ),
        "EQ_SENSORREPORT_": (
            [("EQ_SENSORREPORT_example:cv", "123")],
            lambda e: any(str(r.get("example:cv")) == "123" for r in _reports(e)),
        ),
        "EQ_SENSORREPORT_ with a word": (
            [("EQ_SENSORREPORT_ex:feature", "ex:product")],
            lambda e: any(r.get("ex:feature") == "ex:product" for r in _reports(e)),
        ),
        "EQ_SENSORMETADATA_": (
            [("EQ_SENSORMETADATA_ext1:someFurtherMetadata", "someText")],
            lambda e: any(
                s.get("sensorMetadata", {}).get("ext1:someFurtherMetadata") == "someText"
                for s in e.get("sensorElementList", [])
            ),
        ),
        "EXISTS_SENSORELEMENT_": (
            [("EXISTS_SENSORELEMENT_example:furtherSensorData", "")],
            lambda e: any("example:furtherSensorData" in s for s in e.get("sensorElementList", [])),
        ),
    }


def test_parameters_on_gs1_examples_answer_what_the_test_computes(registry: Registry) -> None:
    ministry = make_world(registry)["ministry"].principal
    events: dict[str, dict[str, Any]] = {}
    for path in JSON_EXAMPLES:
        parsed, problems = _events(path)
        assert not problems
        events.update({event_hash_id(e): e for e in parsed})
        with path.open("rb") as source:
            reader = open_document(source)
            outcome = capture_events(
                registry.uow(),
                ministry,
                reader.events(),
                custody_rules=False,
                yields=registry.settings.yields,
                document_problems=reader.document_problems,
            )
        assert outcome.succeeded, (path, outcome.errors)
    for case, (parameters, keep) in _cases().items():
        expected = sorted(h for h, e in events.items() if keep(e))
        assert expected, case  # each case picks some events, and not all of them
        assert len(expected) < len(events), case
        found = query_events(registry.uow(), ministry, [*parameters, ("perPage", "1000")]).events
        assert sorted(event_hash_id(e) for e in found) == expected, case
