"""EPCIS 2.0 REST binding discovery: the top-level resources, event types, business steps and
dispositions (the CBV's and kiik's own), and the business locations, read points and EPCs named by
the events the caller may read, in pages; each resource's events are the query /epcis/events filtered
by it, scoped the same way."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.epcis.domain.event_facts import read_event
from kiik.epcis.domain.event_hash import event_hash_id
from tests.integration.test_event_query import season
from tests.support.documents import listed_events


def members(client: TestClient, url: str, token: str) -> list[str]:
    """Every member of a collection, following its Link headers page by page."""
    found: list[str] = []
    following: str | None = url
    while following:
        answer = client.get(following, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["GS1-EPCIS-Version"] == "2.0.0" and answer.json()["type"] == "Collection"
        found += answer.json()["member"]
        link = answer.headers.get("link")
        following = link.split(">")[0].lstrip("<").replace("http://testserver", "") if link else None
    return found


def hashes(client: TestClient, url: str, token: str) -> list[str]:
    answer = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return sorted(event_hash_id(e) for e in listed_events(answer.json()))


def test_discovery_lists_resources_and_their_events(registry: Registry) -> None:
    data = season(registry)
    inspector, trader = data.world["inspector"].token, data.world["trader"].token
    captured: list[dict[str, Any]] = list(data.hashes.values())
    facts = [read_event(e) for e in captured]
    with TestClient(create_app(registry)) as client:
        assert members(client, "/epcis/", inspector)[:2] == ["capture", "events"]
        assert "TransformationEvent" in members(client, "/epcis/eventTypes", inspector)
        assert {"shipping", "receiving", "urn:kiik:bizstep:seizing"} <= set(
            members(client, "/epcis/bizSteps", inspector)
        )
        assert "urn:kiik:disp:seized" in members(client, "/epcis/dispositions", inspector)
        # What the events name, worked out here from the captured events, in pages of two.
        expected_epcs = sorted(
            {
                key
                for f in facts
                for role, key in f.identifier_pairs
                if role in ("epc", "input", "output", "parent", "child")
            }
        )
        assert members(client, "/epcis/epcs?perPage=2", inspector) == expected_epcs
        expected_locations = sorted({f.biz_location for f in facts if f.biz_location})
        assert members(client, "/epcis/bizLocations?perPage=2", inspector) == expected_locations
        # A trader that reads no event of this season is listed nothing.
        assert members(client, "/epcis/bizLocations", trader) == []

        assert (
            client.get(
                "/epcis/eventTypes/NoSuchEvent", headers={"Authorization": f"Bearer {inspector}"}
            ).status_code
            == 404
        )
        for resource, parameter, value in (
            ("bizSteps", "EQ_bizStep", "shipping"),
            ("eventTypes", "eventType", "TransformationEvent"),
            ("bizLocations", "EQ_bizLocation", expected_locations[0]),
            ("epcs", "MATCH_anyEPC", expected_epcs[0]),
        ):
            sub = members(client, f"/epcis/{resource}/{quote(value, safe='')}", inspector)
            assert sub == ["events"]
            through_resource = hashes(client, f"/epcis/{resource}/{quote(value, safe='')}/events", inspector)
            through_query = hashes(client, f"/epcis/events?{parameter}={quote(value, safe='')}", inspector)
            assert through_resource == through_query and through_resource, resource
        options = client.options("/epcis/")
        assert options.status_code == 204 and options.headers["allow"] == "GET, OPTIONS"
        assert client.options("/epcis/events").headers["allow"] == "GET, POST, OPTIONS"
        assert client.options("/epcis/queries/x").headers["allow"] == "GET, DELETE, OPTIONS"
        assert client.options("/epcis/capture").headers["allow"] == "GET, POST, OPTIONS"
        assert client.options("/epcis/no-such-thing").status_code == 404


def test_every_epcis_answer_carries_the_binding_headers(registry: Registry) -> None:
    data = season(registry)
    inspector = {"Authorization": f"Bearer {data.world['inspector'].token}"}
    with TestClient(create_app(registry)) as client:
        for answer in (
            client.get("/epcis/", headers=inspector),
            client.get("/epcis/events", headers=inspector),
            client.get("/epcis/events"),  # 401
            client.get("/epcis/eventTypes/NoSuchEvent", headers=inspector),  # 404
            client.options("/epcis/"),
        ):
            assert (
                answer.headers["GS1-EPCIS-Version"] == "2.0.0"
                and answer.headers["GS1-CBV-Version"] == "2.0.0"
            )
            assert "GS1-Extensions" in answer.headers
            assert answer.headers["GS1-EPCIS-Capture-Limit"] == str(registry.settings.max_events_per_document)
            assert answer.headers["GS1-EPCIS-Capture-File-Size-Limit"] == str(
                registry.settings.max_document_bytes
            )
        assert "GS1-EPCIS-Version" not in client.get("/api/keys").headers
