"""Query subscriptions of the EPCIS 2.0 REST binding: /epcis/queries/{name}/subscriptions (create,
list, read, delete), delivered by webhook (kiik.custody.services.subscriptions); and the same
events over a WebSocket, `GET /epcis/queries/{name}/events` with `Upgrade: websocket`."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from kiik.bootstrap.registry import Registry
from kiik.custody.adapters.webhooks import HttpWebhookSender
from kiik.custody.services.named_queries import as_parameters, read_query
from kiik.custody.services.queries import as_captured, events_recorded_after, number_new_events
from kiik.custody.services.subscriptions import (
    SubscriptionRequest,
    create_subscription,
    delete_subscription,
    list_subscriptions,
    read_subscription,
)
from kiik.directory.services.auth import authenticate, token_id
from kiik.epcis.domain.event_facts import parse_time
from kiik.epcis.domain.query_document import query_document
from kiik.epcis.domain.webhook_destinations import AllowList
from kiik.errors import NotFound
from kiik.http.deps import PrincipalDep, RegistryDep

router = APIRouter(prefix="/epcis", tags=["EPCIS query subscriptions"])

# How often a WebSocket subscriber's query is run again for new events, and at most how many a message.
WEBSOCKET_POLL_SECONDS = 0.5
WEBSOCKET_BATCH = 1000


class SubscriptionBody(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    dest: str = Field(min_length=1, max_length=2000)
    signature_token: str | None = Field(default=None, alias="signatureToken", max_length=500)
    stream: bool = False
    schedule: dict[str, str | int] | None = None
    initial_record_time: str | None = Field(default=None, alias="initialRecordTime", max_length=64)
    report_if_empty: bool = Field(default=False, alias="reportIfEmpty")


def webhook_sender(registry: Registry) -> HttpWebhookSender:
    return HttpWebhookSender(AllowList.read(registry.settings.webhook_allow))


def _bearer(request: Request) -> str | None:
    """The API token a subscription is bound to (it ends when the token is revoked). Only the
    Authorization header counts: a session (kiik.http.sessions.caller) binds to no token, and the
    old `kiik_token` cookie is not read any more."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


@router.post("/queries/{name}/subscriptions", status_code=201, summary="Subscribe to a named query")
def subscribe(
    name: str, body: SubscriptionBody, request: Request, registry: RegistryDep, principal: PrincipalDep
) -> Response:
    token = _bearer(request)
    made = create_subscription(
        registry.uow(),
        principal,
        name,
        SubscriptionRequest(
            dest=body.dest,
            signature_token=body.signature_token,
            stream=body.stream,
            schedule={k: str(v) for k, v in body.schedule.items()} if body.schedule is not None else None,
            initial_record_time=body.initial_record_time,
            report_if_empty=body.report_if_empty,
        ),
        webhook_sender(registry),
        token_id(registry.uow(), token) if token else None,
    )
    location = f"/epcis/queries/{name}/subscriptions/{made['subscriptionID']}"
    return JSONResponse(made, status_code=201, headers={"Location": location})


@router.get("/queries/{name}/subscriptions", summary="The subscriptions to a named query you may see")
def subscriptions(name: str, registry: RegistryDep, principal: PrincipalDep) -> Response:
    return JSONResponse({"member": list_subscriptions(registry.uow(), principal, name)})


@router.get("/queries/{name}/subscriptions/{subscription_id}", summary="One subscription")
def subscription(name: str, subscription_id: str, registry: RegistryDep, principal: PrincipalDep) -> Response:
    return JSONResponse(read_subscription(registry.uow(), principal, name, subscription_id))


@router.delete(
    "/queries/{name}/subscriptions/{subscription_id}", status_code=204, summary="Unsubscribe (yours only)"
)
def unsubscribe(name: str, subscription_id: str, registry: RegistryDep, principal: PrincipalDep) -> Response:
    delete_subscription(registry.uow(), principal, name, subscription_id)
    return Response(status_code=204)


@router.websocket("/queries/{name}/events")
async def stream_events(websocket: WebSocket, name: str) -> None:
    """The named query's new events as they are recorded, one EPCISQueryDocument a message, from
    `initialRecordTime` (a query parameter) or the moment of connecting. The token goes in the
    `Authorization` header as for any request; an unknown token or query closes with 1008."""
    registry: Registry = websocket.app.state.registry
    header = websocket.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    principal = await run_in_threadpool(authenticate, registry.uow(), token) if token else None
    if principal is None:
        await websocket.close(
            code=1008, reason="this needs a valid API token: send 'Authorization: Bearer <token>'"
        )
        return
    try:
        parameters = as_parameters(await run_in_threadpool(read_query, registry.uow(), principal, name))
        initial = websocket.query_params.get("initialRecordTime")
        since = (
            parse_time(initial).replace(tzinfo=None) if initial else datetime.now(UTC).replace(tzinfo=None)
        )
    except (NotFound, ValueError) as exc:
        await websocket.close(code=1008, reason=str(exc)[:120])
        return
    await websocket.accept()
    after = 0  # the delivery number of the last event sent (see number_new_events)
    try:
        while True:
            await run_in_threadpool(number_new_events, registry.uow())
            page: list[Any] = await run_in_threadpool(
                events_recorded_after,
                registry.uow(),
                principal,
                parameters,
                since=since,
                after=after,
                limit=WEBSOCKET_BATCH,
            )
            if page:
                after = page[-1].delivery_seq
                document = query_document([as_captured(e) for e in page], name)
                await websocket.send_text(json.dumps(document))
                continue
            try:
                message = await asyncio.wait_for(websocket.receive(), timeout=WEBSOCKET_POLL_SECONDS)
            except TimeoutError:
                continue
            if message["type"] == "websocket.disconnect":
                return
    except WebSocketDisconnect:
        return
