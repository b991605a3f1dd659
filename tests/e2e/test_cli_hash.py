"""`kiik hash FILE...` as an operator runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

from typer.testing import CliRunner

from kiik.cli.hash_command import document_events
from kiik.cli.main import app

VECTORS = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "reference"
    / "epcis"
    / "hash-vectors"
    / "examples"
)
runner = CliRunner()


def _expected(name: str) -> list[str]:
    return (VECTORS / f"{name}.hashes").read_text().split()


def test_prints_one_hash_per_event_in_document_order() -> None:
    result = runner.invoke(app, ["hash", str(VECTORS / "SensorDataExamples.xml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == _expected("SensorDataExamples")


def test_json_and_xml_are_told_apart_by_content(tmp_path: Path) -> None:
    disguised = tmp_path / "document.txt"
    disguised.write_bytes(b"\xef\xbb\xbf\n  " + (VECTORS / "ReferenceEventHashAlgorithm2.xml").read_bytes())
    result = runner.invoke(
        app, ["hash", str(disguised), str(VECTORS / "ReferenceEventHashAlgorithm2.jsonld")]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"==> {disguised} <=="
    assert lines[1] == lines[3] == _expected("ReferenceEventHashAlgorithm2")[0]


def test_prehash_option_prints_the_canonical_strings() -> None:
    result = runner.invoke(app, ["hash", "--prehash", str(VECTORS / "epcisDocWithSingleEvent.jsonld")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        _expected("epcisDocWithSingleEvent")[0],
        (VECTORS / "epcisDocWithSingleEvent.prehashes").read_text().strip(),
    ]


def test_a_query_document_with_ignore_fields() -> None:
    result = runner.invoke(app, ["hash", str(VECTORS / "epcisQueryDocHavingEventWithIgnoreFields.jsonld")])
    assert result.stdout.split() == _expected("epcisQueryDocHavingEventWithIgnoreFields")


def test_a_context_written_after_the_body_is_still_used(tmp_path: Path) -> None:
    document = json.loads((VECTORS / "ralfsChaosExample.jsonld").read_text())
    reordered = {
        key: document[key] for key in ("type", "schemaVersion", "creationDate", "epcisBody", "@context")
    }
    path = tmp_path / "context-last.jsonld"
    path.write_text(json.dumps(reordered))
    result = runner.invoke(app, ["hash", str(path)])
    assert result.stdout.split() == _expected("ralfsChaosExample")


def test_a_file_that_is_not_an_epcis_document_fails_with_exit_1(tmp_path: Path) -> None:
    for name, content, reason in [
        ("list.json", '{"items": [1, 2]}', "no epcisBody.eventList"),
        ("broken.json", '{"epcisBody": {"eventList": [', "not well-formed JSON"),
        ("page.xml", "<html><body/></html>", "the root element is <html>"),
    ]:
        path = tmp_path / name
        path.write_text(content)
        result = runner.invoke(app, ["hash", str(path)])
        assert result.exit_code == 1
        assert f"{path} is not an EPCIS document: " in result.stderr
        assert reason in result.stderr


def test_a_missing_file_fails_with_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["hash", str(tmp_path / "nowhere.jsonld")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_large_json_documents_are_streamed(tmp_path: Path) -> None:
    event = {
        "type": "ObjectEvent",
        "eventTime": "2025-11-02T10:00:00+05:00",
        "eventTimeZoneOffset": "+05:00",
        "epcList": [],
        "action": "OBSERVE",
        "bizStep": "storing",
        "readPoint": {"id": "urn:epc:id:sgln:4870001.00001.0"},
    }
    path = tmp_path / "large.jsonld"
    with path.open("w") as out:
        out.write('{"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],')
        out.write('"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-11-02T10:00:00Z",')
        out.write('"epcisBody": {"eventList": [')
        out.write(
            ",".join(
                json.dumps({**event, "epcList": [f"urn:epc:id:sgtin:4870001.000001.{n}"]})
                for n in range(10_000)
            )
        )
        out.write("]}}")
    assert path.stat().st_size > 2_500_000
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            count = sum(1 for _ in document_events(stream))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert peak < 1_000_000, f"peak {peak} bytes: the document was loaded whole"


def test_the_installed_command_runs() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "kiik.cli.main", "hash", str(VECTORS / "epclist_normalisation.jsonld")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == _expected("epclist_normalisation")
