"""Fuzzing with schemathesis: requests generated from kiik's own OpenAPI description, valid and
invalid, sent in-process to every operation as the ministry's administrator (who reaches the most
code) and as a harvester; no answer may be a server error. Bounded so that it runs in every `make
test` (KIIK_FUZZ_EXAMPLES raises the number of examples for a longer run)."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from kiik.app import create_app
from kiik.bootstrap.registry import Registry
from kiik.directory.services.auth import create_token
from tests.support.access import unlimited
from tests.support.world import make_world

EXAMPLES = int(os.environ.get("KIIK_FUZZ_EXAMPLES", "6"))


def test_no_request_makes_a_server_error(registry: Registry) -> None:
    world = make_world(registry)
    tokens = {
        "ministry-admin": create_token(registry.uow(), "ministry", "admin").token,
        "harvester": world["harvester"].token,
    }
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(unlimited(registry)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 50  # every operation of the API (pages are not in the description)

    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same requests on every run: CI does not flake
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def no_server_error(case: Any) -> None:
            for caller, token in tokens.items():
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} as {caller} answered {response.status_code}: "
                    f"{response.text[:500]}\n{case.as_curl_command()}"
                )

        no_server_error()
