"""The rules on usernames, passwords, lock-outs and session lifetimes (plain Python)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kiik.directory.domain.people import (
    FAILED_LOGINS_BEFORE_LOCKOUT,
    LOCKOUT,
    PersonError,
    SessionLifetime,
    check_password,
    check_username,
    locked_until,
)

T0 = datetime(2026, 3, 1, 9, 0)


def test_usernames_are_lower_cased_and_bad_ones_say_what_is_allowed() -> None:
    assert check_username(" Aigerim.K ") == "aigerim.k"
    with pytest.raises(PersonError, match="3 to 64 lower-case letters"):
        check_username("a b")


def test_passwords_need_twelve_characters_and_not_the_username() -> None:
    check_password("steppe saiga spring", "aigerim")
    with pytest.raises(PersonError, match="has 5 characters: use at least 12"):
        check_password("short", "aigerim")
    with pytest.raises(PersonError, match="contains the username"):
        check_password("aigerim-2026-password", "aigerim")


def test_an_account_waits_after_five_failures_in_a_row() -> None:
    assert locked_until(FAILED_LOGINS_BEFORE_LOCKOUT - 1, T0) is None
    assert locked_until(FAILED_LOGINS_BEFORE_LOCKOUT, T0) == T0 + LOCKOUT


def test_a_session_ends_when_idle_or_old() -> None:
    lifetime = SessionLifetime(idle=timedelta(hours=2), absolute=timedelta(hours=12))
    assert lifetime.expires(T0, T0) == T0 + timedelta(hours=2)
    assert lifetime.expires(T0, T0 + timedelta(hours=11)) == T0 + timedelta(hours=12)
