"""A seizure as enforcement records it: one incident, its specimens, the codes found on them, the
trade chain, and only as much about the people as the CITES annual illegal trade report asks
(how many, which nationalities); identities stay in the agency's file, named by its case number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from kiik.enforcement.domain.cites_codes import COUNT, term_problem, unit_of
from kiik.enforcement.domain.errors import SeizureInvalid
from kiik.errors import N_

DETECTION_METHODS = (
    "x-ray",
    "document check",
    "physical search",
    "sniffer dog",
    "intelligence",
    "patrol",
    "market inspection",
    "partner alert",
    "other",
)
TRANSPORT_MODES = ("air", "road", "rail", "sea", "post", "on foot", "unknown")
ROUTE_ROLES = ("origin", "export", "destination")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class RouteCountry:
    """A country of the trade chain, and whether it is known (documents, confession) or suspected."""

    country: str
    known: bool = False

    def to_json(self) -> dict[str, object]:
        return {"country": self.country, "known": self.known}


@dataclass(frozen=True)
class Route:
    origin: RouteCountry | None = None
    export: RouteCountry | None = None
    transit: tuple[RouteCountry, ...] = ()
    destination: RouteCountry | None = None

    def countries(self) -> list[tuple[str, RouteCountry]]:
        named = [(role, getattr(self, role)) for role in ROUTE_ROLES if getattr(self, role) is not None]
        return named + [("transit", country) for country in self.transit]

    def describe(self) -> str:
        def name(c: RouteCountry | None) -> str:
            return "?" if c is None else c.country + ("" if c.known else "?")

        middle = [name(c) for c in self.transit]
        return " → ".join([name(self.origin), *middle, name(self.destination)])

    def to_json(self) -> dict[str, object]:
        return {
            "origin": self.origin.to_json() if self.origin else None,
            "export": self.export.to_json() if self.export else None,
            "transit": [c.to_json() for c in self.transit],
            "destination": self.destination.to_json() if self.destination else None,
        }


def route_from_json(value: dict[str, object] | None) -> Route:
    value = value or {}

    def one(item: object) -> RouteCountry | None:
        if not isinstance(item, dict):
            return None
        return RouteCountry(str(item.get("country", "")).upper(), bool(item.get("known", False)))

    transit = value.get("transit") or []
    return Route(
        origin=one(value.get("origin")),
        export=one(value.get("export")),
        transit=tuple(c for c in (one(t) for t in transit if isinstance(transit, list)) if c is not None)
        if isinstance(transit, list)
        else (),
        destination=one(value.get("destination")),
    )


@dataclass(frozen=True)
class Specimen:
    """One kind of specimen seized: a CITES term code, how much, in which unit, and the codes found
    on those goods (none for unmarked goods)."""

    term: str
    quantity: float
    unit: str = COUNT
    codes: tuple[str, ...] = ()

    @property
    def unmarked(self) -> float:
        """How many of the pieces carried no code (0 for goods weighed rather than counted)."""
        return max(0.0, self.quantity - len(self.codes)) if self.unit == COUNT else 0.0


@dataclass(frozen=True)
class NewSeizure:
    reference: str
    seized_on: date
    agency: str
    detection_method: str
    species: str
    specimens: tuple[Specimen, ...]
    reporting_country: str = "KZ"
    region: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    agency_case_number: str | None = None
    route: Route = field(default_factory=Route)
    transport_mode: str | None = None
    concealment: str | None = None
    legal_action: str | None = None
    specimen_fate: str | None = None
    offenders: int | None = None
    offender_nationalities: tuple[str, ...] = ()
    notes: str | None = None

    @property
    def codes(self) -> list[str]:
        return [code for specimen in self.specimens for code in specimen.codes]


def problems(seizure: NewSeizure, species_register: set[str], today: date) -> list[str]:
    """Everything wrong with a seizure, each saying which field and how to fix it."""
    found: list[str] = []
    if not seizure.reference.strip():
        found.append(N_("reference: give the seizure a reference (e.g. the agency's seizure number)"))
    if seizure.seized_on > today:
        found.append(
            N_("seizedOn: %(day)s is in the future: give the day of the seizure", day=seizure.seized_on)
        )
    if not seizure.agency.strip():
        found.append(N_("agency: name the agency that seized the goods"))
    if seizure.detection_method not in DETECTION_METHODS:
        found.append(
            N_(
                "detectionMethod: %(method)s is not one of %(methods)s",
                method=repr(seizure.detection_method),
                methods=", ".join(DETECTION_METHODS),
            )
        )
    if seizure.species not in species_register:
        found.append(
            N_(
                "species: %(species)s is not in the species register: use a scientific name it "
                "holds (%(held)s) or ask the ministry to add it",
                species=repr(seizure.species),
                held=", ".join(sorted(species_register)) or N_("none registered yet"),
            )
        )
    if not _COUNTRY.match(seizure.reporting_country):
        found.append(
            N_(
                "reportingCountry: %(country)s is not a two-letter ISO country code",
                country=repr(seizure.reporting_country),
            )
        )
    if (seizure.latitude is None) != (seizure.longitude is None):
        found.append(N_("latitude/longitude: give both coordinates of the seizure point or neither"))
    if seizure.latitude is not None and not -90 <= seizure.latitude <= 90:
        found.append(N_("latitude: %(value)s is outside -90..90", value=seizure.latitude))
    if seizure.longitude is not None and not -180 <= seizure.longitude <= 180:
        found.append(N_("longitude: %(value)s is outside -180..180", value=seizure.longitude))
    if seizure.transport_mode is not None and seizure.transport_mode not in TRANSPORT_MODES:
        found.append(
            N_(
                "transportMode: %(mode)s is not one of %(modes)s",
                mode=repr(seizure.transport_mode),
                modes=", ".join(TRANSPORT_MODES),
            )
        )
    if seizure.offenders is not None and seizure.offenders < 0:
        found.append(N_("offenders: the number of offenders cannot be negative"))
    for nationality in seizure.offender_nationalities:
        if not _COUNTRY.match(nationality):
            found.append(
                N_(
                    "offenderNationalities: %(country)s is not a two-letter ISO country code",
                    country=repr(nationality),
                )
            )
    for role, country in seizure.route.countries():
        if not _COUNTRY.match(country.country):
            found.append(
                N_(
                    "route.%(role)s: %(country)s is not a two-letter ISO country code",
                    role=role,
                    country=repr(country.country),
                )
            )
    if not seizure.specimens:
        found.append(N_("specimens: list what was seized (a CITES term code, a quantity and a unit)"))
    seen: set[str] = set()
    for n, specimen in enumerate(seizure.specimens, start=1):
        where = f"specimens[{n}]"
        problem = term_problem(specimen.term)
        if problem:
            found.append(N_("%(where)s.term: %(problem)s", where=where, problem=problem))
        if unit_of(specimen.unit) is None:
            found.append(
                N_(
                    "%(where)s.unit: %(unit)s is not a CITES unit code: use NAR (pieces) or KGM (kg)",
                    where=where,
                    unit=repr(specimen.unit),
                )
            )
        if not specimen.quantity > 0:
            found.append(N_("%(where)s.quantity: give a quantity above 0", where=where))
        if specimen.unit == COUNT and len(specimen.codes) > specimen.quantity:
            found.append(
                N_(
                    "%(where)s.codes: %(codes)s codes for %(pieces)s pieces: "
                    "a piece carries one code; raise the quantity or remove codes",
                    where=where,
                    codes=len(specimen.codes),
                    pieces=format(specimen.quantity, "g"),
                )
            )
        for code in specimen.codes:
            if code in seen:
                found.append(
                    N_(
                        "%(where)s.codes: %(code)s is listed twice; a code is seized once per seizure",
                        where=where,
                        code=code,
                    )
                )
            seen.add(code)
    return found


def checked(seizure: NewSeizure, species_register: set[str], today: date) -> NewSeizure:
    """The seizure with its codes in their canonical case, or EnforcementError naming every problem."""
    normalised = replace(
        seizure,
        reference=seizure.reference.strip(),
        reporting_country=seizure.reporting_country.strip().upper(),
        specimens=tuple(
            replace(s, term=s.term.strip().upper(), unit=unit_of(s.unit) or s.unit.strip().upper())
            for s in seizure.specimens
        ),
        offender_nationalities=tuple(n.strip().upper() for n in seizure.offender_nationalities),
    )
    found = problems(normalised, species_register, today)
    if found:
        raise SeizureInvalid(seizure.reference, found)
    return normalised
