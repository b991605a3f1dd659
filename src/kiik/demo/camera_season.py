"""The demo's camera traps: three fence passages and a season of Camtrap DP data at them.

Two passages in the Mangistau region (the Ustyurt plateau: one through the fence on the border
with Uzbekistan, one on the border with Turkmenistan) and one in the Kyzylorda region, opened on
1 June 2025, halfway through the season, so that before and after can be compared. Each passage
has one camera from April to September 2025; the camera at the Turkmen border stopped for two
weeks in July (a flat battery). Gazelles, urials and kulans pass; a Persian leopard once, a
vehicle once. The draws are seeded: the same season every time.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

PASSAGES = [
    {
        "locationID": "MNG-UZ-01",
        "passageName": "Ustyurt passage 1 (Mangistau)",
        "region": "Mangistau",
        "fence": "border fence, Ustyurt plateau",
        "border": "KZ-UZ",
        "latitude": "44.62",
        "longitude": "56.05",
        "openedOn": "2023-10-01",
    },
    {
        "locationID": "MNG-TM-01",
        "passageName": "Turkmen border passage (Mangistau)",
        "region": "Mangistau",
        "fence": "border fence, south Mangistau",
        "border": "KZ-TM",
        "latitude": "41.95",
        "longitude": "54.35",
        "openedOn": "2024-04-15",
    },
    {
        "locationID": "KZO-UZ-01",
        "passageName": "Kyzylkum passage (Kyzylorda)",
        "region": "Kyzylorda",
        "fence": "border fence, Kyzylkum",
        "border": "KZ-UZ",
        "latitude": "43.48",
        "longitude": "64.15",
        "openedOn": "2025-06-01",
    },
]
START, END = datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 9, 30, tzinfo=UTC)
MALFUNCTION = ("MNG-TM-01-2025", datetime(2025, 7, 10, tzinfo=UTC), datetime(2025, 7, 24, tzinfo=UTC))
# (scientific name, visits per day before a passage opens / once open, largest group)
SPECIES = (
    ("Gazella subgutturosa", 0.6, 8),
    ("Ovis vignei", 0.25, 5),
    ("Equus hemionus", 0.15, 12),
)
LEOPARD = "Panthera pardus tulliana"
KAZAKHSTAN = "into-KZ"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def camera_season(seed: int = 2025) -> dict[str, list[dict[str, Any]]]:
    """The season's tables as rows keyed by field name (deployments, media, observations, and
    kiik's passages and malfunctions)."""
    rng = random.Random(seed)
    deployments: list[dict[str, Any]] = []
    media: list[dict[str, Any]] = []
    observations: list[dict[str, Any]] = []
    for passage in PASSAGES:
        deployment = f"{passage['locationID']}-2025"
        deployments.append(
            {
                "deploymentID": deployment,
                "locationID": passage["locationID"],
                "locationName": passage["passageName"],
                "latitude": passage["latitude"],
                "longitude": passage["longitude"],
                "deploymentStart": _stamp(START),
                "deploymentEnd": _stamp(END),
                "setupBy": "Institute of Zoology",
                "cameraID": f"CAM-{passage['locationID']}",
                "cameraModel": "Reconyx-HF2X",
                "deploymentTags": f"feature:fencePassage | border:{passage['border']}",
            }
        )
        opened = date.fromisoformat(passage["openedOn"])
        day = START
        while day < END:
            for name, rate, largest in SPECIES:
                open_now = day.date() >= opened
                if rng.random() < (rate if open_now else rate / 4):
                    _visit(rng, deployment, name, largest, day, passage["border"], media, observations)
            day += timedelta(days=1)
    _visit(rng, "MNG-UZ-01-2025", LEOPARD, 1, datetime(2025, 8, 14, tzinfo=UTC), "KZ-UZ", media, observations)
    _visit(rng, "KZO-UZ-01-2025", None, 1, datetime(2025, 7, 3, tzinfo=UTC), "KZ-UZ", media, observations)
    broken_id, broken_from, broken_to = MALFUNCTION
    working = [
        o
        for o in observations
        if not (o["deploymentID"] == broken_id and _stamp(broken_from) <= o["eventStart"] < _stamp(broken_to))
    ]
    kept_media = {o["mediaID"] for o in working}
    return {
        "deployments": deployments,
        "media": [m for m in media if m["mediaID"] in kept_media],
        "observations": working,
        "kiik-fence-passages": PASSAGES,
        "kiik-malfunctions": [
            {
                "deploymentID": broken_id,
                "malfunctionStart": _stamp(broken_from),
                "malfunctionEnd": _stamp(broken_to),
                "reason": "battery flat",
            }
        ],
    }


def _visit(
    rng: random.Random,
    deployment: str,
    species: str | None,
    largest: int,
    day: datetime,
    border: str,
    media: list[dict[str, Any]],
    observations: list[dict[str, Any]],
) -> None:
    """A group passing the camera: two to four photos a few minutes apart (one event)."""
    moment = day + timedelta(minutes=rng.randrange(0, 24 * 60 - 30))
    direction = rng.choice((KAZAKHSTAN, f"into-{border[3:]}"))
    group = rng.randint(1, largest)
    for _ in range(rng.randint(2, 4)):
        number = len(media) + 1
        media_id = f"{deployment}-M{number:05d}"
        media.append(
            {
                "mediaID": media_id,
                "deploymentID": deployment,
                "captureMethod": "activityDetection",
                "timestamp": _stamp(moment),
                "filePath": f"media/{deployment}/IMG_{number:05d}.JPG",
                "filePublic": False,
                "fileMediatype": "image/jpeg",
            }
        )
        observations.append(
            {
                "observationID": f"{media_id}-1",
                "deploymentID": deployment,
                "mediaID": media_id,
                "eventStart": _stamp(moment),
                "eventEnd": _stamp(moment),
                "observationLevel": "media",
                "observationType": "animal" if species else "vehicle",
                "scientificName": species,
                "count": rng.randint(1, group) if species else None,
                "observationTags": f"direction:{direction}",
                "classificationMethod": "human",
            }
        )
        moment += timedelta(minutes=rng.randint(1, 6))
