"""Reading Camtrap DP cells that frictionless has already validated: times, counts, tags.

Times become seconds since the epoch (UTC); `observationTags` ("key:value | key:value") may name
the direction an animal crossed a passage as `direction:<value>` (e.g. `direction:into-KZ`).
"""

from __future__ import annotations

from datetime import datetime

DIRECTION_KEYS = ("direction", "crossing")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def seconds(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def direction_of(tags: str) -> str | None:
    if not tags:
        return None
    for tag in tags.split("|"):
        key, _, value = tag.strip().partition(":")
        if key.strip().lower() in DIRECTION_KEYS and value.strip():
            return value.strip()[:60]
    return None


def count_of(text: str) -> int | None:
    return int(text) if text else None


def iso(moment_seconds: float) -> str:
    """A time for export, in UTC with its offset written out (the tables' datetime format)."""
    from datetime import UTC

    return datetime.fromtimestamp(moment_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
