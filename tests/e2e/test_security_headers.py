"""Every answer carries the security headers; pages carry a policy that allows nothing inline, and
what people typed (names, codes) is shown as text, never as markup."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.directory.services.auth import add_organisation, add_site, create_token
from kiik.epcis.domain import event_builders as build
from tests.support.world import make_world

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'
HORN = "urn:epc:id:sgtin:4870009.000001.1"


def test_pages_and_api_answers_carry_the_security_headers(registry: Registry) -> None:
    with TestClient(create_app(registry)) as client:
        for path in ("/", "/login", "/static/kiik.css", "/epcis/events", "/items/unknown-code", "/docs"):
            answer = client.get(path)
            assert answer.headers["x-content-type-options"] == "nosniff", path
            assert answer.headers["referrer-policy"] == "same-origin", path
            assert answer.headers["x-frame-options"] == "DENY", path
            assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path
        for path in ("/", "/login", "/items/unknown-code"):
            page = client.get(path)
            policy = page.headers["content-security-policy"]
            assert "'unsafe-inline'" not in policy and "script-src 'self'" in policy
            # What the policy forbids, the pages do not need: no inline script, style or handler.
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page.text), path
            assert not re.search(r"\sstyle=|\son[a-z]+=", page.text), path


def test_names_and_codes_with_markup_are_shown_as_text(registry: Registry) -> None:
    world = make_world(registry)
    add_organisation(registry.uow(), "evil", MARKUP, "harvester", pgln="urn:epc:id:pgln:4870009.00000")
    site = add_site(registry.uow(), "evil", "urn:epc:id:sgln:4870009.00000.0", MARKUP)
    evil = create_token(registry.uow(), "evil", "operator").token
    event = build.commissioning([HORN], datetime(2025, 9, 12, tzinfo=UTC), site, ilmd={"massKg": 0.3})
    with TestClient(create_app(registry)) as client:
        assert (
            client.post(
                "/epcis/events",
                json={**event, "@context": [build.EPCIS_CONTEXT]},
                headers={"Authorization": f"Bearer {evil}"},
            ).status_code
            == 201
        )
        client.headers["Authorization"] = f"Bearer {world['inspector'].token}"
        page = client.get(f"/items/{quote(HORN, safe='')}")
        assert page.status_code == 200
        assert MARKUP not in page.text and "&lt;script&gt;" in page.text
        unknown = client.get(f"/items/{quote(MARKUP, safe='')}")
        assert MARKUP not in unknown.text and "<script>alert" not in unknown.text
        found = client.get("/lookup", params={"code": MARKUP})
        assert "<script>alert" not in found.text
