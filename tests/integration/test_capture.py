"""Capture through the service on SQLite and PostgreSQL: all or nothing, idempotent, corrections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from kiik.custody.adapters.tables import erroneous_events, events, items
from kiik.custody.domain.state import Status
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_facts import key_of
from kiik.ledger.services.log_verification import verify_log
from tests.support.documents import capture, rules_of
from tests.support.world import make_world

T0 = datetime(2025, 9, 12, 8, 0, tzinfo=UTC)
HORNS = [f"urn:epc:id:sgtin:4870002.000001.{n}" for n in range(1, 5)]


def count(registry, table) -> int:  # type: ignore[no-untyped-def]
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)))


def harvest(horns: list[str], site: str, mass: float = 0.25) -> list[dict]:
    return [
        build.commissioning(
            [h], T0 + timedelta(minutes=n), site, ilmd={"massKg": mass, "productType": "whole_horn"}
        )
        for n, h in enumerate(horns)
    ]


def test_a_document_is_stored_with_its_projection(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    outcome = capture(registry, team.principal, harvest(HORNS, team.sgln))
    assert outcome.succeeded and outcome.stored == 4
    with registry.uow() as uow:
        state = uow.items.get(key_of(HORNS[0]))
    assert state is not None and state.holder == team.org_id and state.status is Status.ACTIVE
    assert count(registry, events) == 4


def test_one_bad_event_stores_nothing_and_every_failure_is_listed(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team, warehouse = world["harvester"], world["warehouse"]
    document = harvest(HORNS, team.sgln) + [
        build.receiving(HORNS[:1], T0 + timedelta(days=1), warehouse.sgln),  # never shipped
        build.commissioning([HORNS[1]], T0 + timedelta(days=1), team.sgln),  # registered twice
    ]
    outcome = capture(registry, team.principal, document)
    assert not outcome.succeeded and outcome.stored == 0
    assert [(e["eventIndex"], e["rule"]) for e in outcome.errors] == [
        (4, "receiving.not_shipped"),
        (5, "identifier.already_commissioned"),
    ]
    assert all(e["message"] for e in outcome.errors)
    assert count(registry, events) == 0 and count(registry, items) == 0


def test_a_schema_problem_names_the_event_and_the_path(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    bad = harvest(HORNS[:2], team.sgln)
    bad[1]["action"] = "CREATE"
    outcome = capture(registry, team.principal, bad)
    assert not outcome.succeeded and count(registry, events) == 0
    [error] = outcome.errors
    assert error["eventIndex"] == 1 and "action" in error["path"]


def test_the_same_event_captured_twice_is_stored_once(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    document = harvest(HORNS, team.sgln)
    assert capture(registry, team.principal, document).stored == 4
    again = capture(registry, team.principal, document)
    assert again.succeeded and again.stored == 0 and again.duplicates == 4
    assert count(registry, events) == 4


def test_a_horn_cannot_be_registered_twice_under_another_spelling(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team, other = world["harvester"], world["trader"]
    assert capture(registry, team.principal, harvest(HORNS[:1], team.sgln)).succeeded
    dl = "https://example.org/01/04870002000010/21/1"
    outcome = capture(registry, other.principal, [build.commissioning([dl], T0, other.sgln)])
    assert rules_of(outcome) == ["identifier.already_commissioned"]


def test_custody_follows_shipping_and_receiving(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team, warehouse, plant = world["harvester"], world["warehouse"], world["plant"]
    assert capture(registry, team.principal, harvest(HORNS, team.sgln)).succeeded
    ship = build.shipping(HORNS, T0 + timedelta(days=1), team.sgln, team.pgln, warehouse.pgln)
    assert capture(registry, team.principal, [ship]).succeeded
    wrong = capture(registry, plant.principal, [build.receiving(HORNS, T0 + timedelta(days=2), plant.sgln)])
    assert set(rules_of(wrong)) == {"receiving.not_destination"}
    right = capture(
        registry, warehouse.principal, [build.receiving(HORNS, T0 + timedelta(days=2), warehouse.sgln)]
    )
    assert right.succeeded
    with registry.uow() as uow:
        state = uow.items.get(key_of(HORNS[2]))
    assert state is not None and state.holder == warehouse.org_id and state.site == warehouse.sgln


def test_more_powder_out_than_horn_in_is_refused(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    plant = world["plant"]
    assert capture(registry, plant.principal, harvest(HORNS, plant.sgln, mass=0.25)).succeeded
    lot = "urn:epc:class:lgtin:4870004.000002.P1"
    too_much = build.transformation(HORNS, [(lot, 0.91)], T0 + timedelta(days=3), plant.sgln, "powder")
    outcome = capture(registry, plant.principal, [too_much])
    assert rules_of(outcome) == ["transformation.mass_balance"]
    assert "0.910 kg" in outcome.errors[0]["message"] and "0.900 kg" in outcome.errors[0]["message"]
    assert capture(
        registry,
        plant.principal,
        [build.transformation(HORNS, [(lot, 0.9)], T0 + timedelta(days=3), plant.sgln, "powder")],
    ).succeeded


def test_an_error_declaration_corrects_without_deleting(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team, warehouse, plant = world["harvester"], world["warehouse"], world["plant"]
    assert capture(registry, team.principal, harvest(HORNS, team.sgln)).succeeded
    mistaken = build.shipping(HORNS, T0 + timedelta(days=1), team.sgln, team.pgln, plant.pgln)
    mistaken["eventID"] = "urn:uuid:5a8d3f7e-0000-4000-8000-000000000001"
    assert capture(registry, team.principal, [mistaken]).succeeded
    declaration = dict(
        mistaken, errorDeclaration={"declarationTime": "2025-09-13T10:00:00Z", "reason": "incorrect_data"}
    )
    fixed = build.shipping(HORNS, T0 + timedelta(days=1, minutes=5), team.sgln, team.pgln, warehouse.pgln)
    assert (
        capture(registry, warehouse.principal, [declaration]).errors[0]["rule"]
        == "error_declaration.not_owner"
    )
    outcome = capture(registry, team.principal, [declaration, fixed])
    assert outcome.succeeded, outcome.errors
    assert count(registry, events) == 4 + 3 and count(registry, erroneous_events) == 1
    with registry.uow() as uow:
        state = uow.items.get(key_of(HORNS[0]))
    assert state is not None and state.status is Status.IN_TRANSIT and state.destination == warehouse.org_id
    assert capture(
        registry, warehouse.principal, [build.receiving(HORNS, T0 + timedelta(days=2), warehouse.sgln)]
    ).succeeded
    # The items' states, rebuilt by the correction, are what the valid events give.
    report = verify_log(registry.uow())
    assert report.intact and report.items == len(HORNS), report.problems


def test_declaring_an_unknown_event_is_refused(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    event = harvest(HORNS[:1], team.sgln)[0]
    event["eventID"] = "urn:uuid:5a8d3f7e-0000-4000-8000-000000000009"
    event["errorDeclaration"] = {"declarationTime": "2025-09-13T10:00:00Z"}
    assert rules_of(capture(registry, team.principal, [event])) == ["error_declaration.unknown_event"]


def test_rules_off_stores_what_rules_on_refuses(registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    warehouse = world["warehouse"]
    never_shipped = [build.receiving(HORNS, T0, warehouse.sgln)]
    assert rules_of(capture(registry, warehouse.principal, never_shipped)) == ["item.unknown"] * 4
    assert capture(registry, warehouse.principal, never_shipped, rules=False).succeeded


def test_feature_rules_run_on_every_event_and_refuse_the_document(registry, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kiik.bootstrap import capture_rules
    from kiik.custody.domain.state import Violation

    class NoMondays:
        def __init__(self, uow) -> None:  # type: ignore[no-untyped-def]
            self.seen = 0

        def check(self, facts, event, principal):  # type: ignore[no-untyped-def]
            self.seen += 1
            if facts.event_time.weekday() == 0:
                return [Violation("test.no_mondays", f"event {self.seen} falls on a Monday")]
            return []

    monkeypatch.setattr(capture_rules, "RULE_FACTORIES", (NoMondays,))
    world = make_world(registry)
    team = world["harvester"]
    friday = harvest(HORNS[:1], team.sgln)  # 2025-09-12 is a Friday
    monday = [build.commissioning(HORNS[1:2], T0 + timedelta(days=3), team.sgln)]
    assert capture(registry, team.principal, friday).succeeded
    outcome = capture(registry, team.principal, monday)
    assert rules_of(outcome) == ["test.no_mondays"] and count(registry, events) == 1
    assert capture(registry, team.principal, monday, rules=False).succeeded
