"""Independent detection events, effort in trap-nights, and the rates built from them.

Observations of one species at one deployment form one event while each starts less than the
threshold after the latest end of the event so far (the usual 30 minutes by default); a longer
gap starts a new event. An event's group size is its largest single count (the photos of one group
are not added up). Effort is the time each deployment ran inside the period, less the intervals it
did not work, in days of 24 hours ("trap-nights").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiik.monitoring.domain.passages import Deployment

DEFAULT_THRESHOLD = timedelta(minutes=30)
DAY = 86400.0


@dataclass(frozen=True)
class Sighting:
    """What the analysis needs of one observation (times in seconds since the epoch, UTC)."""

    deployment_id: str
    species: str
    start: float
    end: float
    count: int
    direction: str | None = None
    media_id: str | None = None


@dataclass
class DetectionEvent:
    deployment_id: str
    species: str
    start: float
    end: float
    group_size: int
    directions: set[str] = field(default_factory=set)
    first_media: str | None = None


def independent_events(
    sightings: Iterable[Sighting], threshold: timedelta = DEFAULT_THRESHOLD
) -> list[DetectionEvent]:
    """The independent events among the sightings (any order), by deployment, species and time."""
    gap = threshold.total_seconds()
    ordered = sorted(sightings, key=lambda s: (s.deployment_id, s.species, s.start))
    events: list[DetectionEvent] = []
    current: DetectionEvent | None = None
    for s in ordered:
        same = (
            current is not None and current.deployment_id == s.deployment_id and current.species == s.species
        )
        if current is None or not same or s.start - current.end >= gap:
            current = DetectionEvent(s.deployment_id, s.species, s.start, s.end, s.count, set(), s.media_id)
            events.append(current)
        else:
            current.end = max(current.end, s.end)
            current.group_size = max(current.group_size, s.count)
        if s.direction:
            current.directions.add(s.direction)
    return events


def _overlap(start: float, end: float, low: float, high: float) -> float:
    return max(0.0, min(end, high) - max(start, low))


def trap_nights(deployment: Deployment, period_start: datetime | None, period_end: datetime | None) -> float:
    """Days the camera worked inside the period (malfunction intervals excluded)."""
    low = period_start.timestamp() if period_start else float("-inf")
    high = period_end.timestamp() if period_end else float("inf")
    start, end = deployment.start.timestamp(), deployment.end.timestamp()
    seconds = _overlap(start, end, low, high)
    for broken in _merged(deployment):
        seconds -= _overlap(broken[0], broken[1], max(low, start), min(high, end))
    return max(seconds, 0.0) / DAY


def _merged(deployment: Deployment) -> list[tuple[float, float]]:
    """Malfunction intervals with overlaps joined, so no hour is taken out twice."""
    spans = sorted((m.start.timestamp(), m.end.timestamp()) for m in deployment.malfunctions)
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def working_at(deployment: Deployment, moment: float) -> bool:
    """Whether the camera was deployed and working at that moment (a photo in a gap is not counted)."""
    if not deployment.start.timestamp() <= moment <= deployment.end.timestamp():
        return False
    return not any(m.start.timestamp() <= moment < m.end.timestamp() for m in deployment.malfunctions)


def per_hundred(events: int, nights: float) -> float | None:
    """Events per 100 trap-nights (the relative abundance index); None without effort."""
    return round(100.0 * events / nights, 3) if nights > 0 else None
