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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from kiik.custody.services.named_queries import as_parameters, read_query
from kiik.custody.services.queries import (
    ReadUnitOfWork,
    as_captured,
    epcis_time,
    events_recorded_after,
    number_new_events,
)
from kiik.directory.domain.permissions import OrgKind, Permission, Principal, Role, require
from kiik.epcis.domain.event_facts import parse_time
from kiik.epcis.domain.query_document import query_document, shared_context
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


@dataclass
class _Planned:
    """One document to send to one subscriber, and what sending it moves the subscription to."""

    subscription: Any
    body: bytes
    headers: dict[str, str]
    after: tuple[datetime, int] | None
    count: int
    full: bool  # a whole batch: more may follow


class _Round:
    """One delivery round. Subscribers of the same query, as the same organisation and role, share
    one run of the query (from the earliest point any of them is at) and one encoding of each slice
    of its events; what the round changes is written in one transaction per step."""

    def __init__(
        self, uow_factory: Callable[[], ReadUnitOfWork], now: datetime, report: DeliveryReport
    ) -> None:
        self.uow_factory = uow_factory
        self.now = now
        self.report = report
        self.sent: set[str] = set()

    @staticmethod
    def start(subscription: Any) -> tuple[datetime, int]:
        """Where a subscription is: events recorded from this time, numbered after this delivery
        number (`number_new_events`); 0 before its first delivery."""
        since = subscription.initial_record_time or subscription.created_at
        return since, subscription.after[1] if subscription.after else 0

    def due_again(self, subscription: Any) -> datetime:
        return self.now if subscription.stream else Schedule.read(subscription.schedule).next_run(self.now)

    def plan(
        self, pending: list[Any]
    ) -> tuple[list[_Planned], list[tuple[str, datetime]], list[tuple[str, str]]]:
        """The documents to send now, the subscriptions with nothing to send (and when they are due
        again), and those that end (and why)."""
        planned: list[_Planned] = []
        idle: list[tuple[str, datetime]] = []
        ended: list[tuple[str, str]] = []
        groups: dict[tuple[str, int, str], list[tuple[Any, Principal]]] = {}
        with self.uow_factory() as uow:
            for subscription in pending:
                subscriber = uow.subscriptions.subscriber(subscription)  # type: ignore[attr-defined]
                if subscriber is None or subscriber.token_revoked:
                    ended.append((subscription.id, "the subscriber's token was revoked"))
                    continue
                principal = Principal(
                    subscription.org_id,
                    subscriber.org_code,
                    subscriber.org_name,
                    OrgKind(subscriber.org_kind),
                    Role(subscription.role),
                    subscriber.org_country,
                )
                key = (subscription.query_name, subscription.org_id, subscription.role)
                groups.setdefault(key, []).append((subscription, principal))
        for (query_name, _, _), members in groups.items():
            principal = members[0][1]
            try:
                parameters = as_parameters(read_query(self.uow_factory(), principal, query_name))
            except NotFound:
                ended += [(s.id, f"the query {query_name!r} is gone") for s, _ in members]
                continue
            starts = [self.start(s) for s, _ in members]
            page = events_recorded_after(
                self.uow_factory(),
                principal,
                parameters,
                since=min(since for since, _ in starts),
                after=min(number for _, number in starts),
                limit=DELIVERY_BATCH,
            )
            # Each subscriber's events of the page; subscribers given the same events share one encoding.
            slices: dict[tuple[int, ...], tuple[list[Any], str]] = {}
            for subscription, _ in members:
                since, number = self.start(subscription)
                chosen = tuple(
                    i for i, e in enumerate(page) if (e.delivery_seq or 0) > number and e.record_time >= since
                )
                if chosen not in slices:
                    context, shared = shared_context([as_captured(page[i]) for i in chosen])
                    slices[chosen] = (context, json.dumps(shared))
                context, encoded = slices[chosen]
                count = len(chosen)
                wanted = subscription.schedule is not None and subscription.report_if_empty
                if count == 0 and (subscription.id in self.sent or not wanted):
                    idle.append((subscription.id, self.due_again(subscription)))
                    continue
                body = _body(context, encoded, query_name, subscription.id)
                headers = {"Content-Type": "application/ld+json", "GS1-EPCIS-Version": "2.0.0"}
                if subscription.signature_token:
                    headers["GS1-Signature"] = signature(body, subscription.signature_token)
                # The subscription moves to the page's last number (its record time is for the record).
                after = (page[-1].record_time, int(page[-1].delivery_seq or 0)) if page else None
                planned.append(
                    _Planned(subscription, body, headers, after, count, len(page) == DELIVERY_BATCH)
                )
        return planned, idle, ended

    def record(
        self,
        sends: list[tuple[_Planned, Exception | None]],
        idle: list[tuple[str, datetime]],
        ended: list[tuple[str, str]],
    ) -> list[Any]:
        """Write what a step did, in one transaction; the subscriptions that may have more to send."""
        more: list[str] = []
        with self.uow_factory() as uow:
            stores: Any = uow
            for subscription_id, why in ended:
                stores.subscriptions.remove(subscription_id)
                self.report.ended[subscription_id] = why
            for subscription_id, due in idle:
                stores.subscriptions.next_due(subscription_id, due)
            for planned, error in sends:
                subscription = planned.subscription
                if error is not None:
                    attempts = subscription.attempts + 1
                    stores.subscriptions.failed(
                        subscription.id, str(error), attempts, self.now + backoff(attempts)
                    )
                    self.report.failed[subscription.id] = str(error)
                    continue
                # Each document delivered moves the subscription on: a later failure resumes after it.
                due = self.now if planned.full else self.due_again(subscription)
                stores.subscriptions.delivered(subscription.id, planned.after, self.now, due)
                self.report.delivered[subscription.id] = (
                    self.report.delivered.get(subscription.id, 0) + planned.count
                )
                self.sent.add(subscription.id)
                if planned.full:
                    more.append(subscription.id)
            stores.commit()
            return [stores.subscriptions.get(i) for i in more]


def _body(context: list[Any], encoded_events: str, query_name: str, subscription_id: str) -> bytes:
    """The delivered document, with the events encoded once for every subscriber that gets them."""
    document = query_document([], query_name, subscription_id)
    document["@context"] = context
    text = json.dumps(document)
    empty = '"eventList": []'
    at = text.rindex(empty)
    return (text[:at] + '"eventList": ' + encoded_events + text[at + len(empty) :]).encode()


def deliver_subscriptions(
    uow_factory: Callable[[], ReadUnitOfWork],
    sender: WebhookSender,
    now: datetime | None = None,
    *,
    workers: int = 16,
) -> DeliveryReport:
    """Deliver every subscription that is due. The sends of a round go out side by side (a slow
    subscriber does not hold the others back); each outcome is recorded in its own transaction."""
    now = now or _now()
    report = DeliveryReport()
    delivery = _Round(uow_factory, now, report)
    with uow_factory() as uow:
        pending = list(uow.subscriptions.due(now, limit=1000))  # type: ignore[attr-defined]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while pending:
            number_new_events(uow_factory())
            planned, idle, ended = delivery.plan(pending)
            outcomes = list(pool.map(lambda p: _send(sender, p), planned))
            pending = delivery.record(list(zip(planned, outcomes, strict=True)), idle, ended)
    return report


def _send(sender: WebhookSender, planned: _Planned) -> Exception | None:
    try:
        sender.send(planned.subscription.dest, planned.body, planned.headers)
    except Exception as exc:  # the subscriber's silence or refusal is recorded and tried again
        return exc
    return None
