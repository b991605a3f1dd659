"""The EPCIS SimpleEventQuery through the service: filters, identifier spellings, pages and scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kiik.bootstrap.registry import Registry
from kiik.custody.adapters import event_query
from kiik.custody.services.capture import capture_events
from kiik.custody.services.queries import event_by_id, query_events
from kiik.directory.domain.permissions import Principal
from kiik.epcis.adapters.reader import validate_event
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.epcis.domain.identifiers import canonical_key
from kiik.errors import NotFound, QueryError
from tests.support.harvest import authorised_origin
from tests.support.world import Member, make_world

T0 = datetime(2025, 9, 12, 7, 30, tzinfo=UTC)
HORNS = [f"urn:epc:id:sgtin:4870002.000001.{n}" for n in range(1, 5)]
MASSES = [0.26, 0.25, 0.30, 0.29]
LOT = "urn:epc:class:lgtin:4870004.000002.PWD-1"
STOCK_COUNT_ID = "urn:uuid:6b1c2a51-9d5e-4d3a-8f0e-3c2b1a000001"


@dataclass
class _Event:
    index: int
    event: dict[str, Any]
    problems: list[Any]


@dataclass
class Season:
    world: dict[str, Member]
    hashes: dict[str, dict[str, Any]]  # hash ID -> the event as captured


def capture(registry: Registry, member: Member, events: list[dict[str, Any]]) -> list[str]:
    batch = [_Event(i, e, validate_event(e, path_prefix=f"$.epcisBody.eventList[{i}]"))
             for i, e in enumerate(events)]
    outcome = capture_events(registry.uow(), member.principal, batch, custody_rules=True,
                             yields=registry.settings.yields)
    assert outcome.succeeded, outcome.errors
    return [event_hash_id(e) for e in events]


def season(registry: Registry) -> Season:
    """Four horns of two animals harvested; two go to the warehouse and on to the plant, into powder."""
    world = make_world(registry)
    harvester, warehouse, plant = world["harvester"], world["warehouse"], world["plant"]
    origin = authorised_origin(registry, world)
    day = [T0 + timedelta(days=n) for n in range(16)]
    count = {**build.stock_count(HORNS, day[5], warehouse.sgln), "eventID": STOCK_COUNT_ID}
    steps: list[tuple[Member, list[dict[str, Any]]]] = [
        (harvester, [
            build.commissioning([horn], T0 + timedelta(minutes=10 * n), harvester.sgln, ilmd={
                **origin, "animalID": f"URL-2025-{1001 + n // 2}", "massKg": mass,
                "productType": "whole_horn"})
            for n, (horn, mass) in enumerate(zip(HORNS, MASSES, strict=True))
        ]),
        (harvester, [build.shipping(HORNS, day[2], harvester.sgln, harvester.pgln, warehouse.pgln)]),
        (warehouse, [build.receiving(HORNS, day[4], warehouse.sgln)]),
        (warehouse, [count]),
        (warehouse, [build.shipping(HORNS[:2], day[10], warehouse.sgln, warehouse.pgln, plant.pgln)]),
        (plant, [build.receiving(HORNS[:2], day[11], plant.sgln)]),
        (plant, [build.transformation(HORNS[:2], [(LOT, 0.45)], day[15], plant.sgln, "powder")]),
    ]
    hashes: dict[str, dict[str, Any]] = {}
    for member, events in steps:
        for hash_id, event in zip(capture(registry, member, events), events, strict=True):
            hashes[hash_id] = event
    return Season(world, hashes)


def ask(registry: Registry, principal: Principal, **parameters: str) -> list[dict[str, Any]]:
    page = query_events(registry.uow(), principal, list(parameters.items()))
    return page.events


def test_every_event_comes_back_as_captured_with_its_hash_id(registry: Registry) -> None:
    data = season(registry)
    events = ask(registry, data.world["ministry"].principal, perPage="100")
    assert len(events) == 10
    for event in events:
        assert event["recordTime"].endswith("Z")
        hash_id = event_hash_id(event)
        assert hash_id in data.hashes
        assert {k: v for k, v in event.items() if k != "recordTime"} == data.hashes[hash_id]


def test_default_order_is_event_time_descending_and_asc_reverses_it(registry: Registry) -> None:
    ministry = season(registry).world["ministry"].principal
    descending = [e["eventTime"] for e in ask(registry, ministry, perPage="100")]
    assert descending == sorted(descending, reverse=True)
    ascending = [e["eventTime"] for e in ask(registry, ministry, perPage="100", orderDirection="ASC")]
    assert ascending == sorted(ascending)
    by_record = ask(registry, ministry, perPage="100", orderBy="recordTime", orderDirection="ASC")
    assert [e["recordTime"] for e in by_record] == sorted(e["recordTime"] for e in by_record)


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"eventType": "TransformationEvent"}, 1),
        ({"eventType": "ObjectEvent|TransformationEvent"}, 10),
        ({"EQ_action": "ADD"}, 4),
        ({"EQ_action": "ADD|OBSERVE"}, 9),
        ({"EQ_bizStep": "shipping"}, 2),
        ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-shipping"}, 2),
        ({"EQ_bizStep": "shipping|receiving"}, 4),
        ({"EQ_disposition": "in_transit"}, 2),
        ({"EQ_disposition": "https://ref.gs1.org/cbv/Disp-active"}, 5),
        ({"GE_eventTime": "2025-09-14T07:30:00Z"}, 6),
        ({"GE_eventTime": "2025-09-14T12:30:00+05:00", "LT_eventTime": "2025-09-22T00:00:00Z"}, 3),
        ({"LT_recordTime": "2020-01-01T00:00:00Z"}, 0),
        ({"GE_recordTime": "2020-01-01T00:00:00Z"}, 10),
        ({"EQ_eventID": STOCK_COUNT_ID}, 1),
        ({"EXISTS_errorDeclaration": "true"}, 0),
        ({"EXISTS_errorDeclaration": "false"}, 10),
    ],
)
def test_filters(registry: Registry, parameters: dict[str, str], expected: int) -> None:
    ministry = season(registry).world["ministry"].principal
    assert len(ask(registry, ministry, perPage="100", **parameters)) == expected


@pytest.mark.parametrize(
    "spelling",
    [HORNS[0], canonical_key(HORNS[0]), "(01)04870002000010(21)1", "https://example.com/01/04870002000010/21/1"],
)
def test_an_epc_matches_in_every_spelling(registry: Registry, spelling: str) -> None:
    ministry = season(registry).world["ministry"].principal
    # Commissioned, shipped twice, received twice, counted; then consumed by the transformation.
    assert len(ask(registry, ministry, MATCH_epc=spelling)) == 6
    assert len(ask(registry, ministry, MATCH_anyEPC=spelling)) == 7
    assert len(ask(registry, ministry, MATCH_inputEPC=spelling)) == 1
    assert ask(registry, ministry, MATCH_parentID=spelling) == []


def test_epc_patterns_and_classes(registry: Registry) -> None:
    ministry = season(registry).world["ministry"].principal
    assert len(ask(registry, ministry, perPage="100", MATCH_epc="urn:epc:idpat:sgtin:4870002.000001.*")) == 9
    assert len(ask(registry, ministry, perPage="100", MATCH_epc="urn:epc:idpat:sgtin:4870002.*.*")) == 9
    assert ask(registry, ministry, MATCH_epc="urn:epc:idpat:sgtin:4870009.000001.*") == []
    assert len(ask(registry, ministry, MATCH_outputEPCClass=LOT)) == 1
    assert len(ask(registry, ministry, MATCH_anyEPCClass="urn:epc:idpat:sgtin:4870004.000002.*")) == 1
    assert ask(registry, ministry, MATCH_epcClass=LOT) == []  # an output is not in a quantityList
    assert len(ask(registry, ministry, MATCH_anyEPC=f"{HORNS[2]}|{HORNS[0]}", EQ_bizStep="receiving")) == 2


def test_locations_match_as_urn_or_digital_link(registry: Registry) -> None:
    data = season(registry)
    ministry, warehouse = data.world["ministry"].principal, data.world["warehouse"].sgln
    as_urn = ask(registry, ministry, EQ_bizLocation="urn:epc:id:sgln:4870003.00000.0")
    assert len(as_urn) == 3  # received, counted, shipped on
    assert len(ask(registry, ministry, EQ_readPoint=canonical_key(warehouse))) == 3


def test_error_declarations_are_found_and_the_original_stays(registry: Registry) -> None:
    data = season(registry)
    warehouse = data.world["warehouse"]
    original = next(e for e in data.hashes.values() if e.get("eventID") == STOCK_COUNT_ID)
    declaration = {**original, "errorDeclaration": {"declarationTime": "2025-10-01T00:00:00Z",
                                                    "reason": "incorrect_data"}}
    capture(registry, warehouse, [declaration])
    ministry = data.world["ministry"].principal
    declared = ask(registry, ministry, EXISTS_errorDeclaration="true")
    assert [e["eventID"] for e in declared] == [STOCK_COUNT_ID]
    assert "errorDeclaration" in declared[0]
    both = event_by_id(registry.uow(), ministry, STOCK_COUNT_ID)
    assert ["errorDeclaration" in e for e in both] == [False, True]


def test_pages_follow_each_other_without_gaps_or_repeats(registry: Registry) -> None:
    ministry = season(registry).world["ministry"].principal
    everything = [e["eventTime"] + e["type"] for e in ask(registry, ministry, perPage="100")]
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        parameters = [
            ("perPage", "3"), ("EQ_action", "ADD|OBSERVE"), ("eventType", "ObjectEvent|TransformationEvent"),
        ]
        if token:
            parameters.append(("nextPageToken", token))
        page = query_events(registry.uow(), ministry, parameters)
        seen += [e["eventTime"] + e["type"] for e in page.events]
        pages += 1
        token = page.next_page_token
        if token is None:
            break
    assert pages == 3
    assert len(seen) == 9 and len(set(seen)) == 9
    assert seen == [s for s in everything if "Transformation" not in s]


def test_a_page_token_only_serves_its_own_query(registry: Registry) -> None:
    ministry = season(registry).world["ministry"].principal
    page = query_events(registry.uow(), ministry, [("perPage", "2"), ("EQ_action", "ADD")])
    assert page.next_page_token
    with pytest.raises(QueryError, match="nextPageToken"):
        query_events(
            registry.uow(), ministry, [("EQ_action", "OBSERVE"), ("nextPageToken", page.next_page_token)]
        )
    with pytest.raises(QueryError, match="nextPageToken"):
        query_events(registry.uow(), ministry, [("nextPageToken", "not-a-token")])
    following = query_events(registry.uow(), ministry, [("EQ_action", "ADD"), ("perPage", "5"),
                                                         ("nextPageToken", page.next_page_token)])
    assert len(following.events) == 2 and following.next_page_token is None


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        ([("EQ_colour", "red")], "EQ_colour"),
        ([("EQ_quantity", "three")], "EQ_quantity"),
        ([("GE_eventTime", "yesterday")], "GE_eventTime"),
        ([("LT_recordTime", "2025-13-01T00:00:00Z")], "LT_recordTime"),
        ([("orderBy", "bizStep")], "orderBy"),
        ([("orderDirection", "UP")], "orderDirection"),
        ([("perPage", "0")], "perPage"),
        ([("perPage", "ten")], "perPage"),
        ([("EQ_action", "ADD|")], "EQ_action"),
        ([("EQ_action", "MOVE")], "EQ_action"),
        ([("eventType", "Shipment")], "eventType"),
        ([("MATCH_epc", "urn:epc:id:sgtin:4870002.000001")], "MATCH_epc"),
        ([("MATCH_anyEPC", "urn:epc:idpat:sgtin:4870002.*.7")], "MATCH_anyEPC"),
        ([("EXISTS_errorDeclaration", "maybe")], "EXISTS_errorDeclaration"),
        ([("GE_eventTime", "2025-01-01T00:00:00Z"), ("GE_eventTime", "2025-02-01T00:00:00Z")],
         "GE_eventTime"),
    ],
)
def test_unknown_or_malformed_parameters_are_named(
    registry: Registry, parameters: list[tuple[str, str]], named: str
) -> None:
    ministry = make_world(registry)["ministry"].principal
    with pytest.raises(QueryError, match=named):
        query_events(registry.uow(), ministry, parameters)


def test_per_page_is_capped_not_refused(registry: Registry) -> None:
    ministry = season(registry).world["ministry"].principal
    assert len(ask(registry, ministry, perPage="100000")) == 10


@pytest.mark.parametrize("few_held", [2000, 0], ids=["held-set", "per-event-check"])
def test_organisations_see_their_own_events_and_those_of_what_they_hold(
    registry: Registry, monkeypatch: pytest.MonkeyPatch, few_held: int
) -> None:
    # Both ways the storage may find an organisation's events give the same answer.
    monkeypatch.setattr(event_query, "FEW_HELD", few_held)
    data = season(registry)
    world = data.world

    def types(code: str) -> list[str]:
        found = ask(registry, world[code].principal, perPage="100", orderDirection="ASC")
        return [f"{e['type']}:{e.get('bizStep')}:{len(e.get('epcList', e.get('inputEPCList', [])))}"
                for e in found]

    # The harvester holds nothing now: it sees what it recorded.
    assert types("harvester") == ["ObjectEvent:commissioning:1"] * 4 + ["ObjectEvent:shipping:4"]
    # The warehouse holds horns 3 and 4: their commissioning, and everything it recorded itself.
    assert types("warehouse") == ["ObjectEvent:commissioning:1"] * 2 + [
        "ObjectEvent:shipping:4", "ObjectEvent:receiving:4", "ObjectEvent:cycle_counting:4",
        "ObjectEvent:shipping:2",
    ]
    # The plant holds horns 1 and 2 (consumed) and the lot.
    assert types("plant") == ["ObjectEvent:commissioning:1"] * 2 + [
        "ObjectEvent:shipping:4", "ObjectEvent:receiving:4", "ObjectEvent:cycle_counting:4",
        "ObjectEvent:shipping:2", "ObjectEvent:receiving:2", "TransformationEvent:commissioning:2",
    ]
    assert types("trader") == []
    assert len(ask(registry, world["customs"].principal, perPage="100")) == 10
    assert len(ask(registry, world["inspector"].principal, perPage="100")) == 10


def test_a_single_event_outside_the_scope_is_not_found(registry: Registry) -> None:
    data = season(registry)
    transformation = next(h for h, e in data.hashes.items() if e["type"] == "TransformationEvent")
    assert len(event_by_id(registry.uow(), data.world["plant"].principal, transformation)) == 1
    assert len(event_by_id(registry.uow(), data.world["inspector"].principal, transformation)) == 1
    with pytest.raises(NotFound, match="visible to you"):
        event_by_id(registry.uow(), data.world["harvester"].principal, transformation)
    with pytest.raises(NotFound, match="visible to you"):
        event_by_id(registry.uow(), data.world["ministry"].principal, "urn:uuid:no-such-event")


def test_an_organisations_view_pages_like_everyone_elses(registry: Registry) -> None:
    plant = season(registry).world["plant"].principal
    whole = [event_hash_id(e) for e in ask(registry, plant, perPage="100")]
    paged: list[str] = []
    token: str | None = None
    while True:
        parameters = [("perPage", "3")] + ([("nextPageToken", token)] if token else [])
        page = query_events(registry.uow(), plant, parameters)
        paged += [event_hash_id(e) for e in page.events]
        if (token := page.next_page_token) is None:
            break
    assert len(whole) == 8 and paged == whole
