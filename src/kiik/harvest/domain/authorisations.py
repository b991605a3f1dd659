"""Harvest authorisations: the ministry lets one harvester take up to N animals of one population,
inside an area, between two dates.

An authorisation is known in events by its number (`KZ-2025-URL-001`) or, as a URI, by
`urn:kiik:harvest-authorisation:KZ-2025-URL-001` (ILMD `kiik:harvestAuthorisation`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from functools import lru_cache

from kiik.errors import N_, Wording
from kiik.harvest.domain.geo import Area

SAIGA = "Saiga tatarica"
AUTHORISATION_URN = "urn:kiik:harvest-authorisation:"
# Kazakhstan keeps one time zone, UTC+5, since 1 March 2024; field times without an offset are read in it.
KAZAKHSTAN_TIME = timezone(timedelta(hours=5))
SEXES = ("male", "female")
AGE_CLASSES = ("juvenile", "subadult", "adult")
# A saiga male carries two horns; a female none.
HORNS_PER_MALE = 2

_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,63}")


class HarvestError(ValueError):
    """A harvest authorisation that cannot be issued or found as asked; the message says why."""


class Population(StrEnum):
    URAL = "Ural"
    BETPAKDALA = "Betpakdala"
    USTYURT = "Ustyurt"

    @property
    def code(self) -> str:
        """Three letters used in authorisation numbers."""
        return _CODES[self]


_CODES = {Population.URAL: "URL", Population.BETPAKDALA: "BPD", Population.USTYURT: "UST"}
_ALIASES = {
    "ural": Population.URAL,
    "uralsk": Population.URAL,
    "url": Population.URAL,
    "betpakdala": Population.BETPAKDALA,
    "betpak-dala": Population.BETPAKDALA,
    "betpak dala": Population.BETPAKDALA,
    "bpd": Population.BETPAKDALA,
    "ustyurt": Population.USTYURT,
    "ustiurt": Population.USTYURT,
    "ust-yurt": Population.USTYURT,
    "ust": Population.USTYURT,
}


def population_named(text: str) -> Population:
    """The population a name stands for (case and common spellings ignored)."""
    found = _ALIASES.get(text.strip().lower())
    if found is None:
        names = ", ".join(p.value for p in Population)
        raise HarvestError(
            N_(
                "unknown saiga population %(name)s: use one of %(populations)s",
                name=repr(text),
                populations=names,
            )
        )
    return found


def is_saiga(species: object) -> bool:
    """Whether an ILMD species names the saiga (genus Saiga, any subspecies)."""
    return isinstance(species, str) and species.strip().lower().split(" ", 1)[0] == "saiga"


def authorisation_number(text: str) -> str:
    """The number of an authorisation written as a number or as its URN."""
    value = text.strip()
    if value.startswith(AUTHORISATION_URN):
        value = value[len(AUTHORISATION_URN) :]
    if not _NUMBER.fullmatch(value):
        raise HarvestError(
            N_(
                "%(text)s is not a harvest authorisation number: 3-64 letters, digits, '.', '_' or '-', "
                "e.g. KZ-2025-URL-001 (or %(urn)sKZ-2025-URL-001)",
                text=repr(text),
                urn=AUTHORISATION_URN,
            )
        )
    return value


def authorisation_urn(number: str) -> str:
    return AUTHORISATION_URN + authorisation_number(number)


def suggested_number(population: Population, year: int, serial: int) -> str:
    """The ministry's numbering: country, year, population, serial (`KZ-2025-URL-001`)."""
    return f"KZ-{year}-{population.code}-{serial:03d}"


@dataclass(frozen=True)
class HarvestAuthorisation:
    number: str
    org_id: int
    holder: str  # the harvester's name and code, for messages
    species: str
    population: Population
    area: Area
    valid_from: date
    valid_to: date  # inclusive
    max_animals: int
    area_label: str = ""
    id: int | None = None
    issued_by: int | None = None
    issued_at: datetime | None = None

    @property
    def identifier(self) -> str:
        return AUTHORISATION_URN + self.number

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to

    @property
    def window(self) -> Wording:
        """Its dates, as a page words them (the same sentence as a species rule's period)."""
        return N_(
            "%(since)s to %(until)s", since=self.valid_from.isoformat(), until=self.valid_to.isoformat()
        )


def check_terms(valid_from: date, valid_to: date, max_animals: int) -> None:
    """Terms of an authorisation that make sense on their own; raises HarvestError saying what is wrong."""
    if valid_to < valid_from:
        raise HarvestError(
            N_(
                "the window ends (%(last)s) before it starts (%(first)s): "
                "give the first and the last day of the harvest",
                last=valid_to.isoformat(),
                first=valid_from.isoformat(),
            )
        )
    if (valid_to - valid_from).days > 366:
        raise HarvestError(
            N_(
                "the window %(first)s to %(last)s is longer than a year: authorise one season at a time",
                first=valid_from.isoformat(),
                last=valid_to.isoformat(),
            )
        )
    if max_animals < 1:
        raise HarvestError(
            N_("the maximum number of animals must be at least 1, not %(count)s", count=max_animals)
        )


def local_date(moment: datetime, offset: str | None) -> date:
    """The calendar date of an event where it happened: its UTC time moved by its time zone offset."""
    zone = _zone(offset) if offset else None
    return moment.astimezone(zone or KAZAKHSTAN_TIME).date()


@lru_cache(maxsize=64)
def _zone(offset: str) -> timezone | None:
    match = re.fullmatch(r"([+-])(\d{2}):(\d{2})", offset.strip())
    if not match:
        return None
    minutes = int(match.group(2)) * 60 + int(match.group(3))
    return timezone(timedelta(minutes=minutes if match.group(1) == "+" else -minutes))
