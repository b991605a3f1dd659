"""A request that finds the database down is answered 503 with Retry-After and a problem document
that says to send it again, not a bare 500."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.config import Settings
from kiik.db.engine import make_engine
from tests.support.browser import free_port


def test_an_unreachable_database_is_a_503_to_retry() -> None:
    # A PostgreSQL URL on a port nobody listens on: every connection attempt fails at once.
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/kiik"
    registry = Registry(Settings(database_url=url), make_engine(url))
    with TestClient(create_app(registry)) as client:
        answer = client.get("/epcis/events", headers={"Authorization": "Bearer kiik_whatever"})
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.headers["content-type"] == "application/problem+json"
    assert "send it again" in answer.json()["detail"]
