"""Species rules at capture and the register's edits, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kiik.epcis.domain import event_builders as build
from kiik.species.services.register import (
    SaveRule,
    add_rule,
    audit_trail,
    change_rule,
    read_register,
    seed_register,
    withdraw_rule,
)
from tests.support.documents import capture, rules_of
from tests.support.world import make_world

TORTOISE = "Testudo horsfieldii"
SHELL = "urn:epc:id:sgtin:4870002.000009.{}"


def tortoise(n: int, when: datetime, site: str) -> dict:
    return build.commissioning([SHELL.format(n)], when, site, ilmd={"species": TORTOISE, "massKg": 0.8})


def test_a_tortoise_commissioned_in_march_2026_is_refused_with_the_ban_and_article_339(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    seed_register(registry.uow())
    team = world["harvester"]
    outcome = capture(
        registry, team.principal, [tortoise(1, datetime(2026, 3, 10, 9, tzinfo=UTC), team.sgln)]
    )
    assert rules_of(outcome) == ["species.banned"] and outcome.stored == 0
    message = outcome.errors[0]["message"]
    assert "Total ban on taking, use and trade" in message and "2026-01-01 to 2040-12-31" in message
    assert "Article 339 of the Criminal Code" in message
    assert "up to 3,000 MCI (up to 12,975,000 KZT at the 2026 MCI of 4,325 KZT" in message
    assert outcome.errors[0]["identifier"] == "https://id.gs1.org/01/04870002000096/21/1"


def test_before_the_ban_a_tortoise_is_recorded_and_after_it_cannot_move(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    seed_register(registry.uow())
    team, warehouse = world["harvester"], world["warehouse"]
    assert capture(
        registry, team.principal, [tortoise(2, datetime(2025, 6, 1, tzinfo=UTC), team.sgln)]
    ).succeeded
    ship = build.shipping(
        [SHELL.format(2)], datetime(2026, 2, 1, tzinfo=UTC), team.sgln, team.pgln, warehouse.pgln
    )
    outcome = capture(registry, team.principal, [ship])
    assert rules_of(outcome) == ["species.banned"] and "transport (shipping)" in outcome.errors[0]["message"]
    assert "2026 MCI" in outcome.errors[0]["message"]
    seizure = build.stock_count([SHELL.format(2)], datetime(2026, 2, 2, tzinfo=UTC), world["inspector"].sgln)
    seizure["bizStep"] = "urn:kiik:bizstep:seizing"
    assert capture(registry, world["inspector"].principal, [seizure]).succeeded  # enforcement stays possible


def test_without_a_register_nothing_is_refused_for_its_species(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    assert capture(
        registry, team.principal, [tortoise(3, datetime(2026, 3, 10, tzinfo=UTC), team.sgln)]
    ).succeeded


def test_rules_are_data_the_ministry_edits_with_an_audit_trail(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    ministry, team = world["ministry"].principal, world["harvester"]
    assert seed_register(registry.uow()).taxa == 9
    assert seed_register(registry.uow()).taxa == 0  # seeding twice adds nothing
    register = read_register(registry.uow(), team.principal)
    assert {"Saiga tatarica", TORTOISE} <= {t.scientific_name for t in register.taxa}
    ban = next(r for r in register.rules if r.scientific_name == TORTOISE)
    later = SaveRule(
        TORTOISE, "total_ban", "Total ban (from April)", date(2026, 4, 1), "amended order", date(2040, 12, 31)
    )
    change_rule(registry.uow(), ministry, ban.id, later)
    march = [tortoise(4, datetime(2026, 3, 10, tzinfo=UTC), team.sgln)]
    assert capture(registry, team.principal, march).succeeded
    withdraw_rule(registry.uow(), ministry, ban.id)
    assert capture(
        registry, team.principal, [tortoise(5, datetime(2026, 6, 1, tzinfo=UTC), team.sgln)]
    ).succeeded
    rule = add_rule(
        registry.uow(),
        ministry,
        SaveRule(TORTOISE, "total_ban", "Ban again", date(2026, 7, 1), "new order", None, ("commission",)),
    )
    assert rule.forbidden == ("commission",)
    assert rules_of(
        capture(registry, team.principal, [tortoise(6, datetime(2026, 8, 1, tzinfo=UTC), team.sgln)])
    ) == ["species.banned"]
    trail = audit_trail(registry.uow(), ministry, TORTOISE)
    assert [e.action for e in trail] == [
        "taxon.added",
        "rule.added",
        "rule.changed",
        "rule.withdrawn",
        "rule.added",
    ]
    assert trail[2].before["valid_from"] == "2026-01-01" and trail[2].after["valid_from"] == "2026-04-01"
    assert trail[2].actor == "ministry (operator)"


def test_only_the_ministry_edits_the_register(registry) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from kiik.directory.domain.permissions import NotAllowed

    world = make_world(registry)
    seed_register(registry.uow())
    rule = SaveRule(TORTOISE, "total_ban", "x", date(2026, 1, 1), "basis")
    with pytest.raises(NotAllowed, match="species:manage"):
        add_rule(registry.uow(), world["trader"].principal, rule)
