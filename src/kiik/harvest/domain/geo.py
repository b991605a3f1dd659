"""Places on the ground: harvest points and harvest areas, in plain Python.

Coordinates are WGS 84 decimal degrees. GeoJSON (RFC 7946) writes a position as
[longitude, latitude]; kiik's harvest points are written latitude first ("50.95,51.35"), the way
GPS units and people read them out, and RFC 5870 `geo:` URIs do the same. `Point` keeps them apart
by name so that the two orders are never confused.

Areas are GeoJSON Polygons or MultiPolygons (holes allowed). Whether a point lies inside is decided
by ray casting (even-odd rule); a point exactly on an edge may fall either way, which is why areas
are drawn with a margin. Areas that cross the antimeridian are not supported (none in Kazakhstan).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kiik.errors import N_

Ring = tuple[tuple[float, float], ...]  # closed ring of (longitude, latitude)


class GeoError(ValueError):
    """A point or an area that cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        _check_position(self.longitude, self.latitude, f"{self.latitude},{self.longitude}")

    def text(self) -> str:
        """kiik's written form, latitude first: `50.95,51.35`."""
        return f"{_number(self.latitude)},{_number(self.longitude)}"


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _check_position(longitude: float, latitude: float, shown: str) -> None:
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        raise GeoError(N_("%(where)s: coordinates must be finite numbers", where=shown))
    if not -90.0 <= latitude <= 90.0:
        raise GeoError(
            N_(
                "%(where)s: latitude %(latitude)s is outside -90..90 (are latitude and longitude swapped?)",
                where=shown,
                latitude=format(latitude, "g"),
            )
        )
    if not -180.0 <= longitude <= 180.0:
        raise GeoError(
            N_(
                "%(where)s: longitude %(longitude)s is outside -180..180",
                where=shown,
                longitude=format(longitude, "g"),
            )
        )


@dataclass(frozen=True)
class Polygon:
    exterior: Ring
    holes: tuple[Ring, ...] = ()

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north), computed once: every point tested is first checked against it."""
        longitudes = [x for x, _ in self.exterior]
        latitudes = [y for _, y in self.exterior]
        return min(longitudes), min(latitudes), max(longitudes), max(latitudes)

    def contains(self, point: Point) -> bool:
        west, south, east, north = self.bounds
        x, y = point.longitude, point.latitude
        if not (west <= x <= east and south <= y <= north):
            return False
        return _in_ring(x, y, self.exterior) and not any(_in_ring(x, y, hole) for hole in self.holes)


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    previous_x, previous_y = ring[-1]
    for current_x, current_y in ring:
        if (current_y > y) != (previous_y > y):
            crossing = (previous_x - current_x) * (y - current_y) / (previous_y - current_y) + current_x
            if x < crossing:
                inside = not inside
        previous_x, previous_y = current_x, current_y
    return inside


@dataclass(frozen=True)
class Area:
    """One or more polygons; a point is inside the area when it is inside any of them."""

    polygons: tuple[Polygon, ...]

    def contains(self, point: Point) -> bool:
        for polygon in self.polygons:
            if polygon.contains(point):
                return True
        return False

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        boxes = [p.bounds for p in self.polygons]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON geometry: a Polygon when there is one, else a MultiPolygon."""
        shapes = [[[list(p) for p in ring] for ring in (pg.exterior, *pg.holes)] for pg in self.polygons]
        if len(shapes) == 1:
            return {"type": "Polygon", "coordinates": shapes[0]}
        return {"type": "MultiPolygon", "coordinates": shapes}


def read_area(value: Any) -> Area:
    """A GeoJSON Polygon or MultiPolygon (or a Feature / FeatureCollection of them), as a dict or text."""
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise GeoError(N_("the area is not JSON: %(problem)s", problem=str(exc))) from None
    if not isinstance(value, Mapping):
        raise GeoError(
            N_("the area must be a GeoJSON object (Polygon, MultiPolygon, Feature or FeatureCollection)")
        )
    kind = value.get("type")
    if kind == "Feature":
        return read_area(value.get("geometry"))
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or not features:
            raise GeoError(N_("the FeatureCollection has no features: give at least one Polygon"))
        return Area(tuple(p for feature in features for p in read_area(feature).polygons))
    coordinates = value.get("coordinates")
    if kind == "Polygon":
        return Area((_polygon(coordinates, "Polygon"),))
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise GeoError(N_("the MultiPolygon has no polygons"))
        return Area(tuple(_polygon(c, f"MultiPolygon polygon {n + 1}") for n, c in enumerate(coordinates)))
    raise GeoError(
        N_(
            "an area must be a GeoJSON Polygon or MultiPolygon, not %(kind)s; "
            "positions are [longitude, latitude]",
            kind=repr(kind),
        )
    )


def _polygon(rings: Any, where: str) -> Polygon:
    if not isinstance(rings, list) or not rings:
        raise GeoError(N_("%(where)s: coordinates must be a list of linear rings", where=where))
    read = [_ring(ring, f"{where}, ring {n + 1}") for n, ring in enumerate(rings)]
    return Polygon(read[0], tuple(read[1:]))


def _ring(positions: Any, where: str) -> Ring:
    if not isinstance(positions, list) or len(positions) < 4:
        raise GeoError(
            N_(
                "%(where)s: a linear ring needs at least 4 positions (the first repeated as the last)",
                where=where,
            )
        )
    ring: list[tuple[float, float]] = []
    for n, position in enumerate(positions):
        if (
            not isinstance(position, list | tuple)
            or len(position) not in (2, 3)
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position)
        ):
            raise GeoError(
                N_(
                    "%(where)s, position %(number)s: expected [longitude, latitude], got %(position)s",
                    where=where,
                    number=n + 1,
                    position=repr(position),
                )
            )
        longitude, latitude = float(position[0]), float(position[1])
        _check_position(longitude, latitude, f"{where}, position {n + 1} [{longitude:g}, {latitude:g}]")
        ring.append((longitude, latitude))
    if ring[0] != ring[-1]:
        raise GeoError(
            N_("%(where)s: the ring is not closed: its last position must repeat the first", where=where)
        )
    return tuple(ring)


def read_point(value: Any) -> Point:
    """A point in any of the forms kiik accepts (see docs/vocabulary.md, "Harvest points"):

    - text `"lat,lon"` in decimal degrees, e.g. `"50.95,51.35"`;
    - an RFC 5870 `geo:` URI, e.g. `"geo:50.95,51.35"` (any `;crs=wgs84` or `;u=` parameter is ignored);
    - a GeoJSON Point object `{"type": "Point", "coordinates": [51.35, 50.95]}` (longitude first);
    - an object with `latitude` and `longitude` members (any namespace prefix), as XML ILMD gives.
    """
    if isinstance(value, str):
        return _point_text(value)
    if isinstance(value, Mapping):
        named = {str(k).rsplit(":", 1)[-1]: v for k, v in value.items()}
        if named.get("type") == "Point":
            coordinates = named.get("coordinates")
            if not isinstance(coordinates, Sequence) or isinstance(coordinates, str) or len(coordinates) < 2:
                raise GeoError("a GeoJSON Point needs coordinates [longitude, latitude]")
            return Point(latitude=_coordinate(coordinates[1]), longitude=_coordinate(coordinates[0]))
        if "latitude" in named and "longitude" in named:
            return Point(latitude=_coordinate(named["latitude"]), longitude=_coordinate(named["longitude"]))
    raise GeoError(
        f"cannot read {value!r} as a point: write 'latitude,longitude' in decimal degrees "
        "(e.g. '50.95,51.35'), a geo: URI, or a GeoJSON Point"
    )


def _point_text(text: str) -> Point:
    body = text.strip()
    if body.lower().startswith("geo:"):
        body = body[4:].split(";", 1)[0]
    parts = [p.strip() for p in body.split(",")]
    if len(parts) not in (2, 3):
        raise GeoError(f"cannot read {text!r} as a point: write 'latitude,longitude', e.g. '50.95,51.35'")
    return Point(latitude=_coordinate(parts[0], text), longitude=_coordinate(parts[1], text))


def _coordinate(value: Any, shown: Any = None) -> float:
    if isinstance(value, bool):
        raise GeoError(f"{shown or value!r}: a coordinate must be a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise GeoError(f"{shown or value!r}: {value!r} is not a number in decimal degrees")


def point_inside(area: Area, rng: random.Random, tries: int = 10_000) -> Point:
    """A random point inside an area (rejection sampling within its bounds), for generated seasons."""
    west, south, east, north = area.bounds
    for _ in range(tries):
        point = Point(latitude=rng.uniform(south, north), longitude=rng.uniform(west, east))
        if area.contains(point):
            return point
    raise GeoError(f"found no point inside the area in {tries} tries: is it degenerate?")
