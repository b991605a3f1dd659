"""Points and areas in plain Python: the forms a harvest point takes, point-in-polygon, shipped ranges."""

from __future__ import annotations

import json

import pytest

from kiik.harvest.domain.authorisations import Population
from kiik.harvest.domain.geo import GeoError, Point, read_area, read_point
from kiik.harvest.domain.populations import population_range, population_ranges

SQUARE = [[50.0, 50.0], [52.0, 50.0], [52.0, 52.0], [50.0, 52.0], [50.0, 50.0]]
HOLE = [[50.5, 50.5], [51.5, 50.5], [51.5, 51.5], [50.5, 51.5], [50.5, 50.5]]


@pytest.mark.parametrize(
    "value",
    [
        "50.95,51.35",
        " 50.95 , 51.35 ",
        "geo:50.95,51.35",
        "geo:50.95,51.35;u=10",
        {"type": "Point", "coordinates": [51.35, 50.95]},
        {"kiik:latitude": "50.95", "kiik:longitude": "51.35"},
        {"latitude": 50.95, "longitude": 51.35},
    ],
)
def test_every_accepted_form_of_a_point_reads_latitude_and_longitude_apart(value: object) -> None:
    assert read_point(value) == Point(latitude=50.95, longitude=51.35)


def test_a_point_is_written_latitude_first() -> None:
    assert Point(latitude=50.95, longitude=51.35).text() == "50.95,51.35"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("51.35", "latitude,longitude"),
        ("north,east", "not a number"),
        ("120.5,51.35", "swapped"),
        ("50.95,190", "longitude 190"),
        ({"type": "Point", "coordinates": [51.35]}, "coordinates"),
        (42, "cannot read"),
        ("nan,51.0", "finite"),
    ],
)
def test_an_unreadable_point_says_why(value: object, says: str) -> None:
    with pytest.raises(GeoError, match=says):
        read_point(value)


def test_point_in_polygon_respects_holes_and_bounds() -> None:
    area = read_area({"type": "Polygon", "coordinates": [SQUARE, HOLE]})
    assert area.contains(Point(latitude=50.2, longitude=50.2))
    assert not area.contains(Point(latitude=51.0, longitude=51.0))  # in the hole
    assert not area.contains(Point(latitude=53.0, longitude=51.0))  # beyond the bounds
    assert area.bounds == (50.0, 50.0, 52.0, 52.0)


def test_a_concave_polygon_is_not_its_bounding_box() -> None:
    # An L-shape: the notch at the top right is outside.
    shape = [[0, 0], [4, 0], [4, 2], [2, 2], [2, 4], [0, 4], [0, 0]]
    area = read_area({"type": "Polygon", "coordinates": [shape]})
    assert area.contains(Point(latitude=3.0, longitude=1.0))
    assert not area.contains(Point(latitude=3.0, longitude=3.0))


def test_multipolygons_features_and_collections_are_areas() -> None:
    far = [[60.0, 40.0], [61.0, 40.0], [61.0, 41.0], [60.0, 41.0], [60.0, 40.0]]
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE], [far]]}
    area = read_area({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": multi}]})
    assert area.contains(Point(latitude=40.5, longitude=60.5)) and area.contains(Point(51.8, 51.8))
    assert read_area(area.to_geojson()) == area
    text = json.dumps({"type": "Polygon", "coordinates": [SQUARE]})
    assert read_area(text).contains(Point(51.0, 51.0))


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ({"type": "Point", "coordinates": [51.0, 50.0]}, "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "not closed"),
        ({"type": "Polygon", "coordinates": [SQUARE[:3]]}, "at least 4 positions"),
        ({"type": "Polygon", "coordinates": [[[50.0, 95.0], *SQUARE[1:]]]}, "latitude 95"),
        ({"type": "Polygon", "coordinates": [[["a", 1], *SQUARE[1:]]]}, r"\[longitude, latitude\]"),
        ({"type": "FeatureCollection", "features": []}, "no features"),
        ("{not json", "not JSON"),
    ],
)
def test_a_bad_area_says_what_is_wrong(value: object, says: str) -> None:
    with pytest.raises(GeoError, match=says):
        read_area(value)


def test_the_shipped_population_ranges_hold_their_own_places_only() -> None:
    places = {
        Population.URAL: Point(latitude=50.95, longitude=51.35),  # south-east of Oral
        Population.BETPAKDALA: Point(latitude=47.0, longitude=70.0),  # Betpak-Dala, central Kazakhstan
        Population.USTYURT: Point(latitude=43.28, longitude=55.55),  # the Ustyurt plateau
    }
    assert set(population_ranges()) == set(Population)
    for population, area in population_ranges().items():
        for place_of, point in places.items():
            assert area.contains(point) == (place_of is population), (population, place_of)
    almaty = Point(latitude=43.24, longitude=76.89)
    assert not any(area.contains(almaty) for area in population_ranges().values())
    assert population_range(Population.URAL).bounds[0] > 46
