"""Export an imported package as a Camtrap DP package again: the tables as they were imported,
kiik's passages and malfunction intervals beside them, and the descriptor it came with."""

from __future__ import annotations

from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.errors import NotFound
from kiik.monitoring.domain.camtrap_rows import iso
from kiik.monitoring.services.camtrap_import import MALFUNCTIONS, PASSAGES
from kiik.monitoring.services.ports import PackageWriter, camera_trap_store

TABLES = ("deployments", "media", "observations")


def export_package(
    uow: UnitOfWork, principal: Principal, package_key: str, writer: PackageWriter
) -> dict[str, int]:
    """Write the package through `writer`; the count of rows written per resource."""
    require(principal, Permission.CAMERA_TRAPS_READ)
    with uow:
        store = camera_trap_store(uow)
        package = store.package(package_key)
        if package is None:
            raise NotFound(f"no camera-trap package {package_key!r}: `kiik monitoring packages` lists them")
        written = {table: writer.write_table(table, store.rows(package.id, table)) for table in TABLES}
        locations = {d.location_id for d in store.deployments(package.id)}
        passages = [p for p in store.passages() if p.location_id in locations]
        written[PASSAGES] = writer.write_records(PASSAGES, (_passage_record(p) for p in passages))
        malfunctions = store.malfunctions(package.id)
        written[MALFUNCTIONS] = writer.write_records(
            MALFUNCTIONS,
            (
                {
                    "deploymentID": m.deployment_id,
                    "malfunctionStart": iso(m.start.timestamp()),
                    "malfunctionEnd": iso(m.end.timestamp()),
                    "reason": m.reason,
                }
                for m in malfunctions
            ),
        )
        writer.finish(_descriptor(package.descriptor, written))
    return written


def _passage_record(p: Any) -> dict[str, str]:
    return {
        "locationID": p.location_id,
        "passageName": p.name,
        "region": p.region,
        "fence": p.fence,
        "border": p.border,
        "latitude": repr(p.latitude),
        "longitude": repr(p.longitude),
        "openedOn": p.opened_on.isoformat() if p.opened_on else "",
    }


def _descriptor(original: dict[str, Any], written: dict[str, int]) -> dict[str, Any]:
    """The descriptor imported, its resources pointing at the files written. Resources whose data
    was inline are kept; other files of the original package were not imported and are left out."""
    descriptor = dict(original)
    kept = [r for r in original.get("resources", []) if "data" in r and r.get("name") not in written]
    tables = {r.get("name"): r for r in original.get("resources", [])}
    resources = []
    for table in TABLES:
        resource = dict(tables.get(table, {"name": table}))
        resource.update(
            path=f"{table}.csv", profile="tabular-data-resource", format="csv", mediatype="text/csv"
        )
        resource["encoding"] = "utf-8"
        resources.append(resource)
    for extra in (PASSAGES, MALFUNCTIONS):
        if written.get(extra):
            resources.append({"name": extra, "path": f"{extra}.csv", "profile": "tabular-data-resource"})
    descriptor["resources"] = resources + kept
    return descriptor
