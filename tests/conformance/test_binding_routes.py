"""Every path and method of GS1's OpenAPI of the REST binding has a route in kiik under /epcis: the
test walks `REST Bindings/openapi.json` (the reference copy) and matches each operation against the
application's routes, so a path or method the binding names and kiik lacks fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path

from starlette.routing import Match

from kiik.app import create_app
from kiik.bootstrap.registry import Registry

SAMPLES = {
    "eventID": "ni:///sha-256;0123?ver=CBV2.0",
    "epc": "urn:epc:id:sgtin:4870002.000001.7",
    "bizLocation": "urn:epc:id:sgln:4870002.00000.0",
    "readPoint": "urn:epc:id:sgln:4870002.00000.0",
}


def operations(reference: Path) -> list[tuple[str, str]]:
    spec = json.loads((reference / "epcis/gs1-EPCIS/REST Bindings/openapi.json").read_text())
    methods = ("get", "post", "put", "delete", "options", "patch")
    return [
        (path, method.upper()) for path, item in spec["paths"].items() for method in item if method in methods
    ]


def concrete(path: str) -> str:
    return "/epcis" + re.sub(r"\{(\w+)\}", lambda m: SAMPLES.get(m.group(1), f"sample-{m.group(1)}"), path)


def test_every_operation_of_the_binding_has_a_route(registry: Registry, reference: Path) -> None:
    app = create_app(registry)
    listed = operations(reference)
    assert len(listed) > 60  # the whole binding, not a part of it
    missing = []
    for path, method in listed:
        url = concrete(path)
        scope = {"type": "http", "path": url, "method": method, "root_path": ""}
        if not any(route.matches(scope)[0] == Match.FULL for route in app.router.routes):
            missing.append(f"{method} {path}")
    assert missing == []
