"""People who log in with a username and password: the rules on names, passwords, failed log-ins
and how long a session lasts. Plain Python; hashing and storage are the services' and adapters'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiik.errors import N_

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

# After this many failed log-ins in a row the account waits LOCKOUT before it may try again; each
# address is also limited per minute (kiik.http.limits).
FAILED_LOGINS_BEFORE_LOCKOUT = 5
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class SessionLifetime:
    """A session ends after `idle` without a request, and after `absolute` whatever happens."""

    idle: timedelta = timedelta(hours=2)
    absolute: timedelta = timedelta(hours=12)

    def expires(self, started: datetime, last_seen: datetime) -> datetime:
        return min(started + self.absolute, last_seen + self.idle)


class PersonError(ValueError):
    """A person, password or session request that cannot be carried out as asked."""


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise PersonError(
            N_(
                "username %(username)s is not valid: use 3 to 64 lower-case letters, digits, '.', '_' or "
                "'-', starting with a letter or digit",
                username=repr(username),
            )
        )
    return name


def check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PersonError(
            N_(
                "the password has %(length)s characters: use at least %(least)s (a few words are easier "
                "to remember than symbols)",
                length=len(password),
                least=MIN_PASSWORD_LENGTH,
            )
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PersonError(
            N_("the password is longer than %(most)s characters: use a shorter one", most=MAX_PASSWORD_LENGTH)
        )
    if username and username.lower() in password.lower():
        raise PersonError(N_("the password contains the username: choose one that does not"))


def locked_until(failures: int, last_failure: datetime) -> datetime | None:
    """When an account that has failed `failures` times in a row may try again (None: it may now)."""
    if failures < FAILED_LOGINS_BEFORE_LOCKOUT:
        return None
    return last_failure + LOCKOUT


@dataclass(frozen=True)
class Person:
    """A person's account as the rules see it (never the password itself)."""

    id: int
    username: str
    org_id: int
    role: str
    full_name: str
    password_hash: str
    totp_secret: str | None
    language: str | None
    failed_logins: int
    last_failed_at: datetime | None
    disabled_at: datetime | None


@dataclass(frozen=True)
class WebSession:
    id: int
    person_id: int
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None
