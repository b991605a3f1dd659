"""Logging in as a person: a username and password (and, once enrolled, a TOTP code) start a
session; the session's cookie then stands for the same principal an API token would, until it is
idle, old, logged out or ended by an administrator."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain import totp
from kiik.directory.domain.people import SessionLifetime, locked_until
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.directory.services.audit import record
from kiik.directory.services.passwords import hash_password, needs_rehash, password_matches
from kiik.directory.services.ports import people_store

# Sessions are seen again at most this often, so that reading pages does not write on every request.
TOUCH_SECONDS = 60


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LogIn:
    username: str
    password: str
    code: str = ""  # the six digits of the authenticator app, for those who enrolled one


class LoginRefused(Exception):
    """Why a log-in was refused: `wrong` (name or password, never saying which), `locked` (too many
    failures in a row: wait), `code` (a second factor is needed, or the one given is wrong)."""

    def __init__(self, reason: str, until: datetime | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.until = until


@dataclass(frozen=True)
class Session:
    token: str  # for the cookie; only its hash is stored
    csrf_token: str
    principal: Principal
    language: str | None


@dataclass(frozen=True)
class ActiveSession:
    id: int
    csrf_token: str
    principal: Principal
    language: str | None


def _principal(uow: UnitOfWork, org_id: int, role: str, username: str) -> Principal | None:
    org = uow.directory.organisation(org_id)
    if org is None:
        return None
    return Principal(org.id, org.code, org.name, OrgKind(org.kind), Role(role), org.country, username)


def log_in(uow: UnitOfWork, command: LogIn, now: datetime) -> Session:
    """Start a session; `now` is naive UTC, as every time kiik stores."""
    username = command.username.strip().lower()
    with uow:
        store = people_store(uow)
        person = store.person(username)
        if person is None or person.disabled_at is not None:
            password_matches(None, command.password)  # the same time as a known name
            raise LoginRefused("wrong")
        until = person.last_failed_at and locked_until(person.failed_logins, person.last_failed_at)
        if until and until > now:
            raise LoginRefused("locked", until)
        password_right = password_matches(person.password_hash, command.password)
        if password_right and person.totp_secret and not command.code.strip():
            raise LoginRefused("code")  # the password was right: ask for the code, count nothing
        code_right = not person.totp_secret or totp.verify(person.totp_secret, command.code, _unix(now))
        if not (password_right and code_right):
            store.change(person.id, failed_logins=person.failed_logins + 1, last_failed_at=now)
            uow.commit()
            raise LoginRefused("wrong" if not password_right else "code")
        changes: dict[str, object] = {"failed_logins": 0, "last_failed_at": None}
        if needs_rehash(person.password_hash):
            changes["password_hash"] = hash_password(command.password)
        store.change(person.id, **changes)
        token, csrf_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        store.add_session(_digest(token), person.id, csrf_token, now)
        principal = _principal(uow, person.org_id, person.role, person.username)
        assert principal is not None
        record(uow, principal, "person.logged_in", person.username)
        uow.commit()
    return Session(token, csrf_token, principal, person.language)


def _unix(naive_utc: datetime) -> float:
    return naive_utc.replace(tzinfo=UTC).timestamp()


def active_session(
    uow: UnitOfWork, token: str, now: datetime, lifetime: SessionLifetime | None = None
) -> ActiveSession | None:
    """The session a cookie names, while it lasts; None once it is idle, old, logged out or ended."""
    lifetime = lifetime or SessionLifetime()
    with uow:
        store = people_store(uow)
        session = store.session(_digest(token.strip()))
        if session is None or session.ended_at is not None:
            return None
        if lifetime.expires(session.created_at, session.last_seen_at) <= now:
            return None
        person = store.person(session.person_id)
        if person is None or person.disabled_at is not None:
            return None
        principal = _principal(uow, person.org_id, person.role, person.username)
        if principal is None:
            return None
        if (now - session.last_seen_at).total_seconds() >= TOUCH_SECONDS:
            store.touch_session(session.id, now)
            uow.commit()
    return ActiveSession(session.id, session.csrf_token, principal, person.language)


def log_out(uow: UnitOfWork, token: str, now: datetime) -> None:
    with uow:
        store = people_store(uow)
        session = store.session(_digest(token.strip()))
        if session is not None:
            store.end_sessions(now, session_id=session.id)
            uow.commit()


def remember_language(uow: UnitOfWork, principal: Principal, language: str) -> None:
    """Keep the language a person chose, so that it follows them to another device."""
    if principal.username is None:
        return
    with uow:
        store = people_store(uow)
        person = store.person(principal.username)
        if person is not None:
            store.change(person.id, language=language)
            uow.commit()
