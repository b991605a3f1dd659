"""Laundering attempts at harvest are refused at capture, each with its rule (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import events, items
from kiik.directory.services.auth import add_organisation, add_site
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of
from kiik.harvest.adapters.tables import harvested_horns
from kiik.harvest.domain.authorisations import SAIGA
from kiik.harvest.services.authorisations import get_authorisation
from tests.support.documents import capture, rules_of
from tests.support.harvest import URAL_POINT, authorise, ministry
from tests.support.world import make_world

T0 = datetime(2025, 9, 12, 7, 40, tzinfo=UTC)
# A small square around the Ural point: the ministry's own area rather than the population range.
AREA = {
    "type": "Polygon",
    "coordinates": [[[51.0, 50.5], [51.8, 50.5], [51.8, 51.2], [51.0, 51.2], [51.0, 50.5]]],
}


def horn(n: int) -> str:
    return f"urn:epc:id:sgtin:4870002.000001.{n}"


def count(registry: Registry, table: Any) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def harvest(n: int, authorisation: str | None, site: str | None = None, **changes: Any) -> dict[str, Any]:
    origin: dict[str, Any] = {
        "species": SAIGA,
        "population": "Ural",
        "animalID": f"URL-{(n + 1) // 2}",
        "sex": "male",
        "harvestPoint": URAL_POINT,
        "harvestAuthorisation": authorisation,
        "massKg": 0.25,
        "productType": "whole_horn",
    }
    origin.update(changes)
    moment = origin.pop("moment", T0 + timedelta(minutes=n))
    return build.commissioning(
        [horn(n)], moment, site, ilmd={k: v for k, v in origin.items() if v is not None}
    )


def test_a_harvest_inside_its_authorisation_is_stored_and_counted(registry: Registry) -> None:
    world = make_world(registry)
    team = world["harvester"]
    number = authorise(registry, world, area=AREA, animals=10)
    outcome = capture(registry, team.principal, [harvest(n, number, team.sgln) for n in (1, 2, 3)])
    assert outcome.succeeded, outcome.errors
    with registry.engine.connect() as connection:
        rows = connection.execute(select(harvested_horns).order_by(harvested_horns.c.horn_key)).all()
    assert [(r.horn_key, r.animal_id, r.sex) for r in rows] == [
        (key_of(horn(1)), "URL-1", "male"),
        (key_of(horn(2)), "URL-1", "male"),
        (key_of(horn(3)), "URL-2", "male"),
    ]
    view = get_authorisation(registry.uow(), team.principal, number)
    assert (view.animals, view.horns) == (2, 3)


def refused(registry: Registry, member: Any, documents: list[dict[str, Any]]) -> list[str]:
    before = count(registry, events), count(registry, harvested_horns)
    outcome = capture(registry, member.principal, documents)
    assert not outcome.succeeded and outcome.stored == 0
    assert (count(registry, events), count(registry, harvested_horns)) == before
    assert all(e["message"] for e in outcome.errors)
    return rules_of(outcome)


def test_a_horn_harvested_outside_the_area_is_refused(registry: Registry) -> None:
    world = make_world(registry)
    number = authorise(registry, world, area=AREA)
    almaty = harvest(1, number, harvestPoint="43.25,76.95")
    just_outside = harvest(2, number, harvestPoint="50.4,51.4")  # inside the Ural range, outside AREA
    assert refused(registry, world["harvester"], [almaty, just_outside]) == ["harvest.outside_area"] * 2


def test_a_horn_harvested_outside_the_window_is_refused(registry: Registry) -> None:
    world = make_world(registry)
    number = authorise(registry, world, around=date(2025, 9, 12))  # 2025-07-14 to 2025-11-11
    late = harvest(1, number, moment=datetime(2025, 11, 12, 6, 0, tzinfo=UTC))
    early = harvest(3, number, harvestDate="2025-07-13")
    assert refused(registry, world["harvester"], [late, early]) == ["harvest.outside_window"] * 2


def test_animals_beyond_the_authorised_count_are_refused_across_documents(registry: Registry) -> None:
    world = make_world(registry)
    team = world["harvester"]
    number = authorise(registry, world, animals=2)
    assert capture(registry, team.principal, [harvest(n, number) for n in (1, 2, 3)]).succeeded
    # URL-2's second horn is fine; URL-3 would be the third animal.
    assert refused(registry, team, [harvest(4, number), harvest(5, number)]) == ["harvest.animal_limit"]
    assert capture(registry, team.principal, [harvest(4, number)]).succeeded


def test_a_horn_on_a_female_is_refused(registry: Registry) -> None:
    world = make_world(registry)
    number = authorise(registry, world)
    assert refused(registry, world["harvester"], [harvest(1, number, sex="female")]) == [
        "harvest.female_horn"
    ]


def test_a_third_horn_on_one_male_is_refused_across_documents(registry: Registry) -> None:
    world = make_world(registry)
    team = world["harvester"]
    number = authorise(registry, world)
    assert capture(registry, team.principal, [harvest(1, number), harvest(2, number)]).succeeded
    third = harvest(3, number, animalID="URL-1")
    assert refused(registry, team, [third]) == ["harvest.too_many_horns"]


def test_a_harvest_under_someone_elses_authorisation_is_refused(registry: Registry) -> None:
    world = make_world(registry)
    add_organisation(
        registry.uow(), "ural-2", "Ural harvest team 2", "harvester", "urn:epc:id:pgln:4870008.00000"
    )
    add_site(registry.uow(), "ural-2", "urn:epc:id:sgln:4870008.00000.0", "Camp 2")
    theirs = authorise(registry, world, harvester="ural-2")
    assert refused(registry, world["harvester"], [harvest(1, theirs)]) == [
        "harvest.not_authorised_organisation"
    ]


def test_a_saiga_harvest_without_authorisation_is_refused(registry: Registry) -> None:
    world = make_world(registry)
    team = world["harvester"]
    assert refused(registry, team, [harvest(1, None)]) == ["harvest.authorisation_required"]
    unknown = "urn:kiik:harvest-authorisation:KZ-2025-URL-404"
    assert refused(registry, team, [harvest(1, unknown)]) == ["harvest.unknown_authorisation"]
    # A horn of no named species is no harvest for this rule (and other kinds of items still commission).
    assert capture(
        registry, team.principal, [build.commissioning([horn(9)], T0, None, {"massKg": 0.2})]
    ).succeeded


def test_other_origin_mismatches_each_have_their_rule(registry: Registry) -> None:
    world = make_world(registry)
    number = authorise(registry, world)
    wrong = [
        harvest(1, number, population="Betpakdala"),
        harvest(3, number, animalID=None),
        harvest(5, number, harvestPoint=None),
    ]
    assert refused(registry, world["harvester"], wrong) == [
        "harvest.population_mismatch",
        "harvest.animal_required",
        "harvest.point_required",
    ]


def test_a_corrected_commissioning_moves_its_horn_to_the_right_animal(registry: Registry) -> None:
    world = make_world(registry)
    team = world["harvester"]
    number = authorise(registry, world, animals=1)
    wrong = {
        **harvest(1, number, animalID="URL-typo"),
        "eventID": "urn:uuid:0b7f4d8e-2c1a-4e55-9a51-000000000001",
    }
    assert capture(registry, team.principal, [wrong]).succeeded
    declaration = {
        **wrong,
        "errorDeclaration": {"declarationTime": "2025-09-13T00:00:00Z", "reason": "incorrect_data"},
    }
    assert capture(registry, team.principal, [declaration]).succeeded
    # The authorisation allows one animal: the typo's animal gives way to the right one.
    assert capture(registry, team.principal, [harvest(1, number, moment=T0 + timedelta(hours=1))]).succeeded
    with registry.engine.connect() as connection:
        assert connection.execute(select(harvested_horns.c.animal_id)).scalars().all() == ["URL-1"]
    assert get_authorisation(registry.uow(), ministry(world), number).animals == 1


def test_with_custody_rules_off_harvests_are_stored_unchecked(registry: Registry) -> None:
    world = make_world(registry)
    outcome = capture(registry, world["harvester"].principal, [harvest(1, None, sex="female")], rules=False)
    assert outcome.succeeded and count(registry, items) == 1 and count(registry, harvested_horns) == 0


def test_concurrent_captures_cannot_both_take_the_last_animal(registry: Registry) -> None:
    """Eight captures, each one new animal, race for an authorisation with room for three."""
    import threading

    world = make_world(registry)
    team = world["harvester"]
    number = authorise(registry, world, animals=3)
    results: list[object] = []

    def capture_one(n: int) -> None:
        try:
            results.append(capture(registry, team.principal, [harvest(2 * n + 1, number)]))
        except Exception as exc:  # noqa: BLE001 - SQLite may refuse a stale writer instead
            results.append(exc)

    threads = [threading.Thread(target=capture_one, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = [r for r in results if getattr(r, "succeeded", False)]
    refusals = [rules_of(r) for r in results if hasattr(r, "errors") and not r.succeeded]  # type: ignore[attr-defined]
    assert len(accepted) == 3 and count(registry, harvested_horns) == 3, results
    assert all(rules == ["harvest.animal_limit"] for rules in refusals)
    if registry.engine.dialect.name == "postgresql":
        assert len(refusals) == 5  # every loser is told why


def test_the_count_holds_whether_the_rule_reads_only_the_animals_named_or_every_one(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under LOOK_UPS_BEFORE_LOADING_ALL animals a capture reads only the rows of the animals its
    events name (a single event late in a season reads two rows, not the season); past it, every
    row. The limits come out the same either way, within a document and across documents."""
    from kiik.harvest.services import capture_rule
    from kiik.harvest.services.capture_rule import LOOK_UPS_BEFORE_LOADING_ALL

    # As under an authorisation with many animals: read only the rows named, to begin with.
    monkeypatch.setattr(capture_rule, "READ_ALL_BELOW", 0)

    world = make_world(registry)
    team = world["harvester"]
    limit = LOOK_UPS_BEFORE_LOADING_ALL + 26  # 90 animals
    number = authorise(registry, world, animals=limit)
    # 70 animals in one document: the rule reads everything once 64 were looked up, mid-document.
    first = 2 * (LOOK_UPS_BEFORE_LOADING_ALL + 6)
    assert capture(registry, team.principal, [harvest(n, number) for n in range(1, first + 1)]).succeeded
    # A third horn for an animal of that document, alone: refused from the two rows of that animal.
    assert refused(registry, team, [harvest(first + 1, number, animalID="URL-5")]) == [
        "harvest.too_many_horns"
    ]
    # 20 more animals, one event at a time (each capture reads the rows it names only): all fit.
    for n in range(first + 1, first + 41, 2):
        assert capture(registry, team.principal, [harvest(n, number)]).succeeded
    # The 91st animal is refused, alone or inside a document large enough to read everything.
    assert refused(registry, team, [harvest(first + 41, number)]) == ["harvest.animal_limit"]
    seconds = [harvest(n, number) for n in range(first + 2, first + 41, 2)]  # second horns: no new animal
    bulk = [*seconds, *(harvest(n, number) for n in range(first + 41, first + 41 + 2 * 60, 2))]
    assert set(refused(registry, team, bulk)) == {"harvest.animal_limit"}
    assert capture(registry, team.principal, seconds).succeeded
    assert get_authorisation(registry.uow(), ministry(world), number).animals == limit


def test_the_animals_of_a_document_still_count_once_the_rule_reads_every_row(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule switches to reading every row in the middle of a document, before that document's
    horns are written: they still count, so the limit is reached inside the document."""
    from kiik.harvest.services import capture_rule
    from kiik.harvest.services.capture_rule import LOOK_UPS_BEFORE_LOADING_ALL

    # As under an authorisation with many animals: read only the rows named, to begin with.
    monkeypatch.setattr(capture_rule, "READ_ALL_BELOW", 0)

    world = make_world(registry)
    team = world["harvester"]
    limit = LOOK_UPS_BEFORE_LOADING_ALL + 6
    number = authorise(registry, world, animals=limit)
    one_too_many = [harvest(n, number) for n in range(1, 2 * (limit + 1) + 1)]
    assert refused(registry, team, one_too_many) == ["harvest.animal_limit", "harvest.animal_limit"]
    assert capture(registry, team.principal, one_too_many[: 2 * limit]).succeeded
