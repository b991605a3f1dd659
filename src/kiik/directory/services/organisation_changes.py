"""Changing a registered organisation: its name, kind, GS1 party number (PGLN), country and
contact (person, telephone, e-mail, postal address). Its code stays (events, tokens and people name
it). Each change is written to the administrative trail with what it was and what it became."""

from __future__ import annotations

from dataclasses import dataclass

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.contact import read_contact
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.audit import record
from kiik.directory.services.auth import (
    DirectoryError,
    canonical_key,
    country_of,
    organisation_kind,
    organisation_name,
)
from kiik.errors import N_, NotFound


@dataclass(frozen=True)
class ChangeOrganisation:
    code: str
    name: str
    kind: str
    pgln: str | None = None
    country: str | None = None
    # The contact's fields as written; None keeps what is recorded, "" removes it.
    contact_person: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    postal_address: str | None = None


def change_organisation(
    uow: UnitOfWork, change: ChangeOrganisation, actor: Principal | None, home: str = "KZ"
) -> dict[str, list[str | None]]:
    """Set an organisation's name, kind, PGLN, country and contact; what changed, as [before, after].

    An administrator cannot change the kind of their own organisation: the kind decides what its
    people may do, so the change could take away the permission to undo it."""
    if actor is not None:
        require(actor, Permission.ORGANISATIONS_MANAGE)
    kind = organisation_kind(change.kind)
    name = organisation_name(change.name)
    pgln = canonical_key(change.pgln, "pgln")
    country = country_of(change.country, kind, home)
    with uow:
        org = uow.directory.organisation(change.code.strip())
        if org is None:
            raise NotFound(
                N_("no organisation with code %(code)s: see `kiik org list`", code=repr(change.code))
            )
        if actor is not None and org.id == actor.org_id and kind.value != org.kind:
            raise DirectoryError(
                N_(
                    "kind: you cannot change the kind of your own organisation (it decides what you may do); "
                    "ask the registry's operator"
                )
            )
        holder = uow.directory.organisation_by_pgln(pgln) if pgln else None
        if holder is not None and holder.id != org.id:
            raise DirectoryError(
                N_("the PGLN %(pgln)s belongs to another organisation already", pgln=change.pgln)
            )
        kept = org.contact
        contact = read_contact(
            kept.contact_person if change.contact_person is None else change.contact_person,
            kept.contact_phone if change.contact_phone is None else change.contact_phone,
            kept.contact_email if change.contact_email is None else change.contact_email,
            kept.postal_address if change.postal_address is None else change.postal_address,
        )
        before = {
            "name": org.name,
            "kind": org.kind,
            "pgln": org.pgln,
            "country": org.country,
            **kept.to_json(),
        }
        after = {"name": name, "kind": kind.value, "pgln": pgln, "country": country, **contact.to_json()}
        changed = {field: [before[field], after[field]] for field in before if before[field] != after[field]}
        if changed:
            uow.directory.change_organisation(org.id, name, kind.value, pgln, country, contact)
            record(uow, actor, "organisation.changed", org.code, **changed)
            uow.commit()
    return changed
