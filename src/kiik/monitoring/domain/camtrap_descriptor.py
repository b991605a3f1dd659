"""A Camtrap DP 1.0.2 descriptor for a package kiik writes itself (the demo's season, tests).

It carries what the profile requires: the three tables with the official schema addresses,
created, contributors, project, spatial (a box around the deployments), temporal and taxonomic
coverage.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

VERSION_URL = "https://raw.githubusercontent.com/tdwg/camtrap-dp/1.0.2/"
TABLES = ("deployments", "media", "observations")


def camtrap_descriptor(
    package_id: str,
    title: str,
    *,
    contributor: str,
    positions: list[tuple[float, float]],  # (latitude, longitude)
    start: str,
    end: str,
    species: list[str],
    extra_resources: tuple[str, ...] = (),
) -> dict[str, Any]:
    lats, lons = [p[0] for p in positions], [p[1] for p in positions]
    box = [[min(lons), min(lats)], [max(lons), min(lats)], [max(lons), max(lats)], [min(lons), max(lats)]]
    resources: list[dict[str, Any]] = [
        {
            "name": table,
            "path": f"{table}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": f"{VERSION_URL}{table}-table-schema.json",
        }
        for table in TABLES
    ]
    resources += [
        {"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource"} for name in extra_resources
    ]
    return {
        "resources": resources,
        "profile": f"{VERSION_URL}camtrap-dp-profile.json",
        "name": package_id,
        "id": package_id,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "title": title,
        "contributors": [{"title": contributor, "role": "contact"}],
        "project": {
            "title": title,
            "samplingDesign": "targeted",
            "captureMethod": ["activityDetection"],
            "individualAnimals": False,
            "observationLevel": ["event"],
        },
        "spatial": {"type": "Polygon", "coordinates": [[*box, box[0]]]},
        "temporal": {"start": start, "end": end},
        "taxonomic": [{"scientificName": name} for name in species],
    }
