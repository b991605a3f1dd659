"""Query answers that a JSON-LD processor accepts: one `@context` for the document (GS1's, plus the
prefixes the events use), none per event, so that GS1's protected terms are never redefined; pyld
expands the answer with GS1's context read from the local copy, and each event keeps its Event Hash
ID."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pyld import jsonld

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.epcis.domain import event_builders as build
from kiik.epcis.domain.event_hash import event_hash_id
from tests.support.documents import capture
from tests.support.world import make_world

CONTEXT_COPY = "ref.gs1.org-copies/e532647e8eb371379b8b0e8602d8981c8566bc60f7351f22c76a5bc865962008.jsonld"


def local_loader(reference: Path) -> Any:
    context = json.loads((reference / "epcis" / CONTEXT_COPY).read_text())

    def load(url: str, options: Any = None) -> dict[str, Any]:
        assert url == build.EPCIS_CONTEXT, f"only GS1's context may be fetched, not {url}"
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": context,
        }

    return load


def test_the_query_answer_expands_in_a_json_ld_processor(registry: Registry, reference: Path) -> None:
    world = make_world(registry)
    team = world["harvester"]
    day = datetime(2025, 9, 12, 8, tzinfo=UTC)
    events = [
        build.commissioning([f"urn:epc:id:sgtin:4870002.000001.{n}"], day, team.sgln, ilmd={"massKg": 0.3})
        for n in range(1, 4)
    ]
    assert capture(registry, team.principal, events).succeeded
    with TestClient(create_app(registry)) as client:
        answer = client.get("/epcis/events", headers={"Authorization": f"Bearer {team.token}"}).json()
    listed = answer["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert len(listed) == 3 and all("@context" not in event for event in listed)
    assert build.EPCIS_CONTEXT in answer["@context"]
    expanded = jsonld.expand(answer, {"documentLoader": local_loader(reference)})
    text = json.dumps(expanded)
    assert "https://ref.gs1.org/epcis/eventList" in text and "massKg" in text
    # Each event, given the document's context, hashes as it did when captured.
    captured = {event_hash_id(e) for e in events}
    assert {event_hash_id({**e, "@context": answer["@context"]}) for e in listed} == captured
