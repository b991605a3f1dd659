"""The authorization matrix (tests/e2e/access_matrix.toml): every route and page asked by every
caller, on both databases; any answer the matrix does not expect fails, and so does any route, page
or command the matrix does not list."""

from __future__ import annotations

import itertools
import json
from typing import Any

import typer
from fastapi.testclient import TestClient

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.cli.main import app as cli
from kiik.epcis.domain import event_builders as build
from tests.support.access import (
    DENIED,
    AccessWorld,
    app_routes,
    build_world,
    fill,
    matrix,
    request,
    unlimited,
)

MATRIX = matrix()
CALLERS = MATRIX["groups"]["everyone"]
NUMBERS = itertools.count(1000)


def expand(names: list[str]) -> set[str]:
    groups = MATRIX["groups"]
    return {caller for name in names for caller in groups.get(name, [name])}


def body_for(kind: Any, world: AccessWorld) -> Any:
    """The body a route is sent: valid enough to reach the authorization it declares."""
    if kind == "document" or kind == "event":
        horn = f"urn:epc:id:sgtin:4870002.000001.{next(NUMBERS)}"
        event = build.commissioning([horn], build_time(), None, ilmd={"massKg": 0.3})
        if kind == "event":
            return {**event, "@context": [build.EPCIS_CONTEXT]}
        return build.document([event])
    if kind == "sheet":
        return "not,a,field,sheet\n"
    if kind == "census":
        return "not,a,census\n"
    if kind == "zip":
        return b"not a zip"
    if isinstance(kind, dict):
        return json.loads(fill(json.dumps(kind), world.objects).replace("%3A", ":").replace("%2F", "/"))
    return kind


def build_time() -> Any:
    from datetime import UTC, datetime

    return datetime(2025, 9, 12, 8, tzinfo=UTC)


def test_the_matrix_lists_every_route_and_page() -> None:
    from kiik.bootstrap.registry import build as build_registry
    from kiik.config import Settings

    served = app_routes(create_app(build_registry(Settings(database_url="sqlite://"))))
    listed = {(r["method"], r["path"]) for r in MATRIX["route"]}
    assert served - listed == set(), "routes the matrix does not list"
    assert listed - served == set(), "the matrix lists routes kiik does not serve"
    for route in MATRIX["route"]:
        assert expand(route["allowed"]) <= set(CALLERS), route["path"]


def test_every_page_and_form_is_in_the_matrix() -> None:
    """The people's pages (kiik.web's routes, out of the API's schema): every GET and POST is listed,
    so a new page or form cannot be served without saying who may use it."""
    from kiik.bootstrap.registry import build as build_registry
    from kiik.config import Settings

    app = create_app(build_registry(Settings(database_url="sqlite://")))

    def is_page(route: Any) -> bool:
        return str(getattr(getattr(route, "endpoint", None), "__module__", "")).startswith("kiik.web.")

    pages = app_routes(app, is_page)
    listed = {(r["method"], r["path"]) for r in MATRIX["route"]}
    assert {"GET", "POST"} <= {method for method, _ in pages}  # forms as well as pages
    assert ("POST", "/customs/arrivals") in pages and len(pages) > 60
    assert sorted(pages - listed) == [], "pages or forms the matrix does not list"


def test_the_matrix_names_every_command() -> None:
    def commands(group: Any, prefix: str = "") -> list[str]:
        found = []
        for name, command in group.commands.items():
            if hasattr(command, "commands"):  # a group of commands
                if command.invoke_without_command:
                    found.append(prefix + name)
                found += commands(command, f"{prefix}{name} ")
            else:
                found.append(prefix + name)
        return found

    assert sorted(commands(typer.main.get_command(cli))) == sorted(MATRIX["cli"])


def test_every_caller_gets_what_the_matrix_says(registry: Registry) -> None:
    with TestClient(create_app(unlimited(registry))) as client:
        world = build_world(registry, client)
        wrong = []
        for route in MATRIX["route"]:
            allowed = expand(route["allowed"])
            url = fill(route.get("url", route["path"]), world.objects)
            # Refused callers first: an allowed one may change what the others would then be told.
            for caller in sorted(CALLERS, key=lambda c: c in allowed):
                body = body_for(route.get("body"), world)
                if isinstance(body, dict) and isinstance(body.get("name"), str):
                    body["name"] = body["name"].replace("{caller}", caller)  # a new name per caller
                method = "GET" if route["method"] == "MOUNT" else route["method"]
                status = request(client, world.tokens[caller], method, url, body)
                if caller in allowed:
                    expected = status not in DENIED or status == route.get("allowed_answer")
                else:
                    redirected = caller == "anonymous" and route.get("anonymous_redirects_to_login")
                    expected = status in DENIED or (bool(redirected) and status == 303)
                if not expected:
                    verdict = "allowed" if caller in allowed else "refused"
                    wrong.append(f"{route['method']} {url} as {caller}: {status}, the matrix says {verdict}")
        assert not wrong, "\n".join(wrong)
