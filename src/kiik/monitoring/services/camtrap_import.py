"""Import a validated Camtrap DP package whole: its passages, deployments (with malfunction
intervals), media and observations, and the alerts they raise, in one transaction.

The reader has validated every row against the official table schemas before this runs; what is
checked here is what the schemas cannot know: the package is new, its passages agree with the ones
registered, its malfunction intervals lie inside their deployments.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiik.db.unit_of_work import UnitOfWork
from kiik.directory.domain.permissions import NotAllowed, Permission, Principal, require
from kiik.errors import N_, at
from kiik.monitoring.domain.alerts import Observed, alert_kind, alerts_for
from kiik.monitoring.domain.camtrap_rows import count_of, direction_of, moment, seconds
from kiik.monitoring.domain.detections import Sighting, bursts
from kiik.monitoring.domain.errors import MonitoringError, PackageInvalid
from kiik.monitoring.domain.passages import (
    Deployment,
    FencePassage,
    Malfunction,
    checked_malfunction,
    checked_passage,
)
from kiik.monitoring.domain.series import as_series
from kiik.monitoring.services.ports import CameraTrapStorePort, PackageSource, camera_trap_store

PASSAGES = "kiik-fence-passages"
MALFUNCTIONS = "kiik-malfunctions"
BATCH = 20_000


@dataclass(frozen=True)
class PackageImported:
    package_key: str
    deployments: int
    media: int
    observations: int
    malfunctions: int
    passages_added: int
    alerts: int


def import_package(uow: UnitOfWork, principal: Principal, source: PackageSource) -> PackageImported:
    """Store the package in one transaction, committed only once its rows are known to be valid
    (their check may still run in a worker while they are stored: `PackageSource.confirm`)."""
    try:
        require(principal, Permission.CAMERA_TRAPS_IMPORT)
        return _import(uow, principal, source)
    except PackageInvalid:
        raise
    except (MonitoringError, NotAllowed):
        source.abandon()  # refused for what it is, whatever its rows hold
        raise
    except Exception:
        source.confirm()  # an invalid row, if any, says better than this error what is wrong
        raise


def _import(uow: UnitOfWork, principal: Principal, source: PackageSource) -> PackageImported:
    descriptor = source.descriptor
    key = str(descriptor.get("id") or descriptor.get("name") or "").strip()
    if not key:
        raise MonitoringError(N_("the package has neither an id nor a name in datapackage.json: give it one"))
    with uow:
        store = camera_trap_store(uow)
        if store.package(key) is not None:
            raise MonitoringError(
                N_(
                    "the package %(key)s is imported already: export it, or give the new one its own id",
                    key=repr(key),
                )
            )
        passages_added = _passages(store, source)
        package_id = store.add_package(
            key, str(descriptor.get("title") or key), descriptor, 0, principal.org_id or None
        )
        deployments = _deployments(source)
        pks = store.add_deployments(package_id, [(d, values) for d, values in deployments.values()])
        malfunctions = _malfunctions(source, {k: d for k, (d, _) in deployments.items()})
        store.add_malfunctions(pks, malfunctions)
        media = _batched(store.add_media, package_id, _media_rows(source, pks))
        watched: list[Observed] = []
        animals: list[Sighting] = []
        rows = _observation_rows(source, pks, watched, animals)
        observations = _batched(store.add_observations, package_id, rows)
        store.add_burst_series(package_id, pks, as_series(bursts(animals)))
        store.set_observations(package_id, observations)
        alerts = _raise_alerts(
            store, package_id, watched, {k: d.location_id for k, (d, _) in deployments.items()}
        )
        source.confirm()
        uow.commit()
    return PackageImported(
        key, len(deployments), media, observations, len(malfunctions), passages_added, alerts
    )


def _passages(store: CameraTrapStorePort, source: PackageSource) -> int:
    added = 0
    for number, row in enumerate(source.rows(PASSAGES), start=2):
        with _placed(PASSAGES, number):
            passage = checked_passage(
                FencePassage(
                    location_id=row["locationID"],
                    name=row["passageName"],
                    region=row["region"],
                    fence=row["fence"],
                    border=row["border"],
                    latitude=float(row["latitude"]),
                    longitude=float(row["longitude"]),
                    opened_on=date.fromisoformat(row["openedOn"]) if row.get("openedOn") else None,
                )
            )
        known = store.passage(passage.location_id)
        if known is None:
            store.add_passage(passage)
            added += 1
        elif known != passage:
            raise MonitoringError(
                at(
                    N_(
                        "a passage with the location %(location)s is registered already as %(name)s "
                        "(%(region)s, %(fence)s); the package describes it otherwise",
                        location=passage.location_id,
                        name=known.name,
                        region=known.region,
                        fence=known.fence,
                    ),
                    table=PASSAGES,
                    row=number,
                    field="locationID",
                )
            )
    return added


def _deployments(source: PackageSource) -> dict[str, tuple[Deployment, list[str]]]:
    fields = source.fields("deployments")
    found = {}
    for number, row in enumerate(source.rows("deployments"), start=2):
        deployment = Deployment(
            deployment_id=row["deploymentID"],
            location_id=row.get("locationID") or None,
            start=moment(row["deploymentStart"]),
            end=moment(row["deploymentEnd"]),
            camera_id=row.get("cameraID") or None,
        )
        if deployment.end <= deployment.start:
            raise MonitoringError(
                at(
                    N_(
                        "deployment %(deployment)s: deploymentEnd is not after deploymentStart",
                        deployment=deployment.deployment_id,
                    ),
                    table="deployments",
                    row=number,
                    field="deploymentEnd",
                )
            )
        found[deployment.deployment_id] = (deployment, [row.get(f, "") for f in fields])
    return found


def _malfunctions(source: PackageSource, deployments: dict[str, Deployment]) -> list[Malfunction]:
    found = []
    for number, row in enumerate(source.rows(MALFUNCTIONS), start=2):
        deployment = deployments[row["deploymentID"]]
        malfunction = Malfunction(
            deployment.deployment_id,
            moment(row["malfunctionStart"]),
            moment(row["malfunctionEnd"]),
            row.get("reason", ""),
        )
        with _placed(MALFUNCTIONS, number):
            found.append(checked_malfunction(malfunction, deployment.start, deployment.end))
    return found


@contextmanager
def _placed(table: str, number: int) -> Iterator[None]:
    """A row's own check, its refusal placed at the table's row (`table, row n: ...`)."""
    try:
        yield
    except MonitoringError as exc:
        raise MonitoringError(at(exc.args[0], table=table, row=number)) from None


def _media_rows(source: PackageSource, pks: dict[str, int]) -> Iterator[tuple[str, int, str, list[str]]]:
    fields = source.fields("media")
    for row in source.rows("media"):
        yield row["mediaID"], pks[row["deploymentID"]], row["filePath"], [row.get(f, "") for f in fields]


def _observation_rows(
    source: PackageSource, pks: dict[str, int], watched: list[Observed], animals: list[Sighting]
) -> Iterator[tuple[Any, ...]]:
    """Rows to store; on the way, what alerts read (`watched`) and what analyses read (`animals`)."""
    fields = source.fields("observations")
    for row in source.rows("observations"):
        kind, name, starts = (
            row["observationType"],
            row.get("scientificName") or None,
            seconds(row["eventStart"]),
        )
        media = row.get("mediaID") or None
        ends, count = seconds(row["eventEnd"]), count_of(row.get("count", ""))
        direction = direction_of(row.get("observationTags", ""))
        if alert_kind(kind, name) is not None:
            watched.append(Observed(row["observationID"], row["deploymentID"], kind, name, starts, media))
        if kind == "animal" and name:
            animals.append(
                Sighting(
                    row["deploymentID"], name, starts, ends, count or 1, (direction,) if direction else ()
                )
            )
        yield (
            pks[row["deploymentID"]],
            row["observationID"],
            media,
            kind,
            name,
            starts,
            ends,
            count,
            direction,
            [row.get(f, "") for f in fields],
        )


def _batched(write: Any, package_id: int, rows: Iterator[Any]) -> int:
    batch: list[Any] = []
    written = 0
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            write(package_id, batch)
            written, batch = written + len(batch), []
    if batch:
        write(package_id, batch)
    return written + len(batch)


def _raise_alerts(
    store: CameraTrapStorePort, package_id: int, watched: list[Observed], locations: dict[str, str | None]
) -> int:
    alerts = alerts_for(watched)
    photos = store.photo_paths(package_id, [a.media_id for a in alerts if a.media_id])
    store.add_alerts(
        package_id, [(a, locations.get(a.deployment_id), photos.get(a.media_id or "")) for a in alerts]
    )
    return len(alerts)
