"""Which camera-trap observations raise an alert, and how many."""

from __future__ import annotations

from kiik.monitoring.domain.alerts import (
    PERSON,
    SPECIES_OF_CONCERN,
    VEHICLE,
    Observed,
    alert_kind,
    alerts_for,
)


def test_who_and_what_raises_an_alert() -> None:
    assert alert_kind("vehicle", None) == VEHICLE
    assert alert_kind("human", None) == PERSON
    assert alert_kind("animal", "Homo sapiens") == PERSON
    assert alert_kind("animal", "Panthera pardus tulliana") == SPECIES_OF_CONCERN
    assert alert_kind("animal", "Gazella subgutturosa") is None
    assert alert_kind("blank", None) is None


def test_one_alert_per_event_with_its_first_photo() -> None:
    night = [
        Observed(f"o{n}", "d1", "vehicle", None, 1000.0 + 60 * n, f"m{n}") for n in range(10)
    ]  # ten photos a minute apart: one vehicle
    later = Observed("o99", "d1", "vehicle", None, 1000.0 + 3 * 3600, "m99")
    leopard = Observed("o50", "d2", "animal", "Panthera pardus", 2000.0, "m50")
    found = alerts_for([*night, later, leopard])
    assert [(a.kind, a.observation_id, a.media_id) for a in found] == [
        (VEHICLE, "o0", "m0"),
        (SPECIES_OF_CONCERN, "o50", "m50"),
        (VEHICLE, "o99", "m99"),
    ]
    assert found[1].subject == "Panthera pardus"
