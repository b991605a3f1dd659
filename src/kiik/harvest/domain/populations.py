"""The approximate ranges of the three saiga populations, shipped as GeoJSON (see data/SOURCES.md).

They serve as the default area of an authorisation that names no area of its own.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from kiik.errors import N_, Wording
from kiik.harvest.domain.authorisations import Population, population_named
from kiik.harvest.domain.geo import Area, read_area

RANGES_FILE = "saiga_populations.geojson"


@cache
def population_ranges() -> dict[Population, Area]:
    text = resources.files("kiik.harvest").joinpath("data", RANGES_FILE).read_text(encoding="utf-8")
    ranges: dict[Population, Area] = {}
    for feature in json.loads(text)["features"]:
        ranges[population_named(feature["properties"]["population"])] = read_area(feature)
    return ranges


def population_range(population: Population) -> Area:
    return population_ranges()[population]


def range_label(population: Population) -> Wording:
    """The area label of an authorisation that names no area (stored in English, worded for pages)."""
    return N_("approximate range of the %(population)s population", population=population.value)
