"""Organisations, their sites and their API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kiik.directory.adapters.tables import admin_audit, api_tokens, organisations, sites
from kiik.directory.domain.contact import FIELDS as CONTACT_FIELDS
from kiik.directory.domain.contact import Contact
from kiik.directory.domain.places import SitePlace


@dataclass(frozen=True)
class Organisation:
    id: int
    code: str
    name: str
    kind: str
    pgln: str | None
    country: str
    contact: Contact = Contact()


@dataclass(frozen=True)
class Site:
    id: int
    org_id: int
    sgln: str
    name: str
    parent_id: int | None = None  # the site this one lies within
    place: SitePlace = SitePlace()


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


@dataclass(frozen=True)
class TokenGrant:
    token_id: int
    org: Organisation
    role: str


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# Built once: every item page and lineage names the organisations, and building costs more than running.
_ORGANISATIONS = select(organisations).order_by(organisations.c.id)


def _org(row: Any) -> Organisation:
    contact = Contact(*(getattr(row, name) or "" for name in CONTACT_FIELDS))
    return Organisation(row.id, row.code, row.name, row.kind, row.pgln, row.country, contact)


def _site(row: Any) -> Site:
    place = SitePlace(row.region, row.latitude, row.longitude)
    return Site(row.id, row.org_id, row.sgln, row.name, row.parent_id, place)


class DirectoryStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_organisation(
        self, code: str, name: str, kind: str, pgln: str | None, country: str, contact: Contact | None = None
    ) -> Organisation:
        contact = contact or Contact()
        values = {"code": code, "name": name, "kind": kind, "pgln": pgln, "country": country}
        result = self.connection.execute(
            insert(organisations).values(**values, **contact.to_json(), created_at=now())
        )
        return Organisation(result.inserted_primary_key[0], code, name, kind, pgln, country, contact)

    def organisations(self) -> list[Organisation]:
        return [_org(r) for r in self.connection.execute(_ORGANISATIONS)]

    def organisation(self, code_or_id: str | int) -> Organisation | None:
        column = organisations.c.id if isinstance(code_or_id, int) else organisations.c.code
        row = self.connection.execute(select(organisations).where(column == code_or_id)).first()
        return _org(row) if row else None

    def organisation_by_pgln(self, pgln: str) -> Organisation | None:
        row = self.connection.execute(select(organisations).where(organisations.c.pgln == pgln)).first()
        return _org(row) if row else None

    def change_organisation(
        self, org_id: int, name: str, kind: str, pgln: str | None, country: str, contact: Contact
    ) -> None:
        values = {"name": name, "kind": kind, "pgln": pgln, "country": country, **contact.to_json()}
        self.connection.execute(update(organisations).where(organisations.c.id == org_id).values(**values))

    def add_site(
        self, org_id: int, sgln: str, name: str, parent_id: int | None = None, place: SitePlace | None = None
    ) -> Site:
        place = place or SitePlace()
        values = {"org_id": org_id, "sgln": sgln, "name": name, "parent_id": parent_id, **place.to_json()}
        result = self.connection.execute(insert(sites).values(**values, created_at=now()))
        return Site(result.inserted_primary_key[0], org_id, sgln, name, parent_id, place)

    def set_site_parent(self, site_id: int, parent_id: int | None) -> None:
        self.connection.execute(update(sites).where(sites.c.id == site_id).values(parent_id=parent_id))

    def set_site_place(self, site_id: int, place: SitePlace) -> None:
        self.connection.execute(update(sites).where(sites.c.id == site_id).values(**place.to_json()))

    def sites(self, org_id: int | None = None) -> list[Site]:
        query = select(sites).order_by(sites.c.id)
        if org_id is not None:
            query = query.where(sites.c.org_id == org_id)
        return [_site(r) for r in self.connection.execute(query)]

    def site(self, sgln: str) -> Site | None:
        row = self.connection.execute(select(sites).where(sites.c.sgln == sgln)).first()
        return _site(row) if row else None

    def add_token(self, token_hash: str, org_id: int, role: str, label: str) -> int:
        result = self.connection.execute(
            insert(api_tokens).values(
                token_hash=token_hash, org_id=org_id, role=role, label=label, created_at=now()
            )
        )
        return int(result.inserted_primary_key[0])

    def grant_for(self, token_hash: str) -> TokenGrant | None:
        query = (
            select(api_tokens.c.id.label("token_id"), api_tokens.c.role, organisations)
            .join(organisations, organisations.c.id == api_tokens.c.org_id)
            .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None))
        )
        row = self.connection.execute(query).first()
        if row is None:
            return None
        return TokenGrant(row.token_id, _org(row), row.role)

    def revoke_token(self, token_id: int) -> None:
        self.connection.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=now())
        )

    def audit(self, actor: str, action: str, subject: str, details: dict[str, Any]) -> None:
        """Add an entry to the trail of administrative actions (never changed afterwards)."""
        values = {"at": now(), "actor": actor, "action": action, "subject": subject, "details": details}
        self.connection.execute(insert(admin_audit).values(**values))

    def audit_entries(
        self, *, since: datetime | None = None, action: str | None = None, limit: int = 1000
    ) -> list[AuditEntry]:
        query = select(admin_audit).order_by(admin_audit.c.id.desc()).limit(limit)
        if since is not None:
            query = query.where(admin_audit.c.at >= since)
        if action is not None:
            query = query.where(admin_audit.c.action.startswith(action, autoescape=True))
        return [
            AuditEntry(r.id, r.at, r.actor, r.action, r.subject, dict(r.details))
            for r in self.connection.execute(query)
        ]
