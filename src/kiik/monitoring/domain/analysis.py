"""Detection rates per species, passage and period, each row saying its threshold and its effort.

Rows are per location (a passage when one is registered under that locationID), per species and
per period: the whole period asked, or, when asked to compare, before and after the day the
passage opened. Events are counted in the period their first observation falls in, and only while
a camera worked (an observation inside a malfunction interval or outside the deployment gives no
event, as its effort is not counted either).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from kiik.monitoring.domain.detections import (
    BURST,
    DEFAULT_THRESHOLD,
    DetectionEvent,
    Sighting,
    independent_events,
    per_hundred,
    trap_nights,
    working_spans,
)
from kiik.monitoring.domain.errors import MonitoringError
from kiik.monitoring.domain.passages import Deployment, FencePassage

KAZAKHSTAN_UTC_OFFSET = 5  # hours; Kazakhstan keeps UTC+5 since March 2024


@dataclass(frozen=True)
class AnalysisRequest:
    threshold: timedelta = DEFAULT_THRESHOLD
    start: datetime | None = None
    end: datetime | None = None
    species: tuple[str, ...] = ()  # none: every species
    locations: tuple[str, ...] = ()  # none: every location
    compare_opening: bool = False  # split each passage's period at the day it opened
    utc_offset_hours: int = KAZAKHSTAN_UTC_OFFSET  # for activity by hour of day

    def checked(self) -> AnalysisRequest:
        if self.threshold < BURST:
            raise MonitoringError(
                f"the independence threshold must be at least {BURST.total_seconds() / 60:g} minute, not "
                f"{self.threshold.total_seconds() / 60:g}: photos less than a minute apart are one event"
            )
        if self.start and self.end and self.end <= self.start:
            raise MonitoringError(f"the period ends ({self.end}) before it starts ({self.start})")
        if not -12 <= self.utc_offset_hours <= 14:
            raise MonitoringError(f"UTC offset {self.utc_offset_hours} h is not a time zone")
        return self


@dataclass
class RateRow:
    location_id: str
    passage: str | None
    species: str
    period: str  # "all", "before opening" or "after opening"
    period_start: datetime | None
    period_end: datetime | None
    threshold_minutes: float
    deployments: int
    trap_nights: float
    events: int
    per_100_trap_nights: float | None
    individuals: int  # the sum of each event's largest group
    largest_group: int
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    directions: dict[str, int] = field(default_factory=dict)


def analyse(
    deployments: Sequence[Deployment],
    passages: dict[str, FencePassage],
    sightings: Iterable[Sighting],
    request: AnalysisRequest,
) -> list[RateRow]:
    request = request.checked()
    located_at = {d.deployment_id: d.location_id or d.deployment_id for d in deployments}
    working = {d.deployment_id: working_spans(d) for d in deployments}
    wanted = {s.lower() for s in request.species}
    chosen = (
        s for s in sightings if s.deployment_id in located_at and (not wanted or s.species.lower() in wanted)
    )
    grouped: dict[tuple[str, str], list[DetectionEvent]] = {}
    for event in independent_events(chosen, request.threshold):
        if any(low <= event.start < high for low, high in working[event.deployment_id]):
            grouped.setdefault((located_at[event.deployment_id], event.species), []).append(event)
    locations: dict[str, list[Deployment]] = {}
    for d in deployments:
        locations.setdefault(located_at[d.deployment_id], []).append(d)
    species = sorted({name for _, name in grouped} | set(request.species))
    rows: list[RateRow] = []
    for location_id, located in sorted(locations.items()):
        if request.locations and location_id not in request.locations:
            continue
        passage = passages.get(location_id)
        for label, start, end in _periods(request, passage):
            nights = sum(trap_nights(d, start, end) for d in located)
            for name in species:
                inside = [e for e in grouped.get((location_id, name), ()) if _within(e.start, start, end)]
                rows.append(
                    _row(location_id, passage, name, label, start, end, request, len(located), nights, inside)
                )
    return rows


def _periods(
    request: AnalysisRequest, passage: FencePassage | None
) -> list[tuple[str, datetime | None, datetime | None]]:
    if not request.compare_opening or passage is None or passage.opened_on is None:
        return [("all", request.start, request.end)]
    opened = _day_start(passage.opened_on, request.utc_offset_hours)
    return [("before opening", request.start, opened), ("after opening", opened, request.end)]


def _day_start(day: date, offset_hours: int) -> datetime:
    return datetime.combine(day, time(0), UTC) - timedelta(hours=offset_hours)


def _within(moment: float, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or moment >= start.timestamp()) and (end is None or moment < end.timestamp())


def _row(
    location_id: str,
    passage: FencePassage | None,
    species: str,
    label: str,
    start: datetime | None,
    end: datetime | None,
    request: AnalysisRequest,
    deployments: int,
    nights: float,
    events: list[DetectionEvent],
) -> RateRow:
    hours = [0] * 24
    directions: Counter[str] = Counter()
    for e in events:
        hours[int((e.start + request.utc_offset_hours * 3600) // 3600) % 24] += 1
        directions.update(e.directions)
    return RateRow(
        location_id=location_id,
        passage=passage.name if passage else None,
        species=species,
        period=label,
        period_start=start,
        period_end=end,
        threshold_minutes=request.threshold.total_seconds() / 60,
        deployments=deployments,
        trap_nights=round(nights, 4),
        events=len(events),
        per_100_trap_nights=per_hundred(len(events), nights),
        individuals=sum(e.group_size for e in events),
        largest_group=max((e.group_size for e in events), default=0),
        by_hour=hours,
        directions=dict(sorted(directions.items())),
    )
