"""A small season at one passage whose events, effort and rates are worked out by hand.

Passage p1 opened on 3 May 2025. Camera d1 ran 1 May 00:00 to 6 May 00:00 UTC (5 days) but did not
work on 2 May from 00:00 to 12:00 (half a day): 4.5 trap-nights. Camera d2 ran 1 May to 3 May
(2 days). The passage has 6.5 trap-nights.

Gazelles at d1: 10:00 (2), 10:20 (5), 10:45 (1) on 1 May, each less than 30 minutes after the one
before: one event, group 5. 11:30 (3, heading into KZ): 45 minutes later, a second event. 06:00
on 2 May (4): inside the malfunction, no event. 22:00 on 4 May (1, heading into UZ): a third.
At d2, 10:10 on 1 May (1): a fourth (another camera). With 30 minutes: 4 events in 6.5
trap-nights = 61.538 per 100; individuals 5 + 3 + 1 + 1 = 10; largest group 5. With 60 minutes
the 11:30 group joins the first event: 3 events = 46.154.

Opening day starts at 3 May 00:00 in Kazakhstan (UTC+5), 2 May 19:00 UTC. Before: d1 1 May 00:00
to 2 May 19:00 is 1.79167 days less the half day = 1.29167, d2 1.79167: 3.08333 trap-nights, 3
events (97.297). After: d1 3.20833, d2 0.20833: 3.41667 trap-nights, 1 event (29.268).
"""

from __future__ import annotations

from pathlib import Path

from tests.support.camtrap import deployment, observation, write_package

GAZELLE = "Gazella subgutturosa"
URIAL = "Ovis vignei"

PASSAGE = {
    "locationID": "p1",
    "passageName": "Passage 1, Ustyurt fence",
    "region": "Mangistau",
    "fence": "KZ-UZ border fence, Ustyurt",
    "border": "KZ-UZ",
    "latitude": "44.1",
    "longitude": "56.2",
    "openedOn": "2025-05-03",
}
DEPLOYMENTS = [
    deployment("d1", "p1", "2025-05-01T00:00:00+00:00", "2025-05-06T00:00:00+00:00", cameraID="cam-1"),
    deployment("d2", "p1", "2025-05-01T00:00:00+00:00", "2025-05-03T00:00:00+00:00", cameraID="cam-2"),
]
MALFUNCTIONS = [
    {
        "deploymentID": "d1",
        "malfunctionStart": "2025-05-02T00:00:00+00:00",
        "malfunctionEnd": "2025-05-02T12:00:00+00:00",
        "reason": "battery flat",
    }
]
MEDIA = [
    {
        "mediaID": "m9",
        "deploymentID": "d1",
        "timestamp": "2025-05-04T02:00:00+00:00",
        "filePath": "media/d1/IMG_0009.JPG",
        "filePublic": False,
        "fileMediatype": "image/jpeg",
    }
]
OBSERVATIONS = [
    observation("o1", "d1", "2025-05-01T10:00:00+00:00", GAZELLE, 2),
    observation("o2", "d1", "2025-05-01T10:20:00+00:00", GAZELLE, 5),
    observation("o3", "d1", "2025-05-01T10:45:00+00:00", GAZELLE, 1),
    observation("o4", "d1", "2025-05-01T11:30:00+00:00", GAZELLE, 3, observationTags="direction:into-KZ"),
    observation("o5", "d1", "2025-05-02T06:00:00+00:00", GAZELLE, 4),
    observation("o6", "d1", "2025-05-04T22:00:00+00:00", GAZELLE, 1, observationTags="direction:into-UZ"),
    observation("o7", "d2", "2025-05-01T10:10:00+00:00", GAZELLE, 1),
    observation("o8", "d1", "2025-05-01T10:05:00+00:00", URIAL, 1),
    observation("o9", "d1", "2025-05-04T02:00:00+00:00", None, None, observationType="vehicle", mediaID="m9"),
]


def write_small_passage(folder: Path, package_id: str = "small-passage") -> Path:
    return write_package(
        folder,
        deployments=DEPLOYMENTS,
        observations=OBSERVATIONS,
        media=MEDIA,
        passages=[PASSAGE],
        malfunctions=MALFUNCTIONS,
        package_id=package_id,
    )
