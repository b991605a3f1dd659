"""The harvest map drawn on the server as inline SVG: no tiles, no scripts, nothing fetched.

An equirectangular projection over Kazakhstan's bounding box (longitudes shrunk by the cosine of
the middle latitude, so that shapes look right at these latitudes), and the same projection over a
smaller box for a close-up when the points gather in one part of the country. It draws an approximate
outline of the country, the three population ranges shipped in `kiik/harvest/data/` and the harvest point
of every source animal, coloured by population.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kiik.harvest.domain.geo import Area, Point
from kiik.harvest.domain.populations import population_ranges
from kiik.inspection.harvest_sites import HarvestSite

WEST, EAST, SOUTH, NORTH = 46.0, 87.8, 40.3, 55.7
WIDTH = 640.0

# A coarse outline of Kazakhstan (longitude, latitude), hand-drawn to orient the reader; it is no
# boundary of record (see docs/inspector-page.md).
OUTLINE: tuple[tuple[float, float], ...] = (
    (46.6, 48.4),
    (47.2, 49.3),
    (46.9, 50.0),
    (47.6, 50.5),
    (48.7, 50.6),
    (48.8, 51.6),
    (50.8, 51.7),
    (52.4, 51.8),
    (54.6, 51.0),
    (55.7, 50.6),
    (57.0, 51.1),
    (58.6, 51.1),
    (60.0, 50.9),
    (61.5, 50.8),
    (61.0, 52.0),
    (61.1, 53.0),
    (61.7, 53.9),
    (63.8, 54.2),
    (65.6, 54.6),
    (67.5, 54.9),
    (69.2, 55.4),
    (70.8, 55.1),
    (72.5, 54.1),
    (74.0, 53.5),
    (76.5, 54.0),
    (77.9, 53.3),
    (79.9, 50.8),
    (83.0, 51.0),
    (84.3, 50.2),
    (85.9, 49.6),
    (87.3, 49.1),
    (86.6, 48.5),
    (85.6, 48.0),
    (85.5, 47.1),
    (83.0, 47.2),
    (82.3, 45.5),
    (80.4, 45.0),
    (80.8, 43.2),
    (80.2, 42.2),
    (79.0, 42.8),
    (76.9, 42.9),
    (75.0, 42.8),
    (73.5, 42.5),
    (71.0, 42.6),
    (70.9, 42.2),
    (69.2, 41.4),
    (68.0, 41.0),
    (66.0, 42.9),
    (64.5, 43.5),
    (62.0, 43.5),
    (61.0, 44.4),
    (58.5, 45.6),
    (56.0, 45.0),
    (56.0, 41.3),
    (54.2, 42.3),
    (52.4, 41.8),
    (52.7, 42.9),
    (51.3, 43.2),
    (51.2, 44.5),
    (50.3, 44.6),
    (51.0, 45.3),
    (53.0, 45.3),
    (53.0, 46.0),
    (51.9, 47.0),
    (49.2, 46.4),
    (48.9, 46.7),
    (48.5, 47.4),
    (47.3, 47.7),
    (46.6, 48.4),
)
CITIES: tuple[tuple[str, float, float], ...] = (
    ("Almaty", 43.24, 76.95),
    ("Astana", 51.17, 71.45),
    ("Oral", 51.23, 51.37),
    ("Aktau", 43.65, 51.20),
)
POPULATION_CODES = {"Ural": "url", "Betpakdala": "bpd", "Ustyurt": "ust"}
# Where each range's name is written (latitude, longitude): inside it, clear of the others.
LABELS = {"Ural": (47.6, 49.6), "Betpakdala": (47.6, 68.6), "Ustyurt": (44.0, 56.8)}
# Past this many, points are thinned (every source still counts in the figures beside the map).
MAX_POINTS = 3000


@dataclass(frozen=True)
class Frame:
    """What a map shows: a box of longitudes and latitudes, drawn WIDTH wide."""

    west: float = WEST
    east: float = EAST
    south: float = SOUTH
    north: float = NORTH

    @property
    def height(self) -> float:
        middle = math.cos(math.radians((self.south + self.north) / 2))
        return round(WIDTH * (self.north - self.south) / ((self.east - self.west) * middle), 1)

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        """SVG coordinates (x right, y down) of a position, in the map's viewBox."""
        x = (longitude - self.west) / (self.east - self.west) * WIDTH
        y = (self.north - latitude) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)

    def path(self, rings: Iterable[Sequence[tuple[float, float]]]) -> str:
        parts = []
        for ring in rings:
            points = [self.project(latitude, longitude) for longitude, latitude in ring]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
        return " ".join(parts)

    def area_path(self, area: Area) -> str:
        return self.path(ring for polygon in area.polygons for ring in (polygon.exterior, *polygon.holes))


KAZAKHSTAN = Frame()
# A close-up is drawn too when the points fit in a box this much smaller than the country's.
CLOSE_UP_SHARE = 0.3
CLOSE_UP_MARGIN = 0.6  # degrees around the points
CLOSE_UP_MIN_SHARE = 0.15  # a close-up shows at least this share of the country's box (some landmarks)


def project(latitude: float, longitude: float) -> tuple[float, float]:
    return KAZAKHSTAN.project(latitude, longitude)


def map_height() -> float:
    return KAZAKHSTAN.height


@dataclass(frozen=True)
class MapRange:
    name: str
    code: str
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    code: str  # population code, for the colour
    title: str


@dataclass(frozen=True)
class MapCity:
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class HarvestMap:
    width: float
    height: float
    outline: str
    ranges: list[MapRange]
    cities: list[MapCity]
    points: list[MapPoint]
    placed: int  # sources with a harvest point on the map
    unplaced: int  # sources whose harvest has no readable point
    thinned: bool
    close_up: HarvestMap | None = None


def _sample(points: list[tuple[HarvestSite, Point]]) -> list[tuple[HarvestSite, Point]]:
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    return [points[int(n * step)] for n in range(MAX_POINTS)]


def _ranges(frame: Frame) -> list[MapRange]:
    ranges = []
    for population, area in population_ranges().items():
        label_x, label_y = frame.project(*LABELS.get(population.value, (0.0, 0.0)))
        code = POPULATION_CODES.get(population.value, "other")
        ranges.append(MapRange(population.value, code, frame.area_path(area), label_x, label_y))
    return ranges


def _draw(frame: Frame, points: list[tuple[HarvestSite, Point]], placed: int, unplaced: int) -> HarvestMap:
    ranges = _ranges(frame)
    cities = [MapCity(name, *frame.project(latitude, longitude)) for name, latitude, longitude in CITIES]
    drawn = [_point(frame, site, point) for site, point in _sample(points)]
    return HarvestMap(
        WIDTH,
        frame.height,
        frame.path([OUTLINE]),
        ranges,
        cities,
        drawn,
        placed,
        unplaced,
        len(points) > MAX_POINTS,
    )


def _close_up(points: list[tuple[HarvestSite, Point]]) -> Frame | None:
    """A frame around the points when they gather in a small part of the country (a phone shows
    them apart), keeping the country map's proportions."""
    latitudes = [p.latitude for _, p in points]
    longitudes = [p.longitude for _, p in points]
    west, east = min(longitudes) - CLOSE_UP_MARGIN, max(longitudes) + CLOSE_UP_MARGIN
    south, north = min(latitudes) - CLOSE_UP_MARGIN, max(latitudes) + CLOSE_UP_MARGIN
    wide, high = EAST - WEST, NORTH - SOUTH
    if (east - west) > CLOSE_UP_SHARE * wide or (north - south) > CLOSE_UP_SHARE * high:
        return None
    # Grow the smaller side so that the close-up has the country map's shape.
    scale = max((east - west) / wide, (north - south) / high, CLOSE_UP_MIN_SHARE)
    middle_x, middle_y = (west + east) / 2, (south + north) / 2
    half_x, half_y = scale * wide / 2, scale * high / 2
    return Frame(middle_x - half_x, middle_x + half_x, middle_y - half_y, middle_y + half_y)


def harvest_map(sites: Sequence[HarvestSite]) -> HarvestMap:
    """The map of where an item's source animals were taken: one point per animal and place, with
    a close-up when they were all taken in one part of the country."""
    seen: dict[tuple[str, float, float], tuple[HarvestSite, Point]] = {}
    placed = 0
    for site in sites:
        if site.point is None:
            continue
        placed += 1
        seen.setdefault(
            (site.animal_id or site.key, site.point.latitude, site.point.longitude), (site, site.point)
        )
    points = list(seen.values())
    country = _draw(KAZAKHSTAN, points, placed, len(sites) - placed)
    frame = _close_up(points) if points else None
    if frame is None:
        return country
    return replace(country, close_up=_draw(frame, points, placed, len(sites) - placed))


def _point(frame: Frame, site: HarvestSite, point: Point) -> MapPoint:
    x, y = frame.project(point.latitude, point.longitude)
    animal = f"animal {site.animal_id}" if site.animal_id else site.key
    population = f", {site.population}" if site.population else ""
    day = f", {site.harvest_date}" if site.harvest_date else ""
    return MapPoint(
        x,
        y,
        POPULATION_CODES.get(site.population or "", "other"),
        f"{animal}{population}{day} at {point.text()}",
    )


@dataclass(frozen=True)
class AreaMap:
    """A harvest authorisation's area over the country and the populations' ranges."""

    width: float
    height: float
    outline: str
    ranges: list[MapRange]
    area: str
    bounds: tuple[float, float, float, float]  # west, south, east, north


def area_map(area: Area) -> AreaMap:
    return AreaMap(
        WIDTH,
        KAZAKHSTAN.height,
        KAZAKHSTAN.path([OUTLINE]),
        _ranges(KAZAKHSTAN),
        KAZAKHSTAN.area_path(area),
        area.bounds,
    )
