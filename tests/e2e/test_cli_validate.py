"""`kiik validate FILE...` as a user runs it: exit status, the summary line, the problem table, --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kiik.cli.main import app

EPCIS = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "epcis"
VALID_JSON = EPCIS / "gs1-EPCIS/JSON/Example_9.6.1-ObjectEvent.jsonld"
VALID_XML = EPCIS / "gs1-EPCIS/XML/Example_9.6.1-ObjectEvent-2020_06_18a.xml"
INVALID_JSON = (
    EPCIS / "openepcis-test-resources/2.0/EPCIS/JSON/Capture/Invalid/ObjectEvent_with_invalid_action.json"
)
INVALID_XML = (
    EPCIS / "openepcis-test-resources/2.0/EPCIS/XML/Capture/Invalid/ObjectEvent_with_unknown_element.xml"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


@pytest.fixture(autouse=True)
def _reference_present() -> None:
    assert EPCIS.is_dir(), f"the EPCIS reference folder is missing: expected {EPCIS}"


def test_a_valid_document_exits_0_and_says_how_many_events(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(VALID_JSON), str(VALID_XML)])
    assert result.exit_code == 0, result.output
    assert f"{VALID_JSON}: valid (2 events, EPCISDocument)" in result.output
    assert f"{VALID_XML}: valid (2 events, EPCISDocument)" in result.output


def test_an_invalid_document_exits_1_with_a_table_of_problems(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(INVALID_JSON)])
    assert result.exit_code == 1
    assert "invalid, 1 problem" in result.output
    assert "epcisBody.eventList[0].action" in result.output and "'CREATE'" in result.output
    assert "schema" in result.output


def test_xml_problems_show_the_xpath_and_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(INVALID_XML)])
    assert result.exit_code == 1
    assert "/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[1]/madeUpField (line 13)" in result.output


def test_one_invalid_file_among_valid_ones_fails_the_run(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(VALID_JSON), str(INVALID_JSON)])
    assert result.exit_code == 1
    assert "valid (2 events, EPCISDocument)" in result.output and "invalid" in result.output


def test_json_output_lists_every_problem(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--json", str(VALID_JSON), str(INVALID_JSON)])
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [(r["valid"], r["kind"], r["events"]) for r in reports] == [
        (True, "EPCISDocument", 2),
        (False, "EPCISDocument", 1),
    ]
    [problem] = reports[1]["problems"]
    assert problem["path"] == "epcisBody.eventList[0].action"
    assert (problem["rule"], problem["event_index"]) == ("schema", 0)


def test_a_missing_file_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    result = runner.invoke(app, ["validate", str(missing)])
    assert result.exit_code == 1
    assert f"{missing}: no such file" in result.output
    as_json = runner.invoke(app, ["validate", "--json", str(missing)])
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)[0]["error"] == "no such file"


def test_an_unreadable_file_is_a_clear_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1 and "is a directory" in result.output

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")  # what a mode-000 file gives a non-root user

    locked = tmp_path / "locked.json"
    locked.write_text("{}")
    monkeypatch.setattr("kiik.cli.validate_command.open_document", refuse)
    result = runner.invoke(app, ["validate", str(locked)])
    assert result.exit_code == 1 and f"{locked}: cannot be read: Permission denied" in result.output


def test_a_file_that_is_no_epcis_document(runner: CliRunner, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("hello")
    result = runner.invoke(app, ["validate", str(note)])
    assert result.exit_code == 1 and "neither JSON nor XML" in result.output


def test_limit_shortens_the_table(runner: CliRunner) -> None:
    many = INVALID_JSON.with_name("Combination_of_multiple_invalid_fields.json")
    result = runner.invoke(app, ["validate", "--limit", "2", str(many)])
    assert result.exit_code == 1 and "and 4 more" in result.output
