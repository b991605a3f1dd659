"""The harvest rule without a database: each way out of an authorisation is its own refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of, read_event
from kiik.harvest.domain.authorisations import (
    SAIGA,
    HarvestAuthorisation,
    HarvestError,
    Population,
    authorisation_number,
    check_terms,
    local_date,
    population_named,
)
from kiik.harvest.domain.populations import population_range
from kiik.harvest.domain.rules import AuthorisationTally, accept, check_harvest, harvest_claim

TEAM, OTHER = 2, 9
T0 = datetime(2025, 9, 12, 7, 40, tzinfo=timezone(timedelta(hours=5)))
AUTH = HarvestAuthorisation(
    number="KZ-2025-URL-001",
    org_id=TEAM,
    holder="Ural harvest team 1 (harvester)",
    species=SAIGA,
    population=Population.URAL,
    area=population_range(Population.URAL),
    valid_from=date(2025, 9, 1),
    valid_to=date(2025, 11, 30),
    max_animals=2,
    area_label="approximate range of the Ural population",
    id=1,
)


def horn(n: int) -> str:
    return f"urn:epc:id:sgtin:4870002.000001.{n}"


def key(n: int) -> str:
    """The registry key of a horn, as the rule counts it."""
    return key_of(horn(n))


def harvest(n: int, moment: datetime = T0, **changes: Any) -> tuple[Any, dict[str, Any]]:
    origin = {
        "species": SAIGA,
        "population": "Ural",
        "animalID": f"A-{(n + 1) // 2}",
        "sex": "male",
        "harvestPoint": "50.95,51.35",
        "harvestAuthorisation": "urn:kiik:harvest-authorisation:KZ-2025-URL-001",
        "massKg": 0.25,
    }
    origin.update(changes)
    event = build.commissioning(
        [horn(n)], moment, None, ilmd={k: v for k, v in origin.items() if v is not None}
    )
    return read_event(event), event


def verdict(n: int, tally: AuthorisationTally | None = None, actor: int = TEAM, **changes: Any) -> list[str]:
    facts, event = harvest(n, **changes)
    claim = harvest_claim(facts)
    assert claim is not None
    tally = tally if tally is not None else AuthorisationTally()
    violations = check_harvest(claim, AUTH, tally, actor, "someone")
    if not violations:
        accept(claim, tally)
    return [v.rule for v in violations]


def test_a_harvest_inside_its_authorisation_passes() -> None:
    assert verdict(1) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"harvestPoint": "43.25,76.95"}, "harvest.outside_area"),
        ({"harvestPoint": None}, "harvest.point_required"),
        ({"harvestPoint": "north"}, "harvest.point_invalid"),
        ({"moment": datetime(2025, 12, 1, 9, 0, tzinfo=UTC)}, "harvest.outside_window"),
        ({"harvestDate": "2025-08-31"}, "harvest.outside_window"),
        ({"harvestDate": "31/08/2025"}, "harvest.date_invalid"),
        ({"sex": "female"}, "harvest.female_horn"),
        ({"sex": None}, "harvest.sex_required"),
        ({"population": "Betpakdala"}, "harvest.population_mismatch"),
        ({"population": None}, "harvest.population_mismatch"),
        ({"species": "Saiga borealis"}, "harvest.species_mismatch"),
        ({"animalID": None}, "harvest.animal_required"),
        ({"harvestAuthorisation": "no such thing!"}, "harvest.unknown_authorisation"),
    ],
)
def test_each_way_out_of_the_authorisation_has_its_rule(changes: dict[str, Any], rule: str) -> None:
    moment = changes.pop("moment", T0)
    facts, event = harvest(1, moment, **changes)
    claim = harvest_claim(facts)
    assert claim is not None
    violations = check_harvest(claim, AUTH, AuthorisationTally(), TEAM, "team")
    assert [v.rule for v in violations] == [rule]
    assert violations[0].message


def test_the_window_is_read_in_local_time() -> None:
    # 23:30 UTC on 30 November is 04:30 on 1 December in Kazakhstan: outside the window.
    late = datetime(2025, 11, 30, 23, 30, tzinfo=UTC).astimezone(timezone(timedelta(hours=5)))
    assert verdict(1, moment=late) == ["harvest.outside_window"]
    assert local_date(datetime(2025, 11, 30, 23, 30, tzinfo=UTC), "+05:00") == date(2025, 12, 1)
    assert local_date(datetime(2025, 11, 30, 23, 30, tzinfo=UTC), "-03:00") == date(2025, 11, 30)


def test_a_saiga_without_authorisation_and_someone_elses_authorisation_are_refused() -> None:
    facts, event = harvest(1, harvestAuthorisation=None)
    claim = harvest_claim(facts)
    assert claim is not None
    assert [v.rule for v in check_harvest(claim, None, None, TEAM, "t")] == ["harvest.authorisation_required"]
    assert verdict(1, actor=OTHER) == ["harvest.not_authorised_organisation"]
    facts, event = harvest(1)
    claim = harvest_claim(facts)
    assert claim is not None
    assert [v.rule for v in check_harvest(claim, None, None, TEAM, "t")] == ["harvest.unknown_authorisation"]


def test_events_that_are_no_harvest_are_left_alone() -> None:
    facts, event = harvest(1, species="Testudo horsfieldii", harvestAuthorisation=None)
    assert harvest_claim(facts) is None
    shipped = build.shipping([horn(1)], T0, None, None, "urn:epc:id:pgln:4870003.00000")
    assert harvest_claim(read_event(shipped)) is None


def test_two_horns_per_male_and_the_animal_count_across_documents() -> None:
    stored = AuthorisationTally([(key(1), "A-1", "male"), (key(2), "A-1", "male")])
    assert verdict(3, stored, animalID="A-1") == ["harvest.too_many_horns"]
    assert verdict(3, stored) == []  # A-2, the second animal
    assert verdict(4, stored) == []  # A-2's second horn
    assert verdict(5, stored) == ["harvest.animal_limit"]  # a third animal; two are authorised
    third = verdict(6, stored, animalID="A-2", sex="female")
    assert third == ["harvest.female_horn", "harvest.sex_conflict", "harvest.too_many_horns"]


def test_an_animal_keeps_its_sex() -> None:
    stored = AuthorisationTally([(key(1), "A-1", "male")])
    assert verdict(2, stored, sex="female") == ["harvest.female_horn", "harvest.sex_conflict"]


def test_a_horn_registered_again_after_a_correction_moves_to_its_new_animal() -> None:
    tally = AuthorisationTally([(key(1), "X-1", "male"), (key(3), "A-2", "male")])
    assert verdict(1, tally, animalID="A-9") == []  # X-1 leaves the count, so the limit of 2 holds
    assert set(tally.animals) == {"A-2", "A-9"} and tally.animal_of_horn[key(1)] == "A-9"


def test_authorisation_terms_numbers_and_populations() -> None:
    assert authorisation_number(" urn:kiik:harvest-authorisation:KZ-2025-URL-001 ") == "KZ-2025-URL-001"
    with pytest.raises(HarvestError, match="not a harvest authorisation number"):
        authorisation_number("KZ 2025")
    assert population_named("betpak-dala") is Population.BETPAKDALA and Population.USTYURT.code == "UST"
    with pytest.raises(HarvestError, match="use one of Ural, Betpakdala, Ustyurt"):
        population_named("Mongolian")
    with pytest.raises(HarvestError, match="ends .* before it starts"):
        check_terms(date(2025, 9, 2), date(2025, 9, 1), 10)
    with pytest.raises(HarvestError, match="at least 1"):
        check_terms(date(2025, 9, 1), date(2025, 9, 2), 0)
    with pytest.raises(HarvestError, match="longer than a year"):
        check_terms(date(2025, 1, 1), date(2026, 6, 1), 10)
