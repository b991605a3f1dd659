"""When a scheduled query subscription runs: the QuerySchedule of EPCIS (second, minute, hour,
dayOfMonth, month, dayOfWeek), each field a comma-separated list of numbers and ranges (`5`,
`1,15,30`, `[0-10]` or `0-10`; `*` for every value).

A field left out takes every value when it is more significant than the most significant field
given, and its first value otherwise: `{"hour": "1", "minute": "5"}` runs once a day, at 01:05:00,
not sixty times in that minute. Day of week runs from 1 (Monday) to 7 (Sunday); when both day of
month and day of week are given, a day must match both. Times are UTC.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

FIELDS = ("second", "minute", "hour", "dayOfMonth", "month", "dayOfWeek")
RANGES = {
    "second": (0, 59),
    "minute": (0, 59),
    "hour": (0, 23),
    "dayOfMonth": (1, 31),
    "month": (1, 12),
    "dayOfWeek": (1, 7),
}
# From the least significant to the most; the day of week ranks with the day of month.
_SIGNIFICANCE = {"second": 0, "minute": 1, "hour": 2, "dayOfMonth": 3, "dayOfWeek": 3, "month": 4}
_PART = re.compile(r"^\[?(\d+)(?:-(\d+))?\]?$")
_HORIZON_DAYS = 366 * 8  # the 29th of February on a Monday comes round within 28 years; 8 is plenty here


class ScheduleError(ValueError):
    """A schedule that cannot be read or never runs; the message names the field."""


def _values(name: str, text: str) -> frozenset[int]:
    low, high = RANGES[name]
    if text.strip() == "*":
        return frozenset(range(low, high + 1))
    found: set[int] = set()
    for part in text.split(","):
        matched = _PART.match(part.strip())
        if matched is None:
            raise ScheduleError(
                f"schedule.{name}: {part.strip()!r} is not a number or a range; write e.g. 5, 1,15 or [0-10]"
            )
        first = int(matched.group(1))
        last = int(matched.group(2)) if matched.group(2) else first
        if not low <= first <= last <= high:
            raise ScheduleError(f"schedule.{name}: {part.strip()!r} is outside {low} to {high}")
        found.update(range(first, last + 1))
    return frozenset(found)


@dataclass(frozen=True)
class Schedule:
    allowed: Mapping[str, frozenset[int]]

    @classmethod
    def read(cls, schedule: Mapping[str, object]) -> Schedule:
        unknown = sorted(set(schedule) - set(FIELDS))
        if unknown:
            raise ScheduleError(f"schedule.{unknown[0]}: not a schedule field; use {', '.join(FIELDS)}")
        given = {name: str(value) for name, value in schedule.items() if value is not None}
        if not given:
            raise ScheduleError('schedule: give at least one field, e.g. {"hour": "1", "minute": "5"}')
        top = max(_SIGNIFICANCE[name] for name in given)
        allowed = {}
        for name in FIELDS:
            if name in given:
                allowed[name] = _values(name, given[name])
            elif _SIGNIFICANCE[name] < top and name != "dayOfWeek":
                allowed[name] = frozenset({RANGES[name][0]})
            else:
                allowed[name] = frozenset(range(RANGES[name][0], RANGES[name][1] + 1))
        return cls(allowed)

    def _day_runs(self, day: datetime) -> bool:
        return (
            day.month in self.allowed["month"]
            and day.day in self.allowed["dayOfMonth"]
            and day.isoweekday() in self.allowed["dayOfWeek"]
        )

    def next_run(self, after: datetime) -> datetime:
        """The first moment strictly after `after` (naive UTC) at which the schedule runs."""
        start = after.replace(microsecond=0)
        day = start.replace(hour=0, minute=0, second=0)
        for _ in range(_HORIZON_DAYS):
            if self._day_runs(day):
                for hour in sorted(self.allowed["hour"]):
                    for minute in sorted(self.allowed["minute"]):
                        for second in sorted(self.allowed["second"]):
                            moment = day.replace(hour=hour, minute=minute, second=second)
                            if moment > after:
                                return moment
            day += timedelta(days=1)
        raise ScheduleError("schedule: it never runs (no such day); check dayOfMonth, month and dayOfWeek")
