"""The permit lifecycle, numbers, validity, quota balances, the form's boxes and signed documents."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiik.ledger.domain.signed_documents import BadSignedDocument, read_signed, sign_document
from kiik.permits.domain.form import ALL_BOXES
from kiik.permits.domain.lifecycle import (
    TRANSITIONS,
    PermitAction,
    PermitError,
    PermitStatus,
    TransitionRefused,
    last_valid_day,
    next_status,
    parse_number,
    permit_number,
    term_of,
)
from kiik.species.domain.quotas import Quota, QuotaBalance, QuotaError, QuotaExceeded

ALLOWED = {
    (PermitStatus.APPLIED, PermitAction.ISSUE): PermitStatus.ISSUED,
    (PermitStatus.APPLIED, PermitAction.REJECT): PermitStatus.REJECTED,
    (PermitStatus.APPLIED, PermitAction.WITHDRAW): PermitStatus.WITHDRAWN,
    (PermitStatus.ISSUED, PermitAction.ENDORSE): PermitStatus.USED,
    (PermitStatus.ISSUED, PermitAction.CANCEL): PermitStatus.CANCELLED,
    (PermitStatus.ISSUED, PermitAction.REPLACE): PermitStatus.REPLACED,
    (PermitStatus.ISSUED, PermitAction.EXPIRE): PermitStatus.EXPIRED,
    (PermitStatus.USED, PermitAction.CONFIRM_IMPORT): PermitStatus.CLOSED,
}


def test_the_lifecycle_is_exactly_the_documented_table() -> None:
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize("status", list(PermitStatus))
@pytest.mark.parametrize("action", list(PermitAction))
def test_every_transition_outside_the_lifecycle_is_refused(
    status: PermitStatus, action: PermitAction
) -> None:
    if (status, action) in ALLOWED:
        assert next_status(status, action, "permit X") is ALLOWED[(status, action)]
        return
    with pytest.raises(TransitionRefused, match=f"permit X cannot be .*status {status.value}"):
        next_status(status, action, "permit X")


def test_a_used_permit_says_it_is_used_once() -> None:
    with pytest.raises(TransitionRefused, match="a permit is used once.*allows confirm_import"):
        next_status(PermitStatus.USED, PermitAction.ENDORSE, "permit KZ/2026/000001")
    with pytest.raises(TransitionRefused, match="arrived \\(closed\\).*allows nothing: it is final"):
        next_status(PermitStatus.CLOSED, PermitAction.ENDORSE, "permit KZ/2026/000001")


def test_numbers_in_the_cites_style() -> None:
    assert permit_number(2026, 123) == "KZ/2026/000123"
    assert parse_number("kz-2026-000123") == "KZ/2026/000123"
    with pytest.raises(PermitError, match="KZ/2026/000123"):
        parse_number("2026/123")


def test_validity_is_at_most_six_months() -> None:
    assert last_valid_day(date(2026, 11, 22), None) == date(2027, 5, 21)
    assert last_valid_day(date(2026, 8, 31), None) == date(2027, 2, 27)
    assert last_valid_day(date(2026, 11, 22), date(2026, 12, 31)) == date(2026, 12, 31)
    with pytest.raises(PermitError, match="at most 6 months"):
        last_valid_day(date(2026, 11, 22), date(2027, 5, 22))
    with pytest.raises(PermitError, match="before it is issued"):
        last_valid_day(date(2026, 11, 22), date(2026, 11, 21))


def test_product_types_map_to_cites_terms(reference) -> None:  # type: ignore[no-untyped-def]
    codes = {
        row["code"]
        for row in csv.DictReader((reference / "cites" / "trade_terms.csv").read_text().splitlines())
    }
    for product in ("whole_horn", "slices", "shavings", "powder", "extract", "granules", "horn_tip", "new"):
        assert term_of(product) in codes
    assert (term_of("whole_horn"), term_of("powder"), term_of(None)) == ("HOR", "POW", "DER")


def test_the_form_has_every_box_of_the_reference(reference) -> None:  # type: ignore[no-untyped-def]
    boxes = [
        row["box"]
        for row in csv.DictReader((reference / "cites" / "permit_form_boxes.csv").read_text().splitlines())
    ]
    assert [number for number, _ in ALL_BOXES] == boxes


QUOTA = Quota("Saiga tatarica", None, "KGM", "W", "T", None, 2026, 2028, 10_000.0, "CoP20")


def test_a_quota_covers_its_species_years_and_codes() -> None:
    assert QUOTA.covers("Saiga tatarica", "POW", "KGM", "W", "T", "CN", 2027)
    assert not QUOTA.covers("Saiga tatarica", "POW", "KGM", "W", "T", "CN", 2029)
    assert not QUOTA.covers("Saiga tatarica", "POW", "KGM", "C", "T", "CN", 2027)
    assert not QUOTA.covers("Saiga tatarica", "POW", "KGM", "W", "S", "CN", 2027)
    horns_to_china = Quota("Saiga tatarica", "HOR", "KGM", "W", "T", "CN", 2026, 2026, 5.0, "x")
    assert not horns_to_china.covers("Saiga tatarica", "POW", "KGM", "W", "T", "CN", 2026)
    assert not horns_to_china.covers("Saiga tatarica", "HOR", "KGM", "W", "T", "JP", 2026)
    with pytest.raises(QuotaError):
        Quota("Saiga tatarica", None, "KGM", "W", "T", None, 2028, 2026, 1.0, "x")


def test_reserve_use_and_release_never_go_over_the_cap() -> None:
    balance = QuotaBalance(1, 2026, cap=10.0)
    balance = balance.reserve(6.0).reserve(4.0)
    assert balance.remaining == 0.0 and balance.box_11a() == "10.000 / 10.000 kg (2026)"
    with pytest.raises(QuotaExceeded, match="has 0.000 KGM left"):
        balance.reserve(0.001)
    balance = balance.use(reserved=6.0, actual=5.5)  # 0.5 kg did not leave: it goes back
    assert (balance.reserved, balance.used, balance.remaining) == (4.0, 5.5, 0.5)
    with pytest.raises(QuotaExceeded):
        balance.use(reserved=4.0, actual=4.5)
    balance = balance.release(4.0)
    assert balance.remaining == 4.5
    assert QuotaBalance(1, 2026, 0.3).reserve(0.1).reserve(0.2).remaining == 0.0


def test_a_signed_document_verifies_with_the_public_key_only() -> None:
    key = Ed25519PrivateKey.generate()
    token = sign_document({"number": "KZ/2026/000001", "kg": 1.5}, "kz-test", key.sign)
    signed = read_signed(token)
    assert signed.payload == {"number": "KZ/2026/000001", "kg": 1.5} and signed.key_id == "kz-test"
    key.public_key().verify(signed.signature, signed.signing_input)  # raises when not genuine
    forged = token.split(".")
    forged[1] = sign_document({"number": "KZ/2026/000002", "kg": 1.5}, "kz-test", key.sign).split(".")[1]
    from cryptography.exceptions import InvalidSignature

    tampered = read_signed(".".join(forged))
    with pytest.raises(InvalidSignature):
        key.public_key().verify(tampered.signature, tampered.signing_input)
    with pytest.raises(BadSignedDocument):
        read_signed("not-a-jws")
