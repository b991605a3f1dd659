"""Delivering subscriptions (`kiik.custody.services.subscriptions`) to their webhooks.

Each event is delivered once, in the order events were recorded, as EPCISQueryDocuments signed with
the subscriber's `signatureToken` (`GS1-Signature: sha256=<HMAC-SHA256 of the body>`); the last
event delivered is remembered, so a subscriber that is down is tried again after a backoff that
doubles up to `MAX_BACKOFF`, and delivery resumes where it stopped. A subscription whose token was
revoked, or whose query was deleted, ends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kiik.custody.services.named_queries import as_parameters, read_query
from kiik.custody.services.queries import (
    ReadUnitOfWork,
    as_captured,
    events_recorded_after,
    number_new_events,
)
from kiik.custody.services.subscriptions import WebhookSender, utc_now
from kiik.directory.domain.permissions import OrgKind, Principal, Role
from kiik.epcis.domain.query_document import query_document, shared_context
from kiik.epcis.domain.query_schedule import Schedule
from kiik.errors import NotFound

FIRST_BACKOFF = timedelta(seconds=1)
MAX_BACKOFF = timedelta(minutes=10)
DELIVERY_BATCH = 1000  # events in one delivered document


def backoff(attempts: int) -> timedelta:
    seconds = FIRST_BACKOFF.total_seconds() * 2 ** min(max(attempts - 1, 0), 20)
    return timedelta(seconds=min(seconds, MAX_BACKOFF.total_seconds()))


def signature(body: bytes, token: str) -> str:
    """The `GS1-Signature` of a delivery: the HMAC-SHA256 of the body under the subscriber's token."""
    return "sha256=" + hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


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
    now = now or utc_now()
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
