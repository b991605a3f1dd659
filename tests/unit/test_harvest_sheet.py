"""Reading the field sheet: every cell checked, every problem with its row and column."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from kiik.epcis.domain.event_facts import read_event
from kiik.harvest.domain.authorisations import Population
from kiik.harvest.domain.events import harvest_event
from kiik.harvest.domain.geo import point_inside
from kiik.harvest.domain.populations import population_range
from kiik.harvest.domain.sheet import read_sheet, write_sheet

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "harvest-sheet.csv"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "harvest-sheet.csv"
HEADER = (
    "animal_id,sex,age_class,harvest_time,latitude,longitude,"
    "authorisation,datamatrix,microchip,mass_kg,length_cm"
)
ROW = "A-1,male,adult,2025-09-12T07:40:00+05:00,50.95,51.35,KZ-2025-URL-001,{code},{chip},0.25,28"


def sheet_of(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def test_the_documented_example_reads_without_a_problem() -> None:
    assert FIXTURE.read_bytes() == EXAMPLE.read_bytes()
    sheet = read_sheet(EXAMPLE.read_bytes())
    assert sheet.errors == []
    assert (sheet.row_count, len(sheet.rows), sheet.animals) == (6, 6, 3)
    first, chipped, chip_only = sheet.rows[0], sheet.rows[2], sheet.rows[4]
    assert first.row == 2 and first.animal.animal_id == "URL-T1-0001" and first.horn.side == "left"
    assert first.horn.epc == "https://id.gs1.org/01/04870002000010/21/1001"
    assert chipped.horn.microchip == "398000000001003" and chipped.horn.epc.endswith("/21/1003")
    assert chip_only.horn.epc == "urn:kiik:microchip:398000000001005" and chip_only.animal.population is None
    assert first.animal.harvested_at.utcoffset() == timedelta(hours=5)


def test_a_row_becomes_a_commissioning_with_the_origin_in_ilmd() -> None:
    row = read_sheet(EXAMPLE.read_bytes()).rows[2]
    event = harvest_event(row.animal, row.horn, "urn:epc:id:sgln:4870002.00000.0")
    facts = read_event(event)
    assert (facts.action, facts.biz_step, facts.epcs) == ("ADD", "commissioning", (row.horn.epc,))
    assert event["eventTime"] == "2025-09-12T03:05:00.000Z" and event["eventTimeZoneOffset"] == "+05:00"
    assert {k: v for k, v in facts.ilmd.items()} == {
        "kiik:species": "Saiga tatarica",
        "kiik:population": "Ural",
        "kiik:animalID": "URL-T1-0002",
        "kiik:sex": "male",
        "kiik:ageClass": "subadult",
        "kiik:harvestDate": "2025-09-12",
        "kiik:harvestPoint": "50.9377,51.3811",
        "kiik:harvestAuthorisation": "urn:kiik:harvest-authorisation:KZ-2025-URL-001",
        "kiik:massKg": 0.181,
        "kiik:lengthCm": 21.0,
        "kiik:productType": "whole_horn",
        "kiik:hornSide": "left",
        "kiik:microchip": "398000000001003",
    }
    assert harvest_event(row.animal, row.horn, None) == harvest_event(row.animal, row.horn, None)


def test_semicolons_decimal_commas_a_bom_and_naive_times() -> None:
    text = (
        HEADER.replace(",", ";")
        + "\n"
        + "A-1;M;adult;2025-09-12 07:40;50,95;51,35;KZ-2025-URL-001;;398000000000001;0,25;28,5\n"
    )
    sheet = read_sheet(b"\xef\xbb\xbf" + text.encode())
    assert sheet.errors == []
    [row] = sheet.rows
    assert (row.animal.sex, row.horn.mass_kg, row.animal.point.latitude) == ("male", 0.25, 50.95)
    assert row.animal.harvested_at.utcoffset() == timedelta(hours=5)


def test_several_bad_rows_are_each_named_with_their_column() -> None:
    sheet = read_sheet(
        sheet_of(
            ROW.format(code="(01)04870002000010(21)1", chip=""),
            "A-2,male,adult,yesterday,50.95,51.35,KZ-2025-URL-001,(01)04870002000010(21)2,,0.25,28",
            "A-3,bull,adult,2025-09-12T08:00:00+05:00,95,51.35,KZ-2025-URL-001,,,250,28",
            "A-4,male,adult,2025-09-12T08:00:00+05:00,50.95,51.35,KZ 2025,(01)04870002000011(21)4,123,0.2,28",
            "A-5,male,adult,2025-09-12T08:00:00+05:00,50.95,51.35,KZ-2025-URL-001,(01)04870002000010(21)1,,0.2,28",
            ",male,adult,2025-09-12T08:00:00+05:00,50.95,51.35,KZ-2025-URL-001,(01)04870002000010(21)6,,0.2",
        )
    )
    found = {(e.row, e.column, e.rule) for e in sheet.errors}
    assert found == {
        (3, "harvest_time", "sheet.invalid_value"),
        (4, "sex", "sheet.invalid_value"),
        (4, "latitude", "sheet.invalid_value"),
        (4, "mass_kg", "sheet.invalid_value"),
        (4, "datamatrix", "sheet.missing_value"),
        (5, "authorisation", "sheet.invalid_value"),
        (5, "datamatrix", "sheet.invalid_value"),  # wrong check digit
        (5, "microchip", "sheet.invalid_value"),
        (6, "datamatrix", "sheet.duplicate_code"),
        (7, None, "sheet.unreadable"),  # a cell short
    }
    assert all(e.message for e in sheet.errors)
    assert [r.row for r in sheet.rows] == [2, 6]


def test_the_rows_of_one_animal_agree_and_each_side_has_one_horn() -> None:
    sheet = read_sheet(
        sheet_of(
            "A-1,male,adult,2025-09-12T07:40:00+05:00,50.95,51.35,KZ-2025-URL-001,left,,398000000000001,0.25,28",
            "A-1,male,subadult,2025-09-12T07:40:00+05:00,50.95,51.35,KZ-2025-URL-001,left,,398000000000002,0.25,28",
            header=HEADER.replace("authorisation,", "authorisation,horn_side,"),
        )
    )
    assert {(e.row, e.column, e.rule) for e in sheet.errors} == {
        (3, "age_class", "sheet.animal_inconsistent"),
        (3, "horn_side", "sheet.horn_side_repeated"),
    }


def test_header_problems_and_unreadable_sheets() -> None:
    missing = read_sheet(b"animal_id,sex,colour\nA-1,male,grey\n")
    rules = {(e.row, e.rule) for e in missing.errors}
    assert rules == {(1, "sheet.header")}
    assert any("unknown column 'colour'" in e.message for e in missing.errors)
    assert any("required column 'mass_kg' is missing" in e.message for e in missing.errors)
    assert [e.rule for e in read_sheet(b"").errors] == ["sheet.header"]
    assert [e.rule for e in read_sheet(sheet_of()).errors] == ["sheet.empty"]
    assert [e.rule for e in read_sheet(b"\xff\xfe\x00a").errors] == ["sheet.unreadable"]


def test_a_written_sheet_reads_back_as_written() -> None:
    rows = read_sheet(EXAMPLE.read_bytes()).rows
    written = write_sheet((r.animal, r.horn, r.site) for r in rows)
    again = read_sheet(written.encode())
    assert again.errors == [] and [(r.animal, r.horn, r.site) for r in again.rows] == [
        (r.animal, r.horn, r.site) for r in rows
    ]
    assert [r.row for r in again.rows] == [2, 3, 4, 5, 6, 7]


def test_random_points_fall_inside_the_area() -> None:
    area = population_range(Population.USTYURT)
    rng = random.Random(5)
    assert all(area.contains(point_inside(area, rng)) for _ in range(200))


def test_a_sheet_problem_is_english_text_and_a_wording_the_pages_translate() -> None:
    """The API and the command line show the English text; a page translates the template."""
    from kiik.errors import Wording
    from kiik.web.i18n import PageText

    text = EXAMPLE.read_text().splitlines()
    text[1] = text[1].replace(",male,", ",bull,", 1)
    [problem] = read_sheet("\n".join(text).encode()).errors
    assert isinstance(problem.message, Wording)
    assert problem.to_json()["message"] == "sex 'bull' is not one of: male, female"
    assert str(PageText("ru").explain(problem.message)) == "sex 'bull' не из списка: male, female"
    assert str(PageText("en").explain(problem.message)) == "sex 'bull' is not one of: male, female"
