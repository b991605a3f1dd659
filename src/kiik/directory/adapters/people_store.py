"""People's accounts and their log-in sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from kiik.directory.adapters.tables import people, web_sessions
from kiik.directory.domain.people import Person, WebSession


def _person(row: Any) -> Person:
    return Person(
        row.id,
        row.username,
        row.org_id,
        row.role,
        row.full_name,
        row.password_hash,
        row.totp_secret,
        row.language,
        row.failed_logins,
        row.last_failed_at,
        row.disabled_at,
    )


def _session(row: Any) -> WebSession:
    return WebSession(row.id, row.person_id, row.csrf_token, row.created_at, row.last_seen_at, row.ended_at)


class PeopleStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(
        self, username: str, org_id: int, role: str, full_name: str, password_hash: str, at: datetime
    ) -> int:
        values = {
            "username": username,
            "org_id": org_id,
            "role": role,
            "full_name": full_name,
            "password_hash": password_hash,
            "created_at": at,
        }
        return int(self.connection.execute(insert(people).values(**values)).inserted_primary_key[0])

    def person(self, username_or_id: str | int) -> Person | None:
        column = people.c.id if isinstance(username_or_id, int) else people.c.username
        row = self.connection.execute(select(people).where(column == username_or_id)).first()
        return _person(row) if row else None

    def people(self, org_id: int | None = None) -> list[Person]:
        query = select(people).order_by(people.c.org_id, people.c.username)
        if org_id is not None:
            query = query.where(people.c.org_id == org_id)
        return [_person(r) for r in self.connection.execute(query)]

    def change(self, person_id: int, **values: Any) -> None:
        """Set some of a person's columns (password_hash, totp_secret, language, failed_logins, ...)."""
        self.connection.execute(update(people).where(people.c.id == person_id).values(**values))

    def add_session(self, token_hash: str, person_id: int, csrf_token: str, at: datetime) -> int:
        values = {
            "token_hash": token_hash,
            "person_id": person_id,
            "csrf_token": csrf_token,
            "created_at": at,
            "last_seen_at": at,
        }
        return int(self.connection.execute(insert(web_sessions).values(**values)).inserted_primary_key[0])

    def session(self, token_hash: str) -> WebSession | None:
        query = select(web_sessions).where(web_sessions.c.token_hash == token_hash)
        row = self.connection.execute(query).first()
        return _session(row) if row else None

    def touch_session(self, session_id: int, at: datetime) -> None:
        self.connection.execute(
            update(web_sessions).where(web_sessions.c.id == session_id).values(last_seen_at=at)
        )

    def end_sessions(
        self, at: datetime, *, session_id: int | None = None, person_id: int | None = None
    ) -> int:
        query = update(web_sessions).where(web_sessions.c.ended_at.is_(None)).values(ended_at=at)
        if session_id is not None:
            query = query.where(web_sessions.c.id == session_id)
        if person_id is not None:
            query = query.where(web_sessions.c.person_id == person_id)
        return int(self.connection.execute(query).rowcount or 0)

    def open_sessions(self, person_ids: list[int], since: datetime) -> dict[int, int]:
        """How many sessions each person has open (not ended, seen since `since`)."""
        query = (
            select(web_sessions.c.person_id, func.count())
            .where(
                web_sessions.c.person_id.in_(person_ids),
                web_sessions.c.ended_at.is_(None),
                web_sessions.c.last_seen_at >= since,
            )
            .group_by(web_sessions.c.person_id)
        )
        return {row[0]: int(row[1]) for row in self.connection.execute(query)}
