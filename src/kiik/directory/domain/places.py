"""Where a site is: its region (ISO 3166-2, read in any spelling `region_of` reads) and its
coordinates (WGS 84 decimal degrees). Each is optional; coordinates come as a pair."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kiik.directory.domain.errors import DirectoryError
from kiik.directory.domain.regions import region_of
from kiik.errors import N_


@dataclass(frozen=True)
class SitePlace:
    region: str | None = None  # ISO 3166-2 code, e.g. KZ-27
    latitude: float | None = None
    longitude: float | None = None

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def to_json(self) -> dict[str, object]:
        return {"region": self.region, "latitude": self.latitude, "longitude": self.longitude}


def site_region(text: str | None) -> str | None:
    """The ISO 3166-2 code of the region `text` names (None for none)."""
    if text is None or not text.strip():
        return None
    found = region_of(text.strip())
    if found is None:
        raise DirectoryError(
            N_(
                "region: %(text)s is not a region of Kazakhstan; write its name or its ISO 3166-2 code, "
                "such as West Kazakhstan or KZ-27",
                text=repr(text.strip()),
            )
        )
    return found.code


# Each refusal starts with its field's name (the pages show it next to that field).
OUT_OF_RANGE = {
    "latitude": N_(
        "latitude: %(text)s is not a latitude; write decimal degrees from -90 to 90, such as 51.23"
    ),
    "longitude": N_(
        "longitude: %(text)s is not a longitude; write decimal degrees from -180 to 180, such as 51.37"
    ),
}
ALONE = {
    "latitude": N_("latitude: give the latitude too, or neither the latitude nor the longitude"),
    "longitude": N_("longitude: give the longitude too, or neither the latitude nor the longitude"),
}
LIMITS = {"latitude": 90.0, "longitude": 180.0}


def _degrees(text: str | float | None, what: str) -> float | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = float(text.strip().replace(",", ".")) if isinstance(text, str) else float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > LIMITS[what]:
        raise DirectoryError(OUT_OF_RANGE[what].filled(text=repr(str(text).strip())))
    return round(value, 6)  # about 0.1 m: finer than any site needs


def read_place(region: str | None, latitude: str | float | None, longitude: str | float | None) -> SitePlace:
    """A site's place from what a person wrote; refused with the field's name first."""
    code = site_region(region)
    lat = _degrees(latitude, "latitude")
    lon = _degrees(longitude, "longitude")
    if lat is None and lon is not None:
        raise DirectoryError(ALONE["latitude"])
    if lon is None and lat is not None:
        raise DirectoryError(ALONE["longitude"])
    return SitePlace(code, lat, lon)
