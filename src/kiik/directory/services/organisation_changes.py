"""Changing a registered organisation: its name, kind, GS1 party number (PGLN) and country. Its
code stays (events, tokens and people name it). Each change is written to the administrative trail
with what it was and what it became."""

from __future__ import annotations

from dataclasses import dataclass

from kiik.db.unit_of_work import UnitOfWork
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


def change_organisation(
    uow: UnitOfWork, change: ChangeOrganisation, actor: Principal | None, home: str = "KZ"
) -> dict[str, list[str | None]]:
    """Set an organisation's name, kind, PGLN and country; what changed, as [before, after].

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
        before = {"name": org.name, "kind": org.kind, "pgln": org.pgln, "country": org.country}
        after = {"name": name, "kind": kind.value, "pgln": pgln, "country": country}
        changed = {field: [before[field], after[field]] for field in before if before[field] != after[field]}
        if changed:
            uow.directory.change_organisation(org.id, name, kind.value, pgln, country)
            record(uow, actor, "organisation.changed", org.code, **changed)
            uow.commit()
    return changed
