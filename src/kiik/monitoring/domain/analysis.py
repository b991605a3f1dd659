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
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from kiik.monitoring.domain.detections import (
    BURST,
    DEFAULT_THRESHOLD,
    per_hundred,
    trap_nights,
    working_spans,
)
from kiik.monitoring.domain.errors import MonitoringError
from kiik.monitoring.domain.passages import Deployment, FencePassage
from kiik.monitoring.domain.series import BurstSeries, series_events

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
        """The request (times without a zone read as UTC); MonitoringError when it cannot be answered."""
        if (self.start and self.start.tzinfo is None) or (self.end and self.end.tzinfo is None):
            return replace(
                self,
                start=self.start.replace(tzinfo=UTC)
                if self.start and self.start.tzinfo is None
                else self.start,
                end=self.end.replace(tzinfo=UTC) if self.end and self.end.tzinfo is None else self.end,
            ).checked()
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


@dataclass(slots=True)
class _Tally:
    events: int = 0
    individuals: int = 0
    largest: int = 0
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    headings: dict[str, int] = field(default_factory=dict)  # "|"-joined directions of an event: events

    def directions(self) -> dict[str, int]:
        """Events per direction (an event recording two directions counts under each)."""
        counted: Counter[str] = Counter()
        for joined, events in self.headings.items():
            for direction in joined.split("|"):
                counted[direction] += events
        return dict(sorted(counted.items()))


def analyse(
    deployments: Sequence[Deployment],
    passages: dict[str, FencePassage],
    series: Iterable[BurstSeries],
    request: AnalysisRequest,
) -> list[RateRow]:
    request = request.checked()
    located_at = {d.deployment_id: d.location_id or d.deployment_id for d in deployments}
    working = {d.deployment_id: working_spans(d) for d in deployments}
    periods = {
        location: [
            (label, _seconds(start, "-inf"), _seconds(end, "inf"))
            for label, start, end in _periods(request, passages.get(location))
        ]
        for location in set(located_at.values())
    }
    wanted = {s.lower() for s in request.species}
    gap = request.threshold.total_seconds()
    shift = request.utc_offset_hours * 3600
    tallies: dict[tuple[str, str, str], _Tally] = {}
    for one in series:
        spans = working.get(one.deployment_id)
        if spans is None or (wanted and one.species.lower() not in wanted):
            continue
        location = located_at[one.deployment_id]
        buckets = [
            (low, high, tallies.setdefault((location, label, one.species), _Tally()))
            for label, low, high in periods[location]
        ]
        # Events come in time order, so the working span and the period each falls in only move on.
        span = bucket = 0
        for start, group, directions in series_events(one, gap):
            while span < len(spans) and start >= spans[span][1]:
                span += 1
            if span == len(spans) or start < spans[span][0]:
                continue  # taken while the camera was not working: no effort, no event
            while bucket < len(buckets) and start >= buckets[bucket][1]:
                bucket += 1
            if bucket == len(buckets) or start < buckets[bucket][0]:
                continue  # outside the period asked
            tally = buckets[bucket][2]
            tally.events += 1
            tally.individuals += group
            if group > tally.largest:
                tally.largest = group
            tally.by_hour[int((start + shift) // 3600) % 24] += 1
            if directions:
                tally.headings[directions] = tally.headings.get(directions, 0) + 1
    return _rows(deployments, passages, request, located_at, tallies)


def _rows(
    deployments: Sequence[Deployment],
    passages: dict[str, FencePassage],
    request: AnalysisRequest,
    located_at: dict[str, str],
    tallies: dict[tuple[str, str, str], _Tally],
) -> list[RateRow]:
    """One row per location, period and species (every species seen or asked for, at every location)."""
    locations: dict[str, list[Deployment]] = {}
    for d in deployments:
        locations.setdefault(located_at[d.deployment_id], []).append(d)
    species = sorted({name for (*_, name), tally in tallies.items() if tally.events} | set(request.species))
    rows: list[RateRow] = []
    for location_id, located in sorted(locations.items()):
        if request.locations and location_id not in request.locations:
            continue
        passage = passages.get(location_id)
        for label, start, end in _periods(request, passage):
            nights = sum(trap_nights(d, start, end) for d in located)
            for name in species:
                tally = tallies.get((location_id, label, name)) or _Tally()
                rows.append(
                    RateRow(
                        location_id=location_id,
                        passage=passage.name if passage else None,
                        species=name,
                        period=label,
                        period_start=start,
                        period_end=end,
                        threshold_minutes=request.threshold.total_seconds() / 60,
                        deployments=len(located),
                        trap_nights=round(nights, 4),
                        events=tally.events,
                        per_100_trap_nights=per_hundred(tally.events, nights),
                        individuals=tally.individuals,
                        largest_group=tally.largest,
                        by_hour=tally.by_hour,
                        directions=tally.directions(),
                    )
                )
    return rows


def _seconds(moment: datetime | None, otherwise: str) -> float:
    return moment.timestamp() if moment else float(otherwise)


def _periods(
    request: AnalysisRequest, passage: FencePassage | None
) -> list[tuple[str, datetime | None, datetime | None]]:
    if not request.compare_opening or passage is None or passage.opened_on is None:
        return [("all", request.start, request.end)]
    opened = _day_start(passage.opened_on, request.utc_offset_hours)
    return [("before opening", request.start, opened), ("after opening", opened, request.end)]


def _day_start(day: date, offset_hours: int) -> datetime:
    return datetime.combine(day, time(0), UTC) - timedelta(hours=offset_hours)
