"""One species' bursts at one deployment as a series in time order: the form analyses read.

A season at a passage is a few hundred thousand bursts; read as one row each, building and
merging them costs more than the one second an analysis may take. Kept as columns per deployment
and species (stored packed, `kiik.monitoring.adapters.burst_store`), they are merged by
`series_events`, the rule of `detections.merge` over one series, written for columns; a test
checks that both give the same events.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from kiik.monitoring.domain.detections import Sighting


@dataclass(frozen=True)
class BurstSeries:
    deployment_id: str
    species: str
    starts: Sequence[float]  # ascending
    ends: Sequence[float]
    groups: Sequence[int]
    directions: Sequence[str]  # per burst, "|"-joined; "" for none


def as_series(sightings: Iterable[Sighting]) -> list[BurstSeries]:
    """The sightings (any order) as one series per deployment and species."""
    found = []
    ordered = sorted(sightings, key=itemgetter(0, 1, 2))
    for (deployment, species), members in groupby(ordered, key=itemgetter(0, 1)):
        rows = list(members)
        found.append(
            BurstSeries(
                deployment,
                species,
                [s.start for s in rows],
                [s.end for s in rows],
                [s.group for s in rows],
                ["|".join(s.directions) for s in rows],
            )
        )
    return found


def series_events(series: BurstSeries, gap: float) -> Iterator[tuple[float, int, str]]:
    """The independent events of one series at a threshold of `gap` seconds: (start, largest
    group, "|"-joined directions), in time order."""
    start = end = 0.0
    group = 0
    directions = ""
    first = True
    for begins, finishes, size, heading in zip(
        series.starts, series.ends, series.groups, series.directions, strict=True
    ):
        if first or begins - end >= gap:
            if not first:
                yield start, group, directions
            start, end, group, directions, first = begins, finishes, size, heading, False
            continue
        if finishes > end:
            end = finishes
        if size > group:
            group = size
        if heading and heading != directions:
            directions = "|".join(sorted({*directions.split("|"), *heading.split("|")} - {""}))
    if not first:
        yield start, group, directions
