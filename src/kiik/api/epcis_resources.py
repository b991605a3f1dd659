"""EPCIS 2.0 REST binding, discovery: the top-level resources, the event types, business steps,
dispositions, business locations, read points and EPCs, each with its sub-resources and its
`events` (the same query as GET /epcis/events with the resource as a filter, scoped the same way).

Business steps and dispositions list the CBV words and kiik's own; business locations, read points
and EPCs list what the caller's visible events name, in pages (`perPage`, `nextPageToken`).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.routing import Match

from kiik.api.query_routes import events_answer, next_page_headers
from kiik.custody.services.queries import KNOWN_VALUES, known_values
from kiik.epcis.adapters.problems import EVENT_TYPES
from kiik.epcis.adapters.schema_files import epcis_schema
from kiik.epcis.domain.event_builders import EPCIS_CONTEXT
from kiik.epcis.domain.vocabulary import BIZSTEP_SEIZING, DISPOSITION_EXPORTED, DISPOSITION_SEIZED
from kiik.errors import NotFound
from kiik.http.deps import PrincipalDep, RegistryDep

router = APIRouter(prefix="/epcis", tags=["EPCIS discovery"])

TOP_LEVEL = [
    "capture",
    "events",
    "eventTypes",
    "epcs",
    "bizSteps",
    "bizLocations",
    "readPoints",
    "dispositions",
]
# resource -> the query parameter its `/{id}/events` filters by
FILTERS = {
    "eventTypes": "eventType",
    "bizSteps": "EQ_bizStep",
    "dispositions": "EQ_disposition",
    "bizLocations": "EQ_bizLocation",
    "readPoints": "EQ_readPoint",
    "epcs": "MATCH_anyEPC",
}
PerPage = Annotated[int, Query(ge=1, le=1000, description="values per page (at most 1000)")]


@cache
def cbv_words(definition: str) -> list[str]:
    """The words the ratified schema lists for `bizStep`, `disposition` or `eventType`."""
    for option in epcis_schema()["definitions"][definition]["anyOf"]:
        if "enum" in option:
            return list(option["enum"])
    return []


def collection(members: list[str], **headers: str) -> JSONResponse:
    body = {"@context": EPCIS_CONTEXT, "type": "Collection", "member": members}
    return JSONResponse(body, headers=headers)


def _page(request: Request, values: list[str], token: str | None) -> JSONResponse:
    return collection(values, **next_page_headers(request, token))


@router.get("/", summary="The top-level resources of this EPCIS repository")
def top_level() -> Response:
    return collection(TOP_LEVEL)


@router.delete("/nextPageToken/{token}", status_code=204, summary="Release a next-page token")
def release_page_token(token: str, principal: PrincipalDep) -> Response:
    """kiik's page tokens carry the place they stand for and hold nothing on the server: there is
    nothing to release, and a token keeps working until the query it belongs to changes."""
    return Response(status_code=204)


def allowed_methods(app: Any, path: str) -> list[str]:
    """The methods the application answers at `path`, as its routes say."""
    found = []
    for method in ("GET", "POST", "PUT", "DELETE"):
        scope = {
            "type": "http",
            "path": path,
            "method": method,
            "root_path": "",
            "headers": [],
            "query_string": b"",
        }
        if any(route.matches(scope)[0] is Match.FULL for route in app.router.routes):
            found.append(method)
    return found


@router.options("/{path:path}", summary="What a resource of the binding supports (headers only)")
def options_of(path: str, request: Request) -> Response:
    methods = allowed_methods(request.app, f"/epcis/{path}")
    if not methods:
        raise NotFound(f"no resource /epcis/{path}: see GET /epcis/ for the top-level resources")
    return Response(status_code=204, headers={"Allow": ", ".join([*methods, "OPTIONS"])})


@router.get("/eventTypes", summary="The event types this repository holds")
def event_types(principal: PrincipalDep) -> Response:
    return collection(list(EVENT_TYPES))


@router.get("/bizSteps", summary="The CBV business steps and kiik's own")
def biz_steps(principal: PrincipalDep) -> Response:
    return collection([*cbv_words("bizStep"), BIZSTEP_SEIZING])


@router.get("/dispositions", summary="The CBV dispositions and kiik's own")
def dispositions(principal: PrincipalDep) -> Response:
    return collection([*cbv_words("disposition"), DISPOSITION_SEIZED, DISPOSITION_EXPORTED])


def _values_of(resource: str) -> Any:
    def listed(
        request: Request,
        registry: RegistryDep,
        principal: PrincipalDep,
        perPage: PerPage = 30,
        nextPageToken: str | None = None,
    ) -> Response:
        _source, uow = registry.read_uow(principal.org_id)
        values, following = known_values(uow, principal, resource, perPage, nextPageToken)
        return _page(request, values, following)

    return listed


def _known(resource: str, value: str) -> None:
    if resource == "eventTypes" and value not in EVENT_TYPES:
        raise NotFound(f"no event type {value!r}: this repository holds {', '.join(EVENT_TYPES)}")


def _sub_resources(resource: str) -> Any:
    def sub_resources(value: str, principal: PrincipalDep) -> Response:
        _known(resource, value)
        return collection(["events"])

    return sub_resources


def _events_of(resource: str) -> Any:
    def events_of(value: str, request: Request, registry: RegistryDep, principal: PrincipalDep) -> Response:
        _known(resource, value)
        asked = [(k, v) for k, v in request.query_params.multi_items() if k != FILTERS[resource]]
        return events_answer(request, registry, principal, [(FILTERS[resource], value), *asked])

    return events_of


for _resource in KNOWN_VALUES:
    router.add_api_route(
        f"/{_resource}",
        _values_of(_resource),
        methods=["GET"],
        summary=f"The {_resource} named by events you may read, in pages",
    )

for _resource in FILTERS:
    router.add_api_route(
        f"/{_resource}/{{value:path}}/events",
        _events_of(_resource),
        methods=["GET"],
        summary=f"Events of one of the {_resource}, as GET /epcis/events filtered by it",
    )
    router.add_api_route(
        f"/{_resource}/{{value:path}}",
        _sub_resources(_resource),
        methods=["GET"],
        summary=f"The sub-resources of one of the {_resource} (its events)",
    )
