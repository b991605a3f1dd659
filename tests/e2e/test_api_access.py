"""Who may see and do what over HTTP: every endpoint against every kind of caller."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.directory.services.auth import add_organisation, create_token
from kiik.epcis.domain import event_builders as build
from tests.support.people import PASSWORD, csrf_of, log_in, person
from tests.support.world import make_world

T0 = datetime(2025, 9, 12, 8, 0, tzinfo=UTC)
HORN = "urn:epc:id:sgtin:4870002.000001.1"
EVENT_ID = "urn:uuid:0b5c1e3a-1111-4222-8333-444455556666"


@pytest.fixture
def setting(registry):  # type: ignore[no-untyped-def]
    world = make_world(registry)
    tokens = {code: member.token for code, member in world.items()}
    tokens["harvester-viewer"] = create_token(registry.uow(), "harvester", "viewer").token
    add_organisation(
        registry.uow(),
        "cn-gacc",
        "General Administration of Customs of China",
        "partner_authority",
        country="CN",
    )
    tokens["partner"] = create_token(registry.uow(), "cn-gacc", "admin").token
    tokens["revoked"] = "kiik_revoked-or-never-issued"
    with TestClient(create_app(registry)) as client:
        event = build.commissioning([HORN], T0, world["harvester"].sgln, ilmd={"massKg": 0.3})
        event["eventID"] = EVENT_ID
        answer = client.post(
            "/epcis/capture",
            content=json.dumps(build.document([event])),
            headers={"Authorization": f"Bearer {tokens['harvester']}"},
        )
        job = answer.headers["location"]
        assert client.get(job, headers={"Authorization": f"Bearer {tokens['harvester']}"}).json()["success"]
        yield client, tokens, job


def call(client: TestClient, token: str | None, method: str, path: str) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = None
    if method == "POST" and path == "/epcis/capture":
        body = json.dumps(
            build.document([build.commissioning(["urn:epc:id:sgtin:4870002.000001.99"], T0, None)])
        )
    elif method == "POST":
        event = build.commissioning(["urn:epc:id:sgtin:4870002.000001.98"], T0, None)
        event["@context"] = [build.EPCIS_CONTEXT]
        body = json.dumps(event)
    return client.request(method, path, content=body, headers=headers).status_code


ITEM = "/api/items/" + quote(HORN, safe="")
# (caller, method, path) -> status. None = no token.
MATRIX = {
    (None, "GET", "/epcis/events"): 401,
    ("revoked", "GET", "/epcis/events"): 401,
    (None, "POST", "/epcis/capture"): 401,
    (None, "GET", ITEM): 401,
    ("harvester-viewer", "POST", "/epcis/capture"): 403,
    ("harvester-viewer", "POST", "/epcis/events"): 403,
    ("harvester-viewer", "GET", ITEM): 200,
    ("partner", "POST", "/epcis/capture"): 403,
    ("partner", "GET", ITEM): 404,
    ("partner", "GET", f"/epcis/events/{quote(EVENT_ID, safe='')}"): 404,
    ("harvester", "POST", "/epcis/events"): 201,
    ("harvester", "GET", ITEM): 200,
    ("harvester", "GET", ITEM + "/trace"): 200,
    ("harvester", "GET", f"/epcis/events/{quote(EVENT_ID, safe='')}"): 200,
    ("trader", "GET", ITEM): 404,
    ("trader", "GET", ITEM + "/trace"): 404,
    ("trader", "GET", f"/epcis/events/{quote(EVENT_ID, safe='')}"): 404,
    ("ministry", "GET", ITEM): 200,
    ("customs", "GET", ITEM + "/trace"): 200,
    ("inspector", "GET", f"/epcis/events/{quote(EVENT_ID, safe='')}"): 200,
    # Reconciliation with partner registries: this country's authorities only.
    (None, "GET", "/api/partner/reconciliation"): 401,
    ("ministry", "GET", "/api/partner/reconciliation"): 200,
    ("customs", "GET", "/api/partner/reconciliation"): 200,
    ("inspector", "GET", "/api/partner/reconciliation"): 200,
    ("harvester-viewer", "GET", "/api/partner/reconciliation"): 403,
    ("trader", "GET", "/api/partner/reconciliation"): 403,
    ("partner", "GET", "/api/partner/reconciliation"): 403,
}


@pytest.mark.parametrize(("caller", "method", "path"), list(MATRIX), ids=lambda v: str(v))
def test_access(setting, caller: str | None, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = setting
    status = call(client, tokens.get(caller) if caller else None, method, path)
    assert status == MATRIX[(caller, method, path)], client.request(
        method, path, headers={"Authorization": f"Bearer {tokens.get(caller)}"}
    ).text


def test_capture_jobs_are_private_to_their_organisation(setting) -> None:  # type: ignore[no-untyped-def]
    client, tokens, job = setting
    assert call(client, tokens["harvester"], "GET", job) == 200
    assert call(client, tokens["trader"], "GET", job) == 404
    assert call(client, tokens["ministry"], "GET", job) == 200


def test_another_organisations_events_are_never_listed(setting) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = setting
    for caller, expected in (("trader", 0), ("partner", 0), ("harvester", 1), ("ministry", 1)):
        answer = client.get("/epcis/events", headers={"Authorization": f"Bearer {tokens[caller]}"})
        assert answer.status_code == 200
        assert len(answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == expected, caller


def test_a_person_logs_in_and_the_session_answers_as_a_token_would(setting, registry) -> None:  # type: ignore[no-untyped-def]
    client, tokens, _ = setting
    person(registry, "harvester", "team.lead")
    page = client.get("/")
    assert page.status_code == 200 and "Log in" in page.text
    refused = log_in(client, "team.lead", "not the password at all")
    assert refused.status_code == 401 and "username or the password is wrong" in refused.text
    forged = client.post("/login", data={"username": "team.lead", "password": PASSWORD, "csrf": "forged"})
    assert forged.status_code == 403  # the form's token must match its cookie
    accepted = log_in(client, "team.lead")
    cookie = accepted.headers["set-cookie"].lower()
    assert accepted.status_code == 303 and "kiik_session=" in cookie
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie  # plain HTTP here
    home = client.get("/")
    assert "Ural harvest team 1" in home.text and "items by status" in home.text
    def events(headers: dict[str, str]) -> list[str]:
        answer = client.get("/epcis/events", headers=headers).json()
        return [e["eventID"] for e in answer["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]

    by_token = events({"Authorization": f"Bearer {tokens['harvester']}"})
    assert events({}) == by_token and len(by_token) == 1  # the same organisation's view
    event = build.commissioning(
        ["urn:epc:id:sgtin:4870002.000001.555"], datetime(2025, 9, 12, tzinfo=UTC), None, ilmd={"massKg": 0.3}
    )
    body = json.dumps({**event, "@context": [build.EPCIS_CONTEXT]})
    json_type = {"Content-Type": "application/json"}
    unprotected = client.post("/epcis/events", content=body, headers=json_type)
    assert unprotected.status_code == 403 and "security token" in unprotected.json()["detail"]
    csrf = csrf_of(home.text)
    protected = client.post("/epcis/events", content=body, headers={**json_type, "X-CSRF-Token": csrf})
    assert protected.status_code not in (401, 403), protected.text
    stale = client.post("/logout", data={"csrf": "an older page's"}, headers={"Accept": "text/html"})
    assert stale.status_code == 403 and "out of date" in stale.text and "<html" in stale.text
    client.post("/logout", data={"csrf": csrf})
    assert client.get("/epcis/events").status_code == 401


# An importing country's authority over HTTP: the lots exported to its country (and their horns)
# answer; a lot exported elsewhere, its horns and a horn never exported are 404, as for anyone
# who may not see them.
def _item(code: str, suffix: str = "") -> str:
    return "/api/items/" + quote(code, safe="") + suffix


EXPORT_MATRIX = {
    ("cn", "cn-lot"): 200,
    ("cn", "cn-lot/trace"): 200,
    ("cn", "cn-horn"): 200,
    ("cn", "cn-horn/trace"): 200,
    ("cn", "cn-harvest-event"): 200,
    ("cn", "jp-lot"): 404,
    ("cn", "jp-lot/trace"): 404,
    ("cn", "jp-horn"): 404,
    ("cn", "jp-harvest-event"): 404,
    ("cn", "kept-horn"): 404,
    ("jp", "jp-lot/trace"): 200,
    ("jp", "cn-lot"): 404,
    ("jp", "cn-harvest-event"): 404,
    ("trader", "cn-horn"): 404,
    ("ministry", "jp-horn/trace"): 200,
}


@pytest.fixture
def exported(registry):  # type: ignore[no-untyped-def]
    from kiik.epcis.domain.event_hash import event_hash_id
    from tests.support.documents import listed_events
    from tests.support.exports import export_to, partner_authority
    from tests.support.season import open_register, small_season

    world = make_world(registry)
    open_register(registry, world)
    season = small_season(registry, world)
    lots = list(season.lots)
    export_to(registry, world, [lots[0]], "CN")
    export_to(registry, world, [lots[1]], "JP")
    tokens = {code: member.token for code, member in world.items()}
    tokens["cn"] = partner_authority(registry, "cn-nfga", "CN")
    tokens["jp"] = partner_authority(registry, "jp-moe", "JP")
    with TestClient(create_app(registry)) as client:
        harvests = {}
        for name, horn in (("cn", season.horns[0]), ("jp", season.horns[8])):
            page = client.get(
                "/epcis/events",
                params={"MATCH_epc": horn, "EQ_action": "ADD"},
                headers={"Authorization": f"Bearer {tokens['ministry']}"},
            )
            [event] = listed_events(page.json())
            harvests[name] = "/epcis/events/" + quote(event_hash_id(event), safe="")
        paths = {
            "cn-lot": _item(lots[0]),
            "cn-horn": _item(season.horns[0]),
            "jp-lot": _item(lots[1]),
            "jp-horn": _item(season.horns[8]),
            "kept-horn": _item(season.trader_horns[0]),
            "cn-harvest-event": harvests["cn"],
            "jp-harvest-event": harvests["jp"],
        }
        yield client, tokens, paths


def test_partner_authorities_read_what_was_exported_to_their_country(exported) -> None:  # type: ignore[no-untyped-def]
    client, tokens, paths = exported
    found = {}
    for caller, target in EXPORT_MATRIX:
        name, _, suffix = target.partition("/")
        path = paths[name] + (f"/{suffix}" if suffix else "")
        answer = client.get(path, headers={"Authorization": f"Bearer {tokens[caller]}"})
        found[(caller, target)] = answer.status_code
        if answer.status_code == 404:
            assert "visible to you" in answer.text
    assert found == EXPORT_MATRIX
    trace = client.get(paths["cn-lot"] + "/trace", headers={"Authorization": f"Bearer {tokens['cn']}"}).json()
    assert trace["verdict"]["origin_traced"] and trace["verdict"]["sources"] == 8
