"""Named queries (EPCIS 2.0 REST binding): kept under a name by the organisation that made it, run
for whoever asks within what it may read, listed and deleted by its organisation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from tests.e2e.test_epcis_discovery import hashes
from tests.integration.test_event_query import season


def test_a_named_query_is_kept_run_and_deleted_by_its_organisation(registry: Registry) -> None:
    data = season(registry)
    tokens = {code: member.token for code, member in data.world.items()}

    def auth(who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[who]}"}

    definition = {
        "name": "shipments",
        "query": {"EQ_bizStep": ["shipping", "receiving"], "eventType": ["ObjectEvent"]},
    }
    with TestClient(create_app(registry)) as client:
        made = client.post("/epcis/queries", json=definition, headers=auth("warehouse"))
        assert made.status_code == 201 and made.headers["location"] == "/epcis/queries/shipments"
        assert client.post("/epcis/queries", json=definition, headers=auth("plant")).status_code == 409
        wrong = client.post(
            "/epcis/queries", json={"name": "bad", "query": {"EQ_bizStep": 7}}, headers=auth("warehouse")
        )
        assert wrong.status_code == 400 and wrong.headers["content-type"] == "application/problem+json"
        bad_name = client.post("/epcis/queries", json={"name": "a b", "query": {}}, headers=auth("warehouse"))
        assert bad_name.status_code == 400 and "not a query name" in bad_name.json()["detail"]

        def names(who: str) -> list[str]:
            return list(client.get("/epcis/queries", headers=auth(who)).json()["member"])

        assert (
            names("warehouse") == ["shipments"]
            and names("inspector") == ["shipments"]
            and names("trader") == []
        )
        read = client.get("/epcis/queries/shipments", headers=auth("warehouse")).json()
        assert read == {"name": "shipments", "query": definition["query"]}
        # Its events are the query's, as the warehouse may read them; the ministry runs it over everything.
        expected = hashes(
            client, "/epcis/events?EQ_bizStep=shipping|receiving&eventType=ObjectEvent", tokens["warehouse"]
        )
        assert hashes(client, "/epcis/queries/shipments/events", tokens["warehouse"]) == expected and expected
        everything = hashes(
            client, "/epcis/events?EQ_bizStep=shipping|receiving&eventType=ObjectEvent", tokens["inspector"]
        )
        assert hashes(client, "/epcis/queries/shipments/events", tokens["inspector"]) == everything
        assert client.get("/epcis/queries/shipments/events", headers=auth("trader")).status_code == 404

        assert client.delete("/epcis/queries/shipments", headers=auth("trader")).status_code == 404
        assert client.delete("/epcis/queries/shipments", headers=auth("warehouse")).status_code == 204
        assert client.get("/epcis/queries/shipments", headers=auth("warehouse")).status_code == 404
