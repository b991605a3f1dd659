"""Who is who, loaded once per use case for the custody rules (organisations and sites are few)."""

from __future__ import annotations

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.services.ports import OrganisationRecord


class DirectoryView:
    """The domain's `Directory`: organisations by PGLN, sites by SGLN, names for messages."""

    def __init__(self, uow: UnitOfWork) -> None:
        orgs = list(uow.directory.organisations())
        self.orgs: dict[int, OrganisationRecord] = {o.id: o for o in orgs}
        self._by_pgln = {o.pgln: o.id for o in orgs if o.pgln}
        self._by_sgln = {s.sgln: s.org_id for s in uow.directory.sites()}

    def org_of_party(self, key: str) -> int | None:
        return self._by_pgln.get(key)

    def org_of_location(self, key: str) -> int | None:
        return self._by_sgln.get(key)

    def org_name(self, org_id: int | None) -> str:
        if org_id is None:
            return "nobody"
        org = self.orgs.get(org_id)
        return f"{org.name} ({org.code})" if org else f"organisation {org_id}"

    def kind_of(self, org_id: int | None) -> str:
        org = self.orgs.get(org_id) if org_id is not None else None
        return org.kind if org else "unknown"
