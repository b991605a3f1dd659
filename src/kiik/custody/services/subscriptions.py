"""Subscriptions to named queries (EPCIS 2.0 REST binding): kept, listed, read, deleted, delivered.

A subscription delivers the events of a named query to a webhook, as EPCISQueryDocuments signed
with the subscriber's `signatureToken` (`GS1-Signature: sha256=<HMAC-SHA256 of the body>`): as
soon as they are recorded (`stream: true`) or on a schedule (`schedule`, with `reportIfEmpty` for a
document even when nothing new matched). It delivers each event once, in the order events were
recorded, starting from `initialRecordTime` (or the moment it was made), and it remembers the last
event delivered: a subscriber that is down is tried again after a backoff that doubles up to
`MAX_BACKOFF`, and delivery resumes where it stopped. It runs as the organisation and role that
made it, so it sees what that token sees; a revoked token, or a deleted query, ends it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from kiik.custody.services.named_queries import as_parameters, read_query
from kiik.custody.services.queries import ReadUnitOfWork, as_captured, epcis_time, events_recorded_after
from kiik.directory.domain.permissions import OrgKind, Permission, Principal, Role, require
from kiik.epcis.domain.event_facts import parse_time
from kiik.epcis.domain.query_document import query_document
from kiik.epcis.domain.query_schedule import Schedule, ScheduleError
from kiik.errors import NotFound

FIRST_BACKOFF = timedelta(seconds=1)
MAX_BACKOFF = timedelta(minutes=10)
DELIVERY_BATCH = 1000  # events in one delivered document


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


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def backoff(attempts: int) -> timedelta:
    seconds = FIRST_BACKOFF.total_seconds() * 2 ** min(max(attempts - 1, 0), 20)
    return timedelta(seconds=min(seconds, MAX_BACKOFF.total_seconds()))


def signature(body: bytes, token: str) -> str:
    """The `GS1-Signature` of a delivery: the HMAC-SHA256 of the body under the subscriber's token."""
    return "sha256=" + hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


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
    now = _now()
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


@dataclass
class DeliveryReport:
    delivered: dict[str, int] = field(default_factory=dict)  # subscription -> events delivered
    failed: dict[str, str] = field(default_factory=dict)
    ended: dict[str, str] = field(default_factory=dict)  # subscription -> why it ended


def deliver_subscriptions(
    uow_factory: Callable[[], ReadUnitOfWork], sender: WebhookSender, now: datetime | None = None
) -> DeliveryReport:
    """Deliver every subscription that is due; each one's outcome in its own transaction."""
    now = now or _now()
    report = DeliveryReport()
    with uow_factory() as uow:
        due = list(uow.subscriptions.due(now, limit=1000))  # type: ignore[attr-defined]
    for subscription in due:
        _deliver(uow_factory, sender, subscription, now, report)
    return report


def _end(
    uow_factory: Callable[[], ReadUnitOfWork], subscription: Any, why: str, report: DeliveryReport
) -> None:
    with uow_factory() as uow:
        stores: Any = uow
        stores.subscriptions.remove(subscription.id)
        stores.commit()
    report.ended[subscription.id] = why


def _deliver(
    uow_factory: Callable[[], ReadUnitOfWork],
    sender: WebhookSender,
    subscription: Any,
    now: datetime,
    report: DeliveryReport,
) -> None:
    with uow_factory() as uow:
        subscriber = uow.subscriptions.subscriber(subscription)  # type: ignore[attr-defined]
    if subscriber is None or subscriber.token_revoked:
        _end(uow_factory, subscription, "the subscriber's token was revoked", report)
        return
    principal = Principal(
        subscription.org_id,
        subscriber.org_code,
        subscriber.org_name,
        OrgKind(subscriber.org_kind),
        Role(subscription.role),
        subscriber.org_country,
    )
    try:
        parameters = as_parameters(read_query(uow_factory(), principal, subscription.query_name))
    except NotFound:
        _end(uow_factory, subscription, f"the query {subscription.query_name!r} is gone", report)
        return
    after, sent = subscription.after, 0
    since = subscription.initial_record_time or subscription.created_at
    while True:
        page = events_recorded_after(
            uow_factory(), principal, parameters, since=since, after=after, limit=DELIVERY_BATCH
        )
        if not page and (sent or subscription.stream or not subscription.report_if_empty):
            break
        body = json.dumps(
            query_document([as_captured(e) for e in page], subscription.query_name, subscription.id)
        ).encode()
        headers = {"Content-Type": "application/ld+json", "GS1-EPCIS-Version": "2.0.0"}
        if subscription.signature_token:
            headers["GS1-Signature"] = signature(body, subscription.signature_token)
        try:
            sender.send(subscription.dest, body, headers)
        except Exception as exc:  # the subscriber's silence or refusal is recorded and tried again
            attempts = subscription.attempts + 1
            with uow_factory() as uow:
                uow.subscriptions.failed(subscription.id, str(exc), attempts, now + backoff(attempts))  # type: ignore[attr-defined]
                uow.commit()  # type: ignore[attr-defined]
            report.failed[subscription.id] = str(exc)
            return
        if page:
            after = (page[-1].record_time, page[-1].pk)
        sent += max(len(page), 1)
        with uow_factory() as uow:
            # Each document delivered moves the subscription on: a later failure resumes after it.
            uow.subscriptions.delivered(subscription.id, after, now, now)  # type: ignore[attr-defined]
            uow.commit()  # type: ignore[attr-defined]
        report.delivered[subscription.id] = report.delivered.get(subscription.id, 0) + len(page)
        if len(page) < DELIVERY_BATCH:
            break
    next_due = now if subscription.stream else Schedule.read(subscription.schedule).next_run(now)
    with uow_factory() as uow:
        uow.subscriptions.next_due(subscription.id, next_due)  # type: ignore[attr-defined]
        uow.commit()  # type: ignore[attr-defined]
