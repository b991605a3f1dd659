"""People's accounts, as an organisation's administrator manages them: add a person with a role,
set or reset a password (which ends the person's sessions), end their sessions, list them; and a
ministry administrator's second factor (TOTP)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain import totp
from kiik.directory.domain.people import (
    Person,
    PersonError,
    SessionLifetime,
    check_password,
    check_username,
    locked_until,
)
from kiik.directory.domain.permissions import OrgKind, Permission, Principal, Role, require
from kiik.directory.services.audit import record
from kiik.directory.services.passwords import hash_password, password_matches
from kiik.directory.services.ports import people_store
from kiik.errors import N_


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AddPerson:
    org_code: str
    username: str
    role: str
    password: str
    full_name: str = ""


@dataclass(frozen=True)
class PersonView:
    username: str
    full_name: str
    org_code: str
    role: str
    second_factor: bool
    locked: bool
    open_sessions: int
    disabled: bool = False


def _may_manage(uow: UnitOfWork, actor: Principal | None, org_id: int) -> None:
    """An organisation's administrator manages its own people; the ministry's manages everyone's."""
    if actor is None:
        return
    require(actor, Permission.PEOPLE_MANAGE)
    if actor.org_id != org_id and not actor.may(Permission.ORGANISATIONS_MANAGE):
        raise PersonError(N_("you may only manage the people of your own organisation"))


def add_person(uow: UnitOfWork, command: AddPerson, actor: Principal | None = None) -> str:
    username = check_username(command.username)
    try:
        role = Role(command.role)
    except ValueError:
        raise PersonError(
            N_("unknown role %(role)s: use one of %(roles)s", role=repr(command.role), roles=", ".join(Role))
        ) from None
    check_password(command.password, username)
    password_hash = hash_password(command.password)
    with uow:
        org = uow.directory.organisation(command.org_code)
        if org is None:
            raise PersonError(
                N_("no organisation with code %(code)s: see `kiik org list`", code=repr(command.org_code))
            )
        _may_manage(uow, actor, org.id)
        store = people_store(uow)
        if store.person(username) is not None:
            raise PersonError(
                N_("the username %(username)s is taken: choose another", username=repr(username))
            )
        store.add(username, org.id, role.value, command.full_name.strip(), password_hash, utcnow())
        record(uow, actor, "person.added", username, organisation=org.code, role=role.value)
        uow.commit()
    return username


def _person(uow: UnitOfWork, username: str) -> Person:
    person = people_store(uow).person(username.strip().lower())
    if person is None:
        raise PersonError(
            N_("no person with username %(username)s: see the list of people", username=repr(username))
        )
    return person


def set_password(
    uow: UnitOfWork,
    username: str,
    password: str,
    actor: Principal | None = None,
    clear_second_factor: bool = False,
) -> int:
    """Set a person's password; their sessions end and a lock-out is lifted; with
    `clear_second_factor` their TOTP is turned off too (a lost phone: they enrol again). Returns how
    many sessions were ended."""
    with uow:
        person = _person(uow, username)
        _may_manage(uow, actor, person.org_id)
        check_password(password, person.username)
        store = people_store(uow)
        changes: dict[str, object] = {"password_hash": hash_password(password), "failed_logins": 0}
        if clear_second_factor:
            changes["totp_secret"] = None
        store.change(person.id, last_failed_at=None, **changes)
        ended = store.end_sessions(utcnow(), person_id=person.id)
        record(
            uow,
            actor,
            "person.password_set",
            person.username,
            sessions_ended=ended,
            second_factor_cleared=clear_second_factor,
        )
        uow.commit()
    return ended


def end_sessions(uow: UnitOfWork, username: str, actor: Principal | None = None) -> int:
    """End every open session of a person (a lost phone, someone who left); returns how many."""
    with uow:
        person = _person(uow, username)
        _may_manage(uow, actor, person.org_id)
        ended = people_store(uow).end_sessions(utcnow(), person_id=person.id)
        record(uow, actor, "person.sessions_ended", person.username, sessions_ended=ended)
        uow.commit()
    return ended


def disable_person(uow: UnitOfWork, username: str, actor: Principal | None = None) -> int:
    """Someone who left or must not log in any more: log-in is refused and their sessions end at
    once (the account and what it did stay on record). Returns how many sessions were ended."""
    with uow:
        person = _person(uow, username)
        _may_manage(uow, actor, person.org_id)
        if actor is not None and actor.username == person.username:
            raise PersonError(N_("you cannot disable yourself: ask another administrator"))
        store = people_store(uow)
        now = utcnow()
        if person.disabled_at is None:
            store.change(person.id, disabled_at=now)
        ended = store.end_sessions(now, person_id=person.id)
        record(uow, actor, "person.disabled", person.username, sessions_ended=ended)
        uow.commit()
    return ended


def enable_person(uow: UnitOfWork, username: str, actor: Principal | None = None) -> None:
    """A disabled person may log in again (with the password they had, or one set anew)."""
    with uow:
        person = _person(uow, username)
        _may_manage(uow, actor, person.org_id)
        people_store(uow).change(person.id, disabled_at=None, failed_logins=0, last_failed_at=None)
        record(uow, actor, "person.enabled", person.username)
        uow.commit()


def list_people(
    uow: UnitOfWork, actor: Principal | None = None, org_code: str | None = None
) -> list[PersonView]:
    """The people an administrator manages: their own organisation's, or (the ministry's) anyone's."""
    everyone = actor is None or actor.may(Permission.ORGANISATIONS_MANAGE)
    if actor is not None:
        require(actor, Permission.PEOPLE_MANAGE)
    with uow:
        orgs = {org.id: org.code for org in uow.directory.organisations()}
        wanted = None if everyone else (actor.org_id if actor else None)
        if org_code:
            wanted = next((i for i, code in orgs.items() if code == org_code), -1)
            if actor is not None and not everyone and wanted != actor.org_id:
                raise PersonError(N_("you may only list the people of your own organisation"))
        store = people_store(uow)
        people = store.people(wanted)
        now = utcnow()
        open_counts = store.open_sessions([p.id for p in people], now - SessionLifetime().idle)
    return [
        PersonView(
            p.username,
            p.full_name,
            orgs.get(p.org_id, "?"),
            p.role,
            p.totp_secret is not None,
            bool(
                p.last_failed_at
                and (until := locked_until(p.failed_logins, p.last_failed_at))
                and until > now
            ),
            open_counts.get(p.id, 0),
            p.disabled_at is not None,
        )
        for p in people
    ]


def may_use_second_factor(principal: Principal) -> bool:
    return principal.org_kind is OrgKind.MINISTRY and principal.role is Role.ADMIN


def enrol_second_factor(
    uow: UnitOfWork, principal: Principal, secret: str, code: str, unix_time: float
) -> None:
    """A ministry administrator turns on TOTP: the code their app shows proves it holds `secret`."""
    if principal.username is None or not may_use_second_factor(principal):
        raise PersonError(N_("a second factor is for the ministry's administrators, logged in as themselves"))
    if not totp.verify(secret, code, unix_time):
        raise PersonError(
            N_("that code does not match: check the phone's clock and type the six digits the app shows now")
        )
    with uow:
        person = _person(uow, principal.username)
        people_store(uow).change(person.id, totp_secret=secret)
        record(uow, principal, "person.second_factor_enrolled", person.username)
        uow.commit()


def change_own_password(uow: UnitOfWork, principal: Principal, current: str, new: str) -> None:
    """A person changes their own password, knowing the current one; their other sessions go on."""
    if principal.username is None:
        raise PersonError(N_("only a person logged in with a password has one to change"))
    with uow:
        person = _person(uow, principal.username)
        if not password_matches(person.password_hash, current):
            raise PersonError(N_("the current password is wrong: type the one you logged in with"))
        check_password(new, person.username)
        people_store(uow).change(person.id, password_hash=hash_password(new))
        record(uow, principal, "person.password_changed", person.username)
        uow.commit()
