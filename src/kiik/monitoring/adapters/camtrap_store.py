"""Fence passages, imported Camtrap DP packages, their rows and the alerts they raised, in SQL.

Media and observations are written in bulk (`kiik.db.bulk_insert`: COPY on PostgreSQL); every
other table row by row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from kiik.db.bulk_insert import insert_rows
from kiik.monitoring.adapters.burst_store import BurstStore
from kiik.monitoring.adapters.tables import (
    camtrap_deployments,
    camtrap_malfunctions,
    camtrap_media,
    camtrap_observations,
    camtrap_packages,
    fence_passages,
    monitoring_alerts,
)
from kiik.monitoring.domain.alerts import Alert, Observed
from kiik.monitoring.domain.passages import Deployment, FencePassage, Malfunction

OBSERVATION_COLUMNS = (
    "package_id",
    "deployment_pk",
    "observation_id",
    "media_id",
    "observation_type",
    "scientific_name",
    "starts",
    "ends",
    "count",
    "direction",
    "row",
)
_TABLES = {"deployments": camtrap_deployments, "media": camtrap_media, "observations": camtrap_observations}


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class CameraTrapStore(BurstStore):
    """Everything camera traps keep; the burst series are `BurstStore`'s."""

    # Fence passages
    def passage(self, location_id: str) -> FencePassage | None:
        row = self.connection.execute(
            select(fence_passages).where(fence_passages.c.location_id == location_id)
        ).first()
        return _passage(row) if row else None

    def passages(self) -> list[FencePassage]:
        rows = self.connection.execute(
            select(fence_passages).order_by(fence_passages.c.region, fence_passages.c.name)
        )
        return [_passage(row) for row in rows]

    def add_passage(self, passage: FencePassage) -> None:
        values = {k: getattr(passage, k) for k in ("location_id", "name", "region", "fence", "border")}
        self.connection.execute(
            insert(fence_passages).values(
                **values, latitude=passage.latitude, longitude=passage.longitude, opened_on=passage.opened_on
            )
        )

    # Packages
    def package(self, package_key: str) -> Any:
        return self.connection.execute(
            select(camtrap_packages).where(camtrap_packages.c.package_key == package_key)
        ).first()

    def packages(self) -> list[Any]:
        return list(self.connection.execute(select(camtrap_packages).order_by(camtrap_packages.c.id)))

    def add_package(
        self, package_key: str, title: str, descriptor: dict[str, Any], observations: int, by: int | None
    ) -> int:
        return int(
            self.connection.execute(
                insert(camtrap_packages)
                .values(
                    package_key=package_key,
                    title=title[:500],
                    descriptor=descriptor,
                    observations=observations,
                    imported_by=by,
                    imported_at=datetime.now(UTC).replace(tzinfo=None),
                )
                .returning(camtrap_packages.c.id)
            ).scalar_one()
        )

    def set_observations(self, package_id: int, observations: int) -> None:
        self.connection.execute(
            camtrap_packages.update()
            .where(camtrap_packages.c.id == package_id)
            .values(observations=observations)
        )

    def add_deployments(
        self, package_id: int, rows: Sequence[tuple[Deployment, list[str]]]
    ) -> dict[str, int]:
        found = {}
        for deployment, values in rows:
            found[deployment.deployment_id] = int(
                self.connection.execute(
                    insert(camtrap_deployments)
                    .values(
                        package_id=package_id,
                        deployment_id=deployment.deployment_id,
                        location_id=deployment.location_id,
                        starts=int(deployment.start.timestamp()),
                        ends=int(deployment.end.timestamp()),
                        camera_id=deployment.camera_id,
                        row=json.dumps(values),
                    )
                    .returning(camtrap_deployments.c.id)
                ).scalar_one()
            )
        return found

    def add_malfunctions(self, deployment_pks: dict[str, int], malfunctions: Iterable[Malfunction]) -> None:
        for m in malfunctions:
            self.connection.execute(
                insert(camtrap_malfunctions).values(
                    deployment_pk=deployment_pks[m.deployment_id],
                    starts=int(m.start.timestamp()),
                    ends=int(m.end.timestamp()),
                    reason=m.reason[:300],
                )
            )

    def add_media(self, package_id: int, rows: Sequence[tuple[str, int, str, list[str]]]) -> None:
        insert_rows(
            self.connection,
            camtrap_media,
            ("package_id", "media_id", "deployment_pk", "file_path", "row"),
            [(package_id, media_id, pk, path, json.dumps(values)) for media_id, pk, path, values in rows],
        )

    def add_observations(self, package_id: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows in the order of OBSERVATION_COLUMNS after package_id; the last, the row as written."""
        insert_rows(
            self.connection,
            camtrap_observations,
            OBSERVATION_COLUMNS,
            [(package_id, *r[:-1], json.dumps(r[-1])) for r in rows],
        )

    # Reading back
    def deployments(self, package_id: int | None = None) -> list[Deployment]:
        query = select(camtrap_deployments)
        if package_id is not None:
            query = query.where(camtrap_deployments.c.package_id == package_id)
        rows = list(self.connection.execute(query.order_by(camtrap_deployments.c.id)))
        broken: dict[int, list[Malfunction]] = {}
        found = self.connection.execute(
            select(camtrap_malfunctions, camtrap_deployments.c.deployment_id).join(camtrap_deployments)
        )
        for m in found:
            broken.setdefault(m.deployment_pk, []).append(
                Malfunction(m.deployment_id, _moment(m.starts), _moment(m.ends), m.reason)
            )
        return [
            Deployment(
                deployment_id=_key(row),
                location_id=row.location_id,
                start=_moment(row.starts),
                end=_moment(row.ends),
                camera_id=row.camera_id,
                malfunctions=tuple(broken.get(row.id, ())),
            )
            for row in rows
        ]

    def deployment_pk(self, package_id: int, deployment_id: str) -> int | None:
        return self.connection.scalar(
            select(camtrap_deployments.c.id).where(
                camtrap_deployments.c.package_id == package_id,
                camtrap_deployments.c.deployment_id == deployment_id,
            )
        )

    def malfunctions(self, package_id: int) -> list[Malfunction]:
        rows = self.connection.execute(
            select(camtrap_malfunctions, camtrap_deployments.c.deployment_id)
            .join(camtrap_deployments)
            .where(camtrap_deployments.c.package_id == package_id)
            .order_by(camtrap_malfunctions.c.id)
        )
        return [Malfunction(m.deployment_id, _moment(m.starts), _moment(m.ends), m.reason) for m in rows]

    def observed(self, package_id: int) -> Iterator[Observed]:
        o = camtrap_observations.c
        query = (
            select(
                o.observation_id, camtrap_deployments.c.deployment_id, o.observation_type, o.scientific_name
            )
            .add_columns(o.starts, o.media_id)
            .join(camtrap_deployments, camtrap_deployments.c.id == o.deployment_pk)
            .where(o.package_id == package_id, o.observation_type.in_(("human", "vehicle", "animal")))
        )
        for row in self.connection.execute(query):
            yield Observed(*row)

    def photo_paths(self, package_id: int, media_ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(media_ids))
        for at in range(0, len(wanted), 500):
            rows = self.connection.execute(
                select(camtrap_media.c.media_id, camtrap_media.c.file_path).where(
                    camtrap_media.c.package_id == package_id,
                    camtrap_media.c.media_id.in_(wanted[at : at + 500]),
                )
            )
            found.update({media_id: path for media_id, path in rows})
        return found

    def add_alerts(self, package_id: int, alerts: Sequence[tuple[Alert, str | None, str | None]]) -> None:
        now = datetime.now(UTC).replace(tzinfo=None)
        for alert, location_id, photo in alerts:
            self.connection.execute(
                insert(monitoring_alerts).values(
                    package_id=package_id,
                    kind=alert.kind,
                    subject=alert.subject,
                    location_id=location_id,
                    deployment_id=alert.deployment_id,
                    observed_at=int(alert.observed_at),
                    observation_id=alert.observation_id,
                    media_id=alert.media_id,
                    photo=photo,
                    raised_at=now,
                )
            )

    def alerts(self, since: float | None = None) -> list[dict[str, Any]]:
        query = select(monitoring_alerts, camtrap_packages.c.package_key).join(camtrap_packages)
        if since is not None:
            query = query.where(monitoring_alerts.c.observed_at >= int(since))
        rows = self.connection.execute(
            query.order_by(monitoring_alerts.c.observed_at, monitoring_alerts.c.id)
        )
        return [dict(row._mapping) for row in rows]

    def rows(self, package_id: int, table: str) -> Iterator[list[str]]:
        """A table's rows as imported, in the order they came."""
        chosen = _TABLES[table]
        query = select(chosen.c.row).where(chosen.c.package_id == package_id).order_by(chosen.c.id)
        for (text,) in self.connection.execution_options(yield_per=10_000).execute(query):
            yield json.loads(text)


def _key(row: Any) -> str:
    # Deployment ids are unique within a package only: analysis names each by its row id too.
    return f"{row.id}:{row.deployment_id}"


def _passage(row: Any) -> FencePassage:
    return FencePassage(
        location_id=row.location_id,
        name=row.name,
        region=row.region,
        fence=row.fence,
        border=row.border,
        latitude=row.latitude,
        longitude=row.longitude,
        opened_on=row.opened_on,
    )
