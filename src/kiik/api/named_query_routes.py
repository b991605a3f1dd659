"""EPCIS 2.0 REST binding, named queries: POST, GET and DELETE /epcis/queries, and a named query's
events (GET /epcis/queries/{name}/events), answered as GET /epcis/events is, for the asker."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from kiik.api.epcis_resources import collection
from kiik.api.query_routes import events_answer
from kiik.custody.services.named_queries import (
    create_query,
    delete_query,
    list_queries,
    query_parameters,
    read_query,
)
from kiik.epcis.adapters.json_schema import query_schema_problems
from kiik.epcis.services.query_params import is_query_parameter
from kiik.http.deps import PrincipalDep, RegistryDep
from kiik.http.problems import problem

router = APIRouter(prefix="/epcis", tags=["EPCIS named queries"])


class QueryDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    query: dict[str, Any]


@router.post("/queries", status_code=201, summary="Keep a query under a name")
def post_query(body: QueryDefinition, registry: RegistryDep, principal: PrincipalDep) -> Response:
    problems = query_schema_problems(body.query, also_known=is_query_parameter)
    if problems:
        details = [p.to_dict() for p in problems]
        detail = "; ".join(f"{p['path']}: {p['message']}" for p in details)
        return problem(400, "Invalid query", detail, "QueryParameterException", problems=details)
    name = create_query(registry.uow(), principal, body.name, body.query)
    return Response(status_code=201, headers={"Location": f"/epcis/queries/{name}"})


@router.get("/queries", summary="The named queries you may see")
def get_queries(registry: RegistryDep, principal: PrincipalDep) -> Response:
    return collection(list_queries(registry.uow(), principal))


@router.get("/queries/{name}", summary="A named query's definition")
def get_query(name: str, registry: RegistryDep, principal: PrincipalDep) -> Response:
    definition = read_query(registry.uow(), principal, name)
    return JSONResponse({"name": name, "query": definition})


@router.delete("/queries/{name}", status_code=204, summary="Delete a named query of yours")
def remove_query(name: str, registry: RegistryDep, principal: PrincipalDep) -> Response:
    delete_query(registry.uow(), principal, name)
    return Response(status_code=204)


@router.get("/queries/{name}/events", summary="The events of a named query, for you")
def get_query_events(name: str, request: Request, registry: RegistryDep, principal: PrincipalDep) -> Response:
    parameters = query_parameters(registry.uow(), principal, name, request.query_params.multi_items())
    return events_answer(request, registry, principal, parameters, query_name=name)
