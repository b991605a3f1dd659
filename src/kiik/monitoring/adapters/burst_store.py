"""Burst series in SQL: one row per deployment and species, the bursts packed as columns of
little-endian 64-bit integers (read back with `array`, without a Python object per burst)."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, insert, select

from kiik.monitoring.adapters.tables import camtrap_burst_series
from kiik.monitoring.domain.series import BurstSeries

_SWAP = sys.byteorder == "big"


def _packed(values: Sequence[float]) -> bytes:
    packed = array("q", (int(v) for v in values))
    if _SWAP:
        packed.byteswap()
    return packed.tobytes()


def _unpacked(data: bytes) -> array[int]:
    values = array("q")
    values.frombytes(bytes(data))
    if _SWAP:
        values.byteswap()
    return values


class BurstStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_burst_series(self, package_id: int, pks: dict[str, int], series: Sequence[BurstSeries]) -> None:
        for one in series:
            self.connection.execute(
                insert(camtrap_burst_series).values(
                    package_id=package_id,
                    deployment_pk=pks[one.deployment_id],
                    scientific_name=one.species,
                    bursts=len(one.starts),
                    starts=_packed(one.starts),
                    ends=_packed(one.ends),
                    groups=_packed(one.groups),
                    directions="\n".join(one.directions),
                )
            )

    def burst_series(self, deployments: Sequence[str], species: Sequence[str]) -> Iterator[BurstSeries]:
        """The series at the deployments (keys as the camera-trap store gives them), by species."""
        pks = {int(key.split(":", 1)[0]): key for key in deployments}
        b = camtrap_burst_series.c
        query = select(
            b.deployment_pk, b.scientific_name, b.bursts, b.starts, b.ends, b.groups, b.directions
        ).where(b.deployment_pk.in_(list(pks)))
        if species:
            query = query.where(b.scientific_name.in_(list(species)))
        for pk, name, bursts, starts, ends, groups, directions in self.connection.execute(query):
            headings = directions.split("\n") if bursts > 1 or directions else [directions]
            yield BurstSeries(pks[pk], name, _unpacked(starts), _unpacked(ends), _unpacked(groups), headings)
