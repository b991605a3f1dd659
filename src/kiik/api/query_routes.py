"""EPCIS 2.0 REST binding, query side: GET /epcis/events and GET /epcis/events/{eventID}.

Answers are EPCISQueryDocuments in JSON-LD (`application/ld+json`, or `application/json` when the
client asks for it) or in XML (`application/xml`, valid against GS1's query XSD). The next page is
named in a `Link: <...>; rel="next"` header and its token in `GS1-Next-Page-Token`; the last page
has neither.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from kiik.bootstrap.registry import Registry
from kiik.custody.services.queries import event_by_id, query_events
from kiik.directory.domain.permissions import Principal
from kiik.epcis.adapters.xml_writer import query_document_xml
from kiik.epcis.domain.query_document import query_document
from kiik.epcis.services.query_params import DEFAULT_PER_PAGE, MATCH_ROLES, MAX_PER_PAGE, MULTI_VALUED
from kiik.http.deps import PrincipalDep, RegistryDep
from kiik.http.problems import problem

router = APIRouter(prefix="/epcis", tags=["EPCIS query"])

# The binding's own headers (versions, capture limits) go on every /epcis answer
# (kiik.http.security_headers.EpcisHeaders).
JSON_LD = "application/ld+json"
JSON = "application/json"
XML = "application/xml"
_XML_KINDS = (XML, "text/xml")

_DESCRIPTIONS = {
    "eventType": "Event types, e.g. ObjectEvent|TransformationEvent",
    "GE_eventTime": "Events that happened at or after this date-time",
    "LT_eventTime": "Events that happened before this date-time",
    "GE_recordTime": "Events recorded at or after this date-time",
    "LT_recordTime": "Events recorded before this date-time",
    "EQ_action": "ADD, OBSERVE or DELETE",
    "EQ_bizStep": "CBV business steps (bare words or https://ref.gs1.org/cbv/BizStep-... URIs)",
    "EQ_disposition": "CBV dispositions (bare words or https://ref.gs1.org/cbv/Disp-... URIs)",
    "EQ_readPoint": "Read points (SGLN as EPC URN or Digital Link)",
    "EQ_bizLocation": "Business locations (SGLN as EPC URN or Digital Link)",
    "EQ_eventID": "eventIDs (or Event Hash IDs of events captured without one)",
    "EXISTS_errorDeclaration": "true: only error declarations",
    "orderBy": "eventTime (default) or recordTime",
    "eventCountLimit": "At most this many events in all, over every page",
    "maxEventCount": "Refuse (413 QueryTooLargeException) a query that matches more events than this",
    "orderDirection": "DESC (default) or ASC",
    "perPage": f"Events per page (default {DEFAULT_PER_PAGE}, at most {MAX_PER_PAGE})",
    "nextPageToken": "The token of the next page (from the Link or GS1-Next-Page-Token header)",
}
_MATCH_HELP = (
    "EPCs as EPC URN, GS1 Digital Link or element string, or EPC patterns such as "
    "urn:epc:idpat:sgtin:4870001.000001.*"
)
QUERY_PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "description": _DESCRIPTIONS.get(name, _MATCH_HELP)
        + (" (several: separate with |)" if name in MULTI_VALUED else ""),
        "schema": {
            "type": "integer" if name in ("perPage", "eventCountLimit", "maxEventCount") else "string"
        },
    }
    for name in [*_DESCRIPTIONS, *MATCH_ROLES]
]


def _media_type(request: Request) -> str | None:
    """The format the client accepts: JSON-LD unless it asks for plain JSON or XML; None for none."""
    accept = request.headers.get("accept", "").lower()
    if not accept.strip():
        return JSON_LD
    kinds = [part.split(";")[0].strip() for part in accept.split(",")]
    if JSON_LD in kinds or "*/*" in kinds or "application/*" in kinds:
        return JSON_LD
    if JSON in kinds:
        return JSON
    if any(kind in kinds for kind in _XML_KINDS):
        return XML
    return None


def _not_acceptable(request: Request) -> Response:
    return problem(
        406,
        "Not acceptable",
        f"kiik answers queries in {JSON_LD}, {JSON} or {XML}, not {request.headers.get('accept')}",
        "NotAcceptableException",
    )


@router.get(
    "/events",
    summary="Query events (SimpleEventQuery)",
    openapi_extra={"parameters": QUERY_PARAMETERS},
    responses={200: {"content": {JSON_LD: {}, XML: {}}, "description": "An EPCISQueryDocument"}},
)
def get_events(request: Request, registry: RegistryDep, principal: PrincipalDep) -> Response:
    return events_answer(request, registry, principal, request.query_params.multi_items())


def next_page_headers(request: Request, token: str | None) -> dict[str, str]:
    """The binding's pointers to the next page: a `Link` to this request with the token, and the
    token itself (none on the last page)."""
    if token is None:
        return {}
    following = request.url.remove_query_params("nextPageToken").include_query_params(nextPageToken=token)
    return {"Link": f'<{following}>; rel="next"', "GS1-Next-Page-Token": token}


def document_answer(
    events: list[dict[str, Any]],
    media_type: str,
    headers: dict[str, str] | None = None,
    query_name: str | None = None,
) -> Response:
    """An EPCISQueryDocument of `events` in the asked format."""
    if media_type == XML:
        body = query_document_xml(events, query_name or "SimpleEventQuery")
        return Response(body, media_type=XML, headers=headers)
    return JSONResponse(query_document(events, query_name), media_type=media_type, headers=headers)


def events_answer(
    request: Request,
    registry: Registry,
    principal: Principal,
    parameters: list[tuple[str, str]],
    query_name: str | None = None,
) -> Response:
    """A page of the events matching `parameters`, as the binding answers a query."""
    media_type = _media_type(request)
    if media_type is None:
        return _not_acceptable(request)
    source, uow = registry.read_uow(principal.org_id)
    page = query_events(uow, principal, parameters)
    # The page size used and kiik's ceiling: a client that asked for more sees that it got fewer.
    headers = {"Kiik-Per-Page": str(page.per_page), "Kiik-Max-Per-Page": str(MAX_PER_PAGE)}
    headers.update(read_from(registry, source))
    headers.update(next_page_headers(request, page.next_page_token))
    return document_answer(page.events, media_type, headers, query_name)


@router.get(
    "/events/{event_id:path}",
    summary="One event and its error declarations, by eventID or Event Hash ID",
    responses={200: {"content": {JSON_LD: {}, XML: {}}, "description": "An EPCISQueryDocument"}},
)
def get_event(event_id: str, request: Request, registry: RegistryDep, principal: PrincipalDep) -> Response:
    media_type = _media_type(request)
    if media_type is None:
        return _not_acceptable(request)
    if request.url.query and event_id.startswith("ni:"):
        # A hash ID sent without encoding its `?ver=CBV2.0`: the query string is part of the ID.
        event_id = f"{event_id}?{request.url.query}"
    source, uow = registry.read_uow(principal.org_id)
    events = event_by_id(uow, principal, event_id)
    return document_answer(events, media_type, read_from(registry, source))


def read_from(registry: Registry, source: str) -> dict[str, str]:
    """Where a query was read, when a replica is configured: "replica" or "primary"."""
    return {"Kiik-Read-From": source} if registry.settings.read_database_url else {}
