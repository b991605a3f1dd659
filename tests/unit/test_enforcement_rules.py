"""Enforcement's rules without a database: matching verdicts, market verdicts, seizure checks, the
seizure CSV, and the review and custody steps."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiik.enforcement.domain.alerts import next_status
from kiik.enforcement.domain.disposal import next_step
from kiik.enforcement.domain.errors import EnforcementError
from kiik.enforcement.domain.market import market_verdict
from kiik.enforcement.domain.matching import RegisteredItem, country_of, match_code
from kiik.enforcement.domain.seizure import NewSeizure, Specimen, problems
from kiik.enforcement.domain.seizure_csv import read_seizures

SAIGA = "Saiga tatarica"
KEY = "https://id.gs1.org/01/04870002000010/21/7"
SEIZED_AT = datetime(2026, 10, 1, 12)


def item(status: str = "active", kind: str = "trader", **changes: object) -> RegisteredItem:
    values: dict[str, object] = {
        "key": KEY,
        "status": status,
        "holder": 5,
        "holder_name": "Saiga Export LLP",
        "species": SAIGA,
        "product_term": "HOR",
        "last_event_id": "urn:uuid:1",
        "last_event_time": datetime(2026, 9, 1),
        "last_step": "receiving",
        "holder_kind": kind,
    }
    values.update(changes)
    return RegisteredItem(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("found", "terms", "verdict", "reason"),
    [
        (item(), {"HOR"}, "leak", "registered"),
        (item("in_transit"), {"HOR"}, "leak", "registered"),
        (None, {"HOR"}, "forgery", "never_issued"),
        (item(species="Testudo horsfieldii"), {"HOR"}, "forgery", "other_species"),
        (item(), {"POW"}, "forgery", "other_product"),
        (item("consumed"), {"HOR"}, "forgery", "no_longer_exists"),
        (item("exported"), {"HOR"}, "forgery", "no_longer_exists"),
        (item("seized"), {"HOR"}, "forgery", "already_seized"),
    ],
)
def test_each_seized_code_gets_a_verdict(
    found: RegisteredItem | None, terms: set[str], verdict: str, reason: str
) -> None:
    match = match_code(KEY, found, SAIGA, frozenset(terms), SEIZED_AT)
    assert (match.verdict, match.reason) == (verdict, reason)


def test_a_leak_says_how_long_ago_the_holder_last_had_it() -> None:
    match = match_code(KEY, item(), SAIGA, frozenset({"HOR"}), SEIZED_AT)
    assert "last held by Saiga Export LLP, last recorded 30 days before the seizure" in match.explanation


def test_codes_of_other_countries_are_asked_of_their_registry() -> None:
    assert country_of("https://id.gs1.org/01/04700002000016/21/5") == "KG"
    assert country_of("https://id.gs1.org/01/06900002000016/21/5") == "CN"
    assert country_of("urn:kiik:microchip:860000000000001") == "UZ"
    assert country_of(KEY) == "KZ"
    kyrgyz = match_code("https://id.gs1.org/01/04700002000016/21/5", None, SAIGA, frozenset(), SEIZED_AT)
    assert (kyrgyz.verdict, kyrgyz.country) == ("foreign", "KG")


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (item(kind="trader"), "legal"),
        (item(kind="processor"), "legal"),
        (item(kind="warehouse"), "leak"),
        (item("in_transit", kind="trader"), "leak"),
        (None, "forgery"),
    ],
)
def test_a_market_scan_is_legal_only_with_someone_who_may_sell(
    found: RegisteredItem | None, expected: str
) -> None:
    match = match_code(KEY, found, SAIGA, frozenset({"HOR"}), SEIZED_AT)
    assert market_verdict(match)[0] == expected
    assert market_verdict(None)[0] == "unknown"


def test_a_seizure_names_every_wrong_field() -> None:
    seizure = NewSeizure(
        "KZ-1",
        date(2030, 1, 1),
        "",
        "telepathy",
        "Panthera leo",
        (Specimen("XXX", 0, "BUCKETS"), Specimen("HOR", 1, "NAR", ("a", "b"))),
        latitude=91.0,
    )
    found = " | ".join(problems(seizure, {SAIGA}, date(2026, 10, 1)))
    for expected in (
        "seizedOn: 2030-01-01 is in the future",
        "agency: name the agency",
        "detectionMethod: 'telepathy'",
        "species: 'Panthera leo' is not in the species register",
        "latitude/longitude: give both",
        "specimens[1].term: 'XXX' is not a CITES term code",
        "specimens[1].unit: 'BUCKETS' is not a CITES unit code",
        "specimens[1].quantity: give a quantity above 0",
        "specimens[2].codes: 2 codes for 1 pieces",
    ):
        assert expected in found


HEADER = (
    "reference,seized_on,agency,detection_method,species,term,quantity,unit,codes,"
    "origin,transit,destination\n"
)


def test_the_csv_groups_rows_of_one_seizure_and_reads_the_trade_chain() -> None:
    text = HEADER + (
        "S-1,2026-10-01,Customs,x-ray,Saiga tatarica,HOR,3,NAR,a b,KZ,KG?;UZ,CN?\n"
        "S-1,2026-10-01,Customs,x-ray,Saiga tatarica,POW,1.5,KGM,,KZ,KG?;UZ,CN?\n"
        "S-2,2026-10-02,Police,patrol,Saiga tatarica,HOR,1,NAR,,,,\n"
    )
    seizures, found = read_seizures(text)
    assert found == []
    first, rows = seizures[0]
    assert rows == [2, 3] and [s.term for s in first.specimens] == ["HOR", "POW"]
    assert first.specimens[0].codes == ("a", "b") and first.specimens[0].unmarked == 1
    assert first.route.describe() == "KZ → KG? → UZ → CN?"


def test_the_csv_reports_each_bad_row_and_column() -> None:
    text = HEADER + (
        "S-1,2026-13-01,Customs,x-ray,Saiga tatarica,HOR,three,NAR,,,,\n"
        "S-2,2026-10-02,,patrol,Saiga tatarica,HOR,1,NAR,,,,\n"
        "S-3,2026-10-02,Police,patrol,Saiga tatarica,HOR,1,NAR,,,,\n"
        "S-3,2026-10-03,Police,patrol,Saiga tatarica,HOR,1,NAR,,,,\n"
    )
    _, found = read_seizures(text)
    assert "row 2, seized_on: '2026-13-01' is not a date: write it as YYYY-MM-DD" in found
    assert "row 2, quantity: 'three' is not a number" in found
    assert "row 3, agency: empty; it is required" in found
    assert any(p.startswith("row 5: seizure S-3 was described differently on row 4") for p in found)
    assert read_seizures("reference,colour\n")[1][0].startswith("header: the columns seized_on")


def test_the_review_and_custody_steps_go_in_order() -> None:
    assert next_status(1, "open", "investigating", None) == "investigating"
    with pytest.raises(EnforcementError, match="cannot become confirmed_leak; it may go to investigating"):
        next_status(1, "open", "confirmed_leak", "sold")
    assert next_step("S", "court", "science") == "science"
    with pytest.raises(EnforcementError, match="the next step is court"):
        next_step("S", "evidence", "returned")


def test_the_workbook_names_its_columns_as_a_spreadsheet_does() -> None:
    from kiik.enforcement.adapters.xlsx import column

    assert [column(n) for n in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]
