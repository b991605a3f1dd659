"""People and their sessions: log in, lock-out, second factor, expiry, ending, passwords set by
an administrator; each on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiik.bootstrap.registry import Registry
from kiik.directory.domain import totp
from kiik.directory.domain.people import LOCKOUT, PersonError, SessionLifetime
from kiik.directory.domain.permissions import NotAllowed, OrgKind, Principal, Role
from kiik.directory.services.people import (
    AddPerson,
    add_person,
    end_sessions,
    enrol_second_factor,
    list_people,
    set_password,
)
from kiik.directory.services.sessions import LogIn, LoginRefused, active_session, log_in, log_out
from tests.support.world import make_world

T0 = datetime(2026, 3, 1, 9, 0)
PASSWORD = "steppe saiga spring"


def _admin(world, code: str) -> Principal:  # type: ignore[no-untyped-def]
    return Principal(world[code].org_id, code, code, world[code].principal.org_kind, Role.ADMIN)


def test_a_person_logs_in_and_the_session_stands_for_their_organisation_and_role(registry: Registry) -> None:
    world = make_world(registry)
    add_person(registry.uow(), AddPerson("warehouse", "Dana.K", "operator", PASSWORD, "Dana K."))
    session = log_in(registry.uow(), LogIn("dana.k", PASSWORD), T0)
    assert session.principal.org_code == "warehouse" and session.principal.role is Role.OPERATOR
    assert session.principal.username == "dana.k" and session.principal.org_id == world["warehouse"].org_id
    active = active_session(registry.uow(), session.token, T0 + timedelta(minutes=5))
    assert active is not None and active.principal == session.principal
    assert active.csrf_token == session.csrf_token
    log_out(registry.uow(), session.token, T0 + timedelta(minutes=6))
    assert active_session(registry.uow(), session.token, T0 + timedelta(minutes=7)) is None
    with registry.uow() as uow:
        stored = uow.people.person("dana.k")
    assert (
        stored is not None
        and PASSWORD not in stored.password_hash
        and stored.password_hash.startswith("$argon2id$")
    )


def test_wrong_passwords_lock_the_account_for_a_while(registry: Registry) -> None:
    make_world(registry)
    add_person(registry.uow(), AddPerson("trader", "erlan", "operator", PASSWORD))
    for attempt in range(5):
        with pytest.raises(LoginRefused) as refused:
            log_in(registry.uow(), LogIn("erlan", "not the password"), T0 + timedelta(seconds=attempt))
        assert refused.value.reason == "wrong"
    with pytest.raises(LoginRefused) as locked:
        log_in(registry.uow(), LogIn("erlan", PASSWORD), T0 + timedelta(minutes=1))
    assert locked.value.reason == "locked" and locked.value.until == T0 + timedelta(seconds=4) + LOCKOUT
    later = T0 + LOCKOUT + timedelta(minutes=1)
    assert log_in(registry.uow(), LogIn("erlan", PASSWORD), later).principal.username == "erlan"
    with pytest.raises(LoginRefused) as unknown:
        log_in(registry.uow(), LogIn("nobody-here", PASSWORD), T0)
    assert unknown.value.reason == "wrong"


def test_sessions_expire_and_an_administrator_ends_them(registry: Registry) -> None:
    world = make_world(registry)
    add_person(registry.uow(), AddPerson("plant", "oral.op", "operator", PASSWORD))
    lifetime = SessionLifetime()
    idle = log_in(registry.uow(), LogIn("oral.op", PASSWORD), T0)
    assert active_session(registry.uow(), idle.token, T0 + lifetime.idle + timedelta(seconds=1)) is None
    now = T0
    first = log_in(registry.uow(), LogIn("oral.op", PASSWORD), now)
    second = log_in(registry.uow(), LogIn("oral.op", PASSWORD), now)
    with pytest.raises(PersonError, match="your own organisation"):
        end_sessions(registry.uow(), "oral.op", _admin(world, "warehouse"))
    with pytest.raises(NotAllowed):
        end_sessions(registry.uow(), "oral.op", world["plant"].principal)  # an operator, not an admin
    assert end_sessions(registry.uow(), "oral.op", _admin(world, "plant")) >= 2
    for session in (first, second):
        assert active_session(registry.uow(), session.token, now + timedelta(minutes=1)) is None


def test_an_administrator_sets_a_password_and_the_old_one_stops_working(registry: Registry) -> None:
    world = make_world(registry)
    admin = _admin(world, "harvester")
    add_person(registry.uow(), AddPerson("harvester", "team.lead", "operator", PASSWORD), admin)
    with pytest.raises(PersonError, match="use at least 12"):
        set_password(registry.uow(), "team.lead", "short", admin)
    set_password(registry.uow(), "team.lead", "a new spring password", admin)
    with pytest.raises(LoginRefused):
        log_in(registry.uow(), LogIn("team.lead", PASSWORD), T0)
    assert log_in(registry.uow(), LogIn("team.lead", "a new spring password"), T0).principal.username
    ministry_admin = _admin(world, "ministry")
    names = {p.username for p in list_people(registry.uow(), ministry_admin)}
    assert "team.lead" in names
    assert [p.username for p in list_people(registry.uow(), _admin(world, "trader"))] == []
    with pytest.raises(PersonError, match="taken"):
        add_person(registry.uow(), AddPerson("harvester", "team.lead", "viewer", PASSWORD), admin)


def test_a_ministry_administrator_adds_a_second_factor_and_then_needs_it(registry: Registry) -> None:
    make_world(registry)
    add_person(registry.uow(), AddPerson("ministry", "aigerim", "admin", PASSWORD))
    session = log_in(registry.uow(), LogIn("aigerim", PASSWORD), T0)
    assert session.principal.org_kind is OrgKind.MINISTRY
    secret = totp.new_secret()
    with pytest.raises(PersonError, match="does not match"):
        enrol_second_factor(registry.uow(), session.principal, secret, "000000", _unix(T0))
    enrol_second_factor(registry.uow(), session.principal, secret, totp.code_at(secret, _unix(T0)), _unix(T0))
    with pytest.raises(LoginRefused) as asked:
        log_in(registry.uow(), LogIn("aigerim", PASSWORD), T0)
    assert asked.value.reason == "code"
    with pytest.raises(LoginRefused):
        log_in(registry.uow(), LogIn("aigerim", PASSWORD, "000000"), T0)
    later = T0 + timedelta(minutes=5)
    good = log_in(registry.uow(), LogIn("aigerim", PASSWORD, totp.code_at(secret, _unix(later))), later)
    assert good.principal.username == "aigerim"
    # A lost phone: the password set anew without the second factor, which the person enrols again.
    set_password(registry.uow(), "aigerim", "a password for a new phone", clear_second_factor=True)
    assert log_in(registry.uow(), LogIn("aigerim", "a password for a new phone"), later).principal.username


def _unix(naive: datetime) -> float:
    return naive.replace(tzinfo=UTC).timestamp()
