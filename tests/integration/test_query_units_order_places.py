"""The query language's remaining parts, each answer computed by the test from what it captured:

- sensor values and quantities compare after conversion into the unit asked (`GE_value_CEL=20` takes
  a report of 68 FAH or 293.15 KEL in), and `GE_value` without a unit is read in `EQ_uom`'s unit;
- `orderBy` on an extension field (by its IRI or as prefix:field), both directions, over pages;
- `WD_bizLocation` and `WD_readPoint` take in the sites within a site, at any depth, as the directory
  places them (and as it places them after a site is moved);
- named queries take what the query language takes (`HASATTR_`, `EQATTR_`, `EQ_uom`, `GE_value`, `WD_`)
  and refuse, naming the parameter, what it does not.

Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.custody.services.queries import query_events
from kiik.directory.services.auth import DirectoryError, add_site, set_site_parent
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.errors import QueryError
from tests.support.documents import capture, listed_events
from tests.support.world import Member, make_world

EX = "https://example.org/ex/"
START = datetime(2025, 9, 12, 6, tzinfo=UTC)
UNREGISTERED = "urn:epc:id:sgln:4870099.00001.0"
# The sites below the warehouse's main site (W): W > cold room > shelf, W > yard.
COLD_ROOM = "urn:epc:id:sgln:4870004.00001.1"
SHELF = "urn:epc:id:sgln:4870004.00001.11"
YARD = "urn:epc:id:sgln:4870004.00001.2"


def celsius(report: dict[str, Any]) -> float | None:
    """The report's value in CEL, converted here by the test's own formulas."""
    value, unit = report.get("value"), report.get("uom")
    if value is None:
        return None
    found = {"CEL": value, "FAH": (value - 32) * 5 / 9, "KEL": value - 273.15}.get(unit)
    return None if found is None else round(found, 6)


def kilograms(quantity: dict[str, Any]) -> float:
    return float(quantity["quantity"]) * {"KGM": 1.0, "GRM": 0.001}[quantity["uom"]]


def _reports(event: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for element in event.get("sensorElementList", []) for r in element["sensorReport"]]


def _event(n: int, pick: random.Random, places: list[str]) -> dict[str, Any]:
    event: dict[str, Any] = {
        "@context": [{"ex": EX}],
        "type": "ObjectEvent",
        "eventTime": build.epcis_time(START + timedelta(hours=n)),
        "eventTimeZoneOffset": "+00:00",
        "epcList": [f"urn:epc:id:sgtin:4870002.000001.{2000 + n}"],
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "readPoint": {"id": pick.choice(places)},
        "bizLocation": {"id": pick.choice(places)},
        "quantityList": [
            {
                "epcClass": "urn:epc:class:lgtin:4870002.000002.L1",
                "quantity": pick.choice([0.5, 1.2, 1.5, 2.0, 900.0, 1500.0, 2500.0]),
                "uom": pick.choice(["KGM", "GRM"]),
            }
        ],
    }
    if pick.random() < 0.75:
        event["ex:temperature"] = pick.choice([-3, 0, 4.5, 7, 12, 12, 19.5, 30])
    if pick.random() < 0.7:
        event["ex:label"] = pick.choice(["alpha", "beta", "gamma", "delta"])
    unit = pick.choice(["CEL", "FAH", "KEL"])
    base = pick.uniform(-10, 35)
    value = {"CEL": base, "FAH": base * 9 / 5 + 32, "KEL": base + 273.15}[unit]
    reports = [{"type": "Temperature", "value": round(value, 1), "uom": unit}]
    if n % 4 == 0:
        reports.append({"type": "RelativeHumidity", "value": pick.randint(10, 90), "uom": "P1"})
    event["sensorElementList"] = [{"sensorReport": reports}]
    return event


@dataclass
class Corpus:
    events: list[dict[str, Any]]
    ministry: Member
    places: dict[str, str]  # name -> SGLN

    def hashes(self, keep: Callable[[dict[str, Any]], bool]) -> list[str]:
        return sorted(event_hash_id(e) for e in self.events if keep(e))


@pytest.fixture
def corpus(registry: Registry) -> Corpus:
    world = make_world(registry)
    main = world["warehouse"].sgln
    add_site(registry.uow(), "warehouse", COLD_ROOM, "Cold room", parent=main)
    add_site(registry.uow(), "warehouse", SHELF, "Shelf 1 of the cold room", parent=COLD_ROOM)
    add_site(registry.uow(), "warehouse", YARD, "Yard", parent=main)
    places = {"W": main, "cold": COLD_ROOM, "shelf": SHELF, "yard": YARD}
    places |= {"plant": world["plant"].sgln, "unregistered": UNREGISTERED}
    pick = random.Random(1616)
    events = [_event(n, pick, list(places.values())) for n in range(36)]
    # Exactly 20 CEL, in every unit: the boundary of GE_ and LT_ after conversion.
    for n, (value, unit) in enumerate([(68.0, "FAH"), (293.15, "KEL"), (20.0, "CEL")]):
        exact = _event(100 + n, pick, list(places.values()))
        exact["sensorElementList"] = [
            {"sensorReport": [{"type": "Temperature", "value": value, "uom": unit}]}
        ]
        events.append(exact)
    outcome = capture(registry, world["ministry"].principal, events, rules=False)
    assert outcome.succeeded, outcome.errors
    return Corpus(events, world["ministry"], places)


def answer(registry: Registry, corpus: Corpus, parameters: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Every event of the answer, page after page (perPage 4), in the order given."""
    found: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        asked = [*parameters, ("perPage", "4"), *([("nextPageToken", token)] if token else [])]
        page = query_events(registry.uow(), corpus.ministry.principal, asked)
        found += page.events
        token = page.next_page_token
        if token is None:
            return found


def _temperatures(event: dict[str, Any]) -> list[float]:
    return [c for r in _reports(event) if (c := celsius(r)) is not None]


UNIT_CASES: dict[str, tuple[list[tuple[str, str]], Callable[[dict[str, Any]], bool]]] = {
    "GE_value_CEL over every temperature unit": (
        [("GE_value_CEL", "20")],
        lambda e: any(t >= 20 for t in _temperatures(e)),
    ),
    "the same asked in FAH": ([("GE_value_FAH", "68")], lambda e: any(t >= 20 for t in _temperatures(e))),
    "LT_value_KEL": ([("LT_value_KEL", "273.15")], lambda e: any(t < 0 for t in _temperatures(e))),
    "EQ_value_CEL at the boundary": ([("EQ_value_CEL", "20")], lambda e: 20 in _temperatures(e)),
    "GE_value read in EQ_uom's unit": (
        [("GE_value", "68"), ("EQ_uom", "FAH")],
        lambda e: any(r.get("uom") == "FAH" for r in _reports(e)) and any(t >= 20 for t in _temperatures(e)),
    ),
    "a unit of another dimension matches no temperature": ([("GE_value_KGM", "-1000")], lambda e: False),
    "GE_quantity_KGM over grams": (
        [("GE_quantity_KGM", "1.5")],
        lambda e: any(kilograms(q) >= 1.5 for q in e["quantityList"]),
    ),
    "LT_quantity_GRM over kilograms": (
        [("LT_quantity_GRM", "1000")],
        lambda e: any(kilograms(q) < 1.0 for q in e["quantityList"]),
    ),
}


@pytest.mark.parametrize("case", list(UNIT_CASES))
def test_values_compare_after_conversion_into_the_unit_asked(
    registry: Registry, corpus: Corpus, case: str
) -> None:
    parameters, keep = UNIT_CASES[case]
    expected = corpus.hashes(keep)
    assert expected or "another dimension" in case
    assert len(expected) < len(corpus.events)
    assert sorted(event_hash_id(e) for e in answer(registry, corpus, parameters)) == expected


def test_the_boundary_is_exact_in_every_unit(registry: Registry, corpus: Corpus) -> None:
    boundary = corpus.hashes(lambda e: _temperatures(e) == [20.0])
    assert len(boundary) == 3  # 68 FAH, 293.15 KEL and 20 CEL
    at_least = {event_hash_id(e) for e in answer(registry, corpus, [("GE_value_CEL", "20")])}
    below = {event_hash_id(e) for e in answer(registry, corpus, [("LT_value_CEL", "20")])}
    assert set(boundary) <= at_least and not set(boundary) & below


@pytest.mark.parametrize("name", [f"{EX}temperature", "ex:temperature", f"{EX}label"])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_order_by_an_extension_field_over_pages(
    registry: Registry, corpus: Corpus, name: str, direction: str
) -> None:
    local = name.rpartition("/")[2].removeprefix("ex:")
    indexed = list(enumerate(corpus.events))  # capture order: the tie-break (the events' ids)
    keyed = sorted(
        ((e[f"ex:{local}"], i) for i, e in indexed if f"ex:{local}" in e), reverse=direction == "DESC"
    )
    keyless = sorted((i for i, e in indexed if f"ex:{local}" not in e), reverse=direction == "DESC")
    expected = [event_hash_id(corpus.events[i]) for _, i in keyed] + [
        event_hash_id(corpus.events[i]) for i in keyless
    ]
    assert keyed and keyless
    found = answer(registry, corpus, [("orderBy", name), ("orderDirection", direction)])
    assert [event_hash_id(e) for e in found] == expected
    # Combined with a filter, and with eventCountLimit across pages.
    limited = answer(
        registry, corpus, [("orderBy", name), ("orderDirection", direction), ("eventCountLimit", "6")]
    )
    assert [event_hash_id(e) for e in limited] == expected[:6]


def test_order_by_what_is_no_field_is_refused_naming_order_by(registry: Registry, corpus: Corpus) -> None:
    with pytest.raises(QueryError) as raised:
        answer(registry, corpus, [("orderBy", "temperature")])
    assert str(raised.value).startswith("orderBy") and "full IRI" in str(raised.value)


def _at(corpus: Corpus, where: str, *names: str) -> Callable[[dict[str, Any]], bool]:
    wanted = {corpus.places[n] for n in names}
    return lambda e: e[where]["id"] in wanted


def test_within_takes_the_sites_within_a_site_in(registry: Registry, corpus: Corpus) -> None:
    cases: list[tuple[list[tuple[str, str]], Callable[[dict[str, Any]], bool]]] = [
        ([("WD_bizLocation", corpus.places["W"])], _at(corpus, "bizLocation", "W", "cold", "shelf", "yard")),
        ([("WD_bizLocation", COLD_ROOM)], _at(corpus, "bizLocation", "cold", "shelf")),
        ([("WD_bizLocation", SHELF)], _at(corpus, "bizLocation", "shelf")),
        ([("WD_readPoint", COLD_ROOM)], _at(corpus, "readPoint", "cold", "shelf")),
        ([("WD_bizLocation", UNREGISTERED)], _at(corpus, "bizLocation", "unregistered")),
        ([("WD_bizLocation", f"{COLD_ROOM}|{YARD}")], _at(corpus, "bizLocation", "cold", "shelf", "yard")),
        # EQ_ and WD_ together: both must hold.
        (
            [("EQ_bizLocation", SHELF), ("WD_bizLocation", corpus.places["W"])],
            _at(corpus, "bizLocation", "shelf"),
        ),
        ([("EQ_bizLocation", YARD), ("WD_bizLocation", COLD_ROOM)], lambda e: False),
    ]
    for parameters, keep in cases:
        expected = corpus.hashes(keep)
        assert sorted(event_hash_id(e) for e in answer(registry, corpus, parameters)) == expected, parameters
    # Moved within the cold room, the yard's events are the cold room's too.
    set_site_parent(registry.uow(), YARD, COLD_ROOM)
    expected = corpus.hashes(_at(corpus, "bizLocation", "cold", "shelf", "yard"))
    found = answer(registry, corpus, [("WD_bizLocation", COLD_ROOM)])
    assert sorted(event_hash_id(e) for e in found) == expected
    # A site cannot lie within itself, nor within a site within it.
    with pytest.raises(DirectoryError, match="within itself"):
        set_site_parent(registry.uow(), corpus.places["W"], SHELF)
    with pytest.raises(DirectoryError, match="no site"):
        set_site_parent(registry.uow(), SHELF, UNREGISTERED)


def test_named_queries_take_what_the_query_language_takes(registry: Registry, corpus: Corpus) -> None:
    headers = {"Authorization": f"Bearer {corpus.ministry.token}"}
    definitions: dict[str, dict[str, Any]] = {
        "has-name": {"HASATTR_bizLocation": ["name"]},
        "cold-room": {"EQATTR_bizLocation_name": ["Cold room"]},
        "warm-in-fahrenheit": {"GE_value": 68, "EQ_uom": ["FAH"]},
        "within-warehouse": {"WD_bizLocation": [corpus.places["W"]], "GE_value_CEL": 20},
        "by-temperature": {
            "orderBy": f"{EX}temperature",
            "orderDirection": "ASC",
            "EQ_bizStep": ["inspecting"],
        },
    }
    with TestClient(create_app(registry)) as client:
        for name, query in definitions.items():
            made = client.post("/epcis/queries", json={"name": name, "query": query}, headers=headers)
            assert made.status_code == 201, (name, made.text)
            params: list[tuple[str, str]] = []
            for key, value in query.items():
                values = value if isinstance(value, list) else [value]
                params.append((key, "|".join(str(v) for v in values)))
            direct = client.get("/epcis/events", params=[*params, ("perPage", "1000")], headers=headers)
            named = client.get(f"/epcis/queries/{name}/events", params={"perPage": "1000"}, headers=headers)
            assert direct.status_code == named.status_code == 200, (direct.text, named.text)
            expected = [event_hash_id(e) for e in listed_events(direct.json())]
            assert expected, name
            assert [event_hash_id(e) for e in listed_events(named.json())] == expected, name
        refusals = {
            "EQ_nonsense": {"EQ_nonsense": ["x"]},
            "HASATTR_bizLocation": {"HASATTR_bizLocation": {"name": True}},
            "GE_value_CEL": {"GE_value_CEL": "warm"},
            "orderBy": {"orderBy": "temperature"},
        }
        for named_parameter, query in refusals.items():
            refused = client.post("/epcis/queries", json={"name": "refused", "query": query}, headers=headers)
            assert refused.status_code == 400, refused.text
            assert named_parameter in refused.json()["detail"], refused.json()
        assert client.get("/epcis/queries/refused", headers=headers).status_code == 404
