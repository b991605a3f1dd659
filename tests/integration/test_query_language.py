"""The query language of EPCIS 2.0 section 8.2.7.1 beyond the stored columns: user extensions (top
level and INNER), ILMD, sensor data, business transactions, sources and destinations, quantities,
persistent dispositions, master data (HASATTR_, EQATTR_), eventCountLimit, maxEventCount and the
order. Each answer is compared with the events the test picks itself from what it captured, written
out plainly per case. Runs on SQLite and PostgreSQL."""

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
from kiik.directory.domain.permissions import Principal
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.errors import QueryError, QueryTooLarge
from tests.support.documents import capture, listed_events
from tests.support.world import Member, make_world

EX = "https://example.org/ex/"
START = datetime(2025, 9, 12, 6, tzinfo=UTC)
UNREGISTERED_PLACE = "urn:epc:id:sgln:4870099.00001.0"
DEVICES = ("urn:epc:id:giai:4870001.1", "urn:epc:id:giai:4870001.2")


def _event(n: int, pick: random.Random, site: str) -> dict[str, Any]:
    """An ObjectEvent with some of every kind of field, chosen by the seeded `pick`."""
    moment = START + timedelta(hours=n)
    event: dict[str, Any] = {
        "@context": [{"ex": EX}],
        "type": "ObjectEvent",
        "eventTime": build.epcis_time(moment),
        "eventTimeZoneOffset": "+00:00",
        "epcList": [f"urn:epc:id:sgtin:4870002.000001.{1000 + n}"],
        "action": "ADD",
        "bizStep": pick.choice(["inspecting", "storing"]),
        "bizLocation": {"id": site if n % 3 else UNREGISTERED_PLACE},
        "ex:weight": pick.randint(1, 100),
        "ilmd": {
            "ex:massKg": round(pick.uniform(0.1, 5.0), 2),
            "ex:harvested": build.epcis_time(START + timedelta(days=pick.randint(0, 9))),
            "ex:animal": {"ex:sex": pick.choice(["male", "female"])},
        },
        "bizTransactionList": [
            {"type": "po", "bizTransaction": f"urn:epcglobal:cbv:bt:4870001000004:PO-{n % 4}"}
        ],
        "sourceList": [{"type": "owning_party", "source": f"urn:epc:id:pgln:4870001.0000{n % 3}"}],
        "quantityList": [
            {
                "epcClass": "urn:epc:class:lgtin:4870002.000002.L1",
                "quantity": pick.randint(1, 9),
                "uom": "KGM",
            }
        ],
    }
    if pick.random() < 0.6:
        event["ex:grade"] = pick.choice(["A", "B", "C"])
    if pick.random() < 0.5:
        event["ex:lot"] = {"ex:origin": {"ex:region": pick.choice(["ural", "betpak"])}}
    if pick.random() < 0.7:
        reports = [{"type": "Temperature", "value": round(pick.uniform(-10, 35), 1), "uom": "CEL"}]
        if pick.random() < 0.5:
            reports.append({"type": "RelativeHumidity", "value": pick.randint(10, 90), "uom": "P1"})
        metadata = {
            "time": build.epcis_time(moment - timedelta(minutes=30)),
            "startTime": build.epcis_time(moment - timedelta(hours=n % 5)),
            "endTime": build.epcis_time(moment),
            "deviceID": pick.choice(DEVICES),
        }
        reports[0] |= {"minValue": reports[0]["value"] - 2, "maxValue": reports[0]["value"] + 2}
        if pick.random() < 0.5:
            reports.append(
                {"type": "Dimensionless", "booleanValue": pick.random() < 0.5, "stringValue": f"s{n % 3}"}
            )
        event["sensorElementList"] = [{"sensorMetadata": metadata, "sensorReport": reports}]
    if pick.random() < 0.3:
        event["persistentDisposition"] = {"set": ["completeness_verified"]}
    return event


@dataclass
class Corpus:
    events: list[dict[str, Any]]
    ministry: Member
    site_name: str

    def hashes(self, keep: Callable[[dict[str, Any]], bool]) -> list[str]:
        return sorted(event_hash_id(e) for e in self.events if keep(e))


@pytest.fixture
def corpus(registry: Registry) -> Corpus:
    world = make_world(registry)
    ministry = world["ministry"]
    pick = random.Random(16)
    site = world["warehouse"].sgln
    events = [_event(n, pick, site) for n in range(40)]

    outcome = capture(registry, ministry.principal, events, rules=False)
    assert outcome.succeeded, outcome.errors
    with registry.uow() as uow:
        name = next(s.name for s in uow.directory.sites() if s.sgln == site)
    return Corpus(events, ministry, name)


def answer(
    registry: Registry, principal: Principal, parameters: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    return query_events(registry.uow(), principal, [*parameters, ("perPage", "1000")]).events


def _reports(e: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for element in e.get("sensorElementList", []) for r in element["sensorReport"]]


def _temperatures(e: dict[str, Any]) -> list[float]:
    return [r["value"] for r in _reports(e) if r.get("uom") == "CEL"]


def _region(e: dict[str, Any]) -> str | None:
    return e.get("ex:lot", {}).get("ex:origin", {}).get("ex:region")


CASES: dict[str, tuple[list[tuple[str, str]], Callable[[dict[str, Any]], bool]]] = {
    "EQ on an extension": ([("EQ_ex:grade", "A|B")], lambda e: e.get("ex:grade") in ("A", "B")),
    "GE on an extension": ([("GE_ex:weight", "50")], lambda e: e["ex:weight"] >= 50),
    "GT and LE together": (
        [("GT_ex:weight", "20"), ("LE_ex:weight", "60")],
        lambda e: 20 < e["ex:weight"] <= 60,
    ),
    "LT on an extension": ([("LT_ex:weight", "30")], lambda e: e["ex:weight"] < 30),
    "EXISTS on an extension": ([("EXISTS_ex:grade", "")], lambda e: "ex:grade" in e),
    "EXISTS on an object": ([("EXISTS_ex:lot", "")], lambda e: "ex:lot" in e),
    "EQ_INNER": ([("EQ_INNER_ex:region", "ural")], lambda e: _region(e) == "ural"),
    "EXISTS_INNER": ([("EXISTS_INNER_ex:region", "")], lambda e: _region(e) is not None),
    "EQ_ILMD on a number": (
        [("GE_ILMD_ex:massKg", "2.5")],
        lambda e: e["ilmd"]["ex:massKg"] >= 2.5,
    ),
    "LT_ILMD on a date-time": (
        [("LT_ILMD_ex:harvested", "2025-09-15T00:00:00Z")],
        lambda e: e["ilmd"]["ex:harvested"] < "2025-09-15T00:00:00.000Z",
    ),
    "EQ_INNER_ILMD": (
        [("EQ_INNER_ILMD_ex:sex", "male")],
        lambda e: e["ilmd"]["ex:animal"]["ex:sex"] == "male",
    ),
    "EQ_type": (
        [("EQ_type", "RelativeHumidity")],
        lambda e: any(r["type"] == "RelativeHumidity" for r in _reports(e)),
    ),
    "EQ_type as a URI": (
        [("EQ_type", "https://gs1.org/voc/RelativeHumidity")],
        lambda e: any(r["type"] == "RelativeHumidity" for r in _reports(e)),
    ),
    "GE_value with its unit": ([("GE_value_CEL", "20")], lambda e: any(t >= 20 for t in _temperatures(e))),
    "LT_value with its unit": ([("LT_value_CEL", "0")], lambda e: any(t < 0 for t in _temperatures(e))),
    # Values compare after conversion into the unit asked; a unit of another dimension matches none.
    "a unit nobody used": ([("GE_value_KGM", "-1000")], lambda e: False),
    "EQ_uom": ([("EQ_uom", "P1")], lambda e: any(r.get("uom") == "P1" for r in _reports(e))),
    "EQ_deviceID": (
        [("EQ_deviceID", DEVICES[0])],
        lambda e: any(s["sensorMetadata"]["deviceID"] == DEVICES[0] for s in e.get("sensorElementList", [])),
    ),
    "GE_time": (
        [("GE_time", "2025-09-13T00:00:00Z")],
        lambda e: any(
            s["sensorMetadata"]["time"] >= "2025-09-13T00:00:00.000Z" for s in e.get("sensorElementList", [])
        ),
    ),
    "EXISTS_sensorElementList": ([("EXISTS_sensorElementList", "")], lambda e: "sensorElementList" in e),
    "EQ_booleanValue": (
        [("EQ_booleanValue", "true")],
        lambda e: any(r.get("booleanValue") is True for r in _reports(e)),
    ),
    "EQ_stringValue": (
        [("EQ_stringValue", "s1|s2")],
        lambda e: any(r.get("stringValue") in ("s1", "s2") for r in _reports(e)),
    ),
    "GE_startTime and LT_endTime": (
        [("GE_startTime", "2025-09-12T20:00:00Z"), ("LT_endTime", "2025-09-13T12:00:00Z")],
        lambda e: (
            any(
                s["sensorMetadata"]["startTime"] >= "2025-09-12T20:00:00.000Z"
                for s in e.get("sensorElementList", [])
            )
            and any(
                s["sensorMetadata"]["endTime"] < "2025-09-13T12:00:00.000Z"
                for s in e.get("sensorElementList", [])
            )
        ),
    ),
    "GE_maxValue and LT_minValue with units": (
        [("GE_maxValue_CEL", "30"), ("LT_minValue_CEL", "33")],
        lambda e: (
            any(r.get("maxValue", -999) >= 30 for r in _reports(e) if r.get("uom") == "CEL")
            and any(r.get("minValue", 999) < 33 for r in _reports(e) if r.get("uom") == "CEL")
        ),
    ),
    "EQ_bizTransaction_po": (
        [("EQ_bizTransaction_po", "urn:epcglobal:cbv:bt:4870001000004:PO-1")],
        lambda e: e["bizTransactionList"][0]["bizTransaction"].endswith("PO-1"),
    ),
    "EQ_bizTransaction of another type": (
        [("EQ_bizTransaction_inv", "urn:epcglobal:cbv:bt:4870001000004:PO-1")],
        lambda e: False,
    ),
    "EQ_source_owning_party": (
        [("EQ_source_owning_party", "urn:epc:id:pgln:4870001.00002")],
        lambda e: e["sourceList"][0]["source"].endswith("00002"),
    ),
    "GE_quantity with its unit": (
        [("GE_quantity_KGM", "5")],
        lambda e: e["quantityList"][0]["quantity"] >= 5,
    ),
    "EQ_persistentDisposition_set": (
        [("EQ_persistentDisposition_set", "https://ref.gs1.org/cbv/Disp-completeness_verified")],
        lambda e: "persistentDisposition" in e,
    ),
    "HASATTR_bizLocation": (
        [("HASATTR_bizLocation", "name")],
        lambda e: e["bizLocation"]["id"] != UNREGISTERED_PLACE,
    ),
    "EQATTR_bizLocation_name, with a column filter": (
        [("EQATTR_bizLocation_name", "SITE"), ("EQ_bizStep", "storing")],
        lambda e: e["bizLocation"]["id"] != UNREGISTERED_PLACE and e["bizStep"] == "storing",
    ),
    "WD_bizLocation": (
        [("WD_bizLocation", UNREGISTERED_PLACE)],
        lambda e: e["bizLocation"]["id"] == UNREGISTERED_PLACE,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_parameter_answers_what_the_test_computes(registry: Registry, corpus: Corpus, case: str) -> None:
    parameters, keep = CASES[case]
    parameters = [(n, corpus.site_name if v == "SITE" else v) for n, v in parameters]
    expected = corpus.hashes(keep)
    assert (
        0 < len(expected) < len(corpus.events) or keep == CASES["a unit nobody used"][1] or "another" in case
    )
    found = answer(registry, corpus.ministry.principal, parameters)
    assert sorted(event_hash_id(e) for e in found) == expected


def test_order_and_event_count_limit_over_pages(registry: Registry, corpus: Corpus) -> None:
    heavy = [e for e in corpus.events if e["ex:weight"] >= 20]
    for direction in ("ASC", "DESC"):
        ordered = sorted(heavy, key=lambda e: e["eventTime"], reverse=direction == "DESC")
        parameters = [("GE_ex:weight", "20"), ("orderBy", "eventTime"), ("orderDirection", direction)]
        found = answer(registry, corpus.ministry.principal, parameters)
        assert [event_hash_id(e) for e in found] == [event_hash_id(e) for e in ordered]
    # At most 7 events in all, in pages of 3: 3 + 3 + 1, then no next page.
    ordered = sorted(heavy, key=lambda e: e["eventTime"])[:7]
    limited = [("GE_ex:weight", "20"), ("orderDirection", "ASC"), ("eventCountLimit", "7"), ("perPage", "3")]
    pages, token = [], None
    while True:
        page = query_events(
            registry.uow(), corpus.ministry.principal, limited + ([("nextPageToken", token)] if token else [])
        )
        pages.append(len(page.events))
        token = page.next_page_token
        if token is None:
            break
    assert pages == [3, 3, 1]
    assert len(ordered) == 7


def test_max_event_count_refuses_a_query_that_matches_more(registry: Registry, corpus: Corpus) -> None:
    ural = corpus.hashes(lambda e: _region(e) == "ural")
    asked = [("EQ_INNER_ex:region", "ural")]
    with pytest.raises(QueryTooLarge, match="maxEventCount"):
        answer(registry, corpus.ministry.principal, [*asked, ("maxEventCount", str(len(ural) - 1))])
    found = answer(registry, corpus.ministry.principal, [*asked, ("maxEventCount", str(len(ural)))])
    assert sorted(event_hash_id(e) for e in found) == ural
    with TestClient(create_app(registry)) as client:
        headers = {"Authorization": f"Bearer {corpus.ministry.token}"}
        refused = client.get(
            "/epcis/events", params={"EQ_INNER_ex:region": "ural", "maxEventCount": "1"}, headers=headers
        )
        assert refused.status_code == 413
        assert refused.json()["type"] == "epcisException:QueryTooLargeException"


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        ([("GE_ex:weight", "abc")], "GE_ex:weight"),
        ([("GE_value_CEL", "warm")], "GE_value_CEL"),
        ([("GE_time", "yesterday")], "GE_time"),
        ([("eventCountLimit", "3"), ("maxEventCount", "3")], "eventCountLimit and maxEventCount"),
        ([("eventCountLimit", "0")], "eventCountLimit"),
        ([("EQ_nonsense", "1")], "EQ_nonsense"),
        ([("GE_ex:weight", "1"), ("GE_ex:weight", "2")], "GE_ex:weight"),
    ],
)
def test_bad_parameters_are_named(registry: Registry, corpus: Corpus, parameters: list, named: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(QueryError) as raised:
        answer(registry, corpus.ministry.principal, parameters)
    assert str(raised.value).startswith(named)


def test_the_language_works_on_every_query_path(registry: Registry, corpus: Corpus) -> None:
    storing_ural = corpus.hashes(lambda e: e["bizStep"] == "storing" and _region(e) == "ural")
    headers = {"Authorization": f"Bearer {corpus.ministry.token}"}
    with TestClient(create_app(registry)) as client:
        made = client.post(
            "/epcis/queries",
            json={"name": "ural", "query": {"EQ_INNER_ex:region": ["ural"], "EQ_bizStep": ["storing"]}},
            headers=headers,
        )
        assert made.status_code == 201, made.text
        for path, params in (
            ("/epcis/queries/ural/events", {}),
            ("/epcis/bizSteps/storing/events", {"EQ_INNER_ex:region": "ural"}),
            ("/epcis/events", {"EQ_INNER_ex:region": "ural", "EQ_bizStep": "storing"}),
        ):
            got = client.get(path, params=params, headers=headers)
            assert got.status_code == 200, got.text
            assert sorted(event_hash_id(e) for e in listed_events(got.json())) == storing_ural, path


def test_eq_transformation_id(registry: Registry) -> None:
    ministry = make_world(registry)["ministry"]
    made = [
        {
            **build.transformation(
                [f"urn:epc:id:sgtin:4870002.000001.{2000 + n}"],
                [(f"urn:epc:class:lgtin:4870002.000002.T{n}", 0.2)],
                START + timedelta(days=3, hours=n),
                None,
                "powder",
            ),
            "transformationID": f"urn:epc:id:gdti:4870002.00001.{n}",
        }
        for n in range(3)
    ]
    assert capture(registry, ministry.principal, made, rules=False).succeeded
    found = answer(
        registry, ministry.principal, [("EQ_transformationID", "urn:epc:id:gdti:4870002.00001.1|x:y")]
    )
    assert [event_hash_id(e) for e in found] == [event_hash_id(made[1])]
