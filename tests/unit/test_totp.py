"""TOTP over hmac, checked against RFC 4226's HOTP and RFC 6238's TOTP test vectors."""

from __future__ import annotations

import pytest

from kiik.directory.domain import totp

RFC_KEY = b"12345678901234567890"
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # RFC_KEY in base32


@pytest.mark.parametrize(("counter", "code"), [(0, "755224"), (1, "287082"), (2, "359152"), (9, "520489")])
def test_hotp_matches_rfc_4226(counter: int, code: str) -> None:
    assert totp.hotp(RFC_KEY, counter) == code


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")],
)
def test_totp_matches_rfc_6238(unix_time: int, code: str) -> None:
    assert totp.hotp(RFC_KEY, unix_time // totp.STEP_SECONDS, digits=8) == code


def test_a_code_is_accepted_one_step_either_side_and_no_further() -> None:
    now = 1_800_000_000.0
    code = totp.code_at(RFC_SECRET, now)
    assert totp.verify(RFC_SECRET, code, now)
    assert totp.verify(RFC_SECRET, code, now + totp.STEP_SECONDS)
    assert totp.verify(RFC_SECRET, code, now - totp.STEP_SECONDS)
    assert not totp.verify(RFC_SECRET, code, now + 3 * totp.STEP_SECONDS)
    assert not totp.verify(RFC_SECRET, "12345", now) and not totp.verify(RFC_SECRET, "abcdef", now)


def test_a_new_secret_is_random_base32_and_its_uri_names_the_user() -> None:
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second and len(first) == 32 and set(first) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    uri = totp.provisioning_uri(first, "aigerim")
    assert uri.startswith("otpauth://totp/kiik%3Aaigerim?secret=" + first)
