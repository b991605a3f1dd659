"""Alerts from camera traps: a person or a vehicle at a fence passage, or a species of concern.

One alert per independent event (observations of the same kind at one deployment less than the
default threshold apart make one), with the reference of its first photo, so a night of photos of
one vehicle raises one alert, not a hundred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiik.monitoring.domain.detections import DEFAULT_THRESHOLD, Sighting, independent_events

PERSON = "person"
VEHICLE = "vehicle"
SPECIES_OF_CONCERN = "species of concern"
# The Persian leopard (Panthera pardus tulliana, also written P. p. saxicolor) crosses from Iran and
# Turkmenistan; any leopard at a passage is reported.
CONCERN_GENERA = ("panthera pardus",)
# Who is told (the organisation kinds that read alerts): see kiik.directory.domain.permissions.
AUDIENCE = ("border service (customs)", "scientists (research)", "ministry")


@dataclass(frozen=True)
class Observed:
    """One observation as the alert rule reads it."""

    observation_id: str
    deployment_id: str
    observation_type: str  # Camtrap DP observationType
    scientific_name: str | None
    start: float
    media_id: str | None


@dataclass(frozen=True)
class Alert:
    kind: str
    subject: str  # the species, or "human" / "vehicle"
    deployment_id: str
    observed_at: float
    observation_id: str
    media_id: str | None


def alert_kind(observation_type: str, scientific_name: str | None) -> str | None:
    if observation_type == "vehicle":
        return VEHICLE
    name = (scientific_name or "").strip().lower()
    if observation_type == "human" or name == "homo sapiens":
        return PERSON
    if observation_type == "animal" and any(name.startswith(g) for g in CONCERN_GENERA):
        return SPECIES_OF_CONCERN
    return None


def alerts_for(observations: Iterable[Observed]) -> list[Alert]:
    """One alert per independent event of a person, a vehicle or a species of concern."""
    by_media: dict[tuple[str, str, float], Observed] = {}
    sightings = []
    for o in observations:
        kind = alert_kind(o.observation_type, o.scientific_name)
        if kind is None:
            continue
        subject = (
            o.scientific_name if kind == SPECIES_OF_CONCERN and o.scientific_name else o.observation_type
        )
        key = f"{kind}\t{subject}"
        sightings.append(Sighting(o.deployment_id, key, o.start, o.start, 1, (), o.observation_id))
        by_media.setdefault((o.deployment_id, key, o.start), o)
    alerts = []
    for event in independent_events(sightings, DEFAULT_THRESHOLD):
        first = by_media[(event.deployment_id, event.species, event.start)]
        kind, subject = event.species.split("\t", 1)
        alerts.append(
            Alert(kind, subject, event.deployment_id, event.start, first.observation_id, first.media_id)
        )
    return sorted(alerts, key=lambda a: (a.observed_at, a.deployment_id))
