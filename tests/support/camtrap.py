"""Small Camtrap DP packages written for tests, through the same writer the export uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiik.monitoring.adapters.camtrap_writer import FolderWriter
from kiik.monitoring.domain.camtrap_descriptor import camtrap_descriptor


def deployment(deployment_id: str, location: str, start: str, end: str, **more: Any) -> dict[str, Any]:
    return {
        "deploymentID": deployment_id,
        "locationID": location,
        "latitude": 41.2,
        "longitude": 55.9,
        "deploymentStart": start,
        "deploymentEnd": end,
        **more,
    }


def observation(
    observation_id: str,
    deployment_id: str,
    start: str,
    species: str | None,
    count: int | None = 1,
    **more: Any,
) -> dict[str, Any]:
    kind = more.pop("observationType", "animal")
    return {
        "observationID": observation_id,
        "deploymentID": deployment_id,
        "eventStart": start,
        "eventEnd": more.pop("eventEnd", start),
        "observationLevel": "event",
        "observationType": kind,
        "scientificName": species,
        "count": count,
        **more,
    }


def write_package(
    folder: Path,
    *,
    deployments: list[dict[str, Any]],
    observations: list[dict[str, Any]],
    media: list[dict[str, Any]] = (),  # type: ignore[assignment]
    passages: list[dict[str, str]] = (),  # type: ignore[assignment]
    malfunctions: list[dict[str, str]] = (),  # type: ignore[assignment]
    package_id: str = "test-package",
) -> Path:
    writer = FolderWriter(folder)
    writer.write_dicts("deployments", deployments)
    writer.write_dicts("media", media)
    writer.write_dicts("observations", observations)
    extras = []
    if passages:
        writer.write_records("kiik-fence-passages", passages)
        extras.append("kiik-fence-passages")
    if malfunctions:
        writer.write_records("kiik-malfunctions", malfunctions)
        extras.append("kiik-malfunctions")
    species = sorted({o["scientificName"] for o in observations if o.get("scientificName")}) or [
        "Homo sapiens"
    ]
    writer.finish(
        camtrap_descriptor(
            package_id,
            f"Test package {package_id}",
            contributor="kiik tests",
            positions=[(d["latitude"], d["longitude"]) for d in deployments],
            start=min(d["deploymentStart"] for d in deployments)[:10],
            end=max(d["deploymentEnd"] for d in deployments)[:10],
            species=species,
            extra_resources=tuple(extras),
        )
    )
    return folder
