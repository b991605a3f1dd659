"""The EPCIS capture interface over HTTP, as a partner system would use it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.epcis.domain import event_builders as build
from tests.support.world import make_world

T0 = datetime(2025, 9, 12, 8, 0, tzinfo=UTC)
HORNS = [f"urn:epc:id:sgtin:4870002.000001.{n}" for n in range(1, 4)]


@pytest.fixture
def client(registry):  # type: ignore[no-untyped-def]
    with TestClient(create_app(registry)) as client:
        yield client


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post_document(
    client: TestClient, token: str, events: list[dict], media: str = "application/ld+json"
) -> dict:
    answer = client.post(
        "/epcis/capture",
        content=json.dumps(build.document(events)),
        headers={**auth(token), "Content-Type": media},
    )
    assert answer.status_code == 202, answer.text
    location = answer.headers["location"]
    assert location.startswith("/epcis/capture/")
    job = client.get(location, headers=auth(token))
    assert job.status_code == 200
    return job.json()


def test_capture_job_reports_success(client, registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    events = [build.commissioning([h], T0, team.sgln, ilmd={"massKg": 0.3}) for h in HORNS]
    job = post_document(client, team.token, events)
    assert (
        job["running"] is False and job["success"] is True and job["storedCount"] == 3 and job["errors"] == []
    )


def test_capture_job_lists_every_failing_event(client, registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team, warehouse = world["harvester"], world["warehouse"]
    events = [build.commissioning([h], T0, team.sgln) for h in HORNS]
    events.append(
        build.shipping(HORNS, T0 + timedelta(days=1), team.sgln, team.pgln, "urn:epc:id:pgln:4870099.00000")
    )
    events.append(build.receiving(HORNS[:1], T0 + timedelta(days=1), warehouse.sgln))
    job = post_document(client, team.token, events)
    assert job["running"] is False and job["success"] is False and job["storedCount"] == 0
    assert [(e["eventIndex"], e["rule"]) for e in job["errors"]] == [
        (3, "shipping.unknown_destination"),
        (4, "receiving.not_shipped"),
    ]
    answer = client.get("/epcis/events", headers=auth(world["ministry"].token))
    assert answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"] == []


def test_xml_documents_are_captured(client, registry, reference: Path) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    registry.settings = registry.settings.__class__(
        database_url=registry.settings.database_url, custody_rules=False
    )
    xml = (reference / "epcis/gs1-EPCIS/XML/Example_9.6.1-ObjectEvent-2020_06_18a.xml").read_bytes()
    answer = client.post(
        "/epcis/capture",
        content=xml,
        headers={**auth(world["harvester"].token), "Content-Type": "application/xml"},
    )
    assert answer.status_code == 202
    job = client.get(answer.headers["location"], headers=auth(world["harvester"].token)).json()
    assert job["success"] is True and job["storedCount"] >= 1, job


def test_single_event_capture_answers_201_with_location(client, registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    event = build.commissioning(HORNS[:1], T0, team.sgln, ilmd={"massKg": 0.3})
    event["@context"] = [build.EPCIS_CONTEXT, build.KIIK_CONTEXT]
    answer = client.post("/epcis/events", json=event, headers=auth(team.token))
    assert answer.status_code == 201, answer.text
    location = answer.headers["location"]
    fetched = client.get(location, headers=auth(team.token))
    assert fetched.status_code == 200
    again = client.post("/epcis/events", json=event, headers=auth(team.token))
    assert again.status_code == 201
    refused = client.post(
        "/epcis/events", json=dict(event, eventTime="2025-09-12T09:00:00Z"), headers=auth(team.token)
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["rule"] == "identifier.already_commissioned"


def test_no_token_is_401_and_a_viewer_cannot_capture(client, registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry, role="viewer")
    document = json.dumps(build.document([build.commissioning(HORNS[:1], T0, None)]))
    assert client.post("/epcis/capture", content=document).status_code == 401
    assert (
        client.post("/epcis/capture", content=document, headers=auth("kiik_not-a-token")).status_code == 401
    )
    answer = client.post("/epcis/capture", content=document, headers=auth(world["harvester"].token))
    assert answer.status_code == 403
    assert "events:capture" in answer.json()["detail"]


def test_another_organisations_capture_job_is_not_found(client, registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    answer = client.post(
        "/epcis/capture",
        content=json.dumps(build.document([build.commissioning(HORNS[:1], T0, None)])),
        headers=auth(team.token),
    )
    location = answer.headers["location"]
    assert client.get(location, headers=auth(world["trader"].token)).status_code == 404
    assert client.get(location, headers=auth(world["ministry"].token)).status_code == 200


def test_a_document_that_is_not_epcis_fails_its_job_with_a_reason(client, registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    answer = client.post(
        "/epcis/capture",
        content=b"{not json",
        headers={**auth(team.token), "Content-Type": "application/json"},
    )
    assert answer.status_code == 202
    job = client.get(answer.headers["location"], headers=auth(team.token)).json()
    assert job["success"] is False and job["errors"] and job["errors"][0]["message"]


def test_capture_jobs_are_listed_for_their_organisation_newest_first_in_pages(client, registry) -> None:  # type: ignore[no-untyped-def]
    world = make_world(registry)
    team = world["harvester"]
    made = [
        post_document(client, team.token, [build.commissioning([h], T0, team.sgln, ilmd={"massKg": 0.3})])[
            "captureID"
        ]
        for h in HORNS
    ]
    listed: list[str] = []
    url: str | None = "/epcis/capture?perPage=2"
    while url:
        answer = client.get(url, headers=auth(team.token))
        assert answer.status_code == 200, answer.text
        assert len(answer.json()) <= 2
        listed += [job["captureID"] for job in answer.json()]
        link = answer.headers.get("Link")
        url = link.split(">")[0].lstrip("<") if link else None
    assert listed == list(reversed(made))
    assert client.get("/epcis/capture", headers=auth(world["trader"].token)).json() == []
    everything = client.get("/epcis/capture?perPage=100", headers=auth(world["ministry"].token)).json()
    assert set(made) <= {job["captureID"] for job in everything}
    assert client.get("/epcis/capture?nextPageToken=nonsense", headers=auth(team.token)).status_code == 400
