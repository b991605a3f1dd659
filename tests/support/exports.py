"""Permits for export through the services (tests only): applied, issued and endorsed at the border."""

from __future__ import annotations

from kiik.bootstrap.registry import Registry
from kiik.directory.services.auth import add_organisation, create_token
from kiik.epcis.adapters.reader import validate_event
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from kiik.permits.services.decisions import IssuePermit, issue_permit
from kiik.permits.services.endorsement import EndorseExport, endorse_export
from tests.support.world import Member


def issued_permit(registry: Registry, world: dict[str, Member], items: list[str], country: str) -> str:
    """A permit for export of `items` to `country`, issued by the ministry; its number."""
    applied = apply_for_permit(
        registry.uow(),
        world["trader"].principal,
        ApplyForPermit(items, f"Importer in {country}", country, "Main street 1"),
    )
    permit = issue_permit(registry.uow(), world["ministry"].principal, IssuePermit(applied.id))
    return str(permit.number)


def endorse(registry: Registry, world: dict[str, Member], number: str, items: list[str]) -> None:
    """Customs endorses the export: the items leave the country under the permit."""
    endorse_export(
        registry.uow(),
        world["customs"].principal,
        EndorseExport(number, items),
        validate_event,
        custody_rules=True,
        yields={},
    )


def export_to(registry: Registry, world: dict[str, Member], items: list[str], country: str) -> str:
    number = issued_permit(registry, world, items, country)
    endorse(registry, world, number, items)
    return number


def partner_authority(registry: Registry, code: str, country: str) -> str:
    """An importing country's authority registered here; a viewer token of it."""
    name = f"Wildlife authority of {country}"
    add_organisation(registry.uow(), code, name, "partner_authority", country=country)
    return create_token(registry.uow(), code, "viewer").token
