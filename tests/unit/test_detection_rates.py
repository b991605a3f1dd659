"""Independent events, trap-nights and rates on the small passage worked out by hand
(tests/support/small_passage.py), straight from the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kiik.monitoring.domain.analysis import AnalysisRequest, analyse
from kiik.monitoring.domain.detections import Sighting, bursts, independent_events, trap_nights
from kiik.monitoring.domain.errors import MonitoringError
from kiik.monitoring.domain.passages import Deployment, FencePassage, Malfunction
from kiik.monitoring.domain.series import as_series, series_events


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


D1 = Deployment(
    "d1",
    "p1",
    at("2025-05-01T00:00"),
    at("2025-05-06T00:00"),
    malfunctions=(Malfunction("d1", at("2025-05-02T00:00"), at("2025-05-02T12:00")),),
)
D2 = Deployment("d2", "p1", at("2025-05-01T00:00"), at("2025-05-03T00:00"))
PASSAGES = {
    "p1": FencePassage("p1", "Passage 1", "Mangistau", "fence", "KZ-UZ", 44.1, 56.2, date(2025, 5, 3))
}
G, U = "Gazella subgutturosa", "Ovis vignei"


def seen(
    deployment: str, moment: str, count: int, species: str = G, direction: str | None = None
) -> Sighting:
    t = at(moment).timestamp()
    return Sighting(deployment, species, t, t, count, (direction,) if direction else ())


SIGHTINGS = [
    seen("d1", "2025-05-01T10:00", 2),
    seen("d1", "2025-05-01T10:20", 5),
    seen("d1", "2025-05-01T10:45", 1),
    seen("d1", "2025-05-01T11:30", 3, direction="into-KZ"),
    seen("d1", "2025-05-02T06:00", 4),
    seen("d1", "2025-05-04T22:00", 1, direction="into-UZ"),
    seen("d2", "2025-05-01T10:10", 1),
    seen("d1", "2025-05-01T10:05", 1, U),
]


def test_trap_nights_leave_out_the_malfunction() -> None:
    assert trap_nights(D1, None, None) == 4.5
    assert trap_nights(D2, None, None) == 2.0
    # 18 hours inside the period, 6 of them broken
    assert trap_nights(D1, at("2025-05-02T06:00"), at("2025-05-03T00:00")) == pytest.approx(0.5)


def test_observations_closer_than_the_threshold_make_one_event_with_the_largest_group() -> None:
    events = [e for e in independent_events(SIGHTINGS, timedelta(minutes=30)) if e.species == G]
    assert [(e.deployment_id, e.group) for e in events] == [
        ("d1", 5),
        ("d1", 3),
        ("d1", 4),
        ("d1", 1),
        ("d2", 1),
    ]


def test_rates_per_passage_and_species_say_their_threshold_and_effort() -> None:
    rows = analyse([D1, D2], PASSAGES, as_series(SIGHTINGS), AnalysisRequest())
    gazelle = next(r for r in rows if r.species == G)
    assert (gazelle.threshold_minutes, gazelle.trap_nights, gazelle.events) == (30, 6.5, 4)
    assert gazelle.per_100_trap_nights == 61.538
    assert (gazelle.individuals, gazelle.largest_group) == (10, 5)
    assert gazelle.by_hour[15] == 2 and gazelle.by_hour[16] == 1 and gazelle.by_hour[3] == 1
    assert sum(gazelle.by_hour) == 4
    assert gazelle.directions == {"into-KZ": 1, "into-UZ": 1}
    urial = next(r for r in rows if r.species == U)
    assert (urial.events, urial.per_100_trap_nights) == (1, 15.385)


def test_a_longer_threshold_merges_more() -> None:
    rows = analyse(
        [D1, D2],
        PASSAGES,
        as_series(SIGHTINGS),
        AnalysisRequest(threshold=timedelta(minutes=60), species=(G,)),
    )
    assert [(r.events, r.per_100_trap_nights, r.threshold_minutes) for r in rows] == [(3, 46.154, 60)]


def test_before_and_after_the_passage_opened() -> None:
    rows = analyse(
        [D1, D2], PASSAGES, as_series(SIGHTINGS), AnalysisRequest(species=(G,), compare_opening=True)
    )
    assert [(r.period, r.trap_nights, r.events, r.per_100_trap_nights) for r in rows] == [
        ("before opening", 3.0833, 3, 97.297),
        ("after opening", 3.4167, 1, 29.268),
    ]


def test_a_threshold_must_be_positive() -> None:
    with pytest.raises(MonitoringError, match="must be at least 1 minute"):
        analyse([D1], PASSAGES, as_series(SIGHTINGS), AnalysisRequest(threshold=timedelta(0)))


@pytest.mark.parametrize("seed", range(20))
def test_series_give_the_same_events_as_the_rule(seed: int) -> None:
    import random

    rng = random.Random(seed)
    sightings = []
    for _ in range(300):
        start = rng.randrange(0, 5 * 86400)
        sightings.append(
            Sighting(
                rng.choice(("d1", "d2")), rng.choice((G, U)), start, start + rng.choice((0, 0, 30, 4000)),
                rng.randint(1, 9), rng.choice(((), ("into-KZ",), ("into-UZ",))),
            )
        )  # fmt: skip
    for minutes in (1, 7, 30, 120):
        expected = [
            (e.deployment_id, e.species, e.start, e.group, "|".join(sorted(e.directions)))
            for e in independent_events(sightings, timedelta(minutes=minutes))
        ]
        found = [
            (one.deployment_id, one.species, start, group, directions)
            for one in as_series(bursts(sightings))
            for start, group, directions in series_events(one, minutes * 60)
        ]
        assert found == expected


def test_a_period_without_a_time_zone_is_read_as_utc() -> None:
    naive = AnalysisRequest(start=datetime(2025, 5, 3), end=datetime(2025, 5, 6), species=(G,))
    assert naive.checked().start == at("2025-05-03T00:00")
    rows = analyse([D1, D2], PASSAGES, as_series(SIGHTINGS), naive)
    assert [(r.trap_nights, r.events) for r in rows] == [(3.0, 1)]  # d1 from 3 May; the 22:00 group on 4 May
