"""Plain rules behind subscriptions: when a schedule runs next, and where a webhook may go."""

from __future__ import annotations

from datetime import datetime

import pytest

from kiik.epcis.domain.query_schedule import Schedule, ScheduleError
from kiik.epcis.domain.webhook_destinations import AllowList, refusal

NOW = datetime(2026, 12, 6, 21, 30, 15)  # a Sunday


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ({"hour": "1", "minute": "5"}, datetime(2026, 12, 7, 1, 5, 0)),  # daily at 01:05:00
        ({"minute": "*"}, datetime(2026, 12, 6, 21, 31, 0)),  # every minute, on the minute
        ({"second": "[0-59]"}, datetime(2026, 12, 6, 21, 30, 16)),  # every second
        ({"minute": "0,30"}, datetime(2026, 12, 6, 22, 0, 0)),
        ({"hour": "9", "dayOfWeek": "1"}, datetime(2026, 12, 7, 9, 0, 0)),  # Monday 09:00
        ({"dayOfMonth": "1", "month": "1"}, datetime(2027, 1, 1, 0, 0, 0)),
        ({"dayOfMonth": "29", "month": "2"}, datetime(2028, 2, 29, 0, 0, 0)),  # the next leap day
    ],
)
def test_the_next_run_of_a_schedule(schedule: dict[str, str], expected: datetime) -> None:
    assert Schedule.read(schedule).next_run(NOW) == expected


@pytest.mark.parametrize(
    ("schedule", "named"),
    [
        ({"hour": "24"}, "schedule.hour"),
        ({"minute": "five"}, "schedule.minute"),
        ({"week": "1"}, "schedule.week"),
        ({}, "schedule"),
    ],
)
def test_a_wrong_schedule_names_its_field(schedule: dict[str, str], named: str) -> None:
    with pytest.raises(ScheduleError, match=named):
        Schedule.read(schedule)


def test_a_schedule_that_never_runs_is_refused() -> None:
    with pytest.raises(ScheduleError, match="never runs"):
        Schedule.read({"dayOfMonth": "31", "month": "2"}).next_run(NOW)


ALLOWED = AllowList.read(["partner.example.org", "*.customs.example.cn", "203.0.113.0/24", "127.0.0.1/32"])


@pytest.mark.parametrize(
    ("url", "addresses", "why"),
    [
        ("https://partner.example.org/hook", ["93.184.216.7"], None),
        ("https://a.customs.example.cn/hook", ["93.184.216.8"], None),
        ("https://unknown.example.com/hook", ["93.184.216.9"], "allow-list"),
        ("http://203.0.113.5/hook", ["203.0.113.5"], None),  # by its network
        ("http://127.0.0.1:8080/hook", ["127.0.0.1"], None),  # loopback, allowed explicitly
        ("http://127.0.0.2/hook", ["127.0.0.2"], "allow-list"),
        # A listed host that resolves inside the registry's network is refused all the same.
        ("https://partner.example.org/hook", ["10.0.0.8"], "internal address 10.0.0.8"),
        ("https://partner.example.org/hook", ["169.254.169.254"], "internal address"),
        ("https://partner.example.org/hook", [], "does not resolve"),
        ("ftp://partner.example.org/hook", ["93.184.216.7"], "http(s) URL"),
        ("https://user:pw@partner.example.org/hook", ["93.184.216.7"], "user name or password"),
    ],
)
def test_webhook_destinations(url: str, addresses: list[str], why: str | None) -> None:
    found = refusal(url, addresses, ALLOWED)
    if why is None:
        assert found is None
    else:
        assert found is not None and why in found


def test_nothing_is_allowed_by_default() -> None:
    assert refusal("https://partner.example.org/hook", ["93.184.216.7"], AllowList.read([])) is not None
