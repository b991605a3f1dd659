"""kiik's two resources beside the Camtrap DP tables (the profile allows extra resources).

Camtrap DP has no word for a passage in a border fence (`featureType` lists roads, culverts,
burrows...) nor for the hours a camera did not work, so a package may carry them as two tables of
its own, each checked against the schema below:

- `kiik-fence-passages`: the locations (`locationID` of deployments) that are fence passages;
- `kiik-malfunctions`: per deployment, the intervals when the camera took no pictures.
"""

from __future__ import annotations

from typing import Any

PASSAGES = "kiik-fence-passages"
MALFUNCTIONS = "kiik-malfunctions"
_DATETIME = {"type": "datetime", "format": "%Y-%m-%dT%H:%M:%S%z"}

SCHEMAS: dict[str, dict[str, Any]] = {
    PASSAGES: {
        "fields": [
            {"name": "locationID", "type": "string", "constraints": {"required": True, "unique": True}},
            {"name": "passageName", "type": "string", "constraints": {"required": True}},
            {"name": "region", "type": "string", "constraints": {"required": True}},
            {"name": "fence", "type": "string", "constraints": {"required": True}},
            {"name": "border", "type": "string", "constraints": {"required": True}},
            {
                "name": "latitude",
                "type": "number",
                "constraints": {"required": True, "minimum": -90, "maximum": 90},
            },
            {
                "name": "longitude",
                "type": "number",
                "constraints": {"required": True, "minimum": -180, "maximum": 180},
            },
            {"name": "openedOn", "type": "date", "constraints": {"required": False}},
        ],
        "primaryKey": ["locationID"],
        "missingValues": [""],
    },
    MALFUNCTIONS: {
        "fields": [
            {"name": "deploymentID", "type": "string", "constraints": {"required": True}},
            {"name": "malfunctionStart", **_DATETIME, "constraints": {"required": True}},
            {"name": "malfunctionEnd", **_DATETIME, "constraints": {"required": True}},
            {"name": "reason", "type": "string", "constraints": {"required": False}},
        ],
        "foreignKeys": [
            {"fields": "deploymentID", "reference": {"resource": "deployments", "fields": "deploymentID"}}
        ],
        "missingValues": [""],
    },
}


def field_names(resource: str) -> list[str]:
    return [f["name"] for f in SCHEMAS[resource]["fields"]]
