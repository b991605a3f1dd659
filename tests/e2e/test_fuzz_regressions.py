"""Server errors that fuzzing (tests/e2e/test_fuzz_api.py) and the access matrix found, each kept as
the request that caused it: now a clear 4xx (or 502 for an unreachable partner), never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.directory.services.auth import create_token
from tests.support.world import make_world

TOO_BIG = str(2**63)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        # An id larger than the database's integers overflowed in the driver (OverflowError, 500).
        ("POST", f"/api/permits/{TOO_BIG}/issue", {}),
        ("POST", f"/api/permits/{TOO_BIG}/reject", {"reason": "x"}),
        ("PUT", f"/api/species/rules/{TOO_BIG}", None),
        ("POST", f"/api/species/rules/{TOO_BIG}/withdraw", None),
        ("GET", f"/api/log/inclusion?event=x&size={TOO_BIG}", None),
        ("GET", f"/api/log/consistency?from=0&to={TOO_BIG}", None),
        ("GET", f"/api/reports/quota-use?year={TOO_BIG}", None),
        # A threshold of 1.44e12 minutes overflowed a timedelta (OverflowError, 500).
        ("GET", "/api/monitoring/detection-rates?threshold=1440000000000.0", None),
        ("GET", f"/api/monitoring/plans/Ural/{TOO_BIG}/justification", None),
    ],
)
def test_a_number_too_large_for_the_database_is_a_bad_request(
    registry: Registry, method: str, path: str, body: object
) -> None:
    make_world(registry)
    admin = create_token(registry.uow(), "ministry", "admin").token
    with TestClient(create_app(registry)) as client:
        answer = client.request(method, path, json=body, headers={"Authorization": f"Bearer {admin}"})
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_an_unreachable_partner_registry_is_said_so(registry: Registry) -> None:
    make_world(registry)
    admin = create_token(registry.uow(), "ministry", "admin").token
    with TestClient(create_app(registry)) as client:
        answer = client.post(
            "/api/partners",
            json={"country": "KG", "base_url": "http://127.0.0.1:9"},
            headers={"Authorization": f"Bearer {admin}"},
        )
    assert answer.status_code == 502
    assert "could not be reached" in answer.json()["detail"] and "127.0.0.1:9" in answer.json()["detail"]
