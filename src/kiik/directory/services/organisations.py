"""The organisations of the registry as the ministry manages them: each with its kind, country,
sites, contact and how many people log in for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.contact import Contact
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.directory.services.ports import people_store


@dataclass(frozen=True)
class OrganisationView:
    id: int
    code: str
    name: str
    kind: str
    pgln: str | None
    country: str
    sites: list[tuple[str, str]] = field(default_factory=list)  # (name, SGLN)
    people: int = 0
    contact: Contact = Contact()


def list_organisations(uow: UnitOfWork, principal: Principal) -> list[OrganisationView]:
    """Every organisation with its sites and its number of people (`organisations:read`)."""
    require(principal, Permission.ORGANISATIONS_READ)
    with uow:
        organisations = uow.directory.organisations()
        sites = uow.directory.sites()
        people = people_store(uow).people()
    counted: dict[int, int] = {}
    for person in people:
        counted[person.org_id] = counted.get(person.org_id, 0) + 1
    return [
        OrganisationView(
            o.id,
            o.code,
            o.name,
            o.kind,
            o.pgln,
            o.country,
            [(s.name, s.sgln) for s in sites if s.org_id == o.id],
            counted.get(o.id, 0),
            o.contact,
        )
        for o in organisations
    ]
