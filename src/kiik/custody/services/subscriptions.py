"""Subscriptions to named queries (EPCIS 2.0 REST binding): kept, listed, read and deleted here,
delivered by `subscription_delivery`.

A subscription delivers the events of a named query to a webhook, as EPCISQueryDocuments signed
with the subscriber's `signatureToken`: as soon as they are recorded (`stream: true`) or on a
schedule (`schedule`, with `reportIfEmpty` for a document even when nothing new matched), from
`initialRecordTime` (or the moment it was made). It runs as the organisation and role that made it,
so it sees what that token sees; a revoked token, or a deleted query, ends it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from kiik.custody.services.named_queries import read_query
from kiik.custody.services.queries import ReadUnitOfWork, epcis_time
from kiik.directory.domain.permissions import Permission, Principal, require
from kiik.epcis.domain.event_facts import parse_time
from kiik.epcis.domain.query_schedule import Schedule, ScheduleError
from kiik.errors import NotFound


class SubscriptionError(ValueError):
    """A subscription that cannot be made as asked; the message names the field."""


class WebhookSender(Protocol):
    def refusal(self, dest: str) -> str | None:
        """Why kiik may not send to `dest` (the allow-list), or None."""

    def send(self, dest: str, body: bytes, headers: Mapping[str, str]) -> None:
        """POST `body` to `dest`; raises when the subscriber did not take it."""


@dataclass(frozen=True)
class SubscriptionRequest:
    dest: str
    signature_token: str | None = None
    stream: bool = False
    schedule: dict[str, Any] | None = None
    initial_record_time: str | None = None
    report_if_empty: bool = False


def utc_now() -> datetime:
    """Now in UTC, without a zone, as the subscriptions store keeps its times."""
    return datetime.now(UTC).replace(tzinfo=None)


def document(subscription: Any) -> dict[str, Any]:
    """A subscription as the binding shows it (never its signature token)."""
    found: dict[str, Any] = {
        "subscriptionID": subscription.id,
        "queryName": subscription.query_name,
        "dest": subscription.dest,
        "stream": subscription.stream,
        "reportIfEmpty": subscription.report_if_empty,
        "createdAt": epcis_time(subscription.created_at),
    }
    if subscription.schedule is not None:
        found["schedule"] = subscription.schedule
    if subscription.initial_record_time is not None:
        found["initialRecordTime"] = epcis_time(subscription.initial_record_time)
    found["lastDeliveredAt"] = (
        epcis_time(subscription.last_delivered_at) if subscription.last_delivered_at else None
    )
    if subscription.last_error:
        found["lastError"] = subscription.last_error
        found["attempts"] = subscription.attempts
    return found


def _checked(
    request: SubscriptionRequest, sender: WebhookSender, now: datetime
) -> tuple[datetime | None, datetime]:
    """The request's initial record time and first due moment; SubscriptionError when it is wrong."""
    if request.stream == (request.schedule is not None):
        raise SubscriptionError(
            'stream, schedule: give either "stream": true (every new event) or a schedule such as '
            '{"hour": "1", "minute": "5"}, not both and not neither'
        )
    if request.report_if_empty and request.stream:
        raise SubscriptionError("reportIfEmpty: only a scheduled subscription reports when nothing matched")
    initial = None
    if request.initial_record_time is not None:
        try:
            initial = parse_time(request.initial_record_time).replace(tzinfo=None)
        except ValueError:
            raise SubscriptionError(
                f"initialRecordTime: {request.initial_record_time!r} is not a date-time; write it as in "
                "2025-09-12T07:30:00Z"
            ) from None
    why = sender.refusal(request.dest)
    if why is not None:
        raise SubscriptionError(why)
    if request.schedule is None:
        return initial, now
    try:
        return initial, Schedule.read(request.schedule).next_run(now)
    except ScheduleError as exc:
        raise SubscriptionError(str(exc)) from exc


def create_subscription(
    uow: ReadUnitOfWork,
    principal: Principal,
    query_name: str,
    request: SubscriptionRequest,
    sender: WebhookSender,
    token_id: int | None = None,
) -> dict[str, Any]:
    """Subscribe to a named query the principal may see; it will deliver as this principal."""
    read_query(uow, principal, query_name)  # NotFound when it is not visible
    now = utc_now()
    initial, due = _checked(request, sender, now)
    subscription_id = uuid.uuid4().hex
    with uow:
        stores: Any = uow
        stores.subscriptions.add(
            id=subscription_id,
            query_name=query_name,
            org_id=principal.org_id,
            role=principal.role.value,
            token_id=token_id,
            dest=request.dest,
            signature_token=request.signature_token,
            stream=request.stream,
            schedule=request.schedule,
            report_if_empty=request.report_if_empty,
            initial_record_time=initial,
            created_at=now,
            due_at=due,
        )
        made = stores.subscriptions.get(subscription_id)
        stores.commit()
    return document(made)


def _visible(uow: Any, principal: Principal, query_name: str, subscription_id: str) -> Any:
    found = uow.subscriptions.get(subscription_id)
    if (
        found is None
        or found.query_name != query_name
        or (found.org_id != principal.org_id and not principal.sees_everything)
    ):
        raise NotFound(
            f"no subscription {subscription_id} of query {query_name!r} is visible to you: see "
            f"GET /epcis/queries/{query_name}/subscriptions"
        )
    return found


def list_subscriptions(uow: ReadUnitOfWork, principal: Principal, query_name: str) -> list[dict[str, Any]]:
    read_query(uow, principal, query_name)
    with uow:
        stores: Any = uow
        found = stores.subscriptions.of_query(
            query_name, None if principal.sees_everything else principal.org_id
        )
    return [document(s) for s in found]


def read_subscription(
    uow: ReadUnitOfWork, principal: Principal, query_name: str, subscription_id: str
) -> dict[str, Any]:
    require(principal, Permission.EVENTS_READ)
    with uow:
        return document(_visible(uow, principal, query_name, subscription_id))


def delete_subscription(
    uow: ReadUnitOfWork, principal: Principal, query_name: str, subscription_id: str
) -> None:
    """Only the organisation that subscribed unsubscribes."""
    require(principal, Permission.EVENTS_READ)
    with uow:
        stores: Any = uow
        found = _visible(uow, principal, query_name, subscription_id)
        if found.org_id != principal.org_id:
            raise NotFound(
                f"no subscription {subscription_id} of yours: "
                f"see GET /epcis/queries/{query_name}/subscriptions"
            )
        stores.subscriptions.remove(subscription_id)
        stores.commit()
