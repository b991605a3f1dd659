"""What the directory's use cases need from storage: organisations, their sites, people and their
sessions, as protocols."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, cast

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.people import Person, WebSession


class OrganisationRecord(Protocol):
    id: int
    code: str
    name: str
    kind: str
    pgln: str | None
    country: str


class SiteRecord(Protocol):
    id: int
    org_id: int
    sgln: str
    name: str


class DirectoryStorePort(Protocol):
    def organisations(self) -> Sequence[OrganisationRecord]: ...
    def sites(self, org_id: int | None = None) -> Sequence[SiteRecord]: ...


class PeopleStorePort(Protocol):
    def add(
        self, username: str, org_id: int, role: str, full_name: str, password_hash: str, at: datetime
    ) -> int: ...
    def person(self, username_or_id: str | int) -> Person | None: ...
    def people(self, org_id: int | None = None) -> list[Person]: ...
    def change(self, person_id: int, **values: Any) -> None: ...
    def add_session(self, token_hash: str, person_id: int, csrf_token: str, at: datetime) -> int: ...
    def session(self, token_hash: str) -> WebSession | None: ...
    def touch_session(self, session_id: int, at: datetime) -> None: ...
    def end_sessions(
        self, at: datetime, *, session_id: int | None = None, person_id: int | None = None
    ) -> int: ...
    def open_sessions(self, person_ids: list[int], since: datetime) -> dict[int, int]: ...


class _PeopleUnitOfWork(UnitOfWork, Protocol):
    people: PeopleStorePort


def people_store(uow: UnitOfWork) -> PeopleStorePort:
    return cast(_PeopleUnitOfWork, uow).people
