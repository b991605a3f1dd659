"""The harvest rule: a harvested horn enters the registry only inside its harvest authorisation.

A commissioning (ObjectEvent ADD) is a harvest when its ILMD names an authorisation
(`kiik:harvestAuthorisation`) or names the saiga as its species: a saiga item enters the registry
by a harvest under an authorisation, or as the output of processing (a TransformationEvent),
never out of nowhere. Each broken condition is its own rule id (docs/custody-rules.md lists them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from kiik.custody.domain.rules import operation_of
from kiik.custody.domain.state import Violation
from kiik.epcis.domain.event_facts import EventFacts
from kiik.harvest.domain.authorisations import (
    AUTHORISATION_URN,
    HORNS_PER_MALE,
    SEXES,
    HarvestAuthorisation,
    HarvestError,
    authorisation_number,
    is_saiga,
    local_date,
)
from kiik.harvest.domain.geo import GeoError, Point, read_point


@dataclass(frozen=True, slots=True)
class HarvestClaim:
    """What a harvest commissioning says about where its horns came from."""

    horns: tuple[str, ...]
    authorisation: str | None  # as written in the ILMD
    number: str | None  # the authorisation's number, or None when none (or no readable one) is named
    species: str | None
    population: str | None
    animal_id: str | None
    sex: str | None
    point: Any
    event_date: date
    harvest_date: Any
    itemised: bool


def _number(authorisation: str | None) -> str | None:
    if authorisation is None:
        return None
    try:
        return authorisation_number(authorisation)
    except HarvestError:
        return None


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def harvest_claim(facts: EventFacts) -> HarvestClaim | None:
    """The harvest an event records, or None when the event is no harvest."""
    if facts.declares_error or operation_of(facts) != "commission":
        return None
    # ILMD fields by local name, whatever prefix the document gave kiik's namespace (read once).
    origin = facts.ilmd_by_local_name
    authorisation = origin.get("harvestAuthorisation")
    species = origin.get("species")
    if authorisation is None and not is_saiga(species):
        return None
    sex = _text(origin.get("sex"))
    written = authorisation if isinstance(authorisation, str) else None
    return HarvestClaim(
        horns=facts.epcs,
        authorisation=written,
        number=_number(written),
        species=_text(species),
        population=_text(origin.get("population")),
        animal_id=_text(origin.get("animalID")),
        sex=sex.lower() if sex else None,
        point=origin.get("harvestPoint"),
        event_date=local_date(facts.event_time, facts.time_zone_offset),
        harvest_date=origin.get("harvestDate"),
        itemised=not facts.quantities,
    )


@dataclass(frozen=True)
class HarvestedHorn:
    """A horn counted under an authorisation: the rule's projection row."""

    horn_key: str
    authorisation_id: int
    animal_id: str
    sex: str | None
    microchip: str | None


@dataclass
class Animal:
    sex: str | None
    horns: set[str] = field(default_factory=set)


class AuthorisationTally:
    """The animals and horns registered under one authorisation: the stored ones and this document's.

    Either every stored row is given at once, or (`animal_count` given) only the rows of the animals
    and horns that the events at hand name, with the number of animals stored: the count then goes
    on from there as horns are recorded. Either way `animal_count` is the animals registered."""

    def __init__(
        self, stored: Iterable[tuple[str, str, str | None]] = (), animal_count: int | None = None
    ) -> None:
        self.animals: dict[str, Animal] = {}
        self.animal_of_horn: dict[str, str] = {}
        # Whether each point met so far lies inside the authorisation's area (both horns of an
        # animal carry its point, and a polygon test costs as much as the rest of the rule).
        self.inside: dict[Point, bool] = {}
        self.animal_count = 0
        for horn, animal_id, sex in stored:
            self.record(horn, animal_id, sex)
        if animal_count is not None:
            self.animal_count = animal_count

    def load(self, stored: Iterable[tuple[str, str, str | None]]) -> None:
        """Stored rows read later, already in `animal_count`; rows known already are left as they are."""
        for horn, animal_id, sex in stored:
            if horn in self.animal_of_horn:
                continue
            animal = self.animals.setdefault(animal_id, Animal(sex))
            animal.sex = animal.sex or sex
            animal.horns.add(horn)
            self.animal_of_horn[horn] = animal_id

    def record(self, horn: str, animal_id: str, sex: str | None) -> bool:
        """Count a horn for an animal; True when the horn was counted before (a corrected re-registration)."""
        earlier = self.animal_of_horn.get(horn)
        if earlier is not None:
            before = self.animals[earlier]
            before.horns.discard(horn)
            if not before.horns:
                del self.animals[earlier]
                self.animal_count -= 1
        if animal_id not in self.animals:
            self.animal_count += 1
        animal = self.animals.setdefault(animal_id, Animal(sex))
        animal.sex = animal.sex or sex
        animal.horns.add(horn)
        self.animal_of_horn[horn] = animal_id
        return earlier is not None

    def horns_of(self, animal_id: str, besides: Iterable[str] = ()) -> set[str]:
        """The horns counted for an animal, not counting those being registered again."""
        animal = self.animals.get(animal_id)
        return set() if animal is None else animal.horns - set(besides)


def check_harvest(
    claim: HarvestClaim,
    authorisation: HarvestAuthorisation | None,
    tally: AuthorisationTally | None,
    actor_org_id: int,
    actor_name: str,
) -> list[Violation]:
    """Every condition of its authorisation that a harvest breaks (an empty list when it complies)."""
    if claim.authorisation is None:
        return [
            Violation(
                "harvest.authorisation_required",
                f"a harvest of {claim.species or 'saiga'} needs the authorisation it was taken under: "
                f"give ILMD kiik:harvestAuthorisation (e.g. {AUTHORISATION_URN}KZ-2025-URL-001); "
                "processed products are recorded as TransformationEvents instead",
            )
        ]
    number = claim.number
    if number is None:
        return [
            Violation(
                "harvest.unknown_authorisation",
                f"{claim.authorisation!r} is not a harvest authorisation number: "
                "write it as KZ-2025-URL-001 or as a urn:kiik:harvest-authorisation: URN",
            )
        ]
    if authorisation is None or tally is None:
        return [
            Violation(
                "harvest.unknown_authorisation",
                f"there is no harvest authorisation {number}: check the number "
                "(`kiik harvest authorisations` or GET /api/harvest/authorisations lists yours)",
            )
        ]
    if authorisation.org_id != actor_org_id:
        return [
            Violation(
                "harvest.not_authorised_organisation",
                f"authorisation {number} was issued to {authorisation.holder}, not to {actor_name}: "
                "a team records harvests only under its own authorisations",
            )
        ]
    violations: list[Violation] = []
    _origin(claim, authorisation, violations)
    _dates(claim, authorisation, violations)
    _place(claim, authorisation, tally, violations)
    _animal(claim, authorisation, tally, violations)
    return violations


def _fail(violations: list[Violation], rule: str, message: str, key: str | None = None) -> None:
    violations.append(Violation(rule, message, key))


def _origin(claim: HarvestClaim, authorisation: HarvestAuthorisation, violations: list[Violation]) -> None:
    number = authorisation.number
    if not claim.itemised:
        _fail(
            violations,
            "harvest.not_itemised",
            f"a harvest under {number} registers each marked horn by its own code (epcList), "
            "not a quantity of a class (quantityList)",
        )
    if claim.species is None or claim.species.lower() != authorisation.species.lower():
        given = "no species" if claim.species is None else f"species {claim.species!r}"
        _fail(
            violations,
            "harvest.species_mismatch",
            f"the event gives {given} but {number} authorises {authorisation.species}: "
            f"set ILMD kiik:species to {authorisation.species}",
        )
    population = authorisation.population.value
    if claim.population is None or claim.population.lower() != population.lower():
        given = "no population" if claim.population is None else f"population {claim.population!r}"
        _fail(
            violations,
            "harvest.population_mismatch",
            f"the event gives {given} but {number} authorises a harvest of the {population} population: "
            f"set ILMD kiik:population to {population}",
        )


def _dates(claim: HarvestClaim, authorisation: HarvestAuthorisation, violations: list[Violation]) -> None:
    days = [("the event date", claim.event_date)]
    if claim.harvest_date is not None:
        try:
            days.append(("the harvest date", date.fromisoformat(str(claim.harvest_date).strip())))
        except ValueError:
            _fail(
                violations,
                "harvest.date_invalid",
                f"ILMD kiik:harvestDate {claim.harvest_date!r} is not a date: write it as YYYY-MM-DD",
            )
    for what, day in days:
        if not authorisation.covers(day):
            _fail(
                violations,
                "harvest.outside_window",
                f"{what} {day.isoformat()} is outside the window of {authorisation.number} "
                f"({authorisation.window}): a harvest outside its dates is not authorised",
            )
            return


def _place(
    claim: HarvestClaim,
    authorisation: HarvestAuthorisation,
    tally: AuthorisationTally,
    violations: list[Violation],
) -> None:
    if claim.point is None:
        _fail(
            violations,
            "harvest.point_required",
            f"a harvest under {authorisation.number} must say where the animal was taken: "
            "give ILMD kiik:harvestPoint as 'latitude,longitude' (e.g. '50.95,51.35')",
        )
        return
    try:
        point = _point_text(claim.point) if isinstance(claim.point, str) else read_point(claim.point)
    except GeoError as exc:
        _fail(violations, "harvest.point_invalid", f"ILMD kiik:harvestPoint: {exc}")
        return
    inside = tally.inside.get(point)
    if inside is None:
        inside = tally.inside[point] = authorisation.area.contains(point)
    if not inside:
        where = f" ({authorisation.area_label})" if authorisation.area_label else ""
        _fail(
            violations,
            "harvest.outside_area",
            f"the harvest point {point.text()} (latitude,longitude) lies outside the area of "
            f"{authorisation.number}{where}: a harvest outside its area is not authorised",
        )


def _animal(
    claim: HarvestClaim,
    authorisation: HarvestAuthorisation,
    tally: AuthorisationTally,
    violations: list[Violation],
) -> None:
    number = authorisation.number
    if claim.animal_id is None:
        _fail(
            violations,
            "harvest.animal_required",
            f"a harvest under {number} names the animal its horns came from: give ILMD kiik:animalID",
        )
        return
    animal = claim.animal_id
    if claim.sex not in SEXES:
        shown = "no sex" if claim.sex is None else f"sex {claim.sex!r}"
        _fail(
            violations,
            "harvest.sex_required",
            f"animal {animal} has {shown}: only males carry horns, so record ILMD kiik:sex as male",
        )
    elif claim.sex == "female":
        _fail(
            violations,
            "harvest.female_horn",
            f"animal {animal} is recorded as female, and saiga females carry no horns: "
            "check the animal's sex or the horn's animal ID",
        )
    known = tally.animals.get(animal)
    if known is not None and known.sex and claim.sex in SEXES and known.sex != claim.sex:
        _fail(
            violations,
            "harvest.sex_conflict",
            f"animal {animal} was registered under {number} as {known.sex}, and is now given as {claim.sex}",
        )
    earlier = tally.horns_of(animal, besides=claim.horns)
    if len(earlier) + len(claim.horns) > HORNS_PER_MALE:
        listed = ", ".join(sorted(earlier)) or "none"
        _fail(
            violations,
            "harvest.too_many_horns",
            f"animal {animal} under {number} would have {len(earlier) + len(claim.horns)} horns "
            f"(already registered: {listed}); a saiga male carries {HORNS_PER_MALE}",
        )
    # A horn registered again after a correction leaves its earlier animal; that animal no longer counts.
    freed = {
        owner
        for horn in claim.horns
        if (owner := tally.animal_of_horn.get(horn)) not in (None, animal)
        and tally.animals[owner].horns <= set(claim.horns)
    }
    registered = tally.animal_count - len(freed)
    if known is None and registered >= authorisation.max_animals:
        _fail(
            violations,
            "harvest.animal_limit",
            f"{number} allows {authorisation.max_animals} animals and {registered} are registered "
            f"under it already: animal {animal} would exceed it",
        )


def accept(claim: HarvestClaim, tally: AuthorisationTally) -> list[str]:
    """Count a complying harvest in the tally; returns the horns that had been counted before."""
    assert claim.animal_id is not None
    return [h for h in claim.horns if tally.record(h, claim.animal_id, claim.sex)]


# Both horns of an animal carry its harvest point: each point written as text is read once.
@lru_cache(maxsize=1024)
def _point_text(text: str) -> Point:
    return read_point(text)
