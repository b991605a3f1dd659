"""Identifiers: every spelling of one item gives one key; a bad code is refused with its reason."""

from __future__ import annotations

import pytest

from kiik.epcis.adapters.barcodes import parse_scanned
from kiik.epcis.domain.gs1_keys import check_digit
from kiik.epcis.domain.identifiers import (
    Identifier,
    InvalidIdentifier,
    canonical_key,
    epc_to_digital_link,
    identifier_from_element_strings,
    parse_identifier,
)

HORN = "https://id.gs1.org/01/04870001000011/21/7"


@pytest.mark.parametrize(
    "spelling",
    [
        "urn:epc:id:sgtin:4870001.000001.7",
        HORN,
        "http://id.gs1.org/01/04870001000011/21/7",
        "https://example.com/01/04870001000011/21/7",
        "https://brand.kz/products/horns/01/04870001000011/21/7?17=261231#top",
        "https://id.gs1.org/01/4870001000011/21/7",
        "https://id.gs1.org/gtin/04870001000011/ser/7",
        "https://id.gs1.org/01/04870001000011/10/LOT1/21/7",
        "  urn:epc:id:sgtin:4870001.000001.7\n",
    ],
)
def test_one_horn_in_any_spelling_is_one_key(spelling: str) -> None:
    assert canonical_key(spelling) == HORN


@pytest.mark.parametrize(
    "scanned",
    [
        "(01)04870001000011(21)7",
        "(01)04870001000011(17)261231(21)7",
        "0104870001000011217",
        "]d20104870001000011217",
        "]d2010487000100001110LOT1\x1d217",
        "]C1(01)04870001000011(21)7",
        "urn:epc:id:sgtin:4870001.000001.7",
        "https://example.com/01/04870001000011/21/7",
    ],
)
def test_scanned_forms_give_the_same_key(scanned: str) -> None:
    assert parse_scanned(scanned).canonical == HORN


def test_an_sgtin_tells_its_parts() -> None:
    horn = parse_identifier("urn:epc:id:sgtin:4870001.000001.7")
    assert horn == Identifier(
        kind="sgtin",
        canonical=HORN,
        is_class=False,
        gtin="04870001000011",
        serial="7",
        key="04870001000011",
        company_prefix="4870001",
    )


@pytest.mark.parametrize(
    ("text", "kind", "canonical", "is_class"),
    [
        (
            "urn:epc:class:lgtin:4870001.000002.SH-2025-11",
            "lgtin",
            "https://id.gs1.org/01/04870001000028/10/SH-2025-11",
            True,
        ),
        (
            "https://id.gs1.org/01/04870001000028/10/SH-2025-11",
            "lgtin",
            "https://id.gs1.org/01/04870001000028/10/SH-2025-11",
            True,
        ),
        ("urn:epc:idpat:sgtin:4870001.000002.*", "gtin", "https://id.gs1.org/01/04870001000028", True),
        ("https://id.gs1.org/01/04870001000028", "gtin", "https://id.gs1.org/01/04870001000028", True),
        ("urn:epc:id:sscc:4870001.0000000001", "sscc", "https://id.gs1.org/00/048700010000000011", False),
        ("urn:epc:id:sgln:4870001.00001.0", "sgln", "https://id.gs1.org/414/4870001000011", False),
        (
            "urn:epc:id:sgln:4870001.00001.B-12",
            "sgln",
            "https://id.gs1.org/414/4870001000011/254/B-12",
            False,
        ),
        (
            "https://id.gs1.org/414/4870001000011/254/B-12",
            "sgln",
            "https://id.gs1.org/414/4870001000011/254/B-12",
            False,
        ),
        ("urn:epc:id:pgln:4870001.00000", "pgln", "https://id.gs1.org/417/4870001000004", False),
        ("urn:epc:id:grai:4870001.00003.55", "grai", "https://id.gs1.org/8003/04870001000035" + "55", False),
        ("urn:epc:id:giai:4870001.TRUCK7", "giai", "https://id.gs1.org/8004/4870001TRUCK7", False),
        ("urn:epc:id:gsrn:4870001.0000012345", "gsrn", "https://id.gs1.org/8018/487000100000123453", False),
        (
            "urn:epc:id:gdti:4870001.00004.P-2026-1",
            "gdti",
            "https://id.gs1.org/253/4870001000042P-2026-1",
            False,
        ),
        ("urn:epc:id:sgcn:4870001.00005.99", "gcn", "https://id.gs1.org/255/487000100005999", False),
        (
            "urn:epc:id:itip:4870001.000001.01.02.7",
            "itip",
            "https://id.gs1.org/8006/048700010000110102/21/7",
            False,
        ),
        (
            "urn:epc:id:cpi:4870001.A-1%2F2.123",
            "cpi",
            "https://id.gs1.org/8010/4870001A-1%2F2/8011/123",
            False,
        ),
        ("urn:kiik:microchip:398000123456789", "microchip", "urn:kiik:microchip:398000123456789", False),
        ("398000123456789", "microchip", "urn:kiik:microchip:398000123456789", False),
        ("398 000 123 456 789", "microchip", "urn:kiik:microchip:398000123456789", False),
        ("985000000000123", "microchip", "urn:kiik:microchip:985000000000123", False),
        ("urn:kiik:permit:KZ-2026-000123", "kiik", "urn:kiik:permit:KZ-2026-000123", False),
    ],
)
def test_kinds_and_canonical_keys(text: str, kind: str, canonical: str, is_class: bool) -> None:
    identifier = parse_identifier(text)
    assert (identifier.kind, identifier.canonical, identifier.is_class) == (kind, canonical, is_class)


def test_the_check_digit_is_computed_from_the_key() -> None:
    assert check_digit("0487000100001") == "1"
    assert check_digit("04870001000000001") == "1"
    assert parse_identifier("urn:epc:id:sscc:4870001.0000000001").key == "048700010000000011"


def test_serial_characters_are_percent_encoded_once_in_the_key() -> None:
    from_urn = parse_identifier("urn:epc:id:sgtin:4870001.000001.A%2FB(1)")
    from_link = parse_identifier("https://id.gs1.org/01/04870001000011/21/A%2fB%281%29")
    assert from_urn.serial == from_link.serial == "A/B(1)"
    assert from_urn.canonical == from_link.canonical == "https://id.gs1.org/01/04870001000011/21/A%2FB%281%29"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "https://id.gs1.org/01/04870001000012/21/7",
            "wrong check digit in GTIN 04870001000012: expected 1, got 2",
        ),
        (
            "https://id.gs1.org/00/048700010000000010",
            "wrong check digit in SSCC 048700010000000010: expected 1, got 0",
        ),
        (
            "https://id.gs1.org/414/4870001000012",
            "wrong check digit in GLN 4870001000012: expected 1, got 2",
        ),
        (
            "https://id.gs1.org/417/4870001000005",
            "wrong check digit in party GLN 4870001000005: expected 4, got 5",
        ),
        (
            "https://id.gs1.org/01/0487000100001/21/7",  # 13 digits are read as a GTIN-13
            "wrong check digit in GTIN 00487000100001: expected 6, got 1",
        ),
        (
            "urn:epc:id:sgtin:48700.0100001.7",
            "company prefix 48700 in urn:epc:id:sgtin:48700.0100001.7 has 5 digits; "
            "a GS1 company prefix has 6 to 12 digits",
        ),
        (
            "urn:epc:id:sgtin:4870001.00001.7",
            "wrong length in urn:epc:id:sgtin:4870001.00001.7: company prefix and indicator digit and item "
            "reference must have 13 digits together, got 12",
        ),
        ("urn:epc:id:sgtin:4870001.000001", "an EPC SGTIN has 3 dot-separated parts, got 2"),
        ("urn:epc:id:sgtin:4870001.000001.", "the serial number is missing"),
        ("urn:epc:id:sgtin:4870001.000001." + "9" * 21, "the serial number may have at most 20 characters"),
        ("urn:epc:id:sgtin:4870001.000001.a~b", "has characters GS1 does not allow ('~')"),
        ("urn:epc:id:sscc:4870001.000000001", "must have 17 digits together, got 16"),
        ("urn:epc:id:sgln:4870001.0001.0", "must have 12 digits together, got 11"),
        ("urn:epc:id:bic:CSQU3054383", "unknown EPC scheme 'bic'"),
        ("urn:epc:class:foo:1.2.3", "unknown EPC class scheme 'foo'"),
        ("urn:epc:idpat:sgtin:4870001.*.*", "cannot be read as one class"),
        ("https://kiik.kz/about", "is not a GS1 Digital Link URI"),
        (
            "39800012345678",
            "39800012345678 is a bare number of 14 digits: a microchip number has 15 digits",
        ),
        (
            "3980001234567890",
            "wrong length for microchip number 3980001234567890: "
            "ISO 11784 numbers have exactly 15 digits, got 16",
        ),
        (
            "643000123456789",
            "microchip 643000123456789 starts with country code 643; kiik registers chips with the "
            "Kazakhstan code 398 or an ISO 11784 manufacturer code 900-998",
        ),
        ("999000000000001", "starts with country code 999"),
        ("urn:kiik:microchip:39800012345678X", "must be digits only"),
        ("", "empty identifier"),
        ("saiga horn 7", "is not an identifier kiik knows"),
        ("(01)04870001000011(21)7", "is a GS1 element string"),
    ],
)
def test_bad_codes_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as refused:
        parse_identifier(text)
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("scanned", "reason"),
    [
        ("(01)04870001000012(21)7", "wrong check digit in GTIN 04870001000012: expected 1, got 2"),
        ("(123)4", "unknown application identifier (123) in (123)4"),
        ("(01)0487000100001(21)7", "wrong length for GTIN (01) 0487000100001: expected 14 digits, got 13"),
        ("(00)04870001000000001", "wrong length for SSCC (00) 04870001000000001: expected 18 digits, got 17"),
        ("(01)04870001000011(21)" + "A" * 21, "serial number (21)"),
        ("(01)04870001000011(21)ab~c", "has characters GS1 does not allow: '~'"),
        ("(17)261231(10)LOT1", "carries no GS1 key"),
        ("(01)04870001000011(00)048700010000000011", "carries more than one GS1 key ((01), (00))"),
        ("0104870001000011\x1d99", "wrong length or characters for application identifier (99)"),
        ("01048700010000", "wrong check digit in GTIN 01048700010000: expected 3, got 0"),
        ("(01)04870001000011 21)7", "cannot read"),
        ("4870001000012", "wrong check digit in GTIN 04870001000012: expected 1, got 2"),
    ],
)
def test_bad_scans_are_refused_with_the_reason(scanned: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as refused:
        parse_scanned(scanned)
    assert reason in str(refused.value)


def test_a_plain_ean13_scan_names_the_product_class() -> None:
    product = parse_scanned("4870001000011")
    assert (product.kind, product.canonical, product.is_class) == (
        "gtin",
        "https://id.gs1.org/01/04870001000011",
        True,
    )


def test_a_lot_scan_names_the_lot() -> None:
    lot = parse_scanned("(01)04870001000028(10)SH-2025-11(17)271231")
    assert (lot.kind, lot.lot, lot.is_class) == ("lgtin", "SH-2025-11", True)
    assert lot.canonical == canonical_key("urn:epc:class:lgtin:4870001.000002.SH-2025-11")


def test_a_site_scan_with_extension() -> None:
    site = identifier_from_element_strings([("414", "4870001000011"), ("254", "B-12")])
    assert site.canonical == canonical_key("urn:epc:id:sgln:4870001.00001.B-12")
    assert site.extension == "B-12"


@pytest.mark.parametrize(
    ("uri", "link"),
    [
        ("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"),
        ("urn:epc:id:sgtin:415056789012.0.987654", "https://id.gs1.org/01/04150567890128/21/987654"),
        ("urn:epc:id:sscc:4012345.3111111111", "https://id.gs1.org/00/340123451111111111"),
        ("urn:epc:id:sgln:4012345.00005.0", "https://id.gs1.org/414/4012345000054"),
        ("urn:epc:id:pgln:999999999999.", "https://id.gs1.org/417/9999999999994"),
        ("urn:epc:id:gdti:987659999999..9", "https://id.gs1.org/253/98765999999929"),
        ("urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
         "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB"),
        ("urn:epc:idpat:grai:4012345.66666.*", "https://id.gs1.org/8003/04012345666663"),
        ("urn:epc:idpat:itip:4012345.012345.01.02.*", "https://id.gs1.org/8006/040123451234560102"),
        ("https://example.com/gtin/09780345418913/21/765tz?abc=211121", "https://id.gs1.org/01/09780345418913/21/765tz"),
        # Malformed or unknown URIs are returned as written: the hash must never fail.
        ("https://id.gs1.org/01/10614141073465/21/1", "https://id.gs1.org/01/10614141073465/21/1"),
        ("urn:epc:id:bic:CSQU3054383", "urn:epc:id:bic:CSQU3054383"),
        ("urn:epc:idpat:sgtin:0614141.*.*", "urn:epc:idpat:sgtin:0614141.*.*"),
        ("https://example.com/blog/2020/01/15", "https://example.com/blog/2020/01/15"),
        ("urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8", "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8"),
    ],
)  # fmt: skip
def test_epc_to_digital_link(uri: str, link: str) -> None:
    assert epc_to_digital_link(uri) == link


@pytest.mark.parametrize(
    "urn",
    [
        "urn:epc:id:sgtin:4870001.000001.7",
        "urn:epc:id:sgtin:061414.1107346.ab-C.d_e'f;g=h",
        "urn:epc:id:sgtin:415056789012.0.987654",
        "urn:epc:id:sgtin:4870001.000001.a!b",
        "urn:epc:id:sgtin:4870001.000001.%2F",
        "urn:epc:id:sgtin:4870001.000001." + "9" * 21,
        "urn:epc:id:sgtin:4870001.00001.7",
    ],
)
def test_the_quick_sgtin_path_agrees_with_the_general_one(urn: str) -> None:
    from kiik.epcis.domain.digital_link import canonical_pairs
    from kiik.epcis.domain.epc_uri import parse_epc_urn
    from kiik.epcis.domain.gs1_keys import digital_link

    try:
        general = digital_link(canonical_pairs(parse_epc_urn(urn, strict=False).pairs))
    except InvalidIdentifier:
        general = urn
    assert epc_to_digital_link(urn) == general


def test_a_site_with_gln_extension_zero_is_the_site_without_extension() -> None:
    from kiik.epcis.domain.identifiers import canonical_key

    plain = canonical_key("urn:epc:id:sgln:4870002.00000.0")
    assert canonical_key("https://id.gs1.org/414/4870002000003/254/0") == plain
    assert canonical_key("https://id.gs1.org/414/4870002000003") == plain
    assert canonical_key("urn:epc:id:sgln:4870002.00000.12") != plain
