"""The floor pages' small readers: a scanned list, a permit's QR code, the seizure service's problems
put next to their fields, and the page key that becomes the event's eventID."""

from __future__ import annotations

import pytest

from kiik.custody.services.floor import FloorError, event_id_of
from kiik.enforcement.domain.errors import EnforcementError, SeizureInvalid
from kiik.permits.domain.lifecycle import PermitError
from kiik.web.floor.customs_pages import permit_of
from kiik.web.inspection.seizure_pages import problems_by_field
from kiik.web.scanning import errors_by_code, typed_codes


def test_a_scanned_list_is_one_code_a_line_whatever_the_line_ends() -> None:
    assert typed_codes(" (01)04870002000010(21)7\r\n\n urn:epc:id:sgtin:4870002.000001.8 \r") == [
        "(01)04870002000010(21)7",
        "urn:epc:id:sgtin:4870002.000001.8",
    ]


def test_a_permit_is_read_from_its_number_or_its_qr_codes_address() -> None:
    assert permit_of("kz-2026-000123") == "KZ/2026/000123"
    assert permit_of("https://kiik.example/verify/permit/KZ/2026/000123?lang=kk") == "KZ/2026/000123"
    with pytest.raises(PermitError, match="is not a permit number"):
        permit_of("https://kiik.example/items/123")


def test_the_seizure_services_problems_go_next_to_their_fields() -> None:
    message = (
        "the seizure 'X' cannot be recorded: agency: name the agency that seized the goods; "
        "specimens[1].codes: 'abc' is not a well-formed code; species: 'Felis' is not in the register"
    )
    found = problems_by_field(EnforcementError(message))
    assert set(found) == {"agency", "codes", "species"}
    assert found["codes"].startswith("specimens[1].codes: 'abc'")
    # A seizure's own refusal lists its problems: each goes under its field as it is.
    refusal = SeizureInvalid("X", ["agency: name it", "specimens[2].unit: 'X' is no unit"])
    listed = problems_by_field(refusal, [1, 3])
    assert listed == {"agency": "agency: name it", "quantity-3": "specimens[2].unit: 'X' is no unit"}


def test_capture_errors_are_grouped_by_the_code_they_name() -> None:
    by_code, general = errors_by_code(
        [{"rule": "item.not_movable", "identifier": "k1"}, {"rule": "transformation.mass_balance"}]
    )
    assert list(by_code) == ["k1"] and [e["rule"] for e in general] == ["transformation.mass_balance"]


def test_the_page_key_must_be_a_uuid() -> None:
    assert (
        event_id_of("0b9f7ac2-52a8-4a39-9a6c-4a8d8f2c1e11") == "urn:uuid:0b9f7ac2-52a8-4a39-9a6c-4a8d8f2c1e11"
    )
    with pytest.raises(FloorError, match="not a UUID") as refused:
        event_id_of("page-1")
    assert refused.value.field_name == "key"
