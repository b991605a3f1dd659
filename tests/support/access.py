"""The world the authorization matrix is tested in: a caller of every kind and role, and an object of
every kind that a route or page names, owned by one organisation so that "own" and "another
organisation's" can both be asked."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from tempfile import mkdtemp
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.webhooks import HttpWebhookSender
from kiik.custody.services.subscriptions import SubscriptionRequest, create_subscription
from kiik.directory.services.auth import create_token
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from kiik.epcis.domain.webhook_destinations import AllowList
from kiik.permits.services.application import ApplyForPermit, apply_for_permit
from tests.support.enforcement import enforcement_objects
from tests.support.exports import export_to, partner_authority
from tests.support.harvest import authorise
from tests.support.monitoring import CENSUS_FILE, scientists, zipped
from tests.support.people import person
from tests.support.season import open_register, small_season
from tests.support.small_passage import write_small_passage
from tests.support.trade import meat_lot_of_the_plant
from tests.support.world import make_world

MATRIX = Path(__file__).resolve().parents[1] / "e2e" / "access_matrix.toml"
DENIED = (401, 403, 404, 429)  # 429: refused by the rate limit (log-in attempts)


def matrix() -> dict[str, Any]:
    return tomllib.loads(MATRIX.read_text())


def app_routes(app: FastAPI, where: Callable[[Any], bool] = lambda route: True) -> set[tuple[str, str]]:
    """Every (method, path) the application answers, through the routers it includes (those of
    the routes `where` accepts)."""

    def walk(routes: Any, prefix: str = "") -> Any:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + (route.include_context.prefix or ""))
                continue
            if not where(route):
                continue
            methods = getattr(route, "methods", None) or {"MOUNT"}
            for method in methods - {"HEAD"}:
                yield method, prefix + route.path

    return set(walk(app.routes))


@dataclass
class AccessWorld:
    tokens: dict[str, str | None]
    objects: dict[str, str]


def build_world(registry: Registry, client: TestClient) -> AccessWorld:
    world = make_world(registry)
    open_register(registry, world)
    season = small_season(registry, world, lot_count=2)
    lots = list(season.lots)
    exported = export_to(registry, world, [lots[0]], "CN")
    application = apply_for_permit(
        registry.uow(), world["trader"].principal, ApplyForPermit([lots[1]], "Tongrentang", "CN", "Beijing")
    )
    tokens: dict[str, str | None] = {code: member.token for code, member in world.items()}
    tokens["anonymous"] = None
    tokens["ministry-admin"] = create_token(registry.uow(), "ministry", "admin").token
    tokens["harvester-viewer"] = create_token(registry.uow(), "harvester", "viewer").token
    tokens["partner"] = partner_authority(registry, "cn-nfga", "CN")
    tokens["scientist"] = scientists(registry)[1]
    # Monitoring: the census, a plan of a later season (this world's harvest needs none), a package.
    census = client.post(
        "/api/monitoring/census/import",
        content=CENSUS_FILE.read_bytes(),
        headers={"Authorization": f"Bearer {tokens['scientist']}"},
    )
    assert census.status_code == 200, census.text
    plan = {
        "population": "Ural",
        "season": 2030,
        "maxAnimals": 300,
        "ruleBasis": "estimate",
        "ruleShare": 0.05,
        "justification": {"filename": "ural.txt", "mediaType": "text/plain", "contentBase64": "d2h5"},
    }
    made = client.post(
        "/api/monitoring/plans", json=plan, headers={"Authorization": f"Bearer {tokens['ministry']}"}
    )
    assert made.status_code == 201, made.text
    package = client.post(
        "/api/monitoring/camtrap-packages",
        content=zipped(write_small_passage(Path(mkdtemp()))),
        headers={"Authorization": f"Bearer {tokens['scientist']}"},
    )
    assert package.status_code == 201, package.text
    kept = client.post(
        "/epcis/queries",
        json={"name": "warehouse-shipments", "query": {"EQ_bizStep": ["shipping"]}},
        headers={"Authorization": f"Bearer {tokens['warehouse']}"},
    )
    assert kept.status_code == 201, kept.text
    subscribed = create_subscription(
        registry.uow(),
        world["warehouse"].principal,
        "warehouse-shipments",
        SubscriptionRequest(dest="http://127.0.0.1:9/hook", stream=True),
        HttpWebhookSender(AllowList.read(["127.0.0.1/32"])),
    )
    horn = "urn:epc:id:sgtin:4870002.000001.901"
    event = build.commissioning([horn], datetime.now(UTC), world["harvester"].sgln, ilmd={"massKg": 0.3})
    answer = client.post(
        "/epcis/capture",
        content=json.dumps(build.document([event])),
        headers={"Authorization": f"Bearer {tokens['harvester']}"},
    )
    job = answer.headers["location"].rsplit("/", 1)[-1]
    enforcement = enforcement_objects(registry, world, season.horns[-2])
    cull, lot = meat_lot_of_the_plant(registry, world)
    objects = {
        **enforcement,
        "item": season.horns[-1],  # a whole horn the trader holds
        "event": event_hash_id(event),  # recorded by the harvester
        "job": job,  # the harvester's capture job
        "permit": exported,  # the trader's permit, used (endorsed by customs)
        "application": str(application.id),  # the trader's application, awaiting the ministry
        "application-number": str(application.number or application.id),
        "authorisation": authorise(registry, world),  # the harvester's
        "animal": "URL-9",
        "rule": "1",
        "package": "small-passage",  # the scientists'
        "query": "warehouse-shipments",  # the warehouse's named query
        "subscription": subscribed["subscriptionID"],  # the warehouse's, to its query
        "cull": cull,  # the harvester team's cull operation
        "lot": lot,  # a meat lot the plant made and holds
        "lot-gtin": lot.split("/")[-3],  # its GTIN and batch, as a pack's QR code carries them
        "lot-batch": lot.split("/")[-1],
        "person": person(registry, "harvester", "harvest.person"),  # a person of the harvester
    }
    return AccessWorld(tokens, objects)


def fill(url: str, objects: dict[str, str]) -> str:
    """A matrix entry's URL with each `{object}` replaced by that object of the world."""
    for name, value in objects.items():
        url = url.replace(f"{{{name}}}", quote(value, safe=""))
    return url


def request(client: TestClient, token: str | None, method: str, path: str, body: Any) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    content = None
    if isinstance(body, bytes):
        content, headers["Content-Type"] = body, "application/zip"
    elif isinstance(body, str):
        content, headers["Content-Type"] = body, "application/x-www-form-urlencoded"
    elif body is not None:
        content, headers["Content-Type"] = json.dumps(body), "application/json"
    return client.request(method, path, content=content, headers=headers, follow_redirects=False).status_code


def unlimited(registry: Registry) -> Registry:
    """The registry with rate limits out of the way (tests that send many requests from one address
    test something else; tests/e2e/test_input_limits.py tests the limits)."""
    settings = replace(
        registry.settings, login_attempts_per_minute=1_000_000, public_requests_per_minute=1_000_000
    )
    return replace(registry, settings=settings)
