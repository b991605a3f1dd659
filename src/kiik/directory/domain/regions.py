"""Kazakhstan's regions: the ISO 3166-2 code and name from pycountry, the Russian name from
pycountry's own catalogs, the Kazakh (Cyrillic) name and the administrative centre (where the map
puts a region's holders) from the table below.

An organisation's region is free text (`PUT /api/enforcement/regions/{org}`: "West Kazakhstan",
"Almaty", "KZ-27", "Batys Qazaqstan oblysy", "Западно-Казахстанская область" ...): `region_of`
reads any of these; what it cannot read is shown as written, without a code or a place on the map.
A site's region is read the same way and kept as its code (`kiik.directory.services.places`).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache

import pycountry

COUNTRY = "KZ"

# code -> (Kazakh name, Russian name, latitude, longitude of the administrative centre, English names
# people write). The Russian names are the official ones (pycountry's catalog lacks some, and has the
# old "Алма-Ата" for Almaty).
# The centres are rounded to a tenth of a degree: they place a region's figure on the map, nothing more.
_TABLE: dict[str, tuple[str, str, float, float, tuple[str, ...]]] = {
    "KZ-10": ("Абай облысы", "Абайская область", 50.4, 80.2, ("Abai", "Abay")),
    "KZ-11": ("Ақмола облысы", "Акмолинская область", 53.3, 69.4, ("Akmola", "Aqmola")),
    "KZ-15": ("Ақтөбе облысы", "Актюбинская область", 50.3, 57.2, ("Aktobe", "Aqtobe")),
    "KZ-19": ("Алматы облысы", "Алматинская область", 43.9, 77.1, ("Almaty Region", "Almaty oblast")),
    "KZ-23": ("Атырау облысы", "Атырауская область", 47.1, 51.9, ("Atyrau",)),
    "KZ-27": (
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        51.2,
        51.4,
        ("West Kazakhstan", "Western Kazakhstan"),
    ),
    "KZ-31": ("Жамбыл облысы", "Жамбылская область", 42.9, 71.4, ("Jambyl", "Zhambyl")),
    "KZ-33": ("Жетісу облысы", "Жетысуская область", 45.0, 78.4, ("Jetisu", "Zhetysu")),
    "KZ-35": ("Қарағанды облысы", "Карагандинская область", 49.8, 73.1, ("Karaganda", "Karagandy")),
    "KZ-39": ("Қостанай облысы", "Костанайская область", 53.2, 63.6, ("Kostanay", "Qostanay")),
    "KZ-43": ("Қызылорда облысы", "Кызылординская область", 44.8, 65.5, ("Kyzylorda", "Qyzylorda")),
    "KZ-47": ("Маңғыстау облысы", "Мангистауская область", 43.6, 51.2, ("Mangystau", "Mangghystau")),
    "KZ-55": ("Павлодар облысы", "Павлодарская область", 52.3, 76.9, ("Pavlodar",)),
    "KZ-59": (
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        54.9,
        69.1,
        ("North Kazakhstan",),
    ),
    "KZ-61": ("Түркістан облысы", "Туркестанская область", 43.3, 68.3, ("Turkistan", "Turkestan")),
    "KZ-62": ("Ұлытау облысы", "Улытауская область", 47.8, 67.7, ("Ulytau",)),
    "KZ-63": ("Шығыс Қазақстан облысы", "Восточно-Казахстанская область", 50.0, 82.6, ("East Kazakhstan",)),
    "KZ-71": ("Астана", "Астана", 51.2, 71.4, ("Astana", "Nur-Sultan")),
    "KZ-75": ("Алматы", "Алматы", 43.2, 76.9, ("Almaty", "Almaty City")),
    "KZ-79": ("Шымкент", "Шымкент", 42.3, 69.6, ("Shymkent",)),
}


@dataclass(frozen=True)
class Region:
    code: str  # ISO 3166-2, e.g. KZ-27
    name: str  # ISO 3166-2's (pycountry's) name
    latitude: float
    longitude: float

    def named(self, language: str) -> str:
        """The region's name in a page's language (kk, ru; else ISO's own)."""
        if language == "kk":
            return _TABLE[self.code][0]
        if language == "ru":
            return _TABLE[self.code][1]
        return self.name


@cache
def _russian() -> gettext.NullTranslations:
    """pycountry's Russian names of ISO 3166-2, read too (people may write them)."""
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


@cache
def regions() -> dict[str, Region]:
    """Every region of Kazakhstan in ISO 3166-2 (pycountry), by code."""
    found = {}
    for subdivision in pycountry.subdivisions.get(country_code=COUNTRY) or []:  # type: ignore[no-untyped-call]
        _, _, latitude, longitude, _ = _TABLE[subdivision.code]
        found[subdivision.code] = Region(subdivision.code, subdivision.name, latitude, longitude)
    return found


@cache
def _names() -> dict[str, str]:
    """Every way of writing a region that `region_of` reads, folded, to its code."""
    names: dict[str, str] = {}
    for code, region in regions().items():
        kazakh, russian, _, _, english = _TABLE[code]
        spelled = (code, region.name, region.name.removesuffix(" oblysy"), kazakh, russian, *english)
        for text in (*spelled, _russian().gettext(region.name)):
            names.setdefault(_key(text), code)
    return names


def region_of(text: str | None) -> Region | None:
    """The region an organisation's free-text region names, or None when it names none of them."""
    if not text:
        return None
    code = _names().get(_key(text))
    return regions()[code] if code else None
