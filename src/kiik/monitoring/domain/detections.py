"""Independent detection events, effort in trap-nights, and the rates built from them.

Observations of one species at one deployment form one event while each starts less than the
threshold after the latest end of the event so far (the usual 30 minutes by default); a longer
gap starts a new event. An event's group size is its largest single count (the photos of one group
are not added up). Effort is the time each deployment ran inside the period, less the intervals it
did not work, in days of 24 hours ("trap-nights").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple

from kiik.monitoring.domain.passages import Deployment

DEFAULT_THRESHOLD = timedelta(minutes=30)
# The shortest threshold an analysis may choose; observations closer than this are always one event.
BURST = timedelta(minutes=1)
DAY = 86400.0


class Sighting(NamedTuple):
    """What the analysis needs of one observation, or of a burst of them (times in seconds since
    the epoch, UTC)."""

    deployment_id: str
    species: str
    start: float
    end: float
    group: int  # the largest count among them
    directions: tuple[str, ...] = ()
    media_id: str | None = None


_ORDER = itemgetter(0, 1, 2)  # deployment, species, start


def merge(sightings: Iterable[Sighting], threshold: timedelta = DEFAULT_THRESHOLD) -> Iterator[Sighting]:
    """The independent events among the sightings (any order), by deployment, species and time.

    An event is a sighting itself: its first start, its latest end, its largest group, every
    direction its members record, its first photo."""
    gap = threshold.total_seconds()
    current: Sighting | None = None
    for sighting in sorted(sightings, key=_ORDER):
        if (
            current is None
            or sighting.deployment_id != current.deployment_id
            or sighting.species != current.species
            or sighting.start - current.end >= gap
        ):
            if current is not None:
                yield current
            current = sighting
        elif sighting.end > current.end or sighting.group > current.group or sighting.directions:
            directions = current.directions
            if sighting.directions and not set(sighting.directions) <= set(directions):
                directions = tuple(sorted({*directions, *sighting.directions}))
            current = current._replace(
                end=max(current.end, sighting.end),
                group=max(current.group, sighting.group),
                directions=directions,
            )
    if current is not None:
        yield current


def independent_events(
    sightings: Iterable[Sighting], threshold: timedelta = DEFAULT_THRESHOLD
) -> list[Sighting]:
    return list(merge(sightings, threshold))


def bursts(sightings: Iterable[Sighting]) -> list[Sighting]:
    """The sightings merged at the shortest threshold (BURST): photos of one passing group taken
    seconds apart become one. Merging these again at any threshold of at least BURST gives the same
    events as merging the observations themselves (a burst's later photos are all less than BURST
    after the one before, so never start an event), and there are far fewer of them to read."""
    return independent_events(sightings, BURST)


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


def working_spans(deployment: Deployment) -> list[tuple[float, float]]:
    """The intervals (seconds since the epoch) in which the camera was deployed and working: an
    observation outside them gives no event, as that time is not counted as effort either."""
    spans = []
    at = deployment.start.timestamp()
    for broken_from, broken_to in _merged(deployment):
        if broken_from > at:
            spans.append((at, broken_from))
        at = max(at, broken_to)
    if deployment.end.timestamp() > at:
        spans.append((at, deployment.end.timestamp()))
    return spans


def per_hundred(events: int, nights: float) -> float | None:
    """Events per 100 trap-nights (the relative abundance index); None without effort."""
    return round(100.0 * events / nights, 3) if nights > 0 else None
