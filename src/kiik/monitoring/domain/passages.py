"""Fence passages and the camera deployments that watch them.

A passage is a gap built into a border wire fence, known to Camtrap DP as a location
(`locationID`). A deployment is one camera at one location between two times; the intervals when
the camera did not work are kept beside it and taken out of the effort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from kiik.errors import N_
from kiik.monitoring.domain.errors import MonitoringError

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,119}")


@dataclass(frozen=True)
class FencePassage:
    location_id: str  # the Camtrap DP locationID of the deployments that watch it
    name: str
    region: str  # e.g. Mangistau, Kyzylorda
    fence: str  # which fence it crosses
    border: str  # the border the fence runs along, e.g. KZ-UZ
    latitude: float
    longitude: float
    opened_on: date | None = None


def checked_passage(passage: FencePassage) -> FencePassage:
    if not _ID.fullmatch(passage.location_id):
        raise MonitoringError(
            N_(
                "passage location id %(location)s: use letters, digits and . _ : - (at most 120)",
                location=repr(passage.location_id),
            )
        )
    for field in ("name", "region", "fence", "border"):
        if not getattr(passage, field).strip():
            raise MonitoringError(
                N_("passage %(location)s: %(field)s is required", location=passage.location_id, field=field)
            )
    if not -90 <= passage.latitude <= 90 or not -180 <= passage.longitude <= 180:
        raise MonitoringError(
            N_(
                "passage %(location)s: (%(latitude)s, %(longitude)s) is not a position "
                "(latitude -90..90, longitude -180..180)",
                location=passage.location_id,
                latitude=passage.latitude,
                longitude=passage.longitude,
            )
        )
    return passage


@dataclass(frozen=True)
class Malfunction:
    """An interval in which a deployed camera took no pictures (flat battery, full card, knocked over)."""

    deployment_id: str
    start: datetime
    end: datetime
    reason: str = ""


def checked_malfunction(
    malfunction: Malfunction, deployment_start: datetime, deployment_end: datetime
) -> Malfunction:
    if malfunction.end <= malfunction.start:
        raise MonitoringError(
            N_(
                "malfunction of deployment %(deployment)s: it must end after it starts "
                "(%(start)s .. %(end)s)",
                deployment=malfunction.deployment_id,
                start=malfunction.start,
                end=malfunction.end,
            )
        )
    if malfunction.start < deployment_start or malfunction.end > deployment_end:
        raise MonitoringError(
            N_(
                "malfunction of deployment %(deployment)s: %(start)s .. %(end)s lies outside the "
                "deployment (%(deployment_start)s .. %(deployment_end)s)",
                deployment=malfunction.deployment_id,
                start=malfunction.start,
                end=malfunction.end,
                deployment_start=deployment_start,
                deployment_end=deployment_end,
            )
        )
    return malfunction


@dataclass(frozen=True)
class Deployment:
    deployment_id: str
    location_id: str | None
    start: datetime
    end: datetime
    camera_id: str | None = None
    malfunctions: tuple[Malfunction, ...] = ()
