"""The query API over HTTP: EPCIS query documents that validate, pages by Link header, scoped items."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.epcis.domain.identifiers import canonical_key
from tests.integration.test_event_query import HORNS, LOT, STOCK_COUNT_ID, Season, season
from tests.support.documents import listed_events

SCHEMAS = Path(__file__).resolve().parents[2] / "src" / "kiik" / "epcis" / "adapters" / "schemas"
SCHEMA = SCHEMAS / "epcis_schema.json"


@pytest.fixture
def data(registry: Registry) -> Season:
    return season(registry)


@pytest.fixture
def client(registry: Registry) -> TestClient:
    return TestClient(create_app(registry))


def auth(data: Season, code: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {data.world[code].token}"}


def schema_errors(document: dict[str, Any]) -> list[str]:
    validator = Draft7Validator(json.loads(SCHEMA.read_text()), format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def events_of(response: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return events


def test_a_query_answer_is_a_valid_epcis_query_document_of_the_captured_events(
    client: TestClient, data: Season
) -> None:
    response = client.get("/epcis/events", params={"perPage": "100"}, headers=auth(data, "ministry"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.headers["GS1-EPCIS-Version"] == "2.0.0"
    document = response.json()
    assert schema_errors(document) == []
    assert document["type"] == "EPCISQueryDocument"
    results = document["epcisBody"]["queryResults"]
    assert results["queryName"] == "SimpleEventQuery"
    assert sorted(event_hash_id(e) for e in listed_events(document)) == sorted(data.hashes)
    assert "Link" not in response.headers


def test_plain_json_when_asked_and_406_for_what_kiik_cannot_give(client: TestClient, data: Season) -> None:
    asked = client.get("/epcis/events", headers={**auth(data, "ministry"), "Accept": "application/json"})
    assert asked.headers["content-type"].startswith("application/json")
    refused = client.get("/epcis/events", headers={**auth(data, "ministry"), "Accept": "text/csv"})
    assert refused.status_code == 406
    assert "application/xml" in refused.json()["detail"]


def test_pages_are_linked_until_the_last(client: TestClient, data: Season) -> None:
    url: str | None = "/epcis/events?perPage=3&EQ_bizStep=commissioning|shipping|receiving"
    seen: list[str] = []
    while url:
        response = client.get(url, headers=auth(data, "inspector"))
        assert response.status_code == 200, response.text
        seen += [event_hash_id(e) for e in listed_events(response.json())]
        link = response.headers.get("Link")
        if link is None:
            assert "GS1-Next-Page-Token" not in response.headers
            url = None
            continue
        match = re.fullmatch(r'<(.+)>; rel="next"', link)
        assert match, link
        url = match.group(1)
        assert response.headers["GS1-Next-Page-Token"] in url
    assert len(seen) == 9 and len(set(seen)) == 9


def test_no_token_is_401_and_a_bad_parameter_is_400_naming_it(client: TestClient, data: Season) -> None:
    assert client.get("/epcis/events").status_code == 401
    assert client.get("/epcis/events", headers={"Authorization": "Bearer kiik_nope"}).status_code == 401
    assert client.get(f"/api/items/{quote(HORNS[0], safe='')}").status_code == 401
    response = client.get("/epcis/events?EQ_colour=red", headers=auth(data, "ministry"))
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "epcisException:QueryParameterException" and "EQ_colour" in problem["detail"]
    response = client.get("/epcis/events", params={"GE_eventTime": "soon"}, headers=auth(data, "ministry"))
    assert response.status_code == 400 and "GE_eventTime" in response.json()["detail"]


def test_match_parameters_over_http(client: TestClient, data: Season) -> None:
    for spelling in (HORNS[0], canonical_key(HORNS[0]), "(01)04870002000010(21)1"):
        parameters = {"MATCH_anyEPC": spelling}
        response = client.get("/epcis/events", params=parameters, headers=auth(data, "customs"))
        assert len(events_of(response)) == 7


def test_one_event_by_its_id_or_hash_id(client: TestClient, data: Season) -> None:
    response = client.get(f"/epcis/events/{quote(STOCK_COUNT_ID, safe='')}", headers=auth(data, "warehouse"))
    assert response.status_code == 200, response.text
    document = response.json()
    assert schema_errors(document) == []
    [event] = document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert event["eventID"] == STOCK_COUNT_ID
    transformation = next(h for h, e in data.hashes.items() if e["type"] == "TransformationEvent")
    for path in (quote(transformation, safe=""), transformation):
        found = client.get(f"/epcis/events/{path}", headers=auth(data, "plant"))
        assert found.status_code == 200, (path, found.text)
        [event] = listed_events(found.json())
        assert event_hash_id(event) == transformation
    hidden = client.get(f"/epcis/events/{quote(transformation, safe='')}", headers=auth(data, "harvester"))
    assert hidden.status_code == 404 and "visible to you" in hidden.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        quote(HORNS[0], safe=""),
        quote(canonical_key(HORNS[0]), safe=""),
        canonical_key(HORNS[0]),
        quote("(01)04870002000010(21)1", safe=""),
    ],
)
def test_an_item_by_any_spelling(client: TestClient, data: Season, path: str) -> None:
    response = client.get(f"/api/items/{path}", headers=auth(data, "plant"))
    assert response.status_code == 200, response.text
    item = response.json()
    assert item["key"] == canonical_key(HORNS[0])
    assert item["holder"] == {"code": "plant", "name": "Processing plant, Oral"}
    assert (item["status"], item["mass_kg"], item["event_count"]) == ("consumed", 0.26, 7)


def test_an_item_outside_the_scope_is_404_and_a_bad_code_400(client: TestClient, data: Season) -> None:
    for code, who in ((HORNS[0], "harvester"), ("urn:epc:id:sgtin:4870002.000001.999", "ministry")):
        response = client.get(f"/api/items/{quote(code, safe='')}", headers=auth(data, who))
        assert response.status_code == 404 and "visible to you" in response.json()["detail"]
    wrong_check_digit = quote("(01)04870002000011(21)1", safe="")
    response = client.get(f"/api/items/{wrong_check_digit}", headers=auth(data, "plant"))
    assert response.status_code == 400 and "check digit" in response.json()["detail"]


def test_an_items_trace(client: TestClient, data: Season) -> None:
    response = client.get(f"/api/items/{quote(LOT, safe='')}/trace", headers=auth(data, "plant"))
    assert response.status_code == 200, response.text
    trace = response.json()
    assert trace["item"]["key"] == canonical_key(LOT)
    assert trace["verdict"]["origin_traced"] and trace["verdict"]["animals"] == 1
    assert [h["type"] for h in trace["history"]] == ["TransformationEvent"]
    made_by = trace["lineage"]["backward"]["made_by"]
    assert [n["key"] for n in made_by["inputs"]] == [canonical_key(h) for h in HORNS[:2]]
    assert made_by["inputs"][0]["origin"]["ilmd"]["kiik:species"] == "Saiga tatarica"
    hidden = client.get(f"/api/items/{quote(LOT, safe='')}/trace", headers=auth(data, "warehouse"))
    assert hidden.status_code == 404
