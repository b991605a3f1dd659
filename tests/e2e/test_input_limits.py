"""Limits on every input: body sizes (413 before the body is read whole), events per document, the
length of what is stored, JSON nesting, page size, request rates (429 with Retry-After), and XML
that would read files or expand entities. Each refusal is a problem document; nothing is written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.tables import events
from kiik.epcis.domain import event_builders as build
from tests.support.people import log_in
from tests.support.world import Member, make_world

T0 = datetime(2025, 9, 12, 8, tzinfo=UTC)


def horns(first: int, count: int) -> list[dict[str, Any]]:
    return [
        build.commissioning([f"urn:epc:id:sgtin:4870002.000001.{n}"], T0, None, ilmd={"massKg": 0.3})
        for n in range(first, first + count)
    ]


def client_for(registry: Registry, **settings: Any) -> TestClient:
    return TestClient(create_app(replace(registry, settings=replace(registry.settings, **settings))))


def as_(member: Member) -> dict[str, str]:
    return {"Authorization": f"Bearer {member.token}"}


def stored(registry: Registry) -> int:
    with registry.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(events)) or 0)


def job_of(client: TestClient, member: Member, answer: Any) -> dict[str, Any]:
    assert answer.status_code == 202, answer.text
    return dict(client.get(answer.headers["location"], headers=as_(member)).json())


def test_a_body_over_its_limit_is_refused_before_it_is_read(registry: Registry) -> None:
    team = make_world(registry)["harvester"]
    document = json.dumps(build.document(horns(1, 50))).encode()
    with client_for(registry, max_document_bytes=len(document) - 1, max_request_bytes=2000) as client:
        answer = client.post("/epcis/capture", content=document, headers=as_(team))
        assert answer.status_code == 413 and answer.headers["content-type"] == "application/problem+json"
        assert f"exceeds {len(document) - 1} bytes" in answer.json()["detail"]
        # Any other request has a small limit: a JSON command of 3 kB, declared or sent in chunks.
        big = {**horns(99, 1)[0], "@context": [build.EPCIS_CONTEXT], "padding": "x" * 3000}
        declared = client.post("/epcis/events", json=big, headers=as_(team))
        assert declared.status_code == 413

        def chunks() -> Iterator[bytes]:
            text = json.dumps(big).encode()
            yield from (text[i : i + 500] for i in range(0, len(text), 500))

        streamed = client.post(
            "/epcis/events", content=chunks(), headers={**as_(team), "Content-Type": "application/json"}
        )
        assert streamed.status_code == 413
    assert stored(registry) == 0


def test_a_document_with_more_events_than_a_capture_takes_is_refused_whole(registry: Registry) -> None:
    team = make_world(registry)["harvester"]
    with client_for(registry, max_events_per_document=3) as client:
        answer = client.post(
            "/epcis/capture", content=json.dumps(build.document(horns(1, 5))), headers=as_(team)
        )
        job = job_of(client, team, answer)
    assert not job["success"]
    [error] = job["errors"]
    assert error["rule"] == "capture.too_many_events" and "more than 3 events" in error["message"]
    assert stored(registry) == 0


def test_a_value_longer_than_its_column_is_refused_naming_the_field(registry: Registry) -> None:
    team = make_world(registry)["harvester"]
    [event] = horns(1, 1)
    event["eventID"] = "urn:uuid:" + "a" * 400
    event["bizStep"] = "urn:example:step:" + "b" * 400
    with client_for(registry) as client:
        job = job_of(
            client,
            team,
            client.post("/epcis/capture", content=json.dumps(build.document([event])), headers=as_(team)),
        )
    rules = {(e["rule"], e["message"].split(" ")[0]) for e in job["errors"]}
    assert rules == {("event.value_too_long", "eventID"), ("event.value_too_long", "bizStep")}
    assert all("(4" in e["message"] and len(e["message"]) < 300 for e in job["errors"])  # value shortened
    assert stored(registry) == 0


def test_deeply_nested_json_is_refused_with_a_reason(registry: Registry) -> None:
    team = make_world(registry)["harvester"]
    [event] = horns(1, 1)
    text = json.dumps(build.document([event]))
    nested = text.replace('massKg": 0.3', 'massKg": 0.3, "deep": ' + "[" * 5000 + "]" * 5000)
    assert len(nested) > len(text) + 9000
    with client_for(registry) as client:
        job = job_of(client, team, client.post("/epcis/capture", content=nested, headers=as_(team)))
    assert [e["rule"] for e in job["errors"]] == ["event.too_deep"]
    assert stored(registry) == 0


def test_a_page_larger_than_the_ceiling_is_cut_and_says_so(registry: Registry) -> None:
    team = make_world(registry)["harvester"]
    with client_for(registry) as client:
        answer = client.get("/epcis/events", params={"perPage": "50000"}, headers=as_(team))
        assert answer.status_code == 200
        assert answer.headers["kiik-per-page"] == "10000" and answer.headers["kiik-max-per-page"] == "10000"
        small = client.get("/epcis/events", params={"perPage": "10"}, headers=as_(team))
        assert small.headers["kiik-per-page"] == "10"


def test_log_in_attempts_and_unknown_tokens_are_limited_per_address(registry: Registry) -> None:
    team = make_world(registry)["harvester"]
    with client_for(registry, login_attempts_per_minute=3) as client:
        assert (
            client.get("/epcis/events", headers=as_(team)).status_code == 200
        )  # a good token spends nothing
        answers = [log_in(client, "nobody", "a guessed password").status_code for _ in range(2)]
        answers.append(
            client.get("/epcis/events", headers={"Authorization": "Bearer kiik_guess"}).status_code
        )
        assert answers == [401, 401, 401]
        blocked = client.post("/login", data={"username": "nobody", "password": "another guess"})
        assert blocked.status_code == 429 and 1 <= int(blocked.headers["retry-after"]) <= 60
        assert blocked.headers["content-type"] == "application/problem+json"
        assert "try again in" in blocked.json()["detail"]
        assert client.get("/epcis/events", headers=as_(team)).status_code == 429  # the address waits


def test_public_answers_are_limited_per_address(registry: Registry) -> None:
    team = make_world(registry)["harvester"]
    with client_for(registry, public_requests_per_minute=3) as client:
        assert [client.get("/api/keys").status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get("/items/urn:epc:id:sgtin:4870002.000001.1")
        assert refused.status_code == 429 and "retry-after" in refused.headers
        # With a token, the API is not a public answer.
        assert client.get("/epcis/events", headers=as_(team)).status_code == 200


XXE = """<?xml version="1.0"?>
<!DOCTYPE epcis:EPCISDocument [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
 creationDate="2025-09-12T08:00:00Z">
<EPCISBody><EventList><ObjectEvent><eventTime>2025-09-12T08:00:00Z</eventTime>
<eventTimeZoneOffset>+00:00</eventTimeZoneOffset><epcList><epc>&secret;</epc></epcList>
<action>ADD</action><bizStep>commissioning</bizStep></ObjectEvent></EventList></EPCISBody>
</epcis:EPCISDocument>"""

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + ']>\n<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" '
    'creationDate="2025-09-12T08:00:00Z"><EPCISBody><EventList><ObjectEvent>'
    "<eventTime>2025-09-12T08:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>"
    "<epcList><epc>&lol9;</epc></epcList><action>ADD</action></ObjectEvent></EventList></EPCISBody>"
    "</epcis:EPCISDocument>"
)


def test_xml_cannot_read_files_or_expand_entities(registry: Registry) -> None:
    team = make_world(registry)["harvester"]
    with client_for(registry) as client:
        for document in (XXE, LAUGHS):
            answer = client.post(
                "/epcis/capture", content=document, headers={**as_(team), "Content-Type": "application/xml"}
            )
            job = job_of(client, team, answer)
            assert not job["success"], job
            text = json.dumps(job)
            assert "root:" not in text and "lollollol" not in text
    assert stored(registry) == 0


def test_the_hash_command_reads_xml_without_entities(tmp_path: Any) -> None:
    from kiik.epcis.adapters.xml import iter_xml_events

    path = tmp_path / "xxe.xml"
    path.write_text(XXE)
    converted = json.dumps(list(iter_xml_events(path)))
    assert "root:" not in converted
