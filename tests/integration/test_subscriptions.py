"""Query subscriptions (EPCIS 2.0 REST binding): made, listed, read and deleted over HTTP; delivered
to a webhook receiver the test starts on loopback (allowed explicitly), signed with the subscriber's
signatureToken, retried with backoff while the receiver is down and resumed without losing or
repeating an event; scheduled with reportIfEmpty; webhook destinations held to the allow-list; each
subscriber seeing only what its token may see; and the same events over a WebSocket. Runs on SQLite
and PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.webhooks import HttpWebhookSender
from kiik.custody.services.subscription_delivery import deliver_subscriptions
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.epcis.domain.webhook_destinations import AllowList
from tests.support.documents import capture, listed_events
from tests.support.webhook import Receiver, start_receiver
from tests.support.world import Member, make_world

LOOPBACK = ("127.0.0.1/32",)
DAY = datetime(2025, 9, 12, 8, tzinfo=UTC)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = start_receiver()
    yield started
    started.server.shutdown()
    started.server.server_close()


@pytest.fixture
def allowed(registry: Registry) -> Registry:
    """The registry with loopback on the webhook allow-list, as its administrator would set it."""
    return replace(registry, settings=replace(registry.settings, webhook_allow=LOOPBACK))


def sender() -> HttpWebhookSender:
    return HttpWebhookSender(AllowList.read(LOOPBACK), timeout=5)


def auth(member: Member) -> dict[str, str]:
    return {"Authorization": f"Bearer {member.token}"}


def horns(team: Member, first: int, count: int, step: str = "commissioning") -> list[dict[str, Any]]:
    events = [
        build.commissioning([f"urn:epc:id:sgtin:4870002.000001.{n}"], DAY, team.sgln, ilmd={"massKg": 0.3})
        for n in range(first, first + count)
    ]
    if step != "commissioning":
        for event in events:
            event["bizStep"] = step
    return events


def delivered_hashes(receiver: Receiver) -> list[str]:
    return sorted(event_hash_id(e) for d in receiver.received for e in listed_events(d.document))


def later(seconds: float) -> datetime:
    return datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=seconds)


def _subscribe(client: TestClient, member: Member, query: dict[str, Any], body: dict[str, Any]) -> str:
    name = f"q-{member.code}-{len(body)}-{body.get('stream')}"
    made = client.post("/epcis/queries", json={"name": name, "query": query}, headers=auth(member))
    assert made.status_code == 201, made.text
    subscribed = client.post(f"/epcis/queries/{name}/subscriptions", json=body, headers=auth(member))
    assert subscribed.status_code == 201, subscribed.text
    assert subscribed.headers["location"].endswith(subscribed.json()["subscriptionID"])
    return str(subscribed.headers["location"])


def test_a_stream_is_delivered_signed_retried_and_resumed(allowed: Registry, receiver: Receiver) -> None:
    world = make_world(allowed)
    ministry, team = world["ministry"], world["harvester"]
    before = horns(team, 1, 2)
    assert capture(allowed, team.principal, before).succeeded
    with TestClient(create_app(allowed)) as client:
        body = {"dest": receiver.url, "signatureToken": "s3cret", "stream": True}
        location = _subscribe(client, ministry, {"EQ_bizStep": ["commissioning"]}, body)
        first = horns(team, 10, 3)
        assert capture(allowed, team.principal, first).succeeded
        report = deliver_subscriptions(allowed.uow, sender())
        assert list(report.delivered.values()) == [3]
        # Only what was recorded after subscribing, signed with the subscriber's token.
        assert delivered_hashes(receiver) == sorted(event_hash_id(e) for e in first)
        delivery = receiver.received[0]
        expected = "sha256=" + hmac.new(b"s3cret", delivery.body, hashlib.sha256).hexdigest()
        assert delivery.headers["gs1-signature"] == expected
        results = delivery.document["epcisBody"]["queryResults"]
        assert results["subscriptionID"] == location.rsplit("/", 1)[1]
        # Nothing new: nothing sent.
        deliver_subscriptions(allowed.uow, sender())
        assert len(receiver.received) == 1

        receiver.down = True
        second = horns(team, 20, 2)
        assert capture(allowed, team.principal, second).succeeded
        assert deliver_subscriptions(allowed.uow, sender()).failed
        shown = client.get(location, headers=auth(ministry)).json()
        assert shown["attempts"] == 1 and "503" in shown["lastError"]
        # Not due again before its backoff (1 s, then 2 s, ...).
        assert deliver_subscriptions(allowed.uow, sender()).failed == {}
        assert deliver_subscriptions(allowed.uow, sender(), now=later(1.5)).failed
        assert client.get(location, headers=auth(ministry)).json()["attempts"] == 2
        receiver.down = False
        assert list(deliver_subscriptions(allowed.uow, sender(), now=later(10)).delivered.values()) == [2]
    # Every event recorded after subscribing, each exactly once.
    assert delivered_hashes(receiver) == sorted(event_hash_id(e) for e in first + second)


def test_initial_record_time_and_a_schedule_that_reports_if_empty(
    allowed: Registry, receiver: Receiver
) -> None:
    world = make_world(allowed)
    ministry, team = world["ministry"], world["harvester"]
    earlier = horns(team, 1, 2)
    assert capture(allowed, team.principal, earlier).succeeded
    with TestClient(create_app(allowed)) as client:
        body = {
            "dest": receiver.url,
            "schedule": {"minute": "*"},
            "reportIfEmpty": True,
            "initialRecordTime": "2020-01-01T00:00:00Z",
        }
        _subscribe(client, ministry, {"EQ_bizStep": ["commissioning"]}, body)
    # Not before its first run (the next whole minute).
    assert deliver_subscriptions(allowed.uow, sender()).delivered == {}
    deliver_subscriptions(allowed.uow, sender(), now=later(61))
    assert delivered_hashes(receiver) == sorted(event_hash_id(e) for e in earlier)
    # Its next run finds nothing new, and reports so with an empty document.
    deliver_subscriptions(allowed.uow, sender(), now=later(125))
    assert len(receiver.received) == 2
    assert listed_events(receiver.received[1].document) == []


def test_a_subscriber_sees_only_what_its_token_may_see(allowed: Registry, receiver: Receiver) -> None:
    world = make_world(allowed)
    team, trader, ministry = world["harvester"], world["trader"], world["ministry"]
    with TestClient(create_app(allowed)) as client:
        _subscribe(client, trader, {"EQ_bizStep": ["commissioning"]}, {"dest": receiver.url, "stream": True})
        mine = horns(trader, 40, 1)
        assert capture(allowed, trader.principal, mine).succeeded
        theirs = horns(team, 50, 2)  # the harvester's: the trader may not read them
        assert capture(allowed, team.principal, theirs).succeeded
        deliver_subscriptions(allowed.uow, sender())
        assert delivered_hashes(receiver) == [event_hash_id(mine[0])]
        # A subscription ends with the token it was made with.
        with allowed.uow() as uow:
            grant = uow.directory.grant_for(
                __import__("kiik.directory.services.auth", fromlist=["x"]).hash_token(trader.token)
            )
            uow.directory.revoke_token(grant.token_id)
            uow.commit()
        assert capture(allowed, trader.principal, horns(trader, 60, 1)).succeeded
        report = deliver_subscriptions(allowed.uow, sender())
        assert list(report.ended.values()) == ["the subscriber's token was revoked"]
        assert len(receiver.received) == 1
        assert ministry  # the world has the ministry; its view is tested above


def test_subscriptions_are_listed_read_and_deleted_by_their_organisation(
    allowed: Registry, receiver: Receiver
) -> None:
    world = make_world(allowed)
    warehouse, plant, ministry = world["warehouse"], world["plant"], world["ministry"]
    with TestClient(create_app(allowed)) as client:
        location = _subscribe(
            client, warehouse, {"EQ_bizStep": ["shipping"]}, {"dest": receiver.url, "stream": True}
        )
        name = location.split("/")[3]
        listed = client.get(f"/epcis/queries/{name}/subscriptions", headers=auth(warehouse)).json()["member"]
        assert [s["subscriptionID"] for s in listed] == [location.rsplit("/", 1)[1]]
        assert "signatureToken" not in listed[0]
        assert client.get(location, headers=auth(plant)).status_code == 404
        assert client.get(location, headers=auth(ministry)).status_code == 200
        assert client.delete(location, headers=auth(ministry)).status_code == 404
        assert client.delete(location, headers=auth(warehouse)).status_code == 204
        assert client.get(location, headers=auth(warehouse)).status_code == 404


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"dest": "http://10.1.2.3/hook", "stream": True}, "allow-list"),
        ({"dest": "http://127.0.0.2:9/hook", "stream": True}, "allow-list"),
        ({"dest": "ftp://127.0.0.1/hook", "stream": True}, "http(s) URL"),
        ({"dest": "http://127.0.0.1/hook"}, "stream, schedule"),
        ({"dest": "http://127.0.0.1/hook", "stream": True, "schedule": {"hour": "1"}}, "stream, schedule"),
        ({"dest": "http://127.0.0.1/hook", "schedule": {"hour": "25"}}, "schedule.hour"),
        ({"dest": "http://127.0.0.1/hook", "stream": True, "initialRecordTime": "soon"}, "initialRecordTime"),
    ],
)
def test_bad_subscriptions_are_refused_with_the_field_named(
    allowed: Registry, body: dict[str, Any], named: str
) -> None:
    world = make_world(allowed)
    ministry = world["ministry"]
    with TestClient(create_app(allowed)) as client:
        made = client.post("/epcis/queries", json={"name": "q", "query": {}}, headers=auth(ministry))
        assert made.status_code == 201
        refused = client.post("/epcis/queries/q/subscriptions", json=body, headers=auth(ministry))
        assert refused.status_code == 400, refused.text
        assert named in refused.json()["detail"]
        assert client.get("/epcis/queries/q/subscriptions", headers=auth(ministry)).json()["member"] == []


def test_internal_addresses_are_refused_unless_allowed(registry: Registry) -> None:
    world = make_world(registry)
    ministry = world["ministry"]
    with TestClient(create_app(registry)) as client:
        client.post("/epcis/queries", json={"name": "q", "query": {}}, headers=auth(ministry))
        refused = client.post(
            "/epcis/queries/q/subscriptions",
            json={"dest": "http://127.0.0.1:8000/hook", "stream": True},
            headers=auth(ministry),
        )
        assert refused.status_code == 400 and "allow-list" in refused.json()["detail"]


def test_the_same_events_over_a_websocket(allowed: Registry) -> None:
    world = make_world(allowed)
    ministry, team = world["ministry"], world["harvester"]
    with TestClient(create_app(allowed)) as client:
        client.post(
            "/epcis/queries",
            json={"name": "ws", "query": {"EQ_bizStep": ["commissioning"]}},
            headers=auth(ministry),
        )
        with client.websocket_connect("/epcis/queries/ws/events", headers=auth(ministry)) as socket:
            new = horns(team, 70, 2)
            assert capture(allowed, team.principal, new).succeeded
            assert capture(allowed, team.principal, horns(team, 80, 1, step="storing")).succeeded
            document = socket.receive_json()
        assert sorted(event_hash_id(e) for e in listed_events(document)) == sorted(
            event_hash_id(e) for e in new
        )
        with pytest.raises(Exception):  # noqa: B017 (the close code is what matters, not the class)
            with client.websocket_connect(
                "/epcis/queries/ws/events", headers={"Authorization": "Bearer nope"}
            ) as s:
                s.receive_json()


def test_a_websocket_subscriber_receives_events_from_a_running_server(allowed: Registry) -> None:
    """The same over a real connection: uvicorn serving kiik on a loopback port (its WebSocket
    protocol from wsproto, as `kiik serve` runs it), a client speaking RFC 6455 with wsproto."""
    import json
    import socket
    from urllib.parse import urlsplit

    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, CloseConnection, RejectConnection, Request, TextMessage

    from tests.support.browser import served

    world = make_world(allowed)
    ministry, team = world["ministry"], world["harvester"]
    with served(create_app(allowed)) as base:
        host, port = urlsplit(base).hostname, urlsplit(base).port
        assert host is not None and port is not None
        import httpx

        created = httpx.post(
            f"{base}/epcis/queries",
            json={"name": "live", "query": {"EQ_bizStep": ["commissioning"]}},
            headers=auth(ministry),
        )
        assert created.status_code == 201, created.text
        connection = WSConnection(ConnectionType.CLIENT)
        token = auth(ministry)["Authorization"].encode()
        new = horns(team, 90, 3)
        with socket.create_connection((host, port), timeout=30) as sock:
            request = Request(
                host=f"{host}:{port}",
                target="/epcis/queries/live/events",
                extra_headers=[(b"authorization", token)],
            )
            sock.sendall(connection.send(request))
            # The events may come in one query document or in several (one per delivery round):
            # read documents until the three have come, each document parsed on its own.
            text, received = "", []
            while len(received) < len(new):
                connection.receive_data(sock.recv(65536) or None)
                for event in connection.events():
                    if isinstance(event, AcceptConnection):
                        assert capture(allowed, team.principal, new).succeeded
                    elif isinstance(event, TextMessage):
                        text += event.data
                        if event.message_finished:
                            received += listed_events(json.loads(text))
                            text = ""
                    elif isinstance(event, (RejectConnection, CloseConnection)):
                        raise AssertionError(f"the server ended the WebSocket: {event}")
            sock.sendall(connection.send(CloseConnection(code=1000)))
    # Each event once: none lost, none delivered twice.
    assert sorted(event_hash_id(e) for e in received) == sorted(event_hash_id(e) for e in new)


def test_a_subscription_made_in_a_session_ignores_an_old_token_cookie(
    allowed: Registry, receiver: Receiver
) -> None:
    """The old `kiik_token` cookie is not read: a subscription made in a session is bound to no token,
    so revoking the token that an old cookie still carries does not end it."""
    from kiik.directory.services.auth import hash_token
    from tests.support.people import csrf_of, log_in, person

    world = make_world(allowed)
    trader = world["trader"]
    person(allowed, trader.code, "dana", "admin")
    with TestClient(create_app(allowed)) as client:
        assert log_in(client, "dana").status_code == 303
        client.cookies.set("kiik_token", trader.token)
        csrf = {"X-CSRF-Token": csrf_of(client.get("/account").text)}
        made = client.post(
            "/epcis/queries",
            json={"name": "q-session", "query": {"EQ_bizStep": ["commissioning"]}},
            headers=csrf,
        )
        assert made.status_code == 201, made.text
        body = {"dest": receiver.url, "stream": True}
        assert (
            client.post("/epcis/queries/q-session/subscriptions", json=body, headers=csrf).status_code == 201
        )
    with allowed.uow() as uow:
        uow.directory.revoke_token(uow.directory.grant_for(hash_token(trader.token)).token_id)
        uow.commit()
    assert capture(allowed, world["trader"].principal, horns(trader, 70, 1)).succeeded
    report = deliver_subscriptions(allowed.uow, sender())
    assert report.ended == {}
    assert len(receiver.received) == 1
